"""Which language a query is in: the model reads English only, so practitioners are told.

py3langid (a naive Bayes model shipped inside the package) names the language among the
languages a hub's practitioners are likely to write in. Short queries are its weak spot, so a
query counts as not English only when the model is sure of another language and most of its
words are not English words: short English queries (acronyms, jargon) are never flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from search.english import english_words

# Languages the identifier chooses among (restricting it keeps English jargon from being read
# as Latin or Nigerian Pidgin), with the names a notice gives them.
LANGUAGES = {
    "en": "English", "ar": "Arabic", "bn": "Bengali", "cs": "Czech", "da": "Danish",
    "de": "German", "el": "Greek", "es": "Spanish", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "it": "Italian",
    "ja": "Japanese", "ko": "Korean", "nl": "Dutch", "no": "Norwegian", "pl": "Polish",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "so": "Somali", "sv": "Swedish",
    "sw": "Swahili", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu",
    "vi": "Vietnamese", "zh": "Chinese",
}
MIN_PROBABILITY = 0.9  # the identifier's (normalised) probability of the other language
MAX_ENGLISH_SHARE = 0.6  # a query with more English words than this is read as English
MIN_LATIN_WORDS = 2  # one Latin-script word is too little to tell (acronyms, names)

_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class LanguageGuess:
    code: str
    name: str
    probability: float
    english: bool  # False only when the query is confidently in another language


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def english_share(words: list[str]) -> float:
    known = english_words()
    return sum(w.lower() in known for w in words) / len(words) if words else 1.0


def guess_language(query: str) -> LanguageGuess:
    """The query's likely language; `english` is True unless another is clearly meant."""
    words = _WORD.findall(query)
    if not words:
        return LanguageGuess("en", LANGUAGES["en"], 0.0, True)
    code, probability = _identifier().classify(query)
    latin = all(_latin(w) for w in words)
    other = (
        code != "en"
        and probability >= MIN_PROBABILITY
        and english_share(words) <= MAX_ENGLISH_SHARE
        and (len(words) >= MIN_LATIN_WORDS or not latin)
    )
    return LanguageGuess(code, LANGUAGES.get(code, code), float(probability), not other)


def _latin(word: str) -> bool:
    """Whether a word is written in Latin letters (accents included: é, ñ, ß, ơ)."""
    return all(ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF for c in word)


def language_notice(guess: LanguageGuess) -> str | None:
    """What to tell a practitioner whose query is not in English, else None."""
    if guess.english:
        return None
    return (f"This looks like {guess.name}; the search reads English only, so these results "
            "may not fit. Try asking in English.")
