"""The web page in a real browser (Debian's chromium) against a real `commons serve`."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser, Dialog, FilePayload, Page, Response, expect

from harness.files import make_docx, make_pdf
from harness.scans import SANS, encoded, flipchart
from tests.web.conftest import PDF_TITLE, SYNC_PDF_PAGES, Site

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def search(page: Page, query: str) -> None:
    page.goto("/")
    page.get_by_label("Describe the situation").fill(query)
    page.get_by_label("Describe the situation").press("Enter")


def upload(page: Page, site: Site, name: str, data: bytes, mime: str, **fields: str) -> None:
    page.goto("/upload")
    page.get_by_label("Choose a file").set_input_files(
        files=[FilePayload(name=name, mimeType=mime, buffer=data)])
    for label, value in fields.items():
        page.get_by_label(label.capitalize()).fill(value)
    page.get_by_label("Upload token").fill(site.token)
    page.get_by_role("button", name="Upload and index").click()


def test_search_shows_the_passage_with_its_page(page: Page) -> None:
    search(page, "Lighthouse mentoring scheme for Year 7")
    hit = page.locator("article.hit").filter(has_text=PDF_TITLE)
    expect(hit).to_be_visible()
    passage = hit.locator(".passage").filter(has_text="Lighthouse")
    expect(passage.locator(".page").first).to_have_text("p. 3")
    expect(passage.locator("mark").first).to_be_visible()
    readings = page.get_by_role("complementary", name="Related readings")
    expect(readings.get_by_role("link", name=PDF_TITLE)).to_have_count(0)  # a result already


def test_docx_uploaded_through_the_form_is_found_by_search(page: Page, site: Site) -> None:
    note = make_docx([("Heading 1", "Actions"),
                      ("", "KW will open the Kestrel Lane drop-in for carers on Thursdays.")],
                     title="Early Years CoP - Kestrel Lane meeting")
    upload(page, site, "kestrel.docx", note, DOCX, community="Early Years")
    status = page.get_by_role("status")
    expect(status).to_contain_text("searchable now")
    status.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Early Years CoP - Kestrel Lane meeting")
    search(page, "drop-in for carers on Kestrel Lane")
    expect(page.locator("article.hit").first).to_contain_text("Kestrel Lane meeting")


def test_a_long_pdf_is_indexed_as_a_job_the_page_follows(page: Page, site: Site) -> None:
    pages = [f"Page {n} of the Osprey family-time handbook." for n in range(SYNC_PDF_PAGES + 2)]
    polled: list[str] = []
    page.on("request", lambda r: polled.append(r.url) if "/api/jobs/" in r.url else None)
    upload(page, site, "osprey.pdf", make_pdf(pages, title="Osprey Family-Time Handbook"),
           "application/pdf", title="Osprey Family-Time Handbook")
    status = page.get_by_role("status")
    expect(status).to_contain_text("searchable now", timeout=60_000)
    expect(status.get_by_role("link")).to_have_text("Open “Osprey Family-Time Handbook”")
    assert polled, "a 202 upload should be followed through GET /api/jobs/{id}"


def test_a_flipchart_photo_is_recognised_flagged_and_its_original_one_click_away(
        page: Page, site: Site) -> None:
    photo = encoded(flipchart(["Wren Street parking lot", "Try a walking check-in with teens",
                               "Invite the school nurse next time"], face=SANS, seed=3), "PNG")
    jobs: list[dict[str, object]] = []

    def polled(response: Response) -> None:
        if "/api/jobs/" in response.url and response.ok:
            jobs.append(response.json())

    page.on("response", polled)
    upload(page, site, "wren-flipchart.png", photo, "image/png", title="Wren Street flipchart")
    status = page.get_by_role("status")
    expect(status).to_contain_text("searchable now", timeout=60_000)
    assert jobs and jobs[-1]["pages_to_recognise"] == 1 == jobs[-1]["pages_recognised"]

    status.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wren Street flipchart")
    flag = page.get_by_role("note").filter(has_text="read from a photo and may contain errors")
    expect(flag).to_be_visible()
    expect(page.locator("main")).to_contain_text(re.compile("walking check-in", re.I))
    with page.expect_response(re.compile(r"/api/documents/\w+/file")) as original:
        flag.get_by_role("link", name=re.compile("See the original")).click()
    assert original.value.ok and original.value.headers["content-type"] == "image/png"


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("budget.xlsx", b"PK\x03\x04 not a document", "cannot be uploaded"),
    ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "not a readable PDF"),
])
def test_a_rejected_file_shows_the_reason(
    page: Page, site: Site, name: str, data: bytes, reason: str
) -> None:
    upload(page, site, name, data, "application/octet-stream")
    expect(page.get_by_role("alert")).to_contain_text(reason)
    expect(page.get_by_role("alert")).to_contain_text(name)


def test_a_reading_shows_its_pages_and_related_documents(page: Page) -> None:
    page.goto("/browse?kind=reading")
    page.get_by_role("link", name=PDF_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PDF_TITLE)
    expect(page.get_by_role("heading", name="Page 3")).to_be_visible()
    related = page.get_by_role("complementary", name="Related documents")
    expect(related.get_by_role("link").first).to_be_visible()
    related.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text(PDF_TITLE)


def test_a_script_in_a_note_is_shown_as_text(page: Page, site: Site) -> None:
    title = "<script>window.pwnedTitle = 1</script> Wexley planning"
    body = b"Wexley roster planning.\n\n<script>window.pwnedBody = 1</script> was pasted here.\n"
    with httpx.Client(base_url=site.url, timeout=60) as http:
        created = http.post("/api/documents", files={"file": ("wexley.txt", body)},
                            data={"title": title},
                            headers={"Authorization": f"Bearer {site.token}"})
        assert created.status_code == 201, created.text
    search(page, "Wexley roster planning")
    expect(page.locator("article.hit").first).to_contain_text(title)
    page.locator("article.hit").first.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("<script>window.pwnedBody = 1</script>")).to_be_visible()
    assert page.evaluate("typeof window.pwnedTitle + typeof window.pwnedBody") == \
        "undefinedundefined"


def test_the_upload_form_works_without_javascript(browser: Browser, site: Site) -> None:
    context = browser.new_context(base_url=site.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/upload")
    note = b"# Harbour CoP\n\nThe Pelican Street homework club restarts in May.\n"
    page.get_by_label("Choose a file").set_input_files(
        files=[FilePayload(name="pelican.md", mimeType="text/markdown", buffer=note)])
    page.get_by_label("Upload token").fill(site.token)
    page.get_by_role("button", name="Upload and index").click()
    expect(page).to_have_url(re.compile(r"/documents/[^/?]+\?added=new$"))
    expect(page.get_by_role("status")).to_contain_text("can be found in search now")
    context.close()


def test_keyboard_and_phone_width(browser: Browser, site: Site) -> None:
    context = browser.new_context(base_url=site.url, viewport={"width": 375, "height": 800})
    page = context.new_page()
    for path in ("/?q=mentoring+older+students", "/", "/browse", "/upload"):
        page.goto(path)
        if "?q=" in path:  # after a search, focus starts at the results (tested below)
            expect(page.locator("#results")).to_be_focused()
        else:
            page.keyboard.press("Tab")
            expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        unlabelled = page.evaluate(
            "[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
            ".filter(e => !e.labels.length && !e.getAttribute('aria-label')).length")
        assert unlabelled == 0, path
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    context.close()


PERSONAL = (b"# Heron CoP\n\n## Follow-up\n\nCall the carer on 0412 345 678 about the "
            b"Heron Street playgroup.\n")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800},
                                      {"width": 375, "height": 700}])
def test_a_refusal_shows_beside_the_button_and_offers_redact_and_upload(
        browser: Browser, site: Site, viewport: dict[str, int]) -> None:
    context = browser.new_context(base_url=site.url, viewport=viewport)  # type: ignore[arg-type]
    page = context.new_page()
    # each viewport's file is its own (the same file twice is a duplicate, once redacted too)
    note = PERSONAL + f"\nSeen on a screen {viewport['width']} pixels wide.\n".encode()
    upload(page, site, f"heron-{viewport['width']}.md", note, "text/markdown")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("contains personal data")
    expect(alert).to_be_focused()
    expect(alert).not_to_contain_text("pii=")  # the page's own words, not the API's
    button = page.get_by_role("button", name="Upload and index").bounding_box()
    shown = alert.bounding_box()
    assert button is not None and shown is not None
    assert 0 <= shown["y"] - (button["y"] + button["height"]) < 120  # just below the button
    assert shown["y"] + shown["height"] <= viewport["height"]  # in view, no scrolling
    page.get_by_role("button", name="Redact and upload").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("searchable now")
    expect(status).to_be_focused()
    status.get_by_role("link").click()
    expect(page.locator("main")).to_contain_text("[phone removed]")
    expect(page.locator("main")).not_to_contain_text("0412 345 678")
    context.close()


def test_upload_as_it_is_asks_first(page: Page, site: Site) -> None:
    asked: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    upload(page, site, "heron-kept.md", PERSONAL.replace(b"Heron", b"Egret"), "text/markdown")
    expect(page.get_by_role("alert")).to_contain_text("contains personal data")
    page.get_by_role("button", name="Upload as it is").click()
    assert asked and "Keep the personal data" in asked[0]
    expect(page.get_by_role("alert")).to_be_visible()  # dismissed: nothing was sent
    page.remove_listener("dialog", dismiss)
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Upload as it is").click()
    expect(page.get_by_role("status")).to_contain_text("searchable now")


def test_after_a_search_the_results_are_where_focus_is(browser: Browser, site: Site) -> None:
    context = browser.new_context(base_url=site.url, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto("/?q=Lighthouse+mentoring+scheme+for+Year+7")
    expect(page.locator("#results")).to_be_focused()
    presses = 0
    while presses < 10:  # the first result is a few Tab presses away, not forty
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate("document.activeElement.closest('article.hit') !== null"):
            break
    assert presses < 10, "no result reached within 10 Tab presses"
    # on a phone the related readings are one link away from the top of the results (practices
    # only here: this small hub's readings would all be among the results otherwise)
    page.goto("/?q=older+students+mentoring+younger+ones&kind=practice")
    jump = page.get_by_role("link", name=re.compile(r"^Related readings \(\d+\)$"))
    expect(jump).to_be_visible()
    jump.click()
    expect(page).to_have_url(re.compile(r"#readings$"))
    expect(page.get_by_role("complementary", name="Related readings")).to_be_in_viewport()
    # a passage's section or page opens the document there, the heading marked
    page.goto("/?q=Lighthouse+mentoring+scheme+for+Year+7")
    hit = page.locator("article.hit").filter(has_text=PDF_TITLE)
    hit.locator(".passage a.page").first.click()
    expect(page).to_have_url(re.compile(r"/documents/[^#]+#page-3$"))
    expect(page.locator("#page-3")).to_be_visible()
    page.goto("/?q=calming+a+shouting+teenager+with+body+language+and+voice")
    link = page.locator("article.hit .passage a.path").first
    target = str(link.get_attribute("href")).split("#")[1]
    link.click()
    expect(page.locator(f"[id='{target}']")).to_be_visible()
    assert page.evaluate("document.querySelector(':target') !== null")
    context.close()


def test_tags_are_suggested_as_typed_and_merged_on_their_page(
        browser: Browser, site: Site) -> None:
    context = browser.new_context(base_url=site.url)
    page = context.new_page()
    page.goto("/upload")
    tags = page.get_by_label("Tags")
    tags.fill("youth-justice, rest")  # the hub's tags complete the word after the last comma
    suggested = page.locator("#tag-suggestions option")
    expect(suggested).to_have_count(1)
    expect(suggested.first).to_have_attribute("value", "youth-justice, restorative-practice")
    body = b"# Heron Walk roster\n\nThe Heron Walk homework club roster for term 2.\n"
    made = httpx.post(f"{site.url}/api/documents", files={"file": ("heron.md", body)},
                      data={"tags": "Heron Walk, Rosters"},
                      headers={"Authorization": f"Bearer {site.token}"}, timeout=60)
    assert made.json()["tags"] == ["heron-walk", "rosters"]
    page.goto("/login")
    page.get_by_label("Your token").fill(site.token)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/tags")
    page.get_by_label("Tag to retire").fill("Rosters")
    page.get_by_label("Tag to keep").fill("heron-walk")
    page.get_by_role("button", name="Merge").click()
    outcome = page.locator("#merge-outcome")
    expect(outcome).to_contain_text("Merged 'rosters' into 'heron-walk' on 1 document.")
    expect(outcome).to_be_focused()
    expect(page.get_by_role("cell", name="rosters", exact=True)).to_have_count(0)
    context.close()
