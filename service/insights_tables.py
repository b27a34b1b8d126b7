"""The facilitators' view as named tables of plain rows: what the CSV exports, the JSON and
`commons insights` give, and what each chart's accessible table shows."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from starlette.responses import Response

from service.insights_report import DocumentUse, InsightsReport, QueryGroup


class Table(StrEnum):
    UNANSWERED = "unanswered"
    LOOKED_FOR = "looked-for"
    MOST_OPENED = "most-opened"
    MOST_HELPFUL = "most-helpful"
    UNSURFACED = "unsurfaced"
    ACTIVITY = "activity"
    HELPFULNESS = "helpfulness"
    STORIES = "stories"

    @property
    def grouped(self) -> bool:
        """Whether the table needs the queries grouped (the report's costly part)."""
        return self in (Table.UNANSWERED, Table.LOOKED_FOR)


@dataclass(frozen=True)
class Rows:
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.header, row, strict=True)) for row in self.rows]

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.header)
        writer.writerows([_cell(v) for v in row] for row in self.rows)
        return out.getvalue()


def _cell(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _groups(groups: list[QueryGroup]) -> Rows:
    return Rows(("group", "searches", "unmet", "searchers", "by_month", "examples",
                 "hidden_texts"),
                [(g.name, g.searches, g.unmet, g.searchers,
                  "; ".join(f"{m}: {n}" for m, n in g.months.items()), " | ".join(g.examples),
                  g.hidden) for g in groups])


def _uses(uses: list[DocumentUse]) -> Rows:
    return Rows(("doc_id", "title", "community", "shown", "opened", "helpful", "not_helpful"),
                [(u.doc_id, u.title, u.community or "", u.shown, u.opened, u.helpful,
                  u.not_helpful) for u in uses])


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


TABLES: dict[Table, Callable[[InsightsReport], Rows]] = {
    Table.UNANSWERED: lambda r: _groups(r.unanswered),
    Table.LOOKED_FOR: lambda r: _groups(r.looked_for),
    Table.MOST_OPENED: lambda r: _uses(r.most_opened),
    Table.MOST_HELPFUL: lambda r: _uses(r.most_helpful),
    Table.UNSURFACED: lambda r: Rows(
        ("doc_id", "title", "community", "added"),
        [(u.doc_id, u.title, u.community or "", u.added_at) for u in r.unsurfaced]),
    Table.ACTIVITY: lambda r: Rows(
        ("month", "community", "searches", "uploads"),
        [(m.month, m.community, m.searches, m.uploads) for m in r.activity]),
    Table.HELPFULNESS: lambda r: Rows(
        ("month", "helpful", "not_helpful", "answered_yes", "answered_no", "rate"),
        [(h.month, h.helpful, h.not_helpful, h.answered_yes, h.answered_no, _rate(h.rate))
         for h in r.helpfulness]),
    Table.STORIES: lambda r: Rows(
        ("date", "doc_id", "title", "communities", "story"),
        [(s.at, s.doc_id, s.title, ", ".join(s.communities), s.text) for s in r.stories]),
}


def table(report: InsightsReport, name: Table) -> Rows:
    return TABLES[name](report)


def csv_download(report: InsightsReport, name: Table) -> Response:
    """One table as a CSV file to download (the API's and the page's export)."""
    return Response(table(report, name).csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name.value}.csv"'})


def as_json(report: InsightsReport) -> dict[str, Any]:
    """The whole report as JSON-ready data: its scope and every table."""
    return {"communities": None if report.communities is None else list(report.communities),
            "since": report.since, "searches": report.searches,
            "min_searchers": report.min_searchers,
            **{name.value: table(report, name).as_dicts() for name in Table}}
