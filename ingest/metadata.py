"""Resolving a document's metadata: overrides, then the file's own, then its path."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from ingest import fields
from ingest.errors import MetadataError
from ingest.models import LoadedDocument, Overrides
from store.records import Kind, Visibility

KIND_FOLDERS = {  # folder names, lower case with '-' for '_' and spaces
    "practices": Kind.PRACTICE,
    "practice": Kind.PRACTICE,
    "session-notes": Kind.SESSION_NOTE,
    "session-note": Kind.SESSION_NOTE,
    "readings": Kind.READING,
    "reading": Kind.READING,
}


def _folder_kind(name: str) -> Kind | None:
    return KIND_FOLDERS.get(re.sub(r"[\s_]+", "-", name.strip().lower()))
_LEADING_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def parse_kind(value: Any) -> Kind:
    text = str(value).strip().lower().replace("_", "-").replace(" ", "-")
    text = {
        "practices": "practice",
        "readings": "reading",
        "session-notes": "session-note",
        "note": "session-note",
        "notes": "session-note",
    }.get(text, text)
    try:
        return Kind(text)
    except ValueError as exc:
        choices = ", ".join(k.value for k in Kind)
        raise MetadataError(f"unknown kind '{value}'; use one of {choices}") from exc


def parse_date(value: Any) -> str | None:
    return fields.day(value)


def _date_in_name(match: re.Match[str] | None) -> str | None:
    """A leading yyyy-mm-dd of a file name, when it is a real date (else no date)."""
    try:
        return fields.day(match.group(1)) if match else None
    except MetadataError:
        return None


def parse_list(value: Any) -> tuple[str, ...]:
    """A list from a YAML list or a comma- or semicolon-separated string (not yet bounded)."""
    if value is None:
        return ()
    items = value if isinstance(value, list | tuple) else str(value).replace(";", ",").split(",")
    return tuple(dict.fromkeys(str(i).strip() for i in items if str(i).strip()))


def kind_from_path(source: str) -> Kind | None:
    """The kind named by the nearest folder of a path: `readings/x.md`, `practice/y.txt`."""
    for part in reversed(PurePosixPath(source).parts[:-1]):
        if (kind := _folder_kind(part)) is not None:
            return kind
    return None


def community_from_path(source: str) -> str | None:
    """`session-notes/youth-justice/x.md` -> 'Youth Justice'."""
    parts = PurePosixPath(source).parts
    for i, part in enumerate(parts[:-2]):
        if _folder_kind(part) is not None:
            return parts[i + 1].replace("-", " ").replace("_", " ").title()
    return None


def default_visibility(kind: Kind, community: str | None,
                       defaults: Sequence[tuple[Kind, Visibility]]) -> Visibility:
    """Who sees a document whose upload and file do not say: its kind's default, except that
    community visibility needs a community (without one: public)."""
    chosen = dict(defaults).get(kind, Visibility.PUBLIC)
    if chosen is Visibility.COMMUNITY and not community:
        return Visibility.PUBLIC
    return chosen


def title_from_filename(filename: str) -> str:
    """A file name made readable: `2026-03-12-calm_corner-plan.md` -> 'Calm corner plan'."""
    stem = _LEADING_DATE.sub("", PurePosixPath(filename).stem)
    return re.sub(r"[-_\s]+", " ", stem).strip().capitalize() or filename


def resolve(
    source: str,
    filename: str,
    loaded: LoadedDocument,
    overrides: Overrides,
    default_kind: Kind | None = None,
    folder: str = "",
) -> dict[str, Any]:
    """Fields of the document record, each from the first place that has it.

    Kind and community also come from the folders of the path: those of `source`, then
    those of `folder`, the folder named on the command line that `source` is relative to.
    Titles: given, then the file's own (front matter, properties, first heading), then
    the file name made readable.

    Dates: given, then the file's own `date` field, then a leading yyyy-mm-dd in the file
    name, then the creation date in the file's properties.
    """
    meta = loaded.metadata
    own_kind = meta.get("kind")
    placed = (PurePosixPath(folder) / source).as_posix() if folder else source
    kind = overrides.kind or (parse_kind(own_kind) if own_kind else kind_from_path(placed))
    if kind is None:
        kind = overrides.default_kind
    if kind is None:
        raise MetadataError(
            "cannot tell whether this is a practice, session-note or reading: put it under "
            "practices/, session-notes/ or readings/, add 'kind:' to its front matter, or pass "
            "--kind"
        )
    date_match = _LEADING_DATE.match(PurePosixPath(filename).name)
    community = fields.community(
        overrides.community or meta.get("community") or community_from_path(placed)
    )
    visibility = overrides.visibility or meta.get("visibility")
    try:
        visible_to = (Visibility(str(visibility).strip().lower()) if visibility
                      else default_visibility(kind, community, overrides.default_visibility))
    except ValueError as exc:
        raise MetadataError(
            f"visibility '{visibility}' is not one of public, community, private"
        ) from exc
    given_title = fields.clean_text(overrides.title or loaded.title or "")
    return {
        "visibility": visible_to,
        "owner": overrides.owner,
        "title": fields.title(given_title or title_from_filename(filename)),
        "kind": kind,
        "community": community,
        "tags": fields.tags(
            overrides.tags if overrides.tags is not None else parse_list(meta.get("tags"))
        ),
        "authors": fields.authors(
            overrides.authors
            if overrides.authors is not None
            else parse_list(meta.get("authors") or meta.get("author"))
        ),
        "date": parse_date(overrides.date)
        or parse_date(meta.get("date"))
        or _date_in_name(date_match),
    }
