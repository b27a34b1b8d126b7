"""Given names and surnames of many cultures, from the person providers that ship with Faker.

Faker keeps per-locale lists of first and last names (with romanised lists for Chinese and
Japanese); only names in Latin script are taken. They are read once, on first use, from the
installed package: nothing is fetched. Words are compared folded: case-folded, accents off.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF'\u2019 -]+$")
_FIRST = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary",
          "first_romanized_names", "first_romanized_names_male",
          "first_romanized_names_female")
_LAST = ("last_names", "last_names_male", "last_names_female", "last_romanized_names")
_BULK = frozenset({"en", "is_IS"})  # long lists of rare names, many of them also surnames


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """Case-folded with accents removed, so "Lucía" and "LUCIA" look the same."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("\u2019", "'")


@dataclass(frozen=True)
class Lexicon:
    """Folded given names and surnames; common English words, to tell names from words."""

    given: frozenset[str]
    curated_given: frozenset[str]  # from the locales' ordinary lists, not the bulk ones
    surnames: frozenset[str]
    common_words: frozenset[str]
    names: frozenset[str]  # given names and surnames


def _entries(value: object) -> Iterable[str]:
    if isinstance(value, dict | tuple | list | set | frozenset):
        return (v for v in value if isinstance(v, str))
    return ()  # a property or method: not a list


def _parts(names: Iterable[str]) -> set[str]:
    """Each capitalised part of each Latin-script name: "Ana Laura" gives Ana and Laura."""
    out: set[str] = set()
    for name in names:
        if not _LATIN.match(name):
            continue
        for part in re.split(r"[\s-]+", name):
            if len(part) > 1 and part[0].isupper():
                out.add(fold(part))
    return out


@cache
def lexicon() -> Lexicon:
    """Read every locale's person provider once (about 0.1 s)."""
    import faker.providers.lorem.en_US as lorem
    import faker.providers.person as person

    given: set[str] = set()
    curated: set[str] = set()
    surnames: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        first = _parts(n for a in _FIRST for n in _entries(getattr(provider, a, ())))
        given |= first
        if module.name not in _BULK:
            curated |= first
        surnames |= _parts(n for a in _LAST for n in _entries(getattr(provider, a, ())))
    common = frozenset(fold(w) for w in lorem.Provider.word_list)
    return Lexicon(frozenset(given), frozenset(curated), frozenset(surnames), common,
                   frozenset(given | surnames))
