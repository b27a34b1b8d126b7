-- The search record of the facilitators' view (store.insights): each distinct query text once
-- (redacted, with its embedding), each search with its time, role, communities, confidence,
-- results and feedback; never the searcher's identity. Deleted after the retention.
CREATE TABLE search_texts (
    id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    embedding BYTEA
);
CREATE TABLE searches (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    role TEXT NOT NULL,
    text_id TEXT NOT NULL,
    confidence TEXT NOT NULL,
    weak INTEGER NOT NULL DEFAULT 0,
    unmet INTEGER NOT NULL DEFAULT 0,
    answered INTEGER,
    helpful INTEGER NOT NULL DEFAULT 0,
    not_helpful INTEGER NOT NULL DEFAULT 0,
    searcher TEXT
);
CREATE INDEX searches_at ON searches(at);
CREATE INDEX searches_text ON searches(text_id);
CREATE TABLE search_communities (
    search_id TEXT NOT NULL REFERENCES searches(id) ON DELETE CASCADE,
    community TEXT NOT NULL,
    PRIMARY KEY (search_id, community)
);
CREATE INDEX search_communities_community ON search_communities(community);
CREATE TABLE search_results (
    search_id TEXT NOT NULL REFERENCES searches(id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL,
    rank INTEGER NOT NULL,
    opened INTEGER NOT NULL DEFAULT 0,
    helpful INTEGER,
    story TEXT,
    story_at TEXT,
    PRIMARY KEY (search_id, doc_id)
);
CREATE INDEX search_results_doc ON search_results(doc_id);
