"""Security headers on every response, and the CSRF guard in front of the routes.

The page runs no inline script, so the Content-Security-Policy allows scripts and styles from
this origin only. The API docs (Swagger UI, ReDoc, served locally) need one inline script.
Pages, JSON and files may be private (what a caller sees depends on their cookie or token),
so nothing but static assets may be stored by a browser or a shared cache.
A plain ASGI middleware: it adds headers as the response starts, without wrapping the body.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.csrf import CsrfGuard

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_CSP = STRICT_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
DOCS_PATHS = ("/docs", "/redoc")
STATIC_PATHS = ("/static/", "/static-offline-docs/")  # the same for everyone: cacheable
PRIVATE_CACHE = "private, no-store"


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        docs = path.startswith(DOCS_PATHS)
        static = path.startswith(STATIC_PATHS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", DOCS_CSP if docs else STRICT_CSP)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                if not static:
                    headers["Cache-Control"] = PRIVATE_CACHE
                    headers.add_vary_header("Cookie")
                    headers.add_vary_header("Authorization")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI) -> None:
    """The CSRF guard inside (its refusals get these headers too), the headers outside."""
    app.add_middleware(CsrfGuard)
    app.add_middleware(SecurityHeaders)
