"""The pages. Each route reads its parameters, asks pages.py (or uploads.py) once, renders."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from service.accounts import SESSION_COOKIE
from service.csrf import CSRF_FIELD, EXPIRED, form_allowed, job_key, key_opens, server_secret
from service.deps import CallerDep, CredentialDep, JobsDep, ReaderDep, RuntimeDep
from service.operations import insights, users
from service.runtime import Runtime
from service.web import pages
from service.web.forms import BrowseForm, SearchForm, parse_kind, parse_visibility
from service.web.render import render
from service.web.signin import keep_signed_in
from service.web.uploads import (
    FileOutcome,
    UploadFields,
    UploadOutcome,
    upload_from_form,
    upload_many_from_form,
    upload_summary,
)
from store.errors import DocumentNotFoundError

router = APIRouter(include_in_schema=False)


@router.get("/")
async def search_view(
    request: Request, runtime: RuntimeDep, caller: ReaderDep, credential: CredentialDep,
    q: str = "", kind: str = "",
    community: str = "", tag: Annotated[list[str] | None, Query()] = None,
    date_from: str = "", date_to: str = "", as_typed: bool = False, sort: str = "",
    offset: str = "", search: Annotated[str, Query(max_length=64)] = "",
    thanks: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    """Search; with no query, recent session notes and featured practices. `search` and
    `thanks`: the page shown again after feedback on that (kept) search."""
    form = SearchForm.parse(q, kind, community, tag or [], date_from, date_to, sort, offset)
    return await runtime.on_search_thread(
        lambda: render(request, "search.html", section="search",
                       page=pages.search_page(runtime, caller, form, as_typed, credential,
                                              search or None, thanks))
    )


@router.get("/browse")
def browse_view(
    request: Request, runtime: RuntimeDep, caller: ReaderDep, kind: str = "",
    community: str = "", tag: str = "", sort: str = "title", offset: str = "",
) -> Response:
    """Every document by kind, community and tag, by title or date."""
    form = BrowseForm.parse(kind, community, tag, sort, offset)
    page = pages.browse_page(runtime, caller, form)
    return render(request, "browse.html", section="browse", page=page)


@router.get("/documents/{doc_id}")
def document_view(
    request: Request, runtime: RuntimeDep, caller: ReaderDep, credential: CredentialDep,
    doc_id: str, added: str = "",
    edited: str = "", restored: str = "", passage: Annotated[str, Query(max_length=100)] = "",
    search: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """A document's metadata, text (by section or page) and related documents; `search`: the
    kept search whose results it was opened from."""
    try:
        page = pages.document_page(runtime, caller, doc_id, passage)
    except DocumentNotFoundError:
        return render(request, "not_found.html", status=404, section="")
    insights.record_open(runtime, credential, search, doc_id)
    return render(request, "document.html", section="", page=page, added=added, edited=edited,
                  restored=restored)


@router.get("/upload")
def upload_view(request: Request, runtime: RuntimeDep, caller: ReaderDep,
                tags: Annotated[str, Query(max_length=300)] = "") -> Response:
    """The upload form (progress, polling and several files' rows come from static/app.js);
    `tags` prefills its tags (the insights page's "write a guide for this")."""
    return render(request, "upload.html", section="upload",
                  page=pages.upload_page(runtime, caller), fields=UploadFields(tags=tags),
                  error=None)


@router.post("/upload")
def upload_submit(
    request: Request, runtime: RuntimeDep, jobs: JobsDep, caller: CallerDep,
    file: Annotated[list[UploadFile | str] | None, File()] = None,  # "": a file input left empty
    token: Annotated[str, Form()] = "",
    title: Annotated[str, Form(max_length=300)] = "",
    kind: Annotated[str, Form()] = "",
    pii: Annotated[str, Form()] = "",
    community: Annotated[str, Form(max_length=120)] = "",
    tags: Annotated[str, Form(max_length=1000)] = "",
    date: Annotated[str, Form(max_length=20)] = "",
    authors: Annotated[str, Form(max_length=1000)] = "",
    visibility: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=200)] = "",
) -> Response:
    """The same upload without JavaScript: a plain form post, then a redirect (one file) or
    a page with each file's outcome (several)."""
    fields = UploadFields(title=title, kind=parse_kind(kind), community=community, tags=tags,
                          date=date, authors=authors,
                          pii=pii if pii in ("redact", "keep") else "",
                          visibility=parse_visibility(visibility))
    files = [f for f in file or [] if not isinstance(f, str) and f.filename]
    session = request.cookies.get(SESSION_COOKIE)
    if not form_allowed(request, csrf_token):
        outcome = UploadOutcome(error=EXPIRED, status=403)
    elif len(files) > 1:
        many = upload_many_from_form(runtime, jobs, token.strip(), files, fields, session)
        if not isinstance(many, UploadOutcome):
            return _many_page(request, runtime, token, fields, many)
        outcome = many
    else:
        outcome = upload_from_form(runtime, jobs, token.strip(), files[0] if files else None,
                                   fields, session)
    if outcome.location:
        location = _job_link(request, outcome.job_id) if outcome.job_id else outcome.location
        return _signed_in(request, runtime, token, RedirectResponse(location, status_code=303))
    return render(request, "upload.html", status=outcome.status, section="upload",
                  page=pages.upload_page(runtime, caller), fields=fields, error=outcome.error)


def _many_page(request: Request, runtime: Runtime, token: str, fields: UploadFields,
               outcomes: list[FileOutcome]) -> Response:
    """Each file's outcome (a job's link with its key); signed in when any went in."""
    shown = [replace(o, href=_job_link(request, o.job_id)) if o.job_id else o for o in outcomes]
    page = render(request, "upload_many.html", section="upload", files=shown,
                  summary=upload_summary(outcomes), unused_title=fields.title)
    return _signed_in(request, runtime, token, page) if any(o.href for o in outcomes) else page


def _job_link(request: Request, job_id: str) -> str:
    """A job's page with its key: the uploader may not be signed in."""
    return f"/upload/jobs/{job_id}?key={job_key(server_secret(request.app), job_id)}"


def _signed_in(request: Request, runtime: Runtime, token: str, response: Response) -> Response:
    """A token typed into the form signs its holder in, as /login does: the note they just
    added may be visible only to their community, and they should see it."""
    signed_in = users.sign_in(runtime, token.strip(), request.cookies.get(SESSION_COOKIE)) \
        if token.strip() else None
    return keep_signed_in(request, response, signed_in[1]) if signed_in else response


@router.get("/upload/jobs/{job_id}")
def job_view(request: Request, runtime: RuntimeDep, jobs: JobsDep, caller: ReaderDep,
             job_id: str, key: str = "") -> Response:
    """A large upload being indexed in the background (the page refreshes until done).

    Only its uploader (signed in, or holding the key the upload gave them) and admins see it.
    """
    uploader = key_opens(server_secret(request.app), job_id, key[:64])
    job = pages.job_page(runtime, jobs, caller, job_id, uploader)
    return render(request, "job.html", status=200 if job else 404, section="upload", job=job,
                  key=key[:64] if uploader else "")
