"""The PII guard on every ingest path: find personal data, then warn, ask, or redact.

It reads everything a document carries: each section's text and headings, the title and the
file's properties (LoadedDocument.metadata), and the title, tags, authors and file name given
or resolved with it (Carried). What is found is reported by kind and place with values
masked, so a report or a log never repeats a phone number or a heading that holds one.
Redacted text is what gets chunked, embedded and indexed; the stored original is then a
Markdown rendition of the redacted document, so the unredacted file (and its properties) is
not kept. How authors are treated: see ingest.pii_fields.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ingest.errors import IngestError
from ingest.models import LoadedDocument, PiiDecision, Section
from ingest.pii import Finding, PiiPolicy, placeholder, redact
from ingest.pii_fields import (
    Place,
    field_place,
    filename_place,
    kinds_phrase,
    list_places,
    ordinal,
    redact_filename,
)
from ingest.pii_names import cited_names

AUTHOR_KEYS = ("authors", "author")


class PersonalDataFound(IngestError):
    """The hub's policy asks the uploader to review personal data before indexing."""

    def __init__(self, filename: str, lines: list[str]) -> None:
        shown = "; ".join(lines[:10]) + ("; …" if len(lines) > 10 else "")
        super().__init__(
            f"'{filename}' contains personal data: {shown}. Remove it and upload again, or "
            "choose to redact it (replaced with placeholders) or keep it as it is "
            "(pii=redact or pii=keep)"
        )
        self.lines = lines


@dataclass(frozen=True)
class Carried:
    """What a document carries besides its body: given or resolved metadata and its file name."""

    title: str
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    filename: str


@dataclass(frozen=True)
class Guarded:
    document: LoadedDocument  # sections, title and metadata redacted when redacting
    carried: Carried  # redacted when redacting, else as given
    warnings: tuple[str, ...]  # say what kind and where, never what
    rendition: bytes | None  # the redacted Markdown to store instead of the original


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []


@dataclass(frozen=True)
class _Scan:
    """Places in the body (per section) and in the fields, each with its findings."""

    texts: list[Place]
    headings: list[list[Place]]
    title: Place
    metadata: dict[str, list[Place]]
    carried_title: Place
    tags: list[Place]
    authors: list[Place]
    filename: Place

    def places(self) -> list[Place]:
        return [*self.texts, *(p for h in self.headings for p in h), self.title,
                *(p for ps in self.metadata.values() for p in ps), self.carried_title,
                *self.tags, *self.authors, self.filename]


def _scan(document: LoadedDocument, carried: Carried, names: Sequence[str]) -> _Scan:
    properties = {key: _strings(value) for key, value in document.metadata.items()}
    author_places = {
        key: list_places("in the file's properties", values, names, full_names=False)
        for key, values in properties.items() if key in AUTHOR_KEYS
    }
    carried_authors = list_places("in the authors", carried.authors, names, full_names=False)
    authors = (  # named as authors, with nothing else personal beside them; cited in the body
        *(p.text for ps in [*author_places.values(), carried_authors] for p in ps
          if not p.findings),
        *sorted(cited_names(document.text)),
    )
    order: dict[tuple[str, ...], int] = {}
    texts, headings = [], []
    for s in document.sections:
        if s.heading_path:
            order.setdefault(s.heading_path, len(order) + 1)
        if s.page is not None:
            where, heading_where = f"on p. {s.page}", f"in a heading on p. {s.page}"
        elif s.heading_path:
            n = ordinal(order[s.heading_path])
            where, heading_where = f"under the {n} heading", f"in the {n} heading"
        else:
            where, heading_where = "in the text", "in a heading"
        texts.append(field_place(where, s.text, names, authors))
        headings.append([field_place(heading_where, h, names, authors)
                         for h in s.heading_path])
    metadata = {
        key: author_places.get(key)
        or list_places("in the file's properties", values, names, authors)
        for key, values in properties.items()
    }
    return _Scan(
        texts, headings, field_place("in the title", document.title or "", names, authors),
        metadata, field_place("in the title", carried.title, names, authors),
        list_places("in the tags", carried.tags, names, authors), carried_authors,
        filename_place(carried.filename, names, authors),
    )


def _masked(place: Place, target: Finding, width: int = 30) -> str:
    """Context around a finding in body text, every finding in it replaced by its placeholder."""
    findings = place.findings
    shift = sum(len(placeholder(f.kind)) - (f.end - f.start)
                for f in findings if f.start < target.start)
    masked = redact(place.text, findings)
    start = target.start + shift
    end = start + len(placeholder(target.kind))
    left = "…" if start > width else ""
    right = "…" if end + width < len(masked) else ""
    return " ".join(f"{left}{masked[max(0, start - width) : end + width]}{right}".split())


def _lines(scan: _Scan) -> list[str]:
    """One line per finding in body text (with masked context), one per other place."""
    lines = [f"{f.kind.label} {p.where}: {_masked(p, f)}" for p in scan.texts
             for f in p.findings]
    seen: set[str] = set()
    for place in scan.places()[len(scan.texts):]:
        if place.findings and (line := f"{kinds_phrase(place.findings)} {place.where}") \
                not in seen:
            seen.add(line)
            lines.append(line)
    return lines


def _summary(found: list[Place]) -> str:
    counts = Counter(f.kind.label for p in found for f in p.findings)
    places = list(dict.fromkeys(p.where for p in found))
    kinds = ", ".join(f"{n} {label}{'s' if n > 1 else ''}" for label, n in counts.items())
    return f"{kinds} ({', '.join(places[:8])}{', …' if len(places) > 8 else ''})"


def render_markdown(document: LoadedDocument) -> bytes:
    """A Markdown rendition of (redacted) sections: headings kept, pages noted."""
    lines = ["---", "redacted: true", "---", f"# {document.title or 'Redacted document'}", ""]
    current: tuple[str, ...] = ()
    for section in document.sections:
        if section.heading_path != current:
            for depth, heading in enumerate(section.heading_path, start=2):
                if section.heading_path[: depth - 1] != current[: depth - 1]:
                    lines += [f"{'#' * min(depth, 6)} {heading}", ""]
            current = section.heading_path
        if section.page is not None:
            lines += [f"(page {section.page})", ""]
        lines += [section.text, ""]
    return "\n".join(lines).encode("utf-8")


def _redacted(document: LoadedDocument, carried: Carried, scan: _Scan,
              ) -> tuple[LoadedDocument, Carried]:
    def text(place: Place) -> str:
        return redact(place.text, place.findings)

    sections = [
        Section(tuple(text(h) for h in heads), text(body), s.page)
        for s, body, heads in zip(document.sections, scan.texts, scan.headings, strict=True)
    ]
    metadata: dict[str, Any] = {}
    for key, value in document.metadata.items():
        places = scan.metadata[key]
        if isinstance(value, str):
            metadata[key] = text(places[0])
        elif places:
            metadata[key] = [text(p) for p in places]
        else:
            metadata[key] = value
    redacted_doc = replace(
        document, sections=sections, metadata=metadata, media_type="text/markdown",
        title=text(scan.title) if document.title is not None else None,
    )
    redacted_carried = Carried(
        text(scan.carried_title), tuple(text(p) for p in scan.tags),
        tuple(text(p) for p in scan.authors),
        redact_filename(carried.filename, scan.filename.findings),
    )
    return redacted_doc, redacted_carried


def guard(document: LoadedDocument, carried: Carried, policy: PiiPolicy,
          decision: PiiDecision | None, names: Sequence[str] = ()) -> Guarded:
    """Apply the hub's policy (or the uploader's decision: redact or keep)."""
    scan = _scan(document, carried, names)
    found = [p for p in scan.places() if p.findings]
    if not found:
        return Guarded(document, carried, (), None)
    if decision is PiiDecision.KEEP or (decision is None and policy is PiiPolicy.WARN):
        return Guarded(document, carried, (f"personal data found and kept: {_summary(found)}",),
                       None)
    if decision is None and policy is PiiPolicy.REVIEW:
        shown = redact_filename(carried.filename, scan.filename.findings)
        raise PersonalDataFound(shown, _lines(scan))
    redacted_doc, redacted_carried = _redacted(document, carried, scan)
    return Guarded(redacted_doc, redacted_carried,
                   (f"personal data redacted: {_summary(found)}",),
                   render_markdown(replace(redacted_doc, title=redacted_doc.title
                                           or redacted_carried.title or None)))
