"""Feedback on results and the facilitators' /insights page in a real browser (Debian's
chromium) against a real `commons serve`."""

from __future__ import annotations

import re
from contextlib import closing

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from service.accounts import Role, add_user
from store.accounts import Accounts
from store.catalog import Catalog
from tests.web.conftest import Site

COMMUNITY = "Youth Justice"
QUERY = "how to calm an angry teenager who is shouting"


@pytest.fixture(scope="module")
def tokens(site: Site) -> dict[str, str]:
    """Two members and a facilitator of one community, added to the served hub's store."""
    with closing(Catalog(site.data / "commons.db")) as catalog:
        accounts = Accounts(catalog)
        return {name: add_user(accounts, name, role, (COMMUNITY,)) for name, role in [
            ("yj-member", Role.CONTRIBUTOR), ("yj-member2", Role.CONTRIBUTOR),
            ("yj-facilitator", Role.FACILITATOR)]}


def sign_in(page: Page, token: str) -> None:
    page.goto("/login")
    page.get_by_label("Your token").fill(token)
    page.get_by_role("button", name="Sign in").click()


def search(page: Page, query: str) -> None:
    page.goto("/")
    page.get_by_label("Describe the situation").fill(query)
    page.get_by_label("Describe the situation").press("Enter")
    expect(page.locator("article.hit").first).to_be_visible()


def test_feedback_on_a_result_by_keyboard(page: Page, site: Site,
                                          tokens: dict[str, str]) -> None:
    sign_in(page, tokens["yj-member"])
    search(page, QUERY)
    form = page.locator("form.feedback").first
    summary = form.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")  # opens the details
    story = form.get_by_label("How did you use it?")
    expect(story).to_be_visible()
    page.keyboard.press("Tab")
    expect(story).to_be_focused()
    page.keyboard.type("Read it before the circle; the young person calmed down.")
    page.keyboard.press("Tab")
    helpful = form.get_by_role("button", name=re.compile(r"^Helpful"))
    expect(helpful).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Thank you")).to_be_visible()
    # the page shown again keeps the same search: answering it is taken too
    page.get_by_role("group", name="Did this answer your question?").get_by_role(
        "button", name="Yes").press("Enter")
    expect(page.get_by_role("status").filter(has_text="Thank you")).to_be_visible()
    with closing(Catalog(site.data / "commons.db")) as catalog:
        kept = catalog.read("SELECT r.helpful AS helpful, r.story AS story, s.answered AS "
                            "answered FROM search_results r JOIN searches s "
                            "ON s.id = r.search_id WHERE r.story IS NOT NULL")
    assert [(r["helpful"], r["answered"]) for r in kept] == [(1, 1)]
    assert kept[0]["story"].startswith("Read it before the circle")


def test_a_facilitator_sees_groups_charts_and_tables(browser: Browser, page: Page, site: Site,
                                                     tokens: dict[str, str]) -> None:
    for member in ("yj-member", "yj-member2"):  # two sessions ask it: it may be quoted
        context = browser.new_context(base_url=site.url)
        other = context.new_page()
        sign_in(other, tokens[member])
        search(other, QUERY)
        context.close()
    sign_in(page, tokens["yj-facilitator"])
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Insights: {COMMUNITY}")
    looked = page.get_by_role("region", name="What people look for")
    expect(looked.get_by_role("table")).to_contain_text(QUERY)
    charts = page.locator("figure.chart img")
    expect(charts).to_have_count(3)
    for i in range(3):
        chart = charts.nth(i)
        expect(chart).to_have_js_property("complete", True)
        assert chart.evaluate("img => img.naturalWidth") > 0
        drawn = page.request.get(str(chart.get_attribute("src")))
        assert drawn.status == 200 and drawn.headers["content-type"] == "image/svg+xml"
    activity = page.get_by_role("table", name="Searches and uploads per month and community")
    expect(activity).to_contain_text(COMMUNITY)
    expect(page.get_by_role("table", name="Feedback per month")).to_be_visible()


def test_a_member_gets_no_insights(site: Site, tokens: dict[str, str]) -> None:
    refused = httpx.get(f"{site.url}/api/insights",
                        headers={"Authorization": f"Bearer {tokens['yj-member']}"})
    assert refused.status_code == 403
