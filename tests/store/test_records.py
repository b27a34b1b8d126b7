"""Chunk ids: made and read in one place, the same for the catalog and the vector store."""

from __future__ import annotations

import pytest

from store.records import ChunkRecord, chunk_id, doc_id_of


@pytest.mark.parametrize("doc_id", ["3f2a9c", "beir:scifact:4983", ""])
@pytest.mark.parametrize("ordinal", [0, 7, 1234])
def test_a_chunk_id_gives_back_its_document(doc_id: str, ordinal: int) -> None:
    assert doc_id_of(chunk_id(doc_id, ordinal)) == doc_id


def test_a_chunk_record_is_named_by_chunk_id() -> None:
    chunk = ChunkRecord(doc_id="3f2a9c", ordinal=2, text="Ten minutes in the library.")
    assert chunk.id == chunk_id("3f2a9c", 2) == "3f2a9c:2"
    assert doc_id_of(chunk.id) == chunk.doc_id
