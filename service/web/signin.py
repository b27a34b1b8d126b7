"""Signing in with a token: a session cookie (HttpOnly, SameSite=Lax) for the pages, and
the audit log for admins. Both forms carry the page's CSRF token (service/csrf.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import PlainTextResponse, RedirectResponse
from starlette.responses import Response

from service.accounts import SESSION_COOKIE, SESSION_HOURS, Role
from service.csrf import CSRF_FIELD, EXPIRED, form_allowed
from service.deps import CallerDep, RuntimeDep
from service.operations import users
from service.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_view(request: Request) -> Response:
    return render(request, "login.html", section="login", error=None)


@router.post("/login")
def login_submit(request: Request, runtime: RuntimeDep,
                 token: Annotated[str, Form(max_length=500)] = "",
                 csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=200)] = "",
                 ) -> Response:
    if not form_allowed(request, csrf_token, always=True):
        return render(request, "login.html", status=403, section="login", error=EXPIRED)
    signed_in = users.sign_in(runtime, token.strip(), request.cookies.get(SESSION_COOKIE))
    if signed_in is None:
        return render(request, "login.html", status=401, section="login",
                      error="That token is not valid. Ask the person who runs your Commons.")
    _, session = signed_in
    return keep_signed_in(request, RedirectResponse("/", status_code=303), session)


def keep_signed_in(request: Request, response: Response, session: str) -> Response:
    """The response, setting the session cookie (HttpOnly, SameSite=Lax, 12 hours)."""
    response.set_cookie(
        SESSION_COOKIE, session,
        max_age=SESSION_HOURS * 3600, httponly=True, samesite="lax",
        secure=request.url.scheme == "https", path="/",
    )
    return response


@router.post("/logout")
def logout(request: Request, runtime: RuntimeDep,
           csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=200)] = "") -> Response:
    if not form_allowed(request, csrf_token, always=True):
        return PlainTextResponse(EXPIRED, status_code=403)
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        users.sign_out(runtime, session)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/admin/audit")
def audit_view(request: Request, runtime: RuntimeDep, caller: CallerDep) -> Response:
    """Who did what; admins only (others get the page every missing page gets)."""
    if caller.role is not Role.ADMIN:
        return render(request, "not_found.html", status=404, section="")
    return render(request, "audit.html", section="audit",
                  entries=users.audit_entries(runtime, caller, 500))
