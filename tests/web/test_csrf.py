"""Cross-site request forgery against a real `commons serve` in Debian's chromium: pages on
another origin try to upload, sign the victim in as someone else and sign them out."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, FilePayload, Page, Response, expect

from service.accounts import Role, add_user
from store.accounts import Accounts
from store.audit import AuditLog
from store.catalog import Catalog
from tests.service.conftest import AUTH
from tests.web.conftest import Site, form_token, sign_in

PLANTED = "Planted from elsewhere"


@dataclass(frozen=True)
class People:
    """Two contributors, each with a private note only they (and admins) can open."""

    victim_token: str
    victim_note: str
    attacker_token: str
    attacker_note: str


def private_note(site: Site, token: str, title: str) -> str:
    answer = httpx.post(f"{site.url}/api/documents", timeout=60,
                        files={"file": (f"{title}.md", f"# {title}\n\n{title} notes.\n")},
                        data={"visibility": "private"},
                        headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


@pytest.fixture(scope="module")
def people(site: Site) -> People:
    catalog = Catalog(site.data / "commons.db")
    victim = add_user(Accounts(catalog), "victim", Role.CONTRIBUTOR, ())
    attacker = add_user(Accounts(catalog), "attacker", Role.CONTRIBUTOR, ())
    catalog.close()
    return People(victim, private_note(site, victim, "Victim Quokka"),
                  attacker, private_note(site, attacker, "Attacker Numbat"))


def post_to(url: str) -> Callable[[Response], bool]:
    """Whether a browser response answers a POST to url."""
    return lambda response: response.request.method == "POST" and response.url == url


def attacker_pages(hub: str, attacker_token: str) -> dict[str, str]:
    """What a hostile page does: a form with a file, a no-cors fetch, login and logout."""
    submit = "<script>document.forms[0].submit()</script>"
    return {
        "/upload-form": f"""<form method="post" action="{hub}/upload"
            enctype="multipart/form-data"><input type="file" name="file">
            <input name="title" value="{PLANTED}"></form>
            <script>
            const files = new DataTransfer();
            files.items.add(new File(["# Planted\\n\\nA planted note.\\n"], "planted.md"));
            document.forms[0].file.files = files.files;
            document.forms[0].submit();
            </script>""",
        "/fetch": f"""<script>
            const data = new FormData();
            data.append("file", new Blob(["# Planted\\n\\nA fetched note.\\n"]), "fetched.md");
            data.append("title", "{PLANTED}");
            fetch("{hub}/api/documents", {{method: "POST", mode: "no-cors",
                                          credentials: "include", body: data}});
            </script>""",
        "/login": f"""<form method="post" action="{hub}/login">
            <input name="token" value="{attacker_token}">
            <input name="csrf_token" value="{'0' * 64}"></form>{submit}""",
        "/logout": f"""<form method="post" action="{hub}/logout"></form>{submit}""",
    }


@contextmanager
def attacker_site(host: str, pages: dict[str, str]) -> Iterator[str]:
    """The hostile pages, served from `host` on a port of its own: another origin."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path not in pages:
                self.send_error(404)
                return
            body = f"<!doctype html><title>Win a prize</title>{pages[self.path]}".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def sign_in_page(page: Page, token: str) -> None:
    page.goto("/login")
    page.get_by_label("Your token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def signed_in_as_victim(page: Page, people: People) -> None:
    """Only the victim (or an admin) can open the victim's private note, and not the
    attacker's."""
    page.goto(f"/documents/{people.victim_note}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Victim Quokka")
    page.goto(f"/documents/{people.attacker_note}")
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find that document")


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2"],
                         ids=["same-host-other-port", "other-site"])
def test_pages_elsewhere_cannot_act_for_a_signed_in_user(
    page: Page, site: Site, people: People, host: str
) -> None:
    sign_in_page(page, people.victim_token)
    signed_in_as_victim(page, people)
    answers: dict[str, int] = {}
    with attacker_site(host, attacker_pages(site.url, people.attacker_token)) as elsewhere:
        for path, target in (("/upload-form", "/upload"), ("/fetch", "/api/documents"),
                             ("/login", "/login"), ("/logout", "/logout")):
            with page.expect_response(post_to(site.url + target)) as answer:
                page.goto(elsewhere + path)
            answers[path] = answer.value.status
            if path != "/fetch":  # a form: the browser shows the hub's answer
                expect(page.locator("body")).to_contain_text(f"came from {elsewhere}")
    assert answers == dict.fromkeys(answers, 403), answers
    listed = httpx.get(f"{site.url}/api/documents", params={"limit": 200}, headers=AUTH)
    assert not [d for d in listed.json()["items"] if PLANTED in d["title"]]
    signed_in_as_victim(page, people)
    catalog = Catalog(site.data / "commons.db")
    try:
        assert not [e for e in AuditLog(catalog).entries(500) if e.actor == "attacker"
                    and e.action == "sign-in"]
    finally:
        catalog.close()


def upload_file(page: Page, name: str, text: str) -> None:
    page.goto("/upload")
    expect(page.get_by_label("Upload token")).to_have_count(0)  # signed in: no token field
    page.get_by_label("Choose a file").set_input_files(
        files=[FilePayload(name=name, mimeType="text/markdown", buffer=text.encode())])
    page.get_by_role("button", name="Upload and index").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_signed_in_the_hubs_own_pages_upload_and_sign_out(
    browser: Browser, site: Site, people: People, javascript: bool
) -> None:
    context: BrowserContext = browser.new_context(base_url=site.url,
                                                  java_script_enabled=javascript)
    page = context.new_page()
    sign_in_page(page, people.victim_token)
    title = f"Bilby roster {'scripted' if javascript else 'plain'}"
    upload_file(page, f"bilby-{javascript}.md", f"# {title}\n\nThe Bilby roster restarts.\n")
    if javascript:
        expect(page.get_by_role("status")).to_contain_text("searchable now")
        page.get_by_role("status").get_by_role("link").click()
    else:
        expect(page).to_have_url(re.compile(r"/documents/[^/?]+\?added=new$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto(f"/documents/{people.victim_note}")
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find that document")
    context.close()


def test_the_rules_over_http(site: Site, people: People) -> None:
    """The same rules for any client: a signed-in cookie needs the token, other origins are
    refused, bearer tokens and cookie-less scripts are not affected."""
    note = {"file": ("echidna.md", b"# Echidna\n\nThe Echidna group meets on Fridays.\n")}
    with httpx.Client(base_url=site.url, timeout=60) as browser:
        no_token = browser.post("/login", data={"token": people.victim_token})
        assert no_token.status_code == 403 and "Reload the page" in no_token.text
        assert sign_in(browser, people.victim_token).status_code == 303
        refused = browser.post("/api/documents", files=note)
        assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["detail"]
        token = form_token(browser, "/")
        for headers in ({"Origin": "http://127.0.0.1:9"}, {"Sec-Fetch-Site": "same-site"},
                        {"Origin": "null"}):
            elsewhere = browser.post("/api/documents", files=note,
                                     headers={"X-CSRF-Token": token, **headers})
            assert elsewhere.status_code == 403, headers
            assert "Refused" in elsewhere.json()["detail"]
        sent = browser.post("/api/documents", files=note, headers={
            "X-CSRF-Token": token, "Origin": site.url, "Sec-Fetch-Site": "same-origin"})
        assert sent.status_code == 201, sent.text
    with_bearer = httpx.post(f"{site.url}/api/documents", files=note, timeout=60,
                             headers={**AUTH, "Origin": "http://127.0.0.1:9"})
    assert with_bearer.status_code == 200  # the same file: already here
