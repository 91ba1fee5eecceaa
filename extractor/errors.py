"""Exceptions of the extractor. Each carries the context needed to explain it; the CLI and HTTP
edges turn them into one-line user messages."""

from __future__ import annotations


class ExtractorError(Exception):
    """Base class. `source` names the file or document concerned."""

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def user_message(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class IngestError(ExtractorError):
    """A file could not be read as a document (empty, corrupt, unknown format)."""


class StorageError(ExtractorError):
    """The database refused an operation."""


class LLMError(ExtractorError):
    """An LLM call failed after its retries; carries attempts and the last raw reply."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        attempts: int = 0,
        raw: str | None = None,
    ) -> None:
        super().__init__(message, source=source)
        self.attempts = attempts
        self.raw = raw
