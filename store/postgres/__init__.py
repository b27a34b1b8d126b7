"""The store on PostgreSQL (COMMONS_DATABASE_URL): catalog, full-text index, accounts, audit,
jobs and originals in one database shared by any number of replicas."""
