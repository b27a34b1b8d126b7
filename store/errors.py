"""Errors of the index that a practitioner or operator can act on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.records import DocumentRecord


class SearchError(Exception):
    """Base class for index and retrieval errors."""


class ModelMismatchError(SearchError):
    """The index on disk was built with another embedding model than the one configured."""

    def __init__(self, stored: str, stored_dim: int, configured: str, configured_dim: int) -> None:
        super().__init__(
            f"This index was built with the embedding model '{stored}' ({stored_dim} dimensions), "
            f"but the configured model is '{configured}' ({configured_dim} dimensions). "
            "Vectors from different models cannot be mixed. Run `commons reindex` to rebuild "
            "every document from the stored originals with the configured model, or set "
            "COMMONS_MODEL_PATH and COMMONS_EMBED_BACKEND back to what the index was built "
            "with."
        )
        self.stored = stored
        self.configured = configured


class DocumentNotFoundError(SearchError):
    """No document with this id is in the catalog."""

    def __init__(self, doc_id: str) -> None:
        super().__init__(f"No document with id '{doc_id}'.")
        self.doc_id = doc_id


class VectorStoreUnavailable(SearchError):
    """The vector index cannot be read or written; search falls back to words only."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"The vector index cannot be used ({reason}). Search matches words only until an "
            "administrator runs `commons reindex`, which rebuilds it from the stored originals."
        )
        self.reason = reason


class AlreadyExistsError(SearchError):
    """A record with this key (a user id, a token) is already kept."""


class DuplicateContentError(SearchError):
    """Another document the writer may see already holds this content (its twin)."""

    def __init__(self, twin: DocumentRecord) -> None:
        super().__init__(f"same content as '{twin.source}'")
        self.twin = twin
