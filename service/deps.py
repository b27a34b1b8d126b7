"""Shared route dependencies: the runtime and who is calling."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Cookie, Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.accounts import (
    OPEN_HUB_ID,
    SESSION_COOKIE,
    Caller,
    Role,
    authenticate,
    caller_for_session,
)
from service.csrf import CSRF_COOKIE
from service.jobs import JobQueue
from service.operations.permissions import require_writer as require_writer_of
from service.runtime import Runtime

_bearer = HTTPBearer(auto_error=False, description="A user's API token, or one from "
                     "COMMONS_API_TOKENS.")

__all__ = ["Caller", "Role"]


# The dependencies are `async def`: FastAPI runs a plain `def` dependency on a worker thread,
# and four thread hops per request cost more than the few indexed SQLite reads they make.


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_jobs(request: Request) -> JobQueue:
    jobs: JobQueue = request.app.state.jobs
    return jobs


def open_hub(runtime: Runtime) -> bool:
    """No tokens and no users: a loopback-only hub where everyone may do everything."""
    return not runtime.settings.tokens and not runtime.accounts.has_users()


async def get_caller(
    runtime: Annotated[Runtime, Depends(get_runtime)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    session: Annotated[str | None, Cookie(alias=SESSION_COOKIE, include_in_schema=False)] = None,
) -> Caller:
    return identify(runtime, credentials, session)


def identify(runtime: Runtime, credentials: HTTPAuthorizationCredentials | None,
             session: str | None) -> Caller:
    """The bearer token's caller, else the signed-in browser's, else anonymous."""
    settings = runtime.settings
    if credentials is None and session:
        signed_in = caller_for_session(runtime.accounts, settings.tokens, session)
        if signed_in is not None:
            return signed_in
    if credentials is not None:
        caller = authenticate(runtime.accounts, settings.tokens, settings.read_token,
                              credentials.credentials)
        if caller is None:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "This token is not valid.",
                                headers={"WWW-Authenticate": "Bearer"})
        return caller
    if open_hub(runtime):
        return Caller(Role.ADMIN, OPEN_HUB_ID)  # loopback only (checked at start-up)
    return Caller(Role.ANONYMOUS)


async def get_credential(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    session: Annotated[str | None, Cookie(alias=SESSION_COOKIE, include_in_schema=False)] = None,
    pre_session: Annotated[str | None, Cookie(alias=CSRF_COOKIE, include_in_schema=False)] = None,
) -> str | None:
    """The secret of the caller's session (session cookie, else the browser's pre-session
    cookie, or a bearer token with today's date): the search record keeps only a keyed hash
    of it. A token lasts for months, so a script's "session" is one UTC day: its searches
    cannot be linked to each other across days."""
    if credentials is not None:
        return f"bearer:{datetime.now(UTC).date().isoformat()}:{credentials.credentials}"
    return session or pre_session or None


async def require_reader(caller: Annotated[Caller, Depends(get_caller)],
                         runtime: Annotated[Runtime, Depends(get_runtime)]) -> Caller:
    settings = runtime.settings
    if caller.role is Role.ANONYMOUS and (settings.read_token or not settings.allow_anonymous):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Reading needs a bearer token.",
                            headers={"WWW-Authenticate": "Bearer"})
    return caller


async def require_writer(caller: Annotated[Caller, Depends(get_caller)]) -> Caller:
    return require_writer_of(caller)


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
CallerDep = Annotated[Caller, Depends(get_caller)]
JobsDep = Annotated[JobQueue, Depends(get_jobs)]
ReaderDep = Annotated[Caller, Depends(require_reader)]
WriterDep = Annotated[Caller, Depends(require_writer)]
CredentialDep = Annotated[str | None, Depends(get_credential)]
