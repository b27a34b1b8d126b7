"""Shared route dependencies: the runtime and who is calling."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.jobs import JobQueue
from service.runtime import Runtime

_bearer = HTTPBearer(auto_error=False, description="A token from COMMONS_API_TOKENS.")


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    READER = "reader"
    WRITER = "writer"


@dataclass(frozen=True)
class Caller:
    """Who is calling; roles and communities grow here (privacy issue)."""

    role: Role


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_jobs(request: Request) -> JobQueue:
    jobs: JobQueue = request.app.state.jobs
    return jobs


def _matches(token: str, allowed: set[str]) -> bool:
    return any(hmac.compare_digest(token, a) for a in allowed)


def get_caller(
    runtime: Annotated[Runtime, Depends(get_runtime)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    settings = runtime.settings
    token = credentials.credentials if credentials else None
    if token and _matches(token, settings.tokens):
        return Caller(Role.WRITER)
    if token and settings.read_token and _matches(token, {settings.read_token}):
        return Caller(Role.READER)
    if token:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "This token is not valid.",
                            headers={"WWW-Authenticate": "Bearer"})
    if not settings.tokens:
        return Caller(Role.WRITER)  # loopback-only hub without tokens (checked at start-up)
    return Caller(Role.ANONYMOUS)


def require_reader(caller: Annotated[Caller, Depends(get_caller)],
                   runtime: Annotated[Runtime, Depends(get_runtime)]) -> Caller:
    if runtime.settings.read_token and caller.role is Role.ANONYMOUS:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Reading needs a bearer token.",
                            headers={"WWW-Authenticate": "Bearer"})
    return caller


def require_writer(caller: Annotated[Caller, Depends(get_caller)]) -> Caller:
    if caller.role is not Role.WRITER:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Changing documents needs a bearer token from COMMONS_API_TOKENS.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return caller


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
JobsDep = Annotated[JobQueue, Depends(get_jobs)]
ReaderDep = Annotated[Caller, Depends(require_reader)]
WriterDep = Annotated[Caller, Depends(require_writer)]
