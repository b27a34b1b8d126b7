"""The search record and the facilitators' view: what is kept of a search, feedback on it,
and who may see what (docs/insights.md).

A search's text passes the personal-data guard before it is kept; nothing names the person:
the front end passes the secret of the searcher's session (its cookie, or a bearer token),
of which only a keyed hash is kept, so that feedback comes only from the session that
searched and distinct searchers can be counted. Facilitators see the searches of members of
their communities; admins all; no one else any.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ingest.pii import detect, redact
from search.confidence import Confidence
from service.accounts import Caller, Role
from service.insights_report import InsightsReport, build_report, only_stories
from service.operations.permissions import NotAllowed
from service.runtime import Runtime
from store.insights import LoggedSearch, Scope

STORY_CHARS = 1000  # a story of how a result was used: a few sentences
NOT_FOR_YOU = "The insights are for facilitators (of their communities) and admins."


class SearchNotKept(Exception):
    """No kept search of this session has that id (never kept, purged, or another's)."""

    def __init__(self) -> None:
        super().__init__("This search is not kept any more (or was not yours), so feedback on "
                         "it cannot be taken. Search again to give feedback.")


def _redacted(runtime: Runtime, text: str) -> str:
    return redact(text, detect(text, runtime.settings.pii_names))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def record_search(runtime: Runtime, caller: Caller, query: str, confidence: Confidence,
                  shown: list[str], credential: str | None, kept: str | None = None) -> str | None:
    """Keep an answered search (redacted); its id, or None when nothing is kept. `kept`: the
    id of this session's record of the same search (the page shown again after feedback),
    which is reused rather than counted twice."""
    if not runtime.settings.insights or not query.strip():
        return None
    if kept and credential:
        try:
            _own(runtime, kept, credential)
            return kept
        except SearchNotKept:
            pass
    text = " ".join(_redacted(runtime, query).split())[:1000]
    try:
        vector = runtime.index.embedder.encode_query(text)
    except Exception:  # the search was answered; the page embeds the text when it groups
        vector = None
    search_id = secrets.token_urlsafe(16)
    runtime.insights.record(LoggedSearch(
        id=search_id, at=_iso(datetime.now(UTC)), role=caller.role.value,
        communities=caller.communities, text=text, confidence=confidence.value,
        weak=confidence is not Confidence.STRONG,
        searcher=runtime.insights.pseudonym(credential) if credential else None,
        results=tuple(shown), embedding=vector))
    return search_id


def _own(runtime: Runtime, search_id: str, credential: str | None) -> None:
    """Refuses (as unknown) a search that is not kept or not this session's."""
    kept, searcher = runtime.insights.searcher_of(search_id)
    if not kept or not credential or searcher != runtime.insights.pseudonym(credential):
        raise SearchNotKept()


def record_open(runtime: Runtime, credential: str | None, search_id: str, doc_id: str) -> None:
    """A result opened from its search's page; ignored unless this session made the search."""
    if not runtime.settings.insights or not search_id:
        return
    try:
        _own(runtime, search_id, credential)
    except SearchNotKept:
        return
    runtime.insights.mark_opened(search_id, doc_id)


def may_give_feedback(runtime: Runtime, credential: str | None, search_id: str | None) -> bool:
    return bool(search_id and credential and runtime.settings.insights)


def answered(runtime: Runtime, credential: str | None, search_id: str, yes: bool) -> None:
    """"Did this answer your question?" from the session that searched."""
    _own(runtime, search_id, credential)
    runtime.insights.set_answered(search_id, yes)


def result_feedback(runtime: Runtime, credential: str | None, search_id: str, doc_id: str,
                    helpful: bool, story: str = "") -> None:
    """"Helpful" or "Not helpful" on one of the search's results, with an optional story of
    how it was used (redacted, at most STORY_CHARS)."""
    _own(runtime, search_id, credential)
    told = " ".join(_redacted(runtime, story[:STORY_CHARS]).split()) or None
    if not runtime.insights.set_helpful(search_id, doc_id, helpful, told):
        raise SearchNotKept()


def purge_expired(runtime: Runtime) -> int:
    """Delete searches past the retention (all of them with the record switched off)."""
    if not runtime.settings.insights:
        runtime.insights.clear()
        return 0
    cutoff = datetime.now(UTC) - timedelta(days=runtime.settings.insights_retention_days)
    return runtime.insights.purge(_iso(cutoff))


@dataclass(frozen=True)
class InsightsRequest:
    community: str | None = None  # one community; default: all the caller may see
    since: date | None = None  # default: as far back as searches are kept
    story_community: str = ""  # only the value stories of this community
    story_contains: str = ""  # only the value stories holding these words


def may_see(caller: Caller) -> bool:
    return caller.role in (Role.FACILITATOR, Role.ADMIN)


def scope_for(runtime: Runtime, caller: Caller, request: InsightsRequest) -> Scope:
    """The searches this caller may see: admins all, facilitators their communities'."""
    if not may_see(caller):
        raise NotAllowed(NOT_FOR_YOU, sign_in=caller.role is Role.ANONYMOUS)
    communities: tuple[str, ...] | None = None
    if caller.role is Role.FACILITATOR:
        communities = caller.communities
    if request.community:
        if communities is not None and request.community not in communities:
            raise NotAllowed(f"You see the insights of your own communities only, not of "
                             f"'{request.community}'.")
        communities = (request.community,)
    kept = datetime.now(UTC) - timedelta(days=runtime.settings.insights_retention_days)
    since = kept
    if request.since is not None:
        since = max(kept, datetime(request.since.year, request.since.month, request.since.day,
                                   tzinfo=UTC))
    return Scope(communities, _iso(since))


def report(runtime: Runtime, caller: Caller, request: InsightsRequest, groups: bool = True,
           documents: bool = True) -> InsightsReport:
    """Everything /insights, GET /api/insights and `commons insights` show (without `groups`
    or `documents`, not the grouped queries or the documents' use and stories: a chart
    needs neither)."""
    scope = scope_for(runtime, caller, request)
    return only_stories(build_report(runtime, caller, scope, groups, documents),
                        request.story_community, request.story_contains)
