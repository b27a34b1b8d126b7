"""Cross-site request forgery: only this hub's own pages may change things with the browser's
cookies.

Two checks on every unsafe request that carries no bearer token:

- where it comes from: a browser says so in `Sec-Fetch-Site` and `Origin`; a request from any
  other origin (another site, or another port of this host) is refused with 403;
- a token the hub's pages hold: HMAC(server secret, session id) once signed in, else
  HMAC(server secret, a random pre-session cookie). It is required with the session cookie
  (header `X-CSRF-Token`, or the form field `csrf_token`) and always on /login and /logout.

Cookies are not isolated by port, so a page on another port of this host can plant a cookie;
it still cannot compute a token without the secret, which is random, made once and kept in the
data folder so every process serving it agrees. Scripts send a bearer token, or no cookie and
no `Origin`, and pass as before.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from service.accounts import SESSION_COOKIE

CSRF_COOKIE = "commons_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Plain HTML forms: their handlers check the form field instead of the header.
FORM_PATHS = frozenset({"/login", "/logout", "/upload", "/tags/merge", "/trash/empty"})
FORM_PATTERN = re.compile(r"^/(documents/[^/]+/(edit|delete)|trash/[^/]+/restore"
                          r"|searches/[^/]+/(results/[^/]+/)?feedback)$")
EXPIRED = ("This form is out of date or did not come from this Commons' own page. "
           "Reload the page and try again.")


def is_form_path(path: str) -> bool:
    """Whether a plain HTML form posts to this path (its handler checks the form's token)."""
    return path in FORM_PATHS or FORM_PATTERN.match(path) is not None


def server_secret(app: Starlette) -> bytes:
    """The data folder's CSRF secret, read once per app."""
    secret: bytes | None = getattr(app.state, "csrf_secret", None)
    if secret is None:
        kept = app.state.runtime.index.catalog.shared_secret("csrf", secrets.token_hex(32))
        secret = app.state.csrf_secret = bytes.fromhex(kept)
    return secret


def _sign(secret: bytes, kind: bytes, value: str) -> str:
    return hmac.new(secret, kind + b"\0" + value.encode(), hashlib.sha256).hexdigest()


def job_key(secret: bytes, job_id: str) -> str:
    """A key to one job's status page, given only to whoever uploaded it through the form
    without signing in (their token was in the form, not in a cookie)."""
    return _sign(secret, b"job", job_id)[:32]


def key_opens(secret: bytes, job_id: str, key: str) -> bool:
    return bool(key) and hmac.compare_digest(key, job_key(secret, job_id))


def expected_token(secret: bytes, cookies: Mapping[str, str]) -> str | None:
    """The token this browser's pages carry: bound to its session, else its pre-session
    cookie; None when it has neither."""
    if session := cookies.get(SESSION_COOKIE):
        return _sign(secret, b"session", session)
    if pre := cookies.get(CSRF_COOKIE):
        return _sign(secret, b"pre", pre)
    return None


def token_matches(request: Request, presented: str) -> bool:
    expected = expected_token(server_secret(request.app), request.cookies)
    return expected is not None and bool(presented) and hmac.compare_digest(expected, presented)


def page_token(request: Request) -> tuple[str, str | None]:
    """The token for a page's forms, and a new pre-session cookie to set when the browser has
    neither a session nor one."""
    secret = server_secret(request.app)
    if session := request.cookies.get(SESSION_COOKIE):
        return _sign(secret, b"session", session), None
    if pre := request.cookies.get(CSRF_COOKIE):
        return _sign(secret, b"pre", pre), None
    new_cookie = secrets.token_urlsafe(32)
    return _sign(secret, b"pre", new_cookie), new_cookie


def set_pre_session_cookie(request: Request, response: Response, value: str) -> None:
    response.set_cookie(CSRF_COOKIE, value, httponly=True, samesite="lax", path="/",
                        secure=request.url.scheme == "https")


def has_bearer(headers: Headers) -> bool:
    return headers.get("authorization", "").lower().startswith("bearer ")


def cross_site(request: Request) -> str | None:
    """Why the browser's own headers show this request came from another origin, if they do."""
    site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.url.netloc}".lower()
    if site in (None, "same-origin", "none") and origin in (None, own):
        return None
    where = origin or "another site"
    return (f"Refused: this request came from {where}{f' ({site})' if site else ''}, not from "
            f"{own}. Changes can only be made from this Commons' own pages.")


def form_allowed(request: Request, presented: str, always: bool = False) -> bool:
    """A form post's token check (the middleware already refused other origins): needed with
    the session cookie, or `always` (sign in and out)."""
    if has_bearer(request.headers):
        return True
    if not always and not request.cookies.get(SESSION_COOKIE):
        return True
    return token_matches(request, presented or request.headers.get(CSRF_HEADER, ""))


def refusal(request: Request) -> str | None:
    """Why an unsafe request must be refused, or None."""
    if request.method in SAFE_METHODS or has_bearer(request.headers):
        return None
    if reason := cross_site(request):
        return reason
    if is_form_path(request.url.path) or not request.cookies.get(SESSION_COOKIE):
        return None
    if not token_matches(request, request.headers.get(CSRF_HEADER, "")):
        return (f"This request uses the browser's sign-in but has no valid {CSRF_HEADER} "
                "header. Reload the page and try again, or send a bearer token.")
    return None


class CsrfGuard:
    """ASGI middleware: refuses unsafe requests from other origins, and cookie-signed-in ones
    without the token, with 403 before any route runs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            request = Request(scope)
            reason = refusal(request)
            if reason is not None:
                response: Response = (
                    JSONResponse({"detail": reason}, status_code=403)
                    if request.url.path.startswith("/api/")
                    else PlainTextResponse(reason, status_code=403)
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
