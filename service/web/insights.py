"""Feedback forms on the search page, and /insights for facilitators and admins.

The forms are plain posts with the page's CSRF token, answered with a redirect back to the
same search (which keeps its record rather than making a new one). The charts are SVG drawn
here (service/web/charts.py) and loaded as images from this hub.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from service.accounts import Caller, Role
from service.csrf import CSRF_FIELD, EXPIRED, form_allowed
from service.deps import CredentialDep, ReaderDep, RuntimeDep
from service.errors import status_for
from service.insights_tables import Table, csv_download
from service.operations import insights
from service.operations.insights import STORY_CHARS, InsightsRequest, SearchNotKept
from service.operations.permissions import NotAllowed
from service.runtime import Runtime
from service.web.charts import Chart, svg
from service.web.render import render
from store.records import Filters

router = APIRouter(include_in_schema=False)

Token = Annotated[str, Form(alias=CSRF_FIELD, max_length=200)]
Back = Annotated[str, Form(max_length=4000)]


def _back(back: str, search_id: str, thanks: str) -> str:
    """The search page the form was on, keeping its record; only this hub's search page."""
    base = back if back.startswith("/?") else "/?"
    return f"{base}&{urlencode({'search': search_id, 'thanks': thanks})}#results"


def _refused(request: Request, exc: Exception, status: int | None = None) -> Response:
    return render(request, "message.html", status=status or status_for(exc), section="",
                  heading="Feedback not taken", message=str(exc))


@router.post("/searches/{search_id}/feedback")
def answered_submit(request: Request, runtime: RuntimeDep, _: ReaderDep,
                    credential: CredentialDep, search_id: str,
                    answered: Annotated[str, Form(max_length=3)] = "", back: Back = "",
                    csrf_token: Token = "") -> Response:
    """"Did this answer your question?" Yes or No."""
    if not form_allowed(request, csrf_token, always=True):
        return render(request, "message.html", status=403, section="",
                      heading="Feedback not taken", message=EXPIRED)
    try:
        insights.answered(runtime, credential, search_id, answered == "yes")
    except SearchNotKept as exc:
        return _refused(request, exc, 404)
    return RedirectResponse(_back(back, search_id, "answer"), status_code=303)


@router.post("/searches/{search_id}/results/{doc_id}/feedback")
def helpful_submit(request: Request, runtime: RuntimeDep, _: ReaderDep,
                   credential: CredentialDep, search_id: str, doc_id: str,
                   helpful: Annotated[str, Form(max_length=3)] = "",
                   story: Annotated[str, Form(max_length=STORY_CHARS)] = "", back: Back = "",
                   csrf_token: Token = "") -> Response:
    """"Helpful" or "Not helpful" on one result, with an optional story of its use."""
    if not form_allowed(request, csrf_token, always=True):
        return render(request, "message.html", status=403, section="",
                      heading="Feedback not taken", message=EXPIRED)
    try:
        insights.result_feedback(runtime, credential, search_id, doc_id, helpful == "yes",
                                 story)
    except SearchNotKept as exc:
        return _refused(request, exc, 404)
    return RedirectResponse(_back(back, search_id, "result"), status_code=303)


def _request(community: str, since: str, story_community: str = "",
             story_q: str = "") -> InsightsRequest:
    try:
        day = date.fromisoformat(since) if since else None
    except ValueError:
        day = None
    return InsightsRequest(community.strip()[:120] or None, day, story_community[:120],
                           story_q[:200])


def _query(community: str, since: str) -> str:
    """The page's scope as a query string, for its charts' and exports' links."""
    return urlencode({k: v for k, v in (("community", community), ("since", since)) if v})


@router.get("/insights")
def insights_view(request: Request, runtime: RuntimeDep, caller: ReaderDep,
                  community: str = "", since: str = "", story_community: str = "",
                  story_q: str = "") -> Response:
    """What the community asks, what it does not find, what serves it, and its stories."""
    wanted = _request(community, since, story_community, story_q)
    try:
        found = insights.report(runtime, caller, wanted)
    except NotAllowed as exc:
        return render(request, "message.html", status=status_for(exc), section="insights",
                      heading="Insights", message=str(exc))
    chosen = community if wanted.community else ""
    day = wanted.since.isoformat() if wanted.since else ""
    return render(request, "insights.html", section="insights", report=found,
                  show_insights=True, community=chosen, since=day,
                  story_community=wanted.story_community, story_q=wanted.story_contains,
                  scope=_query(chosen, day), communities=_communities(caller, runtime),
                  everyone=caller.role is Role.ADMIN)


def _communities(caller: Caller, runtime: Runtime) -> list[str]:
    """The communities the caller may narrow the view to."""
    if caller.role is not Role.ADMIN:
        return sorted(caller.communities)
    documents = runtime.index.catalog.documents(Filters(viewer=caller.viewer))
    return sorted({d.community for d in documents if d.community} | set(caller.communities))


@router.get("/insights/charts/{name}.svg")
def chart_view(request: Request, runtime: RuntimeDep, caller: ReaderDep, name: Chart,
               community: str = "", since: str = "") -> Response:
    try:
        found = insights.report(runtime, caller, _request(community, since), groups=False,
                                documents=False)
    except NotAllowed as exc:
        return Response(str(exc), status_code=status_for(exc), media_type="text/plain")
    return Response(svg(found, name), media_type="image/svg+xml")


@router.get("/insights/export/{name}.csv")
def export_view(request: Request, runtime: RuntimeDep, caller: ReaderDep, name: Table,
                community: str = "", since: str = "", story_community: str = "",
                story_q: str = "") -> Response:
    try:
        found = insights.report(runtime, caller,
                                _request(community, since, story_community, story_q),
                                groups=name.grouped)
    except NotAllowed as exc:
        return Response(str(exc), status_code=status_for(exc), media_type="text/plain")
    return csv_download(found, name)
