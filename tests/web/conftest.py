"""A real `commons serve` over a small ingested folder, and Debian's chromium via Playwright.

The server and the browser start once per module; each test gets a fresh browser context.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, sync_playwright

from harness.files import make_pdf
from tests.conftest import REPO
from tests.service.conftest import TOKEN, Server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-quic"]

SYNC_PDF_PAGES = 5  # longer PDFs are indexed as a job the page polls
PDF_TITLE = "Mentoring Across the School Transition"
PDF_PAGES = [
    "Mentoring Across the School Transition\n\nWhy older students make good mentors for "
    "younger ones, and what schools need to put in place first. " * 2,
    "Recruiting and preparing mentors: consent from families, a short training day, and a "
    "named staff coordinator who meets mentors every fortnight. " * 2,
    "The Lighthouse mentoring scheme pairs Year 10 students with Year 7 students for their "
    "first term, meeting weekly in the library at lunchtime. " * 2,
    "Evaluating the scheme: attendance, belonging surveys and what the younger students say "
    "about the first weeks of secondary school. " * 2,
]
CORPUS_SUBSET = [
    "readings/masten-2001-ordinary-magic.md",
    "readings/shonkoff-garner-2012-toxic-stress.md",
    "practices/peer-mentoring-programmes.md",
    "practices/de-escalation-with-teenagers.md",
    "session-notes/youth-justice/2026-04-16-bail-support-rj-circle.md",
]


CSRF_INPUT = re.compile(r'<input type="hidden" name="csrf_token" value="([0-9a-f]+)">')


HttpClient = httpx.Client | TestClient


def form_token(client: HttpClient, path: str = "/login") -> str:
    """The CSRF token the hub's form on `path` carries, as a browser would send it back."""
    page = client.get(path)
    match = CSRF_INPUT.search(page.text)
    assert match, f"no CSRF token on {path}: {page.status_code} {page.text[:200]}"
    return match.group(1)


def sign_in(client: HttpClient, token: str) -> Any:
    """Sign in through the login form (the client keeps the session cookie)."""
    return client.post("/login", data={"token": token, "csrf_token": form_token(client)},
                       follow_redirects=False)


def sign_out(client: HttpClient) -> Any:
    return client.post("/logout", data={"csrf_token": form_token(client, "/")},
                       follow_redirects=False)


@dataclass(frozen=True)
class Site:
    url: str
    token: str
    data: Path


def make_folder(root: Path) -> Path:
    """A few bundled documents plus a four-page PDF reading made here."""
    for name in CORPUS_SUBSET:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "corpus" / name, target)
    (root / "readings" / "lighthouse-mentoring.pdf").write_bytes(
        make_pdf(PDF_PAGES, title=PDF_TITLE, author="School Mental Health CoP"))
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("web")
    folder = make_folder(root / "documents")
    data = root / "data"
    commons = Path(sys.executable).parent / "commons"
    subprocess.run([str(commons), "ingest", str(folder)], check=True, capture_output=True,
                   env={**os.environ, "COMMONS_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1"})
    # every recognised page is flagged as doubtful here, so the browser sees the flag
    server = Server(data, COMMONS_API_TOKENS=TOKEN, COMMONS_SYNC_PDF_PAGES=str(SYNC_PDF_PAGES),
                    COMMONS_OCR_LOW_CONFIDENCE="100")
    yield Site(server.url, TOKEN, data)
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), (
        f"browser tests need Debian's chromium at {CHROMIUM}: `make test` installs it "
        "(apt-get install chromium)"
    )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, site: Site) -> Iterator[Page]:
    """A fresh page; any script error or blocked inline script (CSP) fails the test."""
    context = browser.new_context(base_url=site.url)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(str(error)))
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    yield tab
    context.close()
    assert not [p for p in problems if "status of 4" not in p], problems
