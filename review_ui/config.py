"""What the app is built from: settings, the engine, the pipeline function, where gold and reports go."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine

from extractor.model import ExtractionResult
from extractor.settings import Settings

Extract = Callable[[bytes, str], ExtractionResult]


def pipeline_extract(settings: Settings) -> Extract:
    """The real pipeline (`extractor.pipeline.extract_bytes`), imported when first used."""

    def extract(data: bytes, filename: str) -> ExtractionResult:
        from extractor.pipeline import extract_bytes  # type: ignore[import-not-found, unused-ignore]

        result: ExtractionResult = extract_bytes(data, filename, settings=settings)
        return result

    return extract


@dataclass
class AppConfig:
    settings: Settings
    engine: Engine
    extract: Extract
    gold_dir: Path
    reports_dir: Path = Path("var/eval-report")
    session_ttl: timedelta = timedelta(hours=12)
    secure_cookies: bool = False
    upload_paths: frozenset[str] = field(
        default_factory=lambda: frozenset({"/api/documents", "/documents/upload"})
    )

    @property
    def lease_seconds(self) -> int:
        return self.settings.lease_seconds

    @property
    def max_upload_bytes(self) -> int:
        return self.settings.max_upload_bytes
