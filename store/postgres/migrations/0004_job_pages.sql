-- A job that recognises pictures (OCR) reports how many of its pages are read so far, so its
-- page and /api/jobs/{id} can say "page 3 of 12" on every replica.
ALTER TABLE jobs ADD COLUMN pages_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN pages_total INTEGER NOT NULL DEFAULT 0;
