"""The HTTP transport under the openai client: every attempt is counted against the call's budget, gets
its timeout, has its whole reply bounded in time, and tells the endpoint's circuit breaker how it went.

A per-read timeout does not bound a reply that drips in a byte at a time, so the body is read through
a stream that gives up (`httpx2.ReadTimeout`) once the attempt's time is spent.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx2

from extractor.llm.breaker import CircuitBreaker
from extractor.llm.budget import CallBudget
from extractor.llm.errors import LLMBudgetError

# statuses that say the endpoint cannot answer at all (as opposed to "not this question")
DEAD_STATUSES = frozenset({401, 403, 404, 408, 429})


class _DeadlineStream(httpx2.SyncByteStream):
    def __init__(
        self, inner: httpx2.SyncByteStream, deadline: float, breaker: CircuitBreaker, ok: bool
    ) -> None:
        self.inner = inner
        self.deadline = deadline
        self.breaker = breaker
        self.ok = ok

    def __iter__(self) -> Iterator[bytes]:
        try:
            for chunk in self.inner:
                yield chunk
                if time.monotonic() > self.deadline:
                    raise httpx2.ReadTimeout("the reply did not finish arriving in time")
        except httpx2.HTTPError as exc:
            if self.ok:  # a fault status was counted already
                self.breaker.failed(f"{type(exc).__name__} while reading the reply")
            raise
        if self.ok:
            self.breaker.answered()

    def close(self) -> None:
        self.inner.close()


class BudgetTransport(httpx2.BaseTransport):
    def __init__(self, breaker: CircuitBreaker) -> None:
        self.budget: CallBudget | None = None
        self.breaker = breaker
        self.inner = httpx2.HTTPTransport()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if self.budget is None:
            raise LLMBudgetError("no budget was set for this call")
        timeout = self.budget.start_attempt()
        deadline = time.monotonic() + timeout
        request.extensions["timeout"] = {
            "connect": timeout,
            "read": timeout,
            "write": timeout,
            "pool": timeout,
        }
        try:
            response = self.inner.handle_request(request)
        except httpx2.HTTPError as exc:
            self.breaker.failed(type(exc).__name__)
            raise
        status = response.status_code
        if status in DEAD_STATUSES or status >= 500:
            self.breaker.failed(f"HTTP {status}")
            ok = False
        else:
            ok = True
        assert isinstance(response.stream, httpx2.SyncByteStream)
        response.stream = _DeadlineStream(response.stream, deadline, self.breaker, ok)
        return response

    def close(self) -> None:
        self.inner.close()
