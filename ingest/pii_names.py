"""Find people's names in free text without a list: a name-like word plus a cue.

A capitalised word is taken as a person's name when a cue says so:
- strong cues (any capitalised word that is not a role or function word): an age or school
  year beside it ("Leo, aged 4", "Ana (7)", "Tom, Year 3,", "Mia is a 5-year-old"), a family,
  child or staff role just before it ("her son Amir", "foster carer: Dee Moss", "Mum (Ana)"),
  a title ("Mrs Tran"), "named"/"called", a possessive before a personal noun ("Kofi's
  nan", "Isla's speech"), a role after it ("Dee Moss (mum)");
- weaker cues, only for words in the given-name lists that are not also common words or
  places: a given name followed by a known surname ("Maeve Doyle"), or a given name in a
  sentence about one child or family (a pronoun, a family role, school or care words);
- a name joined by "and" or a comma to a name found so.

Not names: initials ("J.M.", "child A", "AK"), roles, months, weekdays, a word before a place
or organisation word ("Jordan River", "Victoria Police", "Paul Ramsay Foundation"), a word
after "in"/"at"/"from", names after "Dr" or "Prof" (professionals and authors), and authors in
citations ("Masten (2001)", "Lave, J.", "Shonkoff and Garner (2012)"), together with any name
in the text whose surname is cited so, or that is among the given authors.

Everything is one pass of linear regular expressions over the text plus set look-ups around
each capitalised word; context is read from bounded windows, so time grows with the text.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest import pii_words as W
from ingest.pii_lexicon import Lexicon, fold, lexicon

_UPPER = "A-ZÀ-ÖØ-ÞĀ-\u017f"
TOKEN = re.compile(rf"(?<![\w'\u2019@./\\-])[{_UPPER}][\w'\u2019-]*")
_POSSESSIVE = re.compile(r"(?:['\u2019]s|s['\u2019])$")


def _alternation(words: frozenset[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_LAST_WORDS = re.compile(r"([\w\u2019'-]+)(?:\s+(of))?\s*(?:[:(,]|-\s)?\s*$")
BEFORE_NAME_WORD = re.compile(
    r"(?:\b(?:named|called|nicknamed|known\s+as|name\s*(?:is|was|:)|names?\s+(?:is|are)))"
    r"\s*[\"\u201c'\u2018]?\s*$",
    re.I,
)
_AGE_UNIT = r"(?:years?|yrs?|y\.?o\.?|months?|mths?|weeks?\s+old)"
AFTER_AGE = re.compile(
    rf"^(?:\s*,\s*(?:now\s+|just\s+)?|\s*\(\s*|\s+)(?:aged?\s*:?\s*)?\d{{1,2}}"
    rf"(?:\s*{_AGE_UNIT}(?:\s+old)?)?"
    r"\s*(?:\)|,|;|:|\.(?!\d)|$|\s+(?:and|is|has|was|who|with|had|will|said|from|in|at|"
    r"to|on|were|are|moved|started|came|attended|lives)\b)",
    re.I,
)
AFTER_AGED = re.compile(rf"^\s*,?\s*\(?\s*aged?\s+\d{{1,2}}(?:\s*{_AGE_UNIT})?\b", re.I)
AFTER_IS_AGE = re.compile(
    rf"^\s+is\s+(?:now\s+|only\s+|just\s+|almost\s+|nearly\s+)?\d{{1,2}}(?:\s*{_AGE_UNIT}"
    r"(?:\s+old)?)?(?!\s*(?:%|percent|hours?|days?|minutes?|pm|am|:|\.\d|,\d))\b",
    re.I,
)
AFTER_SCHOOL = re.compile(
    r"^(?:\s*,\s*(?:(?:who\s+is|now)\s+)?(?:(?:a|an|in)\s+)?|\s+(?:is|was)\s+(?:(?:a|an|in|now"
    r"|only)\s+)?|\s*\(\s*)(?:(?:Year|Yr|Grade|Gr|Class|Form|Prep|Reception|Kindy|Kinder)"
    r"(?:\s*\d{1,2})?\b|\d{1,2}[- ]?(?:year|month|week)s?[- ]old\b|(?:Year|Grade)\s*\d{1,2}"
    r"\s+(?:student|pupil)\b)",
)
AFTER_ROLE = re.compile(
    rf"^(?:\s*,\s*(?:(?:the|a|an|her|his|their)\s+)?|\s*\(\s*(?:(?:the|her|his)\s+)?)"
    rf"(?:(?:foster|kinship|birth|step|older|younger|big|little)\s+)?(?:{_alternation(W.FAMILY)})"
    r"\b(?!\s+(?:and|or)\b)",
    re.I,
)
AFTER_BIRTH = re.compile(r"^\s*[,(:;-]?\s*(?:D\.?\s?O\.?\s?B\b|date\s+of\s+birth|born\b|b\.\s*\d)",
                         re.I)
AFTER_POSSESSIVE = re.compile(r"^['\u2019]s?\s+(?P<noun>[\w-]+)")
CITED = re.compile(
    r"^(?:(?:\s*,\s*|\s+and\s+|\s*&\s*)(?:[A-Z][\w'\u2019-]+\s+){0,2}[A-Z][\w'\u2019-]+)*"
    r"(?:['\u2019]s)?\s*(?:,?\s*et\s+al\.?)?\s*(?:[(,]\s*(?:\d{4}|n\.d\.)|,\s*[A-Z]\.)",
)
CITED_SURNAME = re.compile(
    r"(?<![\w-])(?P<name>[A-Z][\w'\u2019-]+)(?:\s+et\s+al\.?)?\s*(?:\(\s*\d{4}|,\s*(?:[A-Z]\.|\d{4}))"
)
FAMILY_PLURAL = re.compile(
    r"\bthe\s+(?P<name>[A-Z][a-z]+)s\b(?=\s*(?:[.,;:)!?]|$|\s+(?:and|are|were|have|had|who|"
    r"said|at|in|on|for|to|from|will|came|come|family)\b))"
)
_CUE_WORDS = W.FAMILY | W.SCHOOL | W.CARE | W.PRONOUNS | (W.CHILD - {"person", "man", "woman"})
_WORD = re.compile(r"[^\W\d_][\w-]*|\d{1,2}-year-old")
SENTENCE_WINDOW = 300  # characters either side of a name read as its sentence, at most
SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
CONNECTOR = re.compile(r"^(?:\s*,\s*(?:and\s+|&\s*)?|\s+(?:and|&|or)\s+)$")
MAX_NAME_WORDS = 4
_ROLE_WORDS = W.FAMILY | W.CHILD | W.STAFF | W.TITLES


@dataclass(frozen=True)
class _Token:
    start: int
    end: int  # without a possessive 's
    key: str  # folded
    possessive: bool


@dataclass
class _Candidate:
    tokens: list[_Token]
    before_role: str  # the role or title word just before it in the same run of capitals
    professional: bool  # Dr, Prof, ...
    place: bool  # ends in, or is followed by, a place or organisation word
    name: bool = False
    strong: bool = False

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end

    @property
    def head(self) -> _Token:
        return self.tokens[0]


_CALENDAR = W.MONTHS | W.WEEKDAYS | W.SEASONS


def _tokens(text: str) -> list[_Token]:
    out = []
    for m in TOKEN.finditer(text):
        word = m.group().rstrip("-'\u2019")
        possessive = bool(_POSSESSIVE.search(word)) and len(word) > 3
        if possessive:
            word = word[:-2] if word[-2] in "'\u2019" else word[:-1]
        if not any(c.islower() for c in word):
            continue  # AK, JR's, DOB, NSW: initials and acronyms
        if "-" in word and all(fold(part) in _CALENDAR for part in word.split("-")):
            continue  # "April-May", "Monday-Friday": a span of the calendar
        out.append(_Token(m.start(), m.start() + len(word), fold(word), possessive))
    return out


def _runs(text: str, tokens: list[_Token]) -> list[list[_Token]]:
    """Capitalised words separated only by spaces; a possessive ends a run."""
    runs: list[list[_Token]] = []
    for token in tokens:
        if runs and not runs[-1][-1].possessive and text[runs[-1][-1].end : token.start] in (
            " ", "  ", "\t"
        ):
            runs[-1].append(token)
        else:
            runs.append([token])
    return runs


def _candidates(text: str, run: list[_Token]) -> list[_Candidate]:
    """Split a run at role and function words; a role or title just before a part cues it."""
    out: list[_Candidate] = []
    current: list[_Token] = []
    role, professional = "", False
    for token in [*run, None]:
        if token is not None and token.key not in W.STOP:
            current.append(token)
            if not token.possessive:
                continue
            token = None  # a possessive ends the name
        if current:
            place = len(current) > 1 and current[-1].key in W.PLACE_WORDS
            out.append(_Candidate(current, role, professional, place))
            current = []
        role = token.key if token is not None and token.key in _ROLE_WORDS else ""
        professional = token is not None and token.key in W.PROFESSIONAL_TITLES
    if out and out[-1].end == run[-1].end:
        skip = 2 if run[-1].possessive else 0
        follow = re.match(r"\s+([A-Z][\w'\u2019-]*)", text[run[-1].end + skip : run[-1].end + 40])
        if follow and fold(follow.group(1)) in W.PLACE_WORDS:
            out[-1].place = True
    return out


def _in(key: str, first: frozenset[str], rest: frozenset[str]) -> bool:
    """key is in first, or is hyphenated with its first part in first and the rest in rest."""
    if key in first:
        return True
    parts = key.split("-")
    return len(parts) > 1 and parts[0] in first and all(p in rest for p in parts[1:])


def _given(key: str, lex: Lexicon, *, ordinary: bool) -> bool:
    """A given name; ordinary ones are in the locales' ordinary lists and not common words,
    places or roles."""
    if not ordinary:
        return _in(key, lex.given, lex.names)
    if key in W.AMBIGUOUS or key in lex.common_words or key in W.STOP:
        return False
    return _in(key, lex.curated_given, lex.names)


def _known(key: str, lex: Lexicon) -> bool:
    return _in(key, lex.names, lex.names)


def _strong(text: str, c: _Candidate) -> bool:
    """An age, a role, a title or "called" beside it. Words in no name list need the clearest
    cues (a family role or title before, "called", an age, a school year)."""
    lex = lexicon()
    before = text[max(0, c.start - 60) : c.start]
    after = text[c.end : c.end + 80]
    known = _known(c.head.key, lex)
    ordinary = _given(c.head.key, lex, ordinary=True) or (
        known and c.head.key not in W.AMBIGUOUS and c.head.key not in lex.common_words)
    role = c.before_role
    if not role:
        role = _role_before(before)
    if role in W.FAMILY or role in W.TITLES or (role and ordinary):
        return True
    if BEFORE_NAME_WORD.search(before) or AFTER_AGED.match(after) or AFTER_SCHOOL.match(after) \
            or AFTER_BIRTH.match(after):
        return True
    if AFTER_AGE.match(after) and (known or after.lstrip().startswith("(")):
        return True
    if c.tokens[-1].possessive and (m := AFTER_POSSESSIVE.match(after)):
        noun = fold(m["noun"])
        if noun in W.FAMILY or (known and noun in W.PERSONAL):
            return True
    if not known:
        return False
    return bool(AFTER_ROLE.match(after) or AFTER_IS_AGE.match(after))


def _role_before(before: str) -> str:
    """The family, child or staff role or title just before a name ("her son ", "carer: ")."""
    m = _LAST_WORDS.search(before[-40:])
    if m is None:
        return ""
    word = fold(m[1])  # "mother of Leo": the word before "of"
    return word if word in _ROLE_WORDS else ""


def _about_someone(text: str, low: int, high: int) -> bool:
    """A sentence with a pronoun, family role, school or care word, or a "4-year-old"."""
    return any(w.lower() in _CUE_WORDS or w.endswith("-year-old")
               for w in _WORD.findall(text, low, high))


def _medium(text: str, c: _Candidate, lex: Lexicon, full_names: bool,
            ends: list[int], sentences: dict[tuple[int, int], bool]) -> bool:
    if not _given(c.head.key, lex, ordinary=True):
        return False
    before = text[max(0, c.start - 20) : c.start].split()
    if before and fold(before[-1]) in W.PLACE_PREPOSITIONS | W.DETERMINERS:
        return False  # "moved from Hamilton", "reducing the Harm of a move"
    if full_names and len(c.tokens) > 1 and any(_known(t.key, lex) for t in c.tokens[1:]):
        return True
    i = bisect.bisect(ends, c.start)  # the sentence the name is in
    low = max(ends[i - 1] if i else 0, c.start - SENTENCE_WINDOW)
    high = min(ends[i] if i < len(ends) else len(text), c.end + SENTENCE_WINDOW)
    if (low, high) not in sentences:
        sentences[low, high] = _about_someone(text, low, high)
    return sentences[low, high]


def cited_names(text: str) -> set[str]:
    """Surnames cited as authors in text ("Masten (2001)", "Lave, J."), folded."""
    return {fold(m["name"]) for m in CITED_SURNAME.finditer(text)}


def _cited(text: str, c: _Candidate, cited: set[str], authors: set[str]) -> bool:
    if CITED.match(text[c.end : c.end + 120]):
        return True
    keys = {p for t in c.tokens for p in t.key.split("-")}
    return bool(keys & authors) or c.tokens[-1].key in cited


def find_names(text: str, authors: Sequence[str] = (), *, full_names: bool = True,
               ) -> list[tuple[int, int]]:
    """Spans of people's names in text, sorted and disjoint.

    authors are the document's own authors: a name matching one is theirs, unless a strong
    cue (an age, a family role) says it is someone in the note. full_names=False leaves out
    a bare given name and surname, for fields that are lists of authors.
    """
    lex = lexicon()
    tokens = _tokens(text)
    if not tokens:
        return []
    cited = cited_names(text)
    author_keys = {p for a in authors for p in re.split(r"[\s,.-]+", fold(a)) if len(p) > 1}
    ends = [m.start() for m in SENTENCE_END.finditer(text)]
    sentences: dict[tuple[int, int], bool] = {}
    candidates = [c for run in _runs(text, tokens) for c in _candidates(text, run)]
    words_only = lex.common_words - lex.given
    for c in candidates:
        c.tokens = c.tokens[:MAX_NAME_WORDS]
        if c.professional or c.head.key in words_only:
            continue
        if _strong(text, c):
            c.name = c.strong = not CITED.match(text[c.end : c.end + 120])
        elif not c.place and not _cited(text, c, cited, author_keys):
            c.name = _medium(text, c, lex, full_names, ends, sentences)
    _coordinate(text, candidates, lex, cited, author_keys)
    spans = [(c.start, c.end) for c in candidates if c.name]
    for m in FAMILY_PLURAL.finditer(text):
        key = fold(m["name"])
        if key in lex.surnames and key not in lex.common_words and key not in W.STOP:
            spans.append(m.span("name"))
    return _disjoint(spans)


def _coordinate(text: str, candidates: list[_Candidate], lex: Lexicon, cited: set[str],
                authors: set[str]) -> None:
    """Names joined by "and" or commas to a found name are names too ("Ruby and Rose")."""
    pairs = list(itertools.pairwise(candidates))
    for a, b in [*pairs, *reversed(pairs)]:  # forwards, then backwards
        if a.name == b.name:
            continue
        gap = text[a.end + (2 if a.tokens[-1].possessive else 0) : b.start]
        other = b if a.name else a
        if not CONNECTOR.match(gap) or (
            other.place or other.professional or other.head.key in lex.common_words
            or _cited(text, other, cited, authors)
        ):
            continue
        other.name = True


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out
