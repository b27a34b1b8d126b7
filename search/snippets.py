"""Snippets: the best one to three sentences of a passage, query terms highlighted, escaped."""

from __future__ import annotations

import html
import re

from search.lexical import analyze

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"\w+", re.UNICODE)


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def highlight(text: str, query_terms: set[str]) -> str:
    """HTML-escape the text and wrap words whose stem is a query term in <mark>."""
    out: list[str] = []
    last = 0
    words = list(_WORD.finditer(text))
    stems = analyze([m.group(0) for m in words]) if words else []
    for match, stem in zip(words, stems, strict=True):
        out.append(html.escape(text[last : match.start()]))
        word = html.escape(match.group(0))
        out.append(f"<mark>{word}</mark>" if stem and stem[0] in query_terms else word)
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def make_snippet(text: str, query: str, max_sentences: int = 3, max_chars: int = 360) -> str:
    """Pick the window of up to `max_sentences` sentences with most query terms; escape it."""
    terms = set(analyze([query])[0])
    sentences = split_sentences(text)
    if not sentences:
        return ""
    sentence_terms = [set(t) for t in analyze(sentences)]
    best, best_score = (0, 1), -1
    for start in range(len(sentences)):
        for size in range(1, max_sentences + 1):
            end = start + size
            if end > len(sentences):
                break
            length = sum(len(s) for s in sentences[start:end])
            if size > 1 and length > max_chars:
                break
            covered = set().union(*sentence_terms[start:end]) & terms
            hits = sum(len(sentence_terms[i] & terms) for i in range(start, end))
            score = len(covered) * 10 + hits
            if score > best_score:
                best, best_score = (start, end), score
    chosen = " ".join(sentences[best[0] : best[1]])
    if len(chosen) > max_chars:
        chosen = chosen[:max_chars].rsplit(" ", 1)[0] + " …"
    prefix = "… " if best[0] > 0 else ""
    suffix = " …" if best[1] < len(sentences) and not chosen.endswith("…") else ""
    return prefix + highlight(chosen, terms) + suffix
