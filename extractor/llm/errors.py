"""Errors of the LLM backend. All are `extractor.errors.LLMError`s, so callers catch one type; the
subclasses say which limit or fault ended the call, and each carries attempts and the last raw reply."""

from __future__ import annotations

from extractor.errors import LLMError


class LLMBudgetError(LLMError):
    """The document's deadline, token budget or the call's attempt cap was used up before a reply."""


class LLMUnavailableError(LLMError):
    """No endpoint could be reached or started (e.g. the embedded model is not installed)."""


class LLMReplyError(LLMError):
    """The endpoint answered, but never with a reply that fits the schema."""


class ModelInstallError(LLMError):
    """The embedded model's files are missing, or their size, hash or GGUF header is wrong."""
