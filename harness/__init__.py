"""What the tests and the benchmarks share: generators of real and hostile files, the
labelled query and personal-data sets with the code that reads them, the kill-during-ingest
harness and a free port for a child server.

Both tests/ and bench/ import this package and neither imports the other; it imports only
the product packages (store, ingest, search, service). It is not part of the installed
product (pyproject's package list leaves it out).
"""
