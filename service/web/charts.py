"""The insights page's charts, drawn on the server as SVG by matplotlib (Agg, no display).

Served from the hub itself (`img-src 'self'`), with no script; each chart's numbers are also
on the page as a table. matplotlib takes about a second to import, so it is imported on the
first chart, not when the hub starts.
"""

from __future__ import annotations

import io
import threading
from collections import defaultdict
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from service.insights_report import InsightsReport

_LOCK = threading.Lock()  # matplotlib's font cache and text layout are not thread-safe
WIDTH, HEIGHT = 7.0, 3.0  # inches


class Chart(StrEnum):
    SEARCHES = "searches"  # searches per month, stacked by community
    HELPFULNESS = "helpfulness"  # share of positive feedback per month
    UPLOADS = "uploads"  # uploads per community


def _figure() -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, HEIGHT), layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _empty(axes: Any, what: str) -> None:
    axes.text(0.5, 0.5, f"No {what} yet", ha="center", va="center",
              transform=axes.transAxes)
    axes.set_axis_off()


def _whole_numbers(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _searches(report: InsightsReport, axes: Any) -> None:
    months = sorted({m.month for m in report.activity})
    per: dict[str, dict[str, int]] = defaultdict(dict)
    for row in report.activity:
        if row.searches:
            per[row.community or "(no community)"][row.month] = row.searches
    if not per:
        _empty(axes, "searches")
        return
    below = [0] * len(months)
    for community, counts in sorted(per.items()):  # stacked: a month's bar is its total
        heights = [counts.get(m, 0) for m in months]
        axes.bar(months, heights, bottom=below, label=community)
        below = [b + h for b, h in zip(below, heights, strict=True)]
    axes.set_ylabel("searches")
    _whole_numbers(axes.yaxis)
    axes.legend(fontsize="small", frameon=False)


def _helpfulness(report: InsightsReport, axes: Any) -> None:
    rows = [(h.month, h.rate) for h in report.helpfulness if h.rate is not None]
    if not rows:
        _empty(axes, "feedback")
        return
    axes.plot([m for m, _ in rows], [r * 100 for _, r in rows], marker="o", color="#2a7a4b")
    axes.set_ylim(0, 100)
    axes.set_ylabel("positive feedback (%)")


def _uploads(report: InsightsReport, axes: Any) -> None:
    totals: dict[str, int] = defaultdict(int)
    for row in report.activity:
        totals[row.community or "(no community)"] += row.uploads
    shown = {c: n for c, n in sorted(totals.items()) if n}
    if not shown:
        _empty(axes, "uploads")
        return
    axes.barh(list(shown), list(shown.values()), color="#3b6ea5")
    axes.invert_yaxis()
    axes.set_xlabel("documents added")
    _whole_numbers(axes.xaxis)


DRAW: dict[Chart, Callable[[InsightsReport, Any], None]] = {
    Chart.SEARCHES: _searches, Chart.HELPFULNESS: _helpfulness, Chart.UPLOADS: _uploads,
}


def svg(report: InsightsReport, chart: Chart) -> bytes:
    """The chart as an SVG document."""
    with _LOCK:
        figure, axes = _figure()
        DRAW[chart](report, axes)
        out = io.BytesIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()
