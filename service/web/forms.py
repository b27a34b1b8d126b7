"""The pages' query parameters, read leniently (a bad value is ignored, never a JSON error),
and the links that change one of them (drop a filter, pick a facet, sort, page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from service.web.format import kind_label
from store.records import Kind, Visibility

MAX_QUERY = 1000
BROWSE_SORTS = {"title": "Title A-Z", "-date": "Newest first", "date": "Oldest first"}
PAGE_SIZE = 50
MAX_OFFSET = 1_000_000  # a larger offset would overflow SQLite's integers


def parse_kind(value: str | None) -> Kind | None:
    try:
        return Kind(value) if value else None
    except ValueError:
        return None


def parse_visibility(value: str | None) -> Visibility | None:
    """The form's choice; None (the kind's default, a setting) when none or not one of the
    three."""
    try:
        return Visibility(value) if value else None
    except ValueError:
        return None


def parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def clean(value: str | None) -> str | None:
    return (value or "").strip() or None


@dataclass(frozen=True)
class ActiveFilter:
    """A filter in force, with the link that removes it."""

    label: str
    remove_url: str


def parse_offset(text: str | None) -> int:
    """A page's offset as typed in its address (anything but digits: the first page)."""
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 10 else 0


@dataclass(frozen=True)
class SearchForm:
    """What the search page was asked: the query and its filters."""

    q: str = ""
    kind: Kind | None = None
    community: str | None = None
    tags: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"  # or "date": the best matches, newest first
    offset: int = 0  # the first result shown ("More results" pages on)

    @classmethod
    def parse(
        cls, q: str | None, kind: str | None, community: str | None, tags: Sequence[str],
        date_from: str | None, date_to: str | None, sort: str | None = None,
        offset: str | None = None,
    ) -> SearchForm:
        return cls(
            q=(q or "").strip()[:MAX_QUERY], kind=parse_kind(kind), community=clean(community),
            tags=tuple(dict.fromkeys(t.strip() for t in tags if t.strip())),
            date_from=parse_date(date_from), date_to=parse_date(date_to),
            sort="date" if sort == "date" else "relevance", offset=parse_offset(offset),
        )

    @property
    def has_filters(self) -> bool:
        return bool(self.kind or self.community or self.tags or self.date_from or self.date_to)

    def params(self) -> list[tuple[str, str]]:
        pairs = [("q", self.q), ("kind", self.kind.value if self.kind else ""),
                 ("community", self.community or ""),
                 *(("tag", t) for t in self.tags),
                 ("date_from", self.date_from.isoformat() if self.date_from else ""),
                 ("date_to", self.date_to.isoformat() if self.date_to else ""),
                 ("sort", "" if self.sort == "relevance" else self.sort),
                 ("offset", str(self.offset) if self.offset else "")]
        return [(k, v) for k, v in pairs if v]

    def url(self, **changes: Any) -> str:
        """The search page for this form with some fields changed (from the first result,
        unless the change is the offset: a new filter or order is a new answer)."""
        query = urlencode(replace(self, **{"offset": 0, **changes}).params())
        return f"/?{query}" if query else "/"

    def year_url(self, year: str) -> str:
        return self.url(date_from=date(int(year), 1, 1), date_to=date(int(year), 12, 31))

    def active_filters(self) -> list[ActiveFilter]:
        active: list[ActiveFilter] = []
        if self.kind:
            active.append(ActiveFilter(f"Kind: {kind_label(self.kind)}", self.url(kind=None)))
        if self.community:
            active.append(ActiveFilter(f"Community: {self.community}", self.url(community=None)))
        for tag in self.tags:
            rest = tuple(t for t in self.tags if t != tag)
            active.append(ActiveFilter(f"Tag: {tag}", self.url(tags=rest)))
        if self.date_from:
            active.append(ActiveFilter(f"From {self.date_from.isoformat()}",
                                       self.url(date_from=None)))
        if self.date_to:
            active.append(ActiveFilter(f"To {self.date_to.isoformat()}", self.url(date_to=None)))
        return active


@dataclass(frozen=True)
class BrowseForm:
    """What the browse page lists: one kind, community and tag, in one order, from an offset."""

    kind: Kind | None = None
    community: str | None = None
    tag: str | None = None
    sort: str = "title"
    offset: int = 0

    @classmethod
    def parse(cls, kind: str | None, community: str | None, tag: str | None,
              sort: str | None, offset: str | None) -> BrowseForm:
        start = min(parse_offset(offset), MAX_OFFSET)
        return cls(kind=parse_kind(kind), community=clean(community), tag=clean(tag),
                   sort=sort if sort in BROWSE_SORTS else "title", offset=start)

    def url(self, **changes: Any) -> str:
        form = replace(self, **{"offset": 0, **changes})
        pairs = [("kind", form.kind.value if form.kind else ""),
                 ("community", form.community or ""), ("tag", form.tag or ""),
                 ("sort", "" if form.sort == "title" else form.sort),
                 ("offset", str(form.offset) if form.offset else "")]
        query = urlencode([(k, v) for k, v in pairs if v])
        return f"/browse?{query}" if query else "/browse"
