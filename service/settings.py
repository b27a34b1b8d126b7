"""All configuration in one place, from COMMONS_* environment variables (or a .env file)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.pii import DEFAULT_PII_POLICY, PiiPolicy
from search.fusion import FusionMode
from store.records import Kind, Visibility


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COMMONS_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Folder for the index and the originals.")
    model_path: Path | None = Field(
        None, description="Local sentence-transformers folder; default: bundled all-MiniLM-L6-v2."
    )
    embed_backend: Literal["onnx-fp32", "onnx-int8", "torch"] = Field(
        "onnx-fp32",
        description="onnx-fp32 (default for a new hub): the model in full precision, run by "
        "ONNX Runtime; onnx-int8: quantised, about 1.8x the passages a second, ranking a "
        "little lower (docs/retrieval.md); torch: the model as is. Unset, a hub keeps the "
        "backend it was built with until `commons reindex`.",
    )
    reranker_path: Path | None = Field(
        None, description="Local sentence-transformers CrossEncoder folder to rerank with."
    )
    chroma_url: str | None = Field(
        None, description="A Chroma server (http://host:port) instead of the embedded store."
    )
    database_url: str | None = Field(
        None, pattern=r"^postgres(ql)?://",
        description="PostgreSQL (postgresql://user@host:port/db) for the catalog, full-text "
        "index, accounts, audit, jobs and originals instead of the data folder's SQLite file.",
    )
    chroma_collection: str = Field(
        "chunks", min_length=3, description="Collection name (3+ characters) on that server."
    )
    fusion: FusionMode = Field(
        FusionMode.CONVEX, description="convex (default): weighted z-scores of each "
        "retriever's candidates; rrf: reciprocal rank fusion.")
    lexical_weight: float = Field(0.4, ge=0)
    dense_weight: float = Field(0.6, ge=0)
    max_upload_mb: int = Field(50, ge=1, description="Largest upload accepted, in MB.")
    trash_days: int = Field(
        30, ge=0, description="Days a deleted document stays in the trash, restorable, before "
        "it and its original are removed for good (0: at the next clean-up).")
    lease_seconds: int = Field(
        60, ge=5, le=3600,
        description="A write or upload job not renewed for this long lost its process (killed, "
        "or its machine gone); another process finishes it. Writes in progress in other "
        "processes (replicas) younger than this are left alone by start-up repair.",
    )
    parse_timeout_s: float = Field(
        60, gt=0, description="Longest a file may take to read (parse); past it, a 422."
    )
    parse_memory_mb: int = Field(
        1024, ge=64, description="Most memory a file may take to read, in MB; past it, a 422."
    )
    parse_workers: int = Field(
        2, ge=1, description="Worker processes reading files, so one slow file does not "
        "hold up other uploads.",
    )
    ocr_page_timeout_s: float = Field(
        30, gt=0, description="Longest one photo or scanned page may take to recognise "
        "(OCR); past it, a 422. A file's read time limit grows by this for each such page.")
    ocr_low_confidence: float = Field(
        75, ge=0, le=100, description="Recognised pages with a lower OCR confidence (0-100) "
        "are flagged on the document page as possibly containing errors.")
    max_chunks: int = Field(
        2000, ge=1, description="Most passages one document may make; more is refused (413)."
    )
    search_threads: int = Field(
        default_factory=lambda: 2 * (os.cpu_count() or 1), ge=1,
        description="Searches computed at once (default: twice the cores); the rest wait "
        "their turn, first come first served. Most of a search holds Python's GIL, so more "
        "at once only adds contention (bench/load.py).",
    )
    write_group_ms: int = Field(
        250, ge=0, description="While searches wait their turn, an upload waits up to this "
        "long (ms) to be written with others: one vector-store write for several.",
    )
    sync_chunks: int = Field(
        120, description="Uploads with more chunks than this are indexed as a job (202)."
    )
    sync_pdf_pages: int = Field(
        20, description="PDFs with more pages than this are indexed as a background job (202)."
    )
    allowed_types: list[str] = Field(
        default_factory=lambda: [".md", ".markdown", ".txt", ".pdf", ".docx", ".jpg", ".jpeg",
                                 ".png", ".heic"],
        description="File extensions accepted for upload.",
    )
    pii_policy: PiiPolicy = Field(
        DEFAULT_PII_POLICY,
        description="Personal data in a document: warn (index, report), review (refuse until "
        "the uploader chooses redact or keep), or redact (replace it automatically).",
    )
    pii_names_file: Path | None = Field(
        None, description="A text file of names (one a line) to treat as personal data."
    )
    note_visibility: Visibility = Field(
        Visibility.COMMUNITY, description="Who sees an uploaded session note when the upload "
        "does not say: community (default: the members of its community; a note with no "
        "community is public), public or private.")
    practice_visibility: Visibility = Field(
        Visibility.PUBLIC, description="The same for an uploaded practice guide.")
    reading_visibility: Visibility = Field(
        Visibility.PUBLIC, description="The same for an uploaded reading.")
    api_tokens: str = Field("", description="Comma-separated bearer tokens allowed to write.")
    read_token: str | None = Field(None, description="If set, reads need this bearer token.")
    allow_anonymous: bool = Field(
        True, description="Let people without a token read public documents."
    )
    insights: bool = Field(
        True, description="Keep a record of searches (text redacted, no identity) and their "
        "feedback for the facilitators' view, /insights (docs/insights.md); off: keep nothing "
        "and delete what was kept.")
    insights_retention_days: int = Field(
        90, ge=1, le=3650, description="Days a search and its feedback are kept, then deleted.")
    insights_min_searchers: int = Field(
        2, ge=1, description="A query's text is shown on /insights only when at least this "
        "many different sessions asked it or a close variant; otherwise only its group's label.")

    @property
    def pii_names(self) -> tuple[str, ...]:
        if self.pii_names_file is None:
            return ()
        lines = self.pii_names_file.read_text(encoding="utf-8").splitlines()
        return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))

    @property
    def default_visibility(self) -> tuple[tuple[Kind, Visibility], ...]:
        """Who sees an upload of each kind when neither the upload nor the file says."""
        return ((Kind.SESSION_NOTE, self.note_visibility),
                (Kind.PRACTICE, self.practice_visibility),
                (Kind.READING, self.reading_visibility))

    @property
    def tokens(self) -> set[str]:
        return {t.strip() for t in self.api_tokens.split(",") if t.strip()}
