"""A result's passage opens its document at that passage, marked; "Copy link" copies the
document's address. In a real browser against a real `commons serve`."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import PDF_TITLE, Site
from tests.web.test_browser import search


def test_a_passage_link_opens_the_document_at_the_passage_marked(page: Page) -> None:
    search(page, "Lighthouse mentoring scheme for Year 7")
    hit = page.locator("article.hit").filter(has_text=PDF_TITLE)
    hit.locator(".passage").filter(has_text="Lighthouse").locator(".page").first.click()
    expect(page).to_have_url(re.compile(r"/documents/[^?]+\?passage=[^#]+#page-3$"))
    marked = page.locator("#passage")
    expect(marked).to_be_focused()
    expect(marked).to_have_class(re.compile("passage-mark"))
    expect(marked).to_contain_text("Lighthouse mentoring scheme")
    expect(page.locator(".passage-mark").filter(has_text="Evaluating the scheme")).to_have_count(0)


def test_a_passage_of_another_document_marks_nothing(page: Page) -> None:
    search(page, "Lighthouse mentoring scheme for Year 7")
    link = page.locator("article.hit").filter(has_text=PDF_TITLE).locator("a.page").first
    passage = (link.get_attribute("href") or "").split("passage=")[1].split("#")[0]
    other = page.locator("article.hit").nth(1).locator("h3 a").get_attribute("href")
    page.goto(f"{(other or '').split('?')[0]}?passage={passage}")  # without its ?search=
    expect(page.locator(".passage-mark")).to_have_count(0)


def test_copy_link_puts_the_document_address_on_the_clipboard(
    browser: Browser, site: Site
) -> None:
    context = browser.new_context(base_url=site.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    page = context.new_page()
    try:
        search(page, "Lighthouse mentoring scheme for Year 7")
        hit = page.locator("article.hit").filter(has_text=PDF_TITLE)
        button = hit.locator(".copy-link")
        expect(button).to_have_accessible_name(re.compile("^Copy link to"))
        button.click()
        expect(button).to_contain_text("Link copied")
        href = (hit.locator("h3 a").get_attribute("href") or "").split("?")[0]
        # the document's own address, without the search the result link counts opens for
        assert page.evaluate("navigator.clipboard.readText()") == f"{site.url}{href}"
    finally:
        context.close()
