"""The PII guard on every ingest path: find personal data, then warn, ask, or redact.

What is found is reported by kind and place (page or section) with the value masked, so a
report or a log never repeats a phone number. Redacted text is what gets chunked, embedded
and indexed; the stored original is then a Markdown rendition of the redacted text, so the
unredacted file is not kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ingest.errors import IngestError
from ingest.models import LoadedDocument, Section
from ingest.pii import Finding, PiiPolicy, detect, placeholder, redact


class PersonalDataFound(IngestError):
    """The hub's policy asks the uploader to review personal data before indexing."""

    def __init__(self, filename: str, lines: list[str]) -> None:
        shown = "; ".join(lines[:10]) + ("; …" if len(lines) > 10 else "")
        super().__init__(
            f"'{filename}' contains personal data: {shown}. Remove it and upload again, or "
            "upload with pii=redact to replace it with placeholders (pii=keep indexes it as "
            "it is)"
        )
        self.lines = lines


@dataclass(frozen=True)
class Guarded:
    document: LoadedDocument
    warnings: tuple[str, ...]
    rendition: bytes | None  # the redacted text to store instead of the original


def _where(section: Section) -> str:
    if section.page is not None:
        return f"p. {section.page}"
    return f"under '{section.heading_path[-1]}'" if section.heading_path else "in the text"


def _masked(text: str, findings: list[Finding], target: Finding, width: int = 30) -> str:
    """Context around a finding with every finding in it replaced by its placeholder."""
    shift = sum(len(placeholder(f.kind)) - (f.end - f.start)
                for f in findings if f.start < target.start)
    masked = redact(text, findings)
    start = target.start + shift
    end = start + len(placeholder(target.kind))
    left = "…" if start > width else ""
    right = "…" if end + width < len(masked) else ""
    return " ".join(f"{left}{masked[max(0, start - width) : end + width]}{right}".split())


def _summary(found: list[tuple[Section, Finding]]) -> str:
    counts = Counter(f.kind.label for _, f in found)
    places = sorted({_where(s) for s, _ in found})
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


def guard(
    document: LoadedDocument, filename: str, policy: PiiPolicy, decision: str | None,
    names: Sequence[str] = (),
) -> Guarded:
    """Apply the hub's policy (or the uploader's decision: 'redact' or 'keep')."""
    found = [(s, f) for s in document.sections for f in detect(s.text, names)]
    if not found:
        return Guarded(document, (), None)
    if decision == "keep" or (decision is None and policy is PiiPolicy.WARN):
        return Guarded(document, (f"personal data found and kept: {_summary(found)}",), None)
    if decision is None and policy is PiiPolicy.REVIEW:
        by_section = {id(s): [f for t, f in found if t is s] for s, _ in found}
        raise PersonalDataFound(filename, [
            f"{f.kind.label} {_where(s)}: {_masked(s.text, by_section[id(s)], f)}"
            for s, f in found
        ])
    sections = [
        replace(s, text=redact(s.text, [f for t, f in found if t is s]))
        for s in document.sections
    ]
    redacted = replace(document, sections=sections, media_type="text/markdown")
    return Guarded(redacted, (f"personal data redacted: {_summary(found)}",),
                   render_markdown(redacted))
