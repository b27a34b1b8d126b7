"""Screenshots of the web page for the README, taken against the real bundled corpus.

    .venv/bin/python docs/screenshots.py            # ingest corpus/ in a temp folder, serve
    .venv/bin/python docs/screenshots.py --url URL  # use a server that is already running

Uses Debian's chromium (/usr/bin/chromium) through Playwright; writes docs/search.png,
docs/upload.png and docs/document.png at 1280x900.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.service.conftest import Server  # noqa: E402
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

QUERY = "kid shuts down after a fight at home"
READING = "lave-wenger-1991-situated-learning.pdf"


def shoot(url: str, out: Path) -> None:
    documents = httpx.get(f"{url}/api/documents", params={"kind": "reading"}).json()["items"]
    reading = next((d for d in documents if d["filename"] == READING), documents[0])
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/?q={QUERY.replace(' ', '+')}")
        page.screenshot(path=out / "search.png")
        page.goto(f"{url}/upload")
        page.screenshot(path=out / "upload.png")
        page.goto(f"{url}/documents/{reading['id']}")
        page.screenshot(path=out / "document.png")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server; default: start one over corpus/")
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    args = parser.parse_args()
    if args.url:
        shoot(args.url.rstrip("/"), args.out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        env = {**os.environ, "COMMONS_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1"}
        commons = Path(sys.executable).parent / "commons"
        ingest = subprocess.run([str(commons), "ingest", str(REPO / "corpus")], env=env,
                                capture_output=True, text=True)
        if ingest.returncode:
            sys.exit(f"commons ingest failed:\n{ingest.stdout}{ingest.stderr}")
        server = Server(data)
        try:
            shoot(server.url, args.out)
        finally:
            server.stop()
    print(f"wrote {', '.join(n + '.png' for n in ('search', 'upload', 'document'))} "
          f"to {args.out}")


if __name__ == "__main__":
    main()
