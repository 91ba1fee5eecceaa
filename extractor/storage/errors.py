"""Storage exceptions; each names the document or row concerned."""

from __future__ import annotations

from extractor.errors import StorageError


class DocumentNotFound(StorageError):
    """No stored document matches the reference (id, sha256, sha256 prefix or source name)."""


class AmbiguousDocument(StorageError):
    """More than one stored document matches the reference; `matches` lists their ids."""

    def __init__(self, message: str, *, source: str | None = None, matches: list[int] | None = None) -> None:
        super().__init__(message, source=source)
        self.matches = matches or []
