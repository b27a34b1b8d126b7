"""All configuration in one place, from COMMONS_* environment variables (or a .env file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from search.fusion import FusionMode


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COMMONS_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Folder for the index and the originals.")
    model_path: Path | None = Field(
        None, description="Local sentence-transformers folder; default: bundled all-MiniLM-L6-v2."
    )
    reranker_path: Path | None = Field(
        None, description="Local sentence-transformers CrossEncoder folder to rerank with."
    )
    fusion: FusionMode = FusionMode.RRF
    lexical_weight: float = 1.0
    dense_weight: float = 1.0
    max_upload_mb: int = 50
    api_tokens: str = Field("", description="Comma-separated bearer tokens allowed to write.")
    read_token: str | None = Field(None, description="If set, reads need this bearer token.")

    @property
    def tokens(self) -> set[str]:
        return {t.strip() for t in self.api_tokens.split(",") if t.strip()}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
