"""What a reply or a failure of the LLM endpoint says: the raw text, the token usage, the transport fault
at the root of an instructor error, whether it is worth another attempt, and its words for a message."""

from __future__ import annotations

from typing import Any

import httpx2
import openai

from extractor.llm.errors import LLMBudgetError


def raw_of(completion: Any) -> str | None:
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    if getattr(message, "tool_calls", None):
        return str(message.tool_calls[0].function.arguments)
    content = getattr(message, "content", None)
    return None if content is None else str(content)


def usage_of(obj: Any) -> tuple[int, int]:
    usage = getattr(obj, "usage", None) or getattr(obj, "total_usage", None)
    if usage is None:
        return 0, 0
    return int(getattr(usage, "prompt_tokens", 0) or 0), int(getattr(usage, "completion_tokens", 0) or 0)


def transport_cause(exc: BaseException) -> BaseException | None:
    """The openai/httpx/budget exception at the root of an instructor error, if any."""
    found: BaseException | None = None
    seen: BaseException | None = exc
    for _ in range(20):
        if seen is None:
            break
        if isinstance(seen, LLMBudgetError):
            return seen
        if found is None and isinstance(seen, openai.APIError | httpx2.HTTPError):
            found = seen
        seen = seen.__cause__ or seen.__context__
    return found


class EmptyReply(Exception):
    """A 200 reply without choices: treated like a transient server fault."""


def retryable(exc: BaseException) -> bool:
    if isinstance(exc, EmptyReply):
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return isinstance(exc, openai.APITimeoutError | openai.APIConnectionError | httpx2.TimeoutException)


def describe(exc: BaseException) -> str:
    if isinstance(exc, EmptyReply):
        return str(exc)
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code} from the LLM endpoint"
    if isinstance(exc, openai.APITimeoutError | httpx2.TimeoutException):
        return "the LLM endpoint did not answer in time"
    if isinstance(exc, openai.APIConnectionError):
        return "could not connect to the LLM endpoint"
    return f"{type(exc).__name__}: {exc}"


def first_line(exc: BaseException) -> str:
    root = exc.__cause__ or exc
    text = str(root).strip().splitlines()
    return (text[0][:300] if text else "") or type(root).__name__
