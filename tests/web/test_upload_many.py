"""Several files at once on the upload page, with and without JavaScript, in Debian's chromium
against a real `commons serve` (issue 18: a facilitator's folder of a term's session notes)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Dialog, FilePayload, Locator, Page, expect

from harness.files import make_pdf
from tests.service.conftest import AUTH
from tests.web.conftest import SYNC_PDF_PAGES, Site
from tests.web.test_accessibility import AXE, RULES, RUN


def note(title: str, line: str) -> bytes:
    return f"# {title}\n\n## Actions\n\n{line}\n".encode()


def personal(place: str) -> bytes:
    return note(f"{place} CoP", f"Call the carer of Jaylen Brooks on 0412 345 678 about the "
                f"{place} Street playgroup.")


def md(name: str, data: bytes) -> FilePayload:
    return FilePayload(name=name, mimeType="text/markdown", buffer=data)


def found(site: Site, query: str) -> list[dict[str, Any]]:
    """The hub's answer to a search, as a script with the token would get it."""
    answer = httpx.get(f"{site.url}/api/search", params={"q": query}, headers=AUTH, timeout=60)
    assert answer.status_code == 200, answer.text
    results: list[dict[str, Any]] = answer.json()["results"]
    return results


def row(page: Page, name: str) -> Locator:
    return page.get_by_role("table", name="Your files").get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=name, exact=True))


def upload_several(page: Page, site: Site, files: list[FilePayload]) -> None:
    page.goto("/upload")
    page.get_by_label("Choose a file").set_input_files(files=files)
    page.get_by_label("Upload token").fill(site.token)
    page.get_by_role("button", name="Upload and index").click()


def test_several_files_each_get_a_row_an_outcome_and_a_summary(page: Page, site: Site) -> None:
    good = note("Tern Bay CoP", "The Tern Bay breakfast club moves to the scout hall on Fridays.")
    page.goto("/upload")
    page.get_by_label("Title").fill("One title for all")
    page.get_by_label("Choose a file").set_input_files(files=[
        md("2026-05-07-tern-bay.md", good),
        md("tern-bay-copy.md", good),
        md("plover.md", personal("Plover")),
        md("sandpiper.md", personal("Sandpiper")),
        FilePayload(name="blank.txt", mimeType="text/plain", buffer=b"   \n\n  \n"),
        FilePayload(name="budget.csv", mimeType="text/csv", buffer=b"item,cost\nfruit,12\n"),
        FilePayload(name=".DS_Store", mimeType="application/octet-stream", buffer=b"\0\0\0\1"),
    ])
    expect(page.get_by_text("7 files selected.")).to_be_visible()
    expect(page.get_by_label("Title")).to_be_disabled()  # each file keeps its own title
    expect(page.locator("#title-hint")).to_have_text(
        "With several files, each keeps its own title.")
    page.get_by_label("Tags").fill("Tern Bay")
    page.get_by_label("Upload token").fill(site.token)
    page.get_by_role("button", name="Upload and index").click()

    summary = page.get_by_role("status")
    expect(summary).to_have_text("1 added, 1 already here, 2 need your choice, 1 refused, "
                                 "2 skipped.", timeout=60_000)
    expect(summary).to_be_focused()
    added = row(page, "2026-05-07-tern-bay.md")
    expect(added).to_contain_text("Added and searchable now.")
    expect(added.get_by_role("link")).to_have_text("Open “Tern Bay CoP”")
    copy = row(page, "tern-bay-copy.md")
    expect(copy).to_contain_text("Already in the Commons.")
    expect(copy.get_by_role("link")).to_have_attribute(
        "href", str(added.get_by_role("link").get_attribute("href")))
    expect(row(page, "blank.txt")).to_contain_text(re.compile(r"Refused\. .*no extractable text"))
    expect(row(page, "budget.csv")).to_contain_text(
        "Skipped. Only .md, .markdown, .txt, .pdf, .docx, .jpg, .jpeg, .png, .heic files can "
        "be uploaded.")
    expect(row(page, ".DS_Store")).to_contain_text("Skipped. A hidden file")
    expect(page.get_by_label("Title")).to_be_enabled()  # ready for the next file

    plover = row(page, "plover.md")
    expect(plover).to_contain_text("Needs your choice. “plover.md” contains personal data")
    expect(plover).not_to_contain_text("0412 345 678")  # the findings are masked
    plover.get_by_role("button", name="Redact and upload").focus()
    page.keyboard.press("Enter")
    expect(plover).to_contain_text("Added and searchable now.", timeout=30_000)
    expect(plover.get_by_role("cell")).to_be_focused()
    expect(summary).to_have_text("2 added, 1 already here, 1 needs your choice, 1 refused, "
                                 "2 skipped.")

    asked: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    sandpiper = row(page, "sandpiper.md")
    page.on("dialog", dismiss)
    sandpiper.get_by_role("button", name="Upload as it is").click()
    assert asked and "Keep the personal data" in asked[0]
    expect(sandpiper).to_contain_text("Needs your choice.")  # dismissed: nothing was sent
    page.remove_listener("dialog", dismiss)
    page.once("dialog", lambda d: d.accept())
    sandpiper.get_by_role("button", name="Upload as it is").click()
    expect(sandpiper).to_contain_text("Added and searchable now.", timeout=30_000)
    expect(summary).to_have_text("3 added, 1 already here, 1 refused, 2 skipped.")

    tern = found(site, "Tern Bay breakfast club in the scout hall")
    assert tern[0]["title"] == "Tern Bay CoP" and tern[0]["tags"] == ["tern-bay"]
    plovers = [hit for hit in found(site, "Plover Street playgroup carer") if
               hit["title"] == "Plover CoP"]
    assert plovers, "the redacted note is found by search"
    text = " ".join(p["text"] for p in plovers[0]["passages"])
    assert "[phone removed]" in text and "0412 345 678" not in text
    assert any(hit["title"] == "Sandpiper CoP"
               for hit in found(site, "Sandpiper Street playgroup carer"))
    plover.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plover CoP")


def test_a_folder_is_sent_without_its_hidden_files_and_other_types(
        page: Page, site: Site, tmp_path: Path) -> None:
    folder = tmp_path / "term-2"
    (folder / "week-3").mkdir(parents=True)
    (folder / "2026-04-30-avocet.md").write_bytes(
        note("Avocet CoP", "The Avocet Road youth club now opens on Saturday mornings."))
    (folder / "week-3" / "avocet-games.txt").write_text(
        "Avocet games night: the board-game library lends sets to families.\n")
    (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (folder / "week-3" / "attendance.xlsx").write_bytes(b"PK\x03\x04 a spreadsheet")
    page.goto("/upload")
    page.get_by_label("Choose a folder").set_input_files(folder)
    expect(page.get_by_text("4 files selected in “term-2”.")).to_be_visible()
    expect(page.get_by_label("Title")).to_be_disabled()
    page.get_by_label("Upload token").fill(site.token)
    page.get_by_role("button", name="Upload and index").click()
    expect(page.get_by_role("status")).to_have_text("2 added, 2 skipped.", timeout=60_000)
    expect(row(page, "term-2/2026-04-30-avocet.md")).to_contain_text("Open “Avocet CoP”")
    expect(row(page, "term-2/week-3/avocet-games.txt")).to_contain_text("Added")
    expect(row(page, "term-2/.DS_Store")).to_contain_text("Skipped. A hidden file")
    expect(row(page, "term-2/week-3/attendance.xlsx")).to_contain_text("Skipped. Only .md")
    assert any("avocet-games" in hit["source"]
               for hit in found(site, "board-game library lends sets to families"))


def test_files_dropped_on_the_form_go_as_several(page: Page, site: Site) -> None:
    page.goto("/upload")
    dropped = page.evaluate_handle("""() => {
        const transfer = new DataTransfer();
        for (const [name, place] of [["ruff.md", "Ruff Lane"], ["reeve.md", "Reeve Close"]]) {
            const text = `# ${place} CoP\\n\\n${place} families start a walking bus.\\n`;
            transfer.items.add(new File([text], name, {type: "text/markdown"}));
        }
        return transfer;
    }""")
    page.dispatch_event("#dropzone", "drop", {"dataTransfer": dropped})
    expect(page.get_by_text("2 files selected.")).to_be_visible()
    page.get_by_label("Upload token").fill(site.token)
    page.get_by_role("button", name="Upload and index").click()
    expect(page.get_by_role("status")).to_have_text("2 added.", timeout=60_000)
    expect(row(page, "reeve.md").get_by_role("link")).to_have_text("Open “Reeve Close CoP”")


def test_a_long_pdf_among_several_is_followed_to_its_end(page: Page, site: Site) -> None:
    pages = [f"Page {n} of the Godwit outdoor-play handbook." for n in range(SYNC_PDF_PAGES + 2)]
    polled: list[str] = []
    page.on("request", lambda r: polled.append(r.url) if "/api/jobs/" in r.url else None)
    upload_several(page, site, [
        FilePayload(name="godwit.pdf", mimeType="application/pdf",
                    buffer=make_pdf(pages, title="Godwit Outdoor-Play Handbook")),
        md("godwit-note.md", note("Godwit CoP", "The Godwit Park adventure playground reopens.")),
    ])
    summary = page.get_by_role("status")
    expect(summary).to_contain_text("1 added", timeout=60_000)
    godwit = row(page, "godwit.pdf")
    job = godwit.get_by_role("link", name="Follow its progress")
    href = job.get_attribute("href") if job.count() else None  # unless already done
    expect(godwit).to_contain_text("Added and searchable now.", timeout=60_000)
    expect(summary).to_have_text("2 added.")
    expect(godwit.get_by_role("link")).to_have_text("Open “Godwit Outdoor-Play Handbook”")
    assert polled, "a 202 upload should be followed through GET /api/jobs/{id}"
    if href:  # the job's page is its uploader's, who typed a token and is now signed in
        assert re.fullmatch(r"/upload/jobs/[^/?]+", href)
        page.goto(href)
        expect(page.get_by_role("status")).to_contain_text("can be found in search now")


def test_several_files_without_javascript(browser: Browser, site: Site) -> None:
    context = browser.new_context(base_url=site.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/upload")
    good = note("Curlew CoP", "The Curlew Lane homework club starts a chess corner.")
    page.get_by_label("Choose a file").set_input_files(files=[
        md("curlew.md", good), md("curlew-again.md", good), md("dunlin.md", personal("Dunlin")),
        FilePayload(name="curlew.exe", mimeType="application/octet-stream", buffer=b"MZ\x90"),
    ])
    page.get_by_label("Title").fill("Not for all")
    page.get_by_label("Upload token").fill(site.token)
    page.get_by_role("button", name="Upload and index").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your uploads")
    summary = page.get_by_role("status")
    expect(summary).to_have_text("1 added, 1 already here, 1 needs your choice, 1 skipped.")
    expect(summary).to_be_focused()
    expect(page.get_by_text("The title you typed, “Not for all”, was not used")).to_be_visible()
    expect(row(page, "curlew-again.md")).to_contain_text("Already in the Commons.")
    expect(row(page, "dunlin.md")).to_contain_text(
        "Needs your choice. 'dunlin.md' contains personal data")
    expect(row(page, "curlew.exe")).to_contain_text("Skipped. Only .md")
    row(page, "curlew.md").get_by_role("link", name="Open “Curlew CoP”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Curlew CoP")
    assert found(site, "Curlew Lane homework club chess corner")[0]["title"] == "Curlew CoP"
    context.close()


def test_a_folder_without_javascript_skips_hidden_files(
        browser: Browser, site: Site, tmp_path: Path) -> None:
    folder = tmp_path / "term-3"
    folder.mkdir()
    (folder / "knot.md").write_bytes(note("Knot CoP", "Knot Hill families plan a litter pick."))
    (folder / "knot-2.md").write_bytes(note("Knot Hill", "The Knot Hill choir sings in June."))
    (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    context = browser.new_context(base_url=site.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/upload")
    page.get_by_label("Choose a folder").set_input_files(folder)
    page.get_by_label("Upload token").fill(site.token)
    page.get_by_role("button", name="Upload and index").click()
    expect(page.get_by_role("status")).to_have_text("2 added, 1 skipped.")
    expect(page.get_by_role("row").filter(has_text="DS_Store")).to_contain_text(
        "Skipped. A hidden file")
    context.close()


def test_one_file_without_javascript_still_goes_to_its_document(
        browser: Browser, site: Site) -> None:
    context = browser.new_context(base_url=site.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/upload")
    page.get_by_label("Choose a file").set_input_files(files=[
        md("whimbrel.md", note("Whimbrel CoP", "Whimbrel Court starts a tenants' youth forum."))])
    page.get_by_label("Upload token").fill(site.token)
    page.get_by_role("button", name="Upload and index").click()
    expect(page).to_have_url(re.compile(r"/documents/[^/?]+\?added=new$"))
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_rows_have_no_accessibility_violation_and_fit_a_phone(
        browser: Browser, site: Site, scheme: str) -> None:
    context = browser.new_context(base_url=site.url, color_scheme=scheme,  # type: ignore[arg-type]
                                  viewport={"width": 375, "height": 800}, bypass_csp=True)
    page = context.new_page()
    upload_several(page, site, [
        md(f"stint-{scheme}.md", note(f"Stint {scheme} CoP", f"Stint {scheme} walk planning.")),
        md(f"stint-{scheme}-phone.md", personal(f"Stint {scheme}")),
        FilePayload(name=f"stint-{scheme}.csv", mimeType="text/csv", buffer=b"a,b\n"),
    ])
    expect(page.get_by_role("status")).to_have_text(
        "1 added, 1 needs your choice, 1 skipped.", timeout=60_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.evaluate(AXE.read_text(encoding="utf-8"))
    assert page.evaluate(RUN, RULES) == []
    # the page the form without JavaScript answers with (form.submit() skips the script)
    page.goto("/upload")
    page.get_by_label("Choose a file").set_input_files(files=[
        md(f"stint-{scheme}.md", note(f"Stint {scheme} CoP", f"Stint {scheme} walk planning.")),
        md(f"stint-{scheme}-phone.md", personal(f"Stint {scheme}")),
    ])
    expect(page.get_by_label("Upload token")).to_have_count(0)  # signed in by the first
    page.locator("#upload-form").evaluate("form => form.submit()")
    expect(page.get_by_role("status")).to_have_text("1 already here, 1 needs your choice.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.evaluate(AXE.read_text(encoding="utf-8"))
    assert page.evaluate(RUN, RULES) == []
    context.close()
