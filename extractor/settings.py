"""The one settings object. Nothing else in the project reads the environment.

Every setting can be given as an environment variable prefixed `EXTRACTOR_` (e.g.
`EXTRACTOR_DATABASE_URL`), or in a `.env` file in the working directory.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EXTRACTOR_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("var"), description="where the SQLite file, caches and the model live")
    database_url: str | None = Field(None, description="SQLAlchemy URL; default: SQLite file in data_dir")
    database_busy_timeout_s: float = Field(
        30.0, description="SQLite: how long a writer waits for another process's write lock before failing"
    )
    job_max_attempts: int = Field(
        3, description="ingestion jobs (PostgreSQL): attempts of one file, a worker's death counting as one"
    )
    job_stalled_after_s: float = Field(
        30.0, description="a worker silent this long is dead: its jobs go back to the queue"
    )
    backend: str = Field("hybrid", description="rules | llm | hybrid")

    # LLM endpoint (any OpenAI-compatible server). Empty base_url means: the embedded local model.
    llm_base_url: str | None = None
    llm_model: str = "qwen2.5-coder-0.5b-instruct-q4_k_m"
    llm_api_key: str = "not-needed"
    llm_timeout_s: float = Field(
        15.0, description="one HTTP attempt's limit, cut to what is left of the document's deadline"
    )
    llm_max_retries: int = 2
    llm_document_deadline_s: float = Field(
        30.0, description="seconds of LLM calls per document; then it is finished with the rules' records"
    )
    llm_whole_tables: bool = Field(
        True,
        description="also send whole tables (unparsed, rejected) to the LLM: for strong endpoints; on the "
        "embedded model they do not fit the per-attempt timeout (measured), only the narrow questions do",
    )
    llm_breaker_failures: int = Field(
        3, description="consecutive failed attempts at an endpoint that open its circuit breaker"
    )
    llm_breaker_cooldown_s: float = Field(
        60.0, description="how long an open breaker skips calls before one probe is let through"
    )
    llm_document_token_budget: int = 60000
    llm_cache_dir: Path | None = None
    llm_offline: bool = Field(
        False, description="replay recorded responses only: a call the cache cannot answer fails at once"
    )
    llm_recordings_dir: Path | None = Field(
        Path("eval/recordings"),
        description="answers of real model runs, replayed before any call (read-only; none: no recordings)",
    )

    # Review
    review_threshold: float = 0.9
    review_thresholds_by_kind: dict[str, float] = Field(default_factory=dict)
    lease_seconds: int = 300
    reviewed_gold_dir: Path | None = Field(
        None,
        description="where reviewed documents are exported as gold cases; default: data_dir/reviewed-gold",
    )
    max_upload_bytes: int = 20 * 1024 * 1024
    secret_key: str = "dev-only-change-me"
    # development | production: outside development the review server refuses the default secret key
    environment: str = "development"
    # the Host header the review server answers (others get 400); "*" allows any
    allowed_hosts: list[str] = Field(default_factory=lambda: ["localhost", "127.0.0.1", "::1"])
    login_max_failures: int = 10  # wrong passwords per account, and per client address, ...
    login_lockout_seconds: int = 900  # ... within this window, before logins are refused (429)
    page_image_dir: Path | None = Field(
        None,
        description="where rendered PDF pages are cached for the review page; default: data_dir/page-images",
    )
    page_image_scale: float = Field(2.0, description="pixels per PDF point of a rendered page image")

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "extractor.sqlite"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    @property
    def effective_cache_dir(self) -> Path:
        return self.llm_cache_dir or (self.data_dir / "llm-cache")

    @property
    def effective_reviewed_gold_dir(self) -> Path:
        return self.reviewed_gold_dir or (self.data_dir / "reviewed-gold")

    @property
    def effective_page_image_dir(self) -> Path:
        return self.page_image_dir or (self.data_dir / "page-images")

    @property
    def recordings(self) -> list[Path]:
        return [self.llm_recordings_dir] if self.llm_recordings_dir is not None else []

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    def threshold_for(self, kind: str) -> float:
        return self.review_thresholds_by_kind.get(kind, self.review_threshold)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
