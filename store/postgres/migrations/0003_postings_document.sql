-- Each posting names its chunk's document, so a search applies the filters and cuts its top k
-- before it reads a single chunk, and "does a document the caller may see hold this term?"
-- is one probe of the primary key.
ALTER TABLE postings ADD COLUMN doc_id TEXT;
UPDATE postings p SET doc_id = c.doc_id FROM chunks c WHERE c.rowid = p.chunk_rowid;
ALTER TABLE postings ALTER COLUMN doc_id SET NOT NULL;
ALTER TABLE postings DROP CONSTRAINT postings_pkey;
-- tf and dl ride in the key's index, so scoring reads the index alone, never the table
ALTER TABLE postings ADD PRIMARY KEY (term, doc_id, chunk_rowid) INCLUDE (tf, dl);
