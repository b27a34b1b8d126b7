"""The hub's storage: records, catalog with its full-text index, vectors, embedder, originals,
accounts, audit log and jobs. Beneath ingest and search; it imports neither."""
