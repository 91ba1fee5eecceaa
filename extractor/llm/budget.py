"""Limits of one LLM call, derived from the document's limits and what it has already spent.

The per-document deadline and token budget are kept in the document's `Usage` (seconds and tokens
spent on LLM calls so far), so nothing else has to carry state between segments. A call's attempt
cap is `1 + settings.llm_max_retries` HTTP requests, counted once across the backend's own retries
and instructor's re-asks (the openai SDK's retries are switched off).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from extractor.llm.errors import LLMBudgetError
from extractor.model import Usage
from extractor.settings import Settings

MAX_COMPLETION_TOKENS = 1200  # chunks are sized for replies of ~1000 tokens
MIN_ATTEMPT_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 30.0


@dataclass
class CallBudget:
    """The limits of one logical call and the attempts spent on it."""

    max_attempts: int
    deadline: float  # time.monotonic() value
    per_attempt_timeout: float
    tokens_left: int
    attempts: int = 0
    prompt_tokens: int = 0  # spent by this call so far, failed attempts included
    completion_tokens: int = 0
    started: float = field(default_factory=time.monotonic)

    @classmethod
    def for_call(cls, settings: Settings, usage: Usage) -> CallBudget:
        now = time.monotonic()
        seconds_left = settings.llm_document_deadline_s - usage.seconds
        tokens_left = settings.llm_document_token_budget - usage.prompt_tokens - usage.completion_tokens
        return cls(
            max_attempts=max(1, 1 + settings.llm_max_retries),
            deadline=now + max(0.0, seconds_left),
            per_attempt_timeout=settings.llm_timeout_s,
            tokens_left=tokens_left,
            started=now,
        )

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def attempts_left(self) -> int:
        return self.max_attempts - self.attempts

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def check(self) -> None:
        """Raise when no further attempt may start."""
        if self.tokens_left <= 0:
            raise LLMBudgetError("the document's LLM token budget is used up", attempts=self.attempts)
        if self.remaining() < MIN_ATTEMPT_SECONDS:
            raise LLMBudgetError("the document's LLM deadline has passed", attempts=self.attempts)
        if self.attempts >= self.max_attempts:
            raise LLMBudgetError(
                f"the call's attempt cap ({self.max_attempts}) is used up", attempts=self.attempts
            )

    def start_attempt(self) -> float:
        """Count one HTTP attempt and return its timeout in seconds (never past the deadline)."""
        self.check()
        self.attempts += 1
        return max(MIN_ATTEMPT_SECONDS, min(self.per_attempt_timeout, self.remaining()))

    def spend(self, prompt_tokens: int, completion_tokens: int) -> None:
        self.prompt_tokens += prompt_tokens
        self.completion_tokens += completion_tokens
        self.tokens_left -= prompt_tokens + completion_tokens

    def max_tokens(self) -> int:
        return max(1, min(MAX_COMPLETION_TOKENS, self.tokens_left))

    def backoff(self, retry_number: int, retry_after: float | None) -> float:
        """Seconds to wait before the next attempt: Retry-After when given, else 0.5 s doubling.

        Raises when the wait would pass the deadline (so a long Retry-After ends the call at once)."""
        wait = retry_after if retry_after is not None else 0.5 * (2 ** (retry_number - 1))
        wait = min(max(0.0, wait), MAX_BACKOFF_SECONDS)
        if wait > self.remaining() - MIN_ATTEMPT_SECONDS:
            raise LLMBudgetError(
                f"waiting {wait:.1f} s before a retry would pass the document's LLM deadline",
                attempts=self.attempts,
            )
        return wait


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds; HTTP dates are treated as absent)."""
    if not value:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        return None
