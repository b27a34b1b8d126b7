"""Where a document carries text besides its body, and how each place is read and redacted.

A place is a piece of text and a phrase that says where it is ("in the title", "in a heading
on p. 3", "in the file name") without quoting it. The file name is read from its stem, with
separators as spaces ("Leo-Park_DOB-01-02-2015" reads "Leo Park DOB 01-02-2015"), and
redacted there in a form a file name can hold ("name-removed").

Authors: the authors field and a file's author property name the people who wrote the
document; a published author's name is not personal data about a child. So in those places,
and in the body wherever a name matches one of the document's authors or an author it cites,
a bare given name and surname is not flagged; anything else there is (an email, a phone
number, a date of birth, a listed name, a name with an age or a family role beside it), and an
author entry holding any of those is read as free text, names included.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from ingest.pii import Finding, PiiKind, detect
from ingest.pii_lexicon import fold, lexicon

_SEPARATOR = re.compile(r"_|(?<!\d)[-.]|[-.](?!\d)")
_WORD_START = re.compile(r"(?<![^\W\d_])[^\W\d_]")


@dataclass(frozen=True)
class Place:
    """Some text a document carries, where it is, and what was found in it."""

    where: str
    text: str
    findings: tuple[Finding, ...]


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def field_place(where: str, text: str, names: Sequence[str], authors: Sequence[str] = (),
                *, full_names: bool = True) -> Place:
    """An author entry that holds other personal data (a date of birth, a phone) is read as
    free text, so the name beside it is found too."""
    findings = detect(text, names, authors=authors, full_names=full_names)
    if findings and not full_names:
        findings = detect(text, names, full_names=True)
    return Place(where, text, tuple(findings))


def list_places(where: str, values: Sequence[str], names: Sequence[str],
                authors: Sequence[str] = (), *, full_names: bool = True) -> list[Place]:
    """A list read as one text (so "Leo Park", "aged 4" is a name with an age), findings
    given back to each entry."""
    joined = ", ".join(values)
    found = field_place(where, joined, names, authors, full_names=full_names).findings
    places, start = [], 0
    for value in values:
        end = start + len(value)
        mine = tuple(
            Finding(f.kind, max(f.start, start) - start, min(f.end, end) - start,
                    joined[max(f.start, start) : min(f.end, end)])
            for f in found if f.start < end and start < f.end
        )
        places.append(Place(where, value, mine))
        start = end + 2
    return places


def stem_as_text(stem: str) -> str:
    """The stem with separators as spaces and, if all lower case, words capitalised.

    Same length as the stem, so offsets found in one are offsets in the other.
    """
    text = _SEPARATOR.sub(" ", stem)
    if text == text.lower():
        text = _WORD_START.sub(lambda m: u if len(u := m.group().upper()) == 1 else m.group(),
                               text)
    return text


def filename_place(filename: str, names: Sequence[str], authors: Sequence[str]) -> Place:
    """A lower-case stem was capitalised word by word, so a role word before a capitalised
    word says nothing there ("father-inclusive-practice"): a name found in it must be in the
    name lists or the uploader's list."""
    stem = PurePosixPath(filename).stem
    place = field_place("in the file name", stem_as_text(stem), names, authors)
    if stem != stem.lower():
        return place
    listed = {fold(n) for name in names for n in name.split()}
    lex = lexicon()
    kept = tuple(
        f for f in place.findings
        if f.kind is not PiiKind.NAME
        or any(fold(w) in lex.names or fold(w) in listed for w in f.text.split())
    )
    return Place(place.where, place.text, kept)


def redact_filename(filename: str, findings: Sequence[Finding]) -> str:
    """The file name with each finding in its stem replaced by "<kind>-removed"."""
    path = PurePosixPath(filename)
    stem, out, pos = path.stem, [], 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos:
            continue
        out += [stem[pos : f.start], f"{f.kind.value.replace('_', '-')}-removed"]
        pos = f.end
    out.append(stem[pos:])
    return str(path.with_name("".join(out) + path.suffix)) if path.name else filename


def kinds_phrase(findings: Sequence[Finding]) -> str:
    """ "2 phones and a name": what was found, never the values."""
    counts: dict[PiiKind, int] = {}
    for f in findings:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    parts = [f"{n} {k.label}s" if n > 1 else f"a {k.label}" if k.label[0] not in "aeiou"
             else f"an {k.label}" for k, n in counts.items()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
