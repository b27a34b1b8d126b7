"""Templates: Jinja2 with autoescape on, so uploaded text is always shown as text."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.responses import Response

from service import csrf
from service.accounts import SESSION_COOKIE
from service.web import format as fmt
from service.web.forms import BROWSE_SORTS
from store.records import Kind

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATE_DIR = HERE / "templates"


@cache
def static_url(name: str) -> str:
    """A static file's URL with a content hash, so browsers never run a stale app.js."""
    digest = hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:10]
    return f"/static/{name}?v={digest}"


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(static_url=static_url, kind_label=fmt.kind_label,
                       page_label=fmt.page_label, date_label=fmt.date_label,
                       heading_label=fmt.heading_label, section_anchor=fmt.section_anchor,
                       file_label=fmt.file_label,
                       pages_label=fmt.pages_label, kinds=list(Kind), sorts=BROWSE_SORTS)
    return env


templates = Jinja2Templates(env=_environment())


def render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    """A page with the CSRF token its forms send back; its security headers (a CSP without
    'unsafe-inline', no caching) come from service.security."""
    context.setdefault("signed_in", SESSION_COOKIE in request.cookies)
    token, new_cookie = csrf.page_token(request)
    context["csrf_token"] = token
    response = templates.TemplateResponse(request, name, context, status_code=status)
    if new_cookie:
        csrf.set_pre_session_cookie(request, response, new_cookie)
    return response
