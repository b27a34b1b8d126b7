"""Signing in with a token: a session cookie (HttpOnly, SameSite=Lax) for the pages, and
the audit log for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from service.accounts import (
    SESSION_COOKIE,
    SESSION_HOURS,
    Role,
    authenticate,
    start_session,
    token_hash,
)
from service.deps import CallerDep, RuntimeDep
from service.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_view(request: Request) -> Response:
    return render(request, "login.html", section="login", error=None)


@router.post("/login")
def login_submit(request: Request, runtime: RuntimeDep,
                 token: Annotated[str, Form(max_length=500)] = "") -> Response:
    settings = runtime.settings
    caller = authenticate(runtime.index.catalog, settings.tokens, None, token.strip())
    if caller is None:
        return render(request, "login.html", status=401, section="login",
                      error="That token is not valid. Ask the person who runs your Commons.")
    runtime.index.catalog.audit(caller.name, "sign-in")
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE, start_session(runtime.index.catalog, caller),
        max_age=SESSION_HOURS * 3600, httponly=True, samesite="lax",
        secure=request.url.scheme == "https", path="/",
    )
    return response


@router.post("/logout")
def logout(request: Request, runtime: RuntimeDep) -> Response:
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        runtime.index.catalog.end_session(token_hash(session))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/admin/audit")
def audit_view(request: Request, runtime: RuntimeDep, caller: CallerDep) -> Response:
    """Who did what; admins only (others get the page every missing page gets)."""
    if caller.role is not Role.ADMIN:
        return render(request, "not_found.html", status=404, section="")
    return render(request, "audit.html", section="audit",
                  entries=runtime.index.catalog.audit_log(500))
