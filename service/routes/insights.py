"""Feedback on a search and its results, and the facilitators' view as JSON and CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field
from starlette.responses import Response

from service.deps import CredentialDep, ReaderDep, RuntimeDep
from service.insights_tables import Table, as_json, csv_download
from service.operations import insights
from service.operations.insights import STORY_CHARS, InsightsRequest

router = APIRouter(tags=["insights"])


class AnsweredIn(BaseModel):
    answered: bool = Field(description="Did the results answer the question?")


class HelpfulIn(BaseModel):
    helpful: bool
    story: str = Field("", max_length=STORY_CHARS, description="Optional: how the document "
                       "was used (personal data is redacted before it is kept).")


@router.post("/searches/{search_id}/feedback", status_code=status.HTTP_204_NO_CONTENT)
def answered_feedback(search_id: str, body: AnsweredIn, runtime: RuntimeDep,
                      _: ReaderDep, credential: CredentialDep) -> Response:
    """Whether a search answered the question; only from the session (or token) that
    searched (404 otherwise, or when the search is no longer kept)."""
    insights.answered(runtime, credential, search_id, body.answered)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/searches/{search_id}/results/{doc_id}/feedback",
             status_code=status.HTTP_204_NO_CONTENT)
def result_feedback(search_id: str, doc_id: str, body: HelpfulIn, runtime: RuntimeDep,
                    _: ReaderDep, credential: CredentialDep) -> Response:
    """Whether one of the search's results helped, with an optional story of its use."""
    insights.result_feedback(runtime, credential, search_id, doc_id, body.helpful, body.story)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


Community = Annotated[str | None, Query(max_length=120, description="One community (a "
                                        "facilitator's own); default: all you may see.")]
Since = Annotated[date | None, Query(description="Searches from this day on; default: all "
                                     "kept (COMMONS_INSIGHTS_RETENTION_DAYS).")]


@router.get("/insights")
def insights_json(runtime: RuntimeDep, caller: ReaderDep, community: Community = None,
                  since: Since = None) -> dict[str, Any]:
    """Facilitators (their communities) and admins: grouped queries, unanswered needs,
    documents that serve, activity and value stories (docs/insights.md)."""
    return as_json(insights.report(runtime, caller, InsightsRequest(community, since)))


@router.get("/insights/{name}.csv")
def insights_csv(name: Table, runtime: RuntimeDep, caller: ReaderDep,
                 community: Community = None, since: Since = None) -> Response:
    """One of the view's tables as CSV."""
    found = insights.report(runtime, caller, InsightsRequest(community, since),
                            groups=name.grouped)
    return csv_download(found, name)
