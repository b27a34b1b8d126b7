"""axe-core (from npm, installed by `make test`) finds no violation on any page, in the light
and the dark colour scheme, at desktop and phone sizes, in Debian's chromium."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser

from tests.conftest import REPO
from tests.service.conftest import AUTH
from tests.web.conftest import Site

AXE = REPO / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
RUN = """async (rules) => (await axe.run(document, {runOnly: {type: 'tag', values: rules}}))
  .violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE.exists(), f"axe-core is missing at {AXE}: `make test` installs it with npm"
    return Path(AXE).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def paths(site: Site) -> list[str]:
    docs = httpx.get(f"{site.url}/api/documents", headers=AUTH, timeout=30).json()["items"]
    first = docs[0]["id"]
    passage = httpx.get(f"{site.url}/api/search", params={"q": "mentoring older students"},
                        timeout=30).json()["results"][0]["passages"][0]["id"]
    return ["/", "/?q=mentoring+older+students", "/?q=mentoring&offset=10",
            "/?q=xyzzyqqq+blorf", "/browse", "/upload", "/tags", f"/documents/{first}",
            f"/documents/{first}?passage={passage}", "/login"]


@pytest.fixture(scope="module")
def signed_in_paths(site: Site) -> list[str]:
    """The pages for changing and removing, with a document in the trash; the search page
    with its feedback forms and /insights."""
    note = b"# Wren CoP\n\nThe wren walking group meets on Fridays after school.\n"
    made = httpx.post(f"{site.url}/api/documents", headers=AUTH, timeout=60,
                      files={"file": ("wren.md", note)}, data={"visibility": "public"})
    gone = made.json()["id"]
    assert httpx.delete(f"{site.url}/api/documents/{gone}", headers=AUTH).status_code == 204
    first = httpx.get(f"{site.url}/api/documents", headers=AUTH).json()["items"][0]["id"]
    return [f"/documents/{first}", f"/documents/{first}/edit", f"/documents/{first}/delete",
            f"/trash?deleted={gone}", "/?q=mentoring+older+students", "/insights"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_no_page_has_an_accessibility_violation(
        browser: Browser, site: Site, axe_source: str, paths: list[str],
        signed_in_paths: list[str], scheme: str, width: int) -> None:
    context = browser.new_context(base_url=site.url, color_scheme=scheme,  # type: ignore[arg-type]
                                  viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto("/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == {"light": "rgb(246, 245, 241)", "dark": "rgb(16, 24, 28)"}[scheme]
    found = {}

    def check(path: str) -> None:
        page.goto(path)
        page.evaluate(axe_source)
        if violations := page.evaluate(RUN, RULES):
            found[path] = violations

    for path in paths:
        check(path)
    page.goto("/login")  # the rest as an admin, signed in through the page
    page.get_by_label("Your token").fill(site.token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    for path in signed_in_paths:
        check(path)
    context.close()
    assert not found, found
