-- The first schema of the PostgreSQL store: the tables of the embedded store (store.catalog),
-- a postings table for BM25 in place of FTS5, and the originals.
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    community TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    authors TEXT NOT NULL DEFAULT '[]',
    date TEXT,
    content_hash TEXT NOT NULL,
    filename TEXT NOT NULL,
    media_type TEXT NOT NULL,
    n_pages INTEGER,
    warnings TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL,
    visibility TEXT NOT NULL DEFAULT 'public',
    owner TEXT,
    n_chunks INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX documents_hash ON documents(content_hash);

CREATE TABLE chunks (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    text TEXT NOT NULL,
    context TEXT NOT NULL DEFAULT '',
    heading_path TEXT NOT NULL DEFAULT '[]',
    page_start INTEGER,
    page_end INTEGER,
    -- the analysed terms (store.analysis), their number, and their positions for phrases
    terms TEXT NOT NULL DEFAULT '',
    n_terms INTEGER NOT NULL DEFAULT 0,
    positions TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED
);
CREATE INDEX chunks_doc ON chunks(doc_id);
CREATE INDEX chunks_positions ON chunks USING GIN (positions);

-- BM25's inputs: how often each term occurs in each chunk
CREATE TABLE postings (
    term TEXT NOT NULL,
    chunk_rowid BIGINT NOT NULL REFERENCES chunks(rowid) ON DELETE CASCADE,
    tf INTEGER NOT NULL,
    PRIMARY KEY (term, chunk_rowid)
);
CREATE INDEX postings_chunk ON postings(chunk_rowid);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    communities TEXT NOT NULL DEFAULT '[]',
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    principal TEXT NOT NULL DEFAULT '',
    credential_hash TEXT NOT NULL DEFAULT ''
);

CREATE TABLE audit (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    doc_id TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- a deleted document's record (its columns and defaults), kept until restored or purged
CREATE TABLE trash (
    LIKE documents INCLUDING DEFAULTS,
    trashed_at TEXT NOT NULL,
    trashed_by TEXT NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX trash_hash ON trash(content_hash);

CREATE TABLE jobs (
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    id TEXT PRIMARY KEY,
    filename TEXT NOT NULL,
    owner TEXT,
    request TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL,
    reason TEXT,
    doc_id TEXT,
    payload BYTEA,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX jobs_status ON jobs(status, created_at);

CREATE TABLE spelling (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    doc_id TEXT NOT NULL,
    word TEXT NOT NULL,
    n INTEGER NOT NULL,
    guarded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX spelling_doc ON spelling(doc_id);
CREATE INDEX spelling_word ON spelling(word);

CREATE TABLE originals (
    digest TEXT PRIMARY KEY,
    data BYTEA NOT NULL,
    stored_at DOUBLE PRECISION NOT NULL
);
