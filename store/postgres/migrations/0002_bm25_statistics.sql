-- BM25's collection statistics kept as the postings change, so a query reads them instead of
-- counting: the number of chunks and their total length, each term's document frequency, and
-- each posting's chunk length (so scoring needs no join with chunks).
ALTER TABLE postings ADD COLUMN dl INTEGER NOT NULL DEFAULT 0;
UPDATE postings p SET dl = c.n_terms FROM chunks c WHERE c.rowid = p.chunk_rowid;

CREATE TABLE term_stats (
    term TEXT PRIMARY KEY,
    df INTEGER NOT NULL
);
INSERT INTO term_stats(term, df) SELECT term, count(*) FROM postings GROUP BY term;

CREATE TABLE lexical_stats (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL,
    total BIGINT NOT NULL
);
INSERT INTO lexical_stats(id, n, total)
    SELECT 1, count(*), coalesce(sum(n_terms), 0) FROM chunks;
