"""The PII guard (issue 8): find personal data in session notes before they are indexed.

Session notes are about children and families; a phone number, a child's name or a health
card number must be caught before it becomes searchable. Detection is regular expressions
plus check digits, cue words for numbers that are only personal in context (a date is a date
of birth only next to "DOB"), and vetoes for numbers that only look personal (ISBNs, DOIs).
Names come from the uploader's list and, without a list, from given-name and surname lists
with a cue around them (ingest/pii_names.py). Limits: a name with no cue ("Sam refused to
join circle time") unless listed; no street without a number; a birthday with no cue
word ("turned 7 on 3 June"); a count before a capitalised street type ("1999 Main Street").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ingest.pii_names import find_names


class PiiKind(StrEnum):
    """What a finding is; the value names it in placeholders and reports."""

    EMAIL = "email"
    PHONE = "phone"
    POSTAL_ADDRESS = "postal_address"
    POSTAL_CODE = "postal_code"
    DATE_OF_BIRTH = "date_of_birth"
    GOVERNMENT_ID = "government_id"
    HEALTH_CARD = "health_card"
    NAME = "name"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").replace(" id", " ID")


class PiiPolicy(StrEnum):
    """What the hub does with a document that has findings.

    WARN indexes it and reports the findings; REVIEW refuses to index it until the uploader
    confirms or redacts; REDACT indexes the redacted text. REVIEW suits notes about children:
    a false alarm costs the uploader a click, a miss puts a child's details in search.
    """

    WARN = "warn"
    REVIEW = "review"
    REDACT = "redact"


# The hub's policy unless told otherwise, for a served hub (service.settings) and a Pipeline alike.
DEFAULT_PII_POLICY = PiiPolicy.REVIEW


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: its kind and where it is (character offsets in the text)."""

    kind: PiiKind
    start: int
    end: int
    text: str


def _always(_: str) -> bool:
    return True


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def _luhn(s: str) -> bool:
    """Canadian SINs carry a Luhn check digit; most 3-3-3 numbers that are not SINs fail it."""
    total = 0
    for i, c in enumerate(reversed(_digits(s))):
        n = int(c) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _nhs_mod11(s: str) -> bool:
    """NHS numbers end in a mod-11 check digit over the first nine, weighted 10 down to 2."""
    d = _digits(s)
    check = 11 - sum(int(c) * w for c, w in zip(d[:9], range(10, 1, -1), strict=True)) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(d[9])


def _digit_count(low: int, high: int) -> Callable[[str], bool]:
    return lambda s: low <= len(_digits(s)) <= high


_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?|{_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?"
    rf"|{_MONTH}\s+\d{{4}}|\d{{1,2}}/\d{{1,2}})(?![\d/])"
)
_BIRTH_CUE = (
    r"(?:\bD\.?\s?O\.?\s?B\b\.?|\bdate\s+of\s+birth\b|\bbirth\s*(?:day|date)\b|\bborn\b"
    r"|(?-i:\bb\.))"
)
DOB_AFTER_CUE = re.compile(rf"{_BIRTH_CUE}[^\d\n]{{0,20}}?(?P<pii>{_DATE})", re.I)
DOB_BEFORE_CUE = re.compile(rf"(?<![\d/.-])(?P<pii>{_DATE})\s*\(?(?:D\.?O\.?B\b|born\b)", re.I)

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")

PHONE_INTL = re.compile(
    r"(?<![\w+])\+\d{1,3}(?:[ .-]?\(0\))?[ .-]?\(?\d{1,5}\)?(?:[ .-]?\d{2,5}){1,4}(?![\w-])"
)
PHONE_NORTH_AMERICA = re.compile(
    r"(?<![\w+/.-])(?:\+?1[ .-]?)?(?:\([2-9]\d{2}\)|[2-9]\d{2})[ .-]?\d{3}[ .-]\d{4}(?![\w/-])"
)
PHONE_TRUNK = re.compile(  # UK and Australian numbers dialled with a leading 0
    r"(?<![\w+/.,-])(?:\(0[1-9]\d{0,3}\)|0[1-9]\d{0,3})[ -]?\d{3,4}[ -]?\d{3,4}(?![\w/-])"
)
PHONE_LOCAL_AFTER_CUE = re.compile(
    r"\b(?:ph|phone|tel|mob|mobile|cell|call|text|ring|number)\b[^\d\n]{0,15}?"
    r"(?P<pii>(?!(?:19|20)\d\d[ -](?:19|20)\d\d)\d{3,4}[ -]\d{4})(?![\d-])",
    re.I,
)

SIN = re.compile(r"(?<![\w-])\d{3}([ -])\d{3}\1\d{3}(?![\w-])")
SSN = re.compile(r"(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])")
UK_NI_NUMBER = re.compile(
    r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r" ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b"
)
GOV_ID_AFTER_CUE = re.compile(
    r"(?:\b(?-i:SIN|SSN)\b|\bsocial\s+(?:insurance|security)\s+(?:number|no\b))[^\d\n]{0,15}?"
    r"(?P<pii>\d{3}[ -]?\d{2,3}[ -]?\d{3,4})(?![\d-])",
    re.I,
)

ONTARIO_HEALTH_CARD = re.compile(r"(?<![\w-])\d{4}([ -]?)\d{3}\1\d{3}\1[A-Z]{2}\b")
NHS_NUMBER = re.compile(r"\bNHS\b[^\d\n]{0,15}?(?P<pii>\d{3}[ -]?\d{3}[ -]?\d{4})(?![\d-])")
HEALTH_CARD_AFTER_CUE = re.compile(
    r"(?:\bhealth[\s-]*card|\bOHIP|\bMedicare|\bhealth\s+(?:insurance\s+)?(?:number|no\b))"
    r"[^\d\n]{0,15}?(?P<pii>\d(?:[ -]?\d){7,13}(?:[ -]?(?-i:[A-Z]{1,2})\b)?)",
    re.I,
)

_STREET_TYPE = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Crescent|Cres|Court|Ct|Boulevard"
    r"|Blvd|Way|Place|Pl|Terrace|Tce|Parade|Pde|Highway|Hwy|Close|Circuit|Grove|Square"
    r"|Trail|Parkway|Pkwy|Row|Mews)"
)
_UNIT = r"(?i:apt|apartment|unit|suite|flat)\.?\s*#?\d+[A-Za-z]?"
_STREET_NAME_WORD = r"(?:[A-Z][\w'\u2019-]*\.?|\d+(?:st|nd|rd|th))"
POSTAL_ADDRESS = re.compile(
    rf"(?:\b{_UNIT}(?:,\s*|\s*/\s*|\s+)|\b\d+[A-Za-z]?/)?\b\d{{1,5}}[A-Za-z]?(?:-\d{{1,5}})?"
    rf" +(?:{_STREET_NAME_WORD} +){{1,3}}?{_STREET_TYPE}\b\.?"
    rf"(?: +(?:North|South|East|West|[NSEW])\b)?(?:,? +{_UNIT})?"
)
PO_BOX = re.compile(r"\b(?:(?:P\.? ?O\.?|Post Office|GPO) ?Box|Locked Bag) \d{1,6}\b", re.I)
_NOT_A_STREET = re.compile(
    r"(?:Family|Children'?s|Youth|Supreme|District|Magistrates'?|County|Federal|High|Drug) Court"
)

CANADIAN_POSTAL_CODE = re.compile(
    r"\b[ABCEGHJ-NPRSTVXY]\d[A-CEGHJ-NPRSTV-Z] ?\d[A-CEGHJ-NPRSTV-Z]\d\b"
)
UK_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}\b")
US_ZIP_AFTER_STATE = re.compile(
    r"\b(?:A[LKZR]|C[AOT]|DE|DC|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI"
    r"|S[CD]|T[NX]|UT|V[TA]|W[AVIY]|(?i:zip(?:\s*code)?:?))\s+(?P<pii>\d{5}(?:-\d{4})?)\b"
)
AU_POSTCODE_AFTER_STATE = re.compile(r"\b(?:VIC|NSW|QLD|SA|WA|TAS|NT|ACT)\s+(?P<pii>\d{4})\b")

NOT_PII = re.compile(  # numbers that look personal but are references
    r"\bISBN(?:-1[03])?:?\s*[\dXx -]{10,17}|\b10\.\d{4,9}/\S+|https?://\S+", re.I
)


@dataclass(frozen=True)
class _Rule:
    kind: PiiKind
    pattern: re.Pattern[str]
    check: Callable[[str], bool] = _always


# Earlier rules are more specific: they win ties between spans of the same length.
_RULES: tuple[_Rule, ...] = (
    _Rule(PiiKind.HEALTH_CARD, ONTARIO_HEALTH_CARD),
    _Rule(PiiKind.HEALTH_CARD, NHS_NUMBER, _nhs_mod11),
    _Rule(PiiKind.HEALTH_CARD, HEALTH_CARD_AFTER_CUE),
    _Rule(PiiKind.GOVERNMENT_ID, GOV_ID_AFTER_CUE),
    _Rule(PiiKind.GOVERNMENT_ID, SIN, _luhn),
    _Rule(PiiKind.GOVERNMENT_ID, SSN),
    _Rule(PiiKind.GOVERNMENT_ID, UK_NI_NUMBER),
    _Rule(PiiKind.DATE_OF_BIRTH, DOB_AFTER_CUE),
    _Rule(PiiKind.DATE_OF_BIRTH, DOB_BEFORE_CUE),
    _Rule(PiiKind.EMAIL, EMAIL),
    _Rule(PiiKind.POSTAL_ADDRESS, POSTAL_ADDRESS, lambda s: not _NOT_A_STREET.search(s)),
    _Rule(PiiKind.POSTAL_ADDRESS, PO_BOX),
    _Rule(PiiKind.POSTAL_CODE, CANADIAN_POSTAL_CODE),
    _Rule(PiiKind.POSTAL_CODE, UK_POSTCODE),
    _Rule(PiiKind.POSTAL_CODE, US_ZIP_AFTER_STATE),
    _Rule(PiiKind.POSTAL_CODE, AU_POSTCODE_AFTER_STATE),
    _Rule(PiiKind.PHONE, PHONE_INTL, _digit_count(8, 15)),
    _Rule(PiiKind.PHONE, PHONE_NORTH_AMERICA),
    _Rule(PiiKind.PHONE, PHONE_TRUNK, _digit_count(10, 11)),
    _Rule(PiiKind.PHONE, PHONE_LOCAL_AFTER_CUE),
)


def names_pattern(names: Sequence[str]) -> re.Pattern[str] | None:
    """Whole words only, any case, any spacing between parts: "Sam" never matches "Samuel"."""
    parts = sorted({" ".join(n.split()) for n in names if n.strip()}, key=len, reverse=True)
    if not parts:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, p.split())) for p in parts)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.I)


_LINE_WRAP = re.compile(r"(?<!\n)\n(?!\n)")


def detect(text: str, names: Sequence[str] = (), *, authors: Sequence[str] = (),
           full_names: bool = True) -> list[Finding]:
    """Every finding in text, sorted and non-overlapping.

    Where spans clash the longer wins, then the more specific kind, so an email that contains
    a listed name is one email and a date inside a health card number is not reported twice.
    authors and full_names are passed to the name finder (see ingest.pii_names.find_names).
    """
    rules = list(_RULES)
    if (pattern := names_pattern(names)) is not None:
        rules.append(_Rule(PiiKind.NAME, pattern))
    # A line break inside a paragraph (PDF text wraps lines) may split a phone number or an
    # address; the patterns read such a break as a space (same length, so offsets hold).
    flowing = _LINE_WRAP.sub(" ", text)
    references = [m.span() for m in NOT_PII.finditer(flowing)]
    candidates: list[tuple[int, int, int, PiiKind]] = []
    for rank, rule in enumerate(rules):
        group = "pii" if "pii" in rule.pattern.groupindex else 0
        for match in rule.pattern.finditer(flowing):
            start, end = match.span(group)
            if not rule.check(match[group]):
                continue
            if rule.kind not in (PiiKind.EMAIL, PiiKind.NAME) and any(
                s < end and start < e for s, e in references
            ):
                continue
            candidates.append((start, end, rank, rule.kind))
    for start, end in find_names(text, authors, full_names=full_names):
        candidates.append((start, end, len(rules), PiiKind.NAME))
    chosen: dict[int, Finding] = {}
    starts: list[int] = []  # of chosen findings, sorted; they never overlap
    for start, end, _, kind in sorted(candidates, key=lambda c: (c[0] - c[1], c[2], c[0])):
        i = bisect.bisect(starts, start)
        if (i and chosen[starts[i - 1]].end > start) or (i < len(starts) and starts[i] < end):
            continue
        bisect.insort(starts, start)
        chosen[start] = Finding(kind, start, end, text[start:end])
    return [chosen[s] for s in starts]


def placeholder(kind: PiiKind) -> str:
    """What replaces a finding: says what was there so the note still reads sensibly."""
    return f"[{kind.label} removed]"


def redact(text: str, findings: Sequence[Finding]) -> str:
    """The text with each finding replaced by its placeholder; overlapping findings merge."""
    out: list[str] = []
    pos = 0
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if finding.start < pos:
            pos = max(pos, finding.end)
            continue
        out += [text[pos : finding.start], placeholder(finding.kind)]
        pos = finding.end
    out.append(text[pos:])
    return "".join(out)
