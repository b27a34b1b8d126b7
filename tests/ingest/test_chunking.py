"""Chunking respects headings, pages and the model's token window, and loses no text."""

from __future__ import annotations

from ingest.chunking import ChunkingOptions, chunk_sections
from ingest.models import Section
from store.embedder import Embedder


def test_chunks_stay_within_window_and_keep_all_text(embedder: Embedder) -> None:
    sentence = "Practitioners agreed that predictable routines lower a child's arousal. "
    long_text = sentence * 80
    sections = [
        Section(("Routines",), long_text, page=None),
        Section(("Routines", "Evenings"), "Dim the lights at bedtime. " * 20),
    ]
    chunks = chunk_sections("d", "Guide", sections, embedder.count_tokens)
    assert len(chunks) > 3
    for chunk in chunks:
        n = embedder.count_tokens([chunk.indexed_text])[0] + 2
        assert n <= embedder.max_tokens
    assert {c.heading_path for c in chunks} == {("Routines",), ("Routines", "Evenings")}
    words = " ".join(c.text for c in chunks)
    assert words.count("predictable routines") >= 80  # overlap repeats, nothing is lost


def test_no_chunk_crosses_a_page_boundary(embedder: Embedder) -> None:
    pages = [Section((), f"Page {n} discusses topic {n} in some detail. " * 6, page=n)
             for n in range(1, 4)]
    chunks = chunk_sections("d", "Reading", pages, embedder.count_tokens)
    assert [(c.page_start, c.page_end) for c in chunks] == [(1, 1), (2, 2), (3, 3)]
    assert all(f"Page {c.page_start}" in c.text for c in chunks)


def test_tiny_section_is_carried_into_the_next(embedder: Embedder) -> None:
    sections = [
        Section(("Aim",), "Short aim."),
        Section(("Method",), "A method section with enough words to stand alone. " * 5),
    ]
    chunks = chunk_sections(
        "d", "Guide", sections, embedder.count_tokens, ChunkingOptions(min_tokens=20)
    )
    assert len(chunks) == 1
    assert chunks[0].heading_path == ("Method",)
    assert chunks[0].text.startswith("Aim\nShort aim.")
    assert chunks[0].context == "Guide > Method"


def test_a_sentence_longer_than_the_window_is_split_not_truncated(embedder: Embedder) -> None:
    words = [f"word{i}" for i in range(600)]
    chunks = chunk_sections("d", "T", [Section((), " ".join(words))], embedder.count_tokens)
    assert len(chunks) >= 3
    joined = " ".join(c.text for c in chunks).split()
    assert set(joined) == set(words)
