"""The pages through the app (no browser): headers, escaping, tokens and the no-JS upload."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from harness.files import make_pdf
from harness.scans import page, scanned_pdf
from service.accounts import SESSION_COOKIE
from service.app import create_app
from service.settings import Settings
from store.embedder import Embedder
from tests.service.conftest import AUTH, TOKEN
from tests.web.conftest import form_token

NOTE = b"# Youth Justice CoP\n\n## Actions\n\nTK will pilot the Harbour bail hostel roster.\n"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[TestClient]:
    data = tmp_path_factory.mktemp("pages") / "data"
    settings = Settings(data_dir=data, api_tokens=TOKEN, sync_pdf_pages=2)  # longer PDFs: a job
    with TestClient(create_app(settings, embedder=embedder),
                    follow_redirects=False) as test_client:
        yield test_client


def form(client: TestClient, **fields: str) -> dict[str, str]:
    """The upload form's fields with the CSRF token its page carries, as a browser sends them."""
    return {"csrf_token": form_token(client, "/upload"), **fields}


@pytest.fixture(autouse=True)
def signed_out(client: TestClient) -> Iterator[None]:
    """Each test starts signed out: a token typed into the upload form signs its holder in."""
    client.cookies.clear()
    yield
    client.cookies.clear()


@pytest.fixture(scope="module")
def note_id(client: TestClient) -> str:
    created = client.post("/api/documents", files={"file": ("yj.md", NOTE)},
                          data={"community": "Youth Justice", "tags": "re-entry",
                                "visibility": "public"}, headers=AUTH)
    assert created.status_code in (200, 201), created.text
    return str(created.json()["id"])


def test_pages_send_a_csp_and_have_no_inline_script(client: TestClient, note_id: str) -> None:
    for path in ("/", "/?q=bail+hostel&tag=re-entry", "/?q=zzqx&kind=reading", "/browse",
                 "/browse?kind=session-note&sort=-date", "/upload", f"/documents/{note_id}"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert not INLINE_SCRIPT.search(page.text), path
        assert not INLINE_HANDLER.search(page.text), path
        assert 'style="' not in page.text, path


def test_odd_parameters_give_a_page_not_a_json_error(client: TestClient) -> None:
    assert client.get("/?q=bail&kind=bogus&date_from=yesterday").status_code == 200
    assert client.get("/browse?sort=drop&offset=-1").status_code == 200
    missing = client.get("/documents/no-such-id")
    assert missing.status_code == 404
    assert "could not find that document" in missing.text


def test_search_page_shows_the_note_with_its_section(client: TestClient, note_id: str) -> None:
    page = client.get("/", params={"q": "bail hostel roster"})
    assert f'href="/documents/{note_id}"' in page.text
    assert "Actions" in page.text
    assert "<mark>" in page.text


def test_uploaded_text_is_escaped(client: TestClient) -> None:
    body = b"Wexley notes.\n\n<img src=x onerror=alert(1)> and <script>alert(2)</script>\n"
    created = client.post("/api/documents", files={"file": ("wexley.txt", body)},
                          data={"title": "<script>alert(3)</script> Wexley"}, headers=AUTH)
    doc_id = created.json()["id"]
    for path in (f"/documents/{doc_id}", "/?q=Wexley+notes", "/browse"):
        text = client.get(path).text
        assert "<script>alert" not in text and "<img src=x" not in text, path
        assert "&lt;script&gt;alert(3)&lt;/script&gt; Wexley" in text, path


def test_the_form_posts_without_javascript(client: TestClient) -> None:
    note = b"# Harbour CoP\n\nThe Pelican Street homework club restarts in May.\n"
    sent = client.post("/upload", files={"file": ("pelican.md", note)},
                       data=form(client, token=TOKEN, community="Early Years", date="2026-05-01"))
    assert sent.status_code == 303
    assert re.fullmatch(r"/documents/[^/?]+\?added=new", sent.headers["location"])
    page = client.get(sent.headers["location"])
    assert "can be found in search now" in page.text and "Early Years" in page.text
    assert SESSION_COOKIE in client.cookies  # the token typed into the form signed them in
    again = client.post("/upload", files={"file": ("pelican.md", note)},
                        data=form(client, token=TOKEN))
    assert again.headers["location"].endswith("?added=duplicate")


def test_a_long_pdf_posted_without_javascript_gets_a_job_page(client: TestClient) -> None:
    pdf = make_pdf([f"Page {n}: the Osprey family-time handbook." for n in range(1, 5)])
    sent = client.post("/upload", files={"file": ("osprey.pdf", pdf)},
                       data=form(client, token=TOKEN))
    assert sent.headers["location"].startswith("/upload/jobs/")
    deadline = time.monotonic() + 60
    page = client.get(sent.headers["location"])
    while 'http-equiv="refresh"' in page.text and time.monotonic() < deadline:
        time.sleep(0.2)
        page = client.get(sent.headers["location"])
    assert "can be found in search now" in page.text
    assert client.get("/upload/jobs/unknown").status_code == 404
    # the key in the address is what shows the job to its uploader; without it, or with
    # another, the job is as if it did not exist
    job_page = sent.headers["location"].split("?")[0]
    client.cookies.clear()  # signed out: the form's token had signed them in
    assert client.get(job_page).status_code == 404
    assert client.get(job_page, params={"key": "0" * 32}).status_code == 404


def test_a_scan_posted_without_javascript_shows_pages_recognised(client: TestClient) -> None:
    text = ("Osprey handout page {n}: the closing circle names one small thing to try before "
            "the next meeting, and the board keeps it until we ask how it went.")
    scan = scanned_pdf([page(text.format(n=n)) for n in (1, 2, 3)])
    sent = client.post("/upload", files={"file": ("osprey-scan.pdf", scan)},
                       data=form(client, token=TOKEN))
    assert sent.headers["location"].startswith("/upload/jobs/")
    seen: set[str] = set()
    deadline = time.monotonic() + 120
    shown = client.get(sent.headers["location"]).text
    while 'http-equiv="refresh"' in shown and time.monotonic() < deadline:
        seen.update(re.findall(r"Text recognised on \d of 3 pages", shown))
        time.sleep(0.2)
        shown = client.get(sent.headers["location"]).text
    assert "can be found in search now" in shown
    assert seen, "the job page should say how many pages are recognised while it works"


@pytest.mark.parametrize(("files", "token", "status", "message"), [
    ({"file": ("n.md", NOTE)}, "wrong", 401, "This token is not valid."),
    ({"file": ("n.md", NOTE)}, "", 401, "needs a bearer token"),
    ({"file": ("budget.xlsx", b"PK\x03\x04")}, TOKEN, 415, "cannot be uploaded"),
    ({"file": ("empty.md", b"")}, TOKEN, 422, ""),
    ({}, TOKEN, 422, "Choose a file to upload."),
])
def test_the_form_shows_why_an_upload_was_refused(
    client: TestClient, files: dict[str, tuple[str, bytes]], token: str, status: int,
    message: str,
) -> None:
    answer = client.post("/upload", files=files or {"file": ("", b"")},
                         data=form(client, token=token, title="Kept <title>"))
    assert answer.status_code == status
    assert 'role="alert">' in answer.text and message in answer.text
    assert 'value="Kept &lt;title&gt;"' in answer.text  # the form keeps what was typed


def test_a_token_field_only_when_tokens_are_set(
    client: TestClient, tmp_path: Path, embedder: Embedder
) -> None:
    assert 'type="password"' in client.get("/upload").text
    with TestClient(create_app(Settings(data_dir=tmp_path / "data"), embedder=embedder),
                    follow_redirects=False) as dev:
        assert 'type="password"' not in dev.get("/upload").text
        sent = dev.post("/upload", files={"file": ("yj.md", NOTE)})
        assert sent.status_code == 303, sent.text


def test_hostile_metadata_is_inert(client: TestClient) -> None:
    created = client.post(
        "/api/documents", files={"file": ("m.md", b"# Marigold\n\nMarigold group notes.\n")},
        data={"title": "javascript:alert(1)", "community": "<svg onload=alert(6)>",
              "tags": '"><img src=x onerror=alert(4)>, javascript:alert(5)'},
        headers=AUTH,
    )
    assert created.status_code == 201, created.text
    doc_id = created.json()["id"]
    for path in (f"/documents/{doc_id}", "/?q=Marigold+group", "/browse",
                 "/browse?kind=session-note"):
        text = client.get(path).text
        assert 'href="javascript:' not in text.lower(), path
        assert "<img src=x" not in text and "<svg onload" not in text, path
        assert "onerror=alert(4)" not in text or "&gt;" in text, path


def test_personal_data_is_shown_masked_then_redacted_on_request(client: TestClient) -> None:
    note = b"# Kestrel CoP\n\nCall the carer on 0412 345 678 before the Kestrel outing.\n"
    refused = client.post("/upload", files={"file": ("kestrel.md", note)},
                          data=form(client, token=TOKEN))
    assert refused.status_code == 422
    assert "[phone removed]" in refused.text and "0412 345 678" not in refused.text
    sent = client.post("/upload", files={"file": ("kestrel.md", note)},
                       data=form(client, token=TOKEN, pii="redact"))
    assert sent.status_code == 303
    page = client.get(sent.headers["location"]).text
    assert "Kestrel outing" in page and "0412" not in page


def test_a_refusal_without_javascript_takes_focus_and_names_the_forms_choice(
        client: TestClient) -> None:
    note = b"# Plover CoP\n\nCall the carer on 0412 345 678 before the Plover outing.\n"
    refused = client.post("/upload", files={"file": ("plover.md", note)},
                          data=form(client, token=TOKEN))
    assert refused.status_code == 422
    alert = re.search(r'<div id="upload-error"[^>]*>([^<]*)</div>', refused.text)
    assert alert is not None and "autofocus" in alert.group(0)
    assert "If the note holds personal data" in alert.group(1)
    assert "pii=" not in alert.group(1)
    # beside the button: the alert comes right after the form's actions
    assert refused.text.index('id="upload-error"') > refused.text.index("Upload and index")
