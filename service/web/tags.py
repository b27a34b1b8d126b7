"""The tags page: every tag in use with its count, and facilitators' "merge tag A into B".

The form carries the page's CSRF token (service/csrf.py); the merge itself, its permissions
and its audit entries are service.operations.tags.merge, as for the API and the CLI.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from ingest.errors import MetadataError
from service.accounts import Role
from service.csrf import CSRF_FIELD, EXPIRED, form_allowed
from service.deps import ReaderDep, RuntimeDep
from service.operations import tags
from service.operations.permissions import NotAllowed
from service.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/tags")
def tags_view(request: Request, runtime: RuntimeDep, caller: ReaderDep) -> Response:
    return render(request, "tags.html", section="browse", tags=tags.in_use(runtime, caller),
                  may_merge=caller.at_least(Role.FACILITATOR), outcome=None, error=None,
                  source="", target="")


@router.post("/tags/merge")
def tags_merge(request: Request, runtime: RuntimeDep, caller: ReaderDep,
               source: Annotated[str, Form(max_length=60)] = "",
               target: Annotated[str, Form(max_length=60)] = "",
               csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=200)] = "",
               ) -> Response:
    outcome, error, status = None, None, 200
    if not form_allowed(request, csrf_token, always=True):
        error, status = EXPIRED, 403
    else:
        try:
            done = tags.merge(runtime, caller, source, target)
        except NotAllowed as exc:
            error, status = str(exc), 403
        except MetadataError as exc:
            error, status = f"Nothing merged: {exc}.", 422
        else:
            outcome = done.summary()
            source = target = ""
    return render(request, "tags.html", status=status, section="browse",
                  tags=tags.in_use(runtime, caller), may_merge=caller.at_least(Role.FACILITATOR),
                  outcome=outcome, error=error, source=source, target=target)
