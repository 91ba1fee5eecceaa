"""Review exceptions. Each carries what the HTTP edge needs to answer (current value, holder of a lease)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from extractor.errors import ExtractorError


class ReviewError(ExtractorError):
    """A review operation was refused; `message` is fit to show to the reviewer."""


class NotFound(ReviewError):
    """No such field, document or user."""


class Forbidden(ReviewError):
    """The user's role does not allow this."""


class InvalidSubmit(ReviewError):
    """The submitted action or value cannot be applied (e.g. a number field given text)."""


class ReadOnlyDocument(ReviewError):
    """The document is approved; only an admin can reopen it."""


class StaleVersion(ReviewError):
    """The field changed since the reviewer saw it: the submit carried an older version."""

    def __init__(
        self,
        message: str,
        *,
        field_id: int,
        current_value: Any,
        current_version: int,
        current_status: str,
        source: str | None = None,
    ) -> None:
        super().__init__(message, source=source)
        self.field_id = field_id
        self.current_value = current_value
        self.current_version = current_version
        self.current_status = current_status


class LeaseHeld(ReviewError):
    """Another reviewer holds a live lease on the field."""

    def __init__(self, message: str, *, holder: str, expires_at: datetime, source: str | None = None) -> None:
        super().__init__(message, source=source)
        self.holder = holder
        self.expires_at = expires_at
