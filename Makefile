# Two commands on a fresh machine: `make run` (serve the hub over corpus/) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint install install-test corpus clean postgres-server

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install /usr/bin/tesseract
	$(BIN)/commons ingest corpus/ --prune
	$(BIN)/commons serve --host $(HOST) --port $(PORT)

# Debian's chromium drives the browser tests (Playwright cannot download a browser here).
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "The browser tests need Debian's chromium: run 'sudo apt-get install chromium'"; \
		exit 1; \
	fi

# Debian's tesseract-ocr (with its English data) reads photos and scanned pages (ingest/ocr.py).
/usr/bin/tesseract:
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr; \
	else \
		echo "Reading photos and scans needs Debian's tesseract-ocr: run 'sudo apt-get install tesseract-ocr'"; \
		exit 1; \
	fi

# The OCR tests and bench/ocr.py draw text on images with Debian's DejaVu fonts.
DEJAVU := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
$(DEJAVU):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core; \
	else \
		echo "The OCR tests need Debian's fonts-dejavu-core: run 'sudo apt-get install fonts-dejavu-core'"; \
		exit 1; \
	fi

# Debian's PostgreSQL server for the PostgreSQL store's tests (harness/postgres_server.py starts
# a throwaway one on its own port; a cluster Debian may start on 5432 is not used). initdb is
# the check: the client package alone also makes /usr/lib/postgresql/<version>/bin.
postgres-server:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; \
		else \
			echo "The PostgreSQL tests need Debian's postgresql: run 'sudo apt-get install postgresql'"; \
			exit 1; \
		fi; }

# axe-core checks the pages' accessibility in the browser tests (npm registry, pinned).
AXE := $(VENV)/axe/node_modules/axe-core/axe.min.js
$(AXE): | $(BIN)/python
	@command -v npm >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; \
		else echo "The accessibility tests need npm: run 'sudo apt-get install npm'"; exit 1; fi; }
	npm install --prefix $(VENV)/axe --no-audit --no-fund --silent axe-core@4.14.1

test: install-test /usr/bin/chromium /usr/bin/tesseract $(DEJAVU) postgres-server $(AXE)
	$(BIN)/ruff check .
	$(BIN)/mypy store ingest search service bench tests harness
	$(BIN)/pytest

corpus: install-test /usr/bin/tesseract $(DEJAVU)
	$(BIN)/python corpus/build.py
	$(BIN)/python corpus/make_scans.py

clean:
	rm -rf $(VENV) data
