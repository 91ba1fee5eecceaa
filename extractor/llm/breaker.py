"""A circuit breaker per LLM endpoint, so a dead endpoint stops costing time.

- closed: attempts go through; each HTTP attempt that fails at the endpoint (no answer in time, no
  connection, HTTP 429/5xx, a reply with no choices, a body that stops arriving) counts one failure, any
  answer resets the count. A schema-invalid reply is an answer: the endpoint is alive, the model erred.
- open: after `settings.llm_breaker_failures` consecutive failures, calls to that endpoint are refused at
  once (no request is made) for `settings.llm_breaker_cooldown_s` seconds.
- half-open: after the cool-down, one probe call of one attempt is let through; an answer closes the
  breaker, a failure opens it again for another cool-down.

So once a breaker is open, a dead endpoint costs a document at most one probe attempt (at most
`settings.llm_timeout_s`) per cool-down. Breakers live for the process and are keyed by the endpoint's
identity (the same one the response cache uses), so every document of a batch shares them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from extractor.llm.errors import LLMUnavailableError
from extractor.settings import Settings

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"


class CircuitOpenError(LLMUnavailableError):
    """The endpoint's breaker is open: the call was skipped without a request."""


@dataclass
class CircuitBreaker:
    endpoint: str
    threshold: int
    cooldown_s: float
    failures: int = 0  # consecutive
    opened_at: float | None = None  # time.monotonic() when it last opened
    probing: bool = False  # a half-open probe is in flight
    last_failure: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return CLOSED
        if time.monotonic() - self.opened_at >= self.cooldown_s:
            return HALF_OPEN
        return OPEN

    def admit(self) -> bool:
        """Let one call start, or raise `CircuitOpenError`. True when the call is the half-open probe
        (it then gets a single attempt)."""
        with self.lock:
            state = self.state
            if state == CLOSED:
                return False
            if state == HALF_OPEN and not self.probing:
                self.probing = True
                return True
            wait = max(0.0, self.cooldown_s - (time.monotonic() - (self.opened_at or 0.0)))
            raise CircuitOpenError(
                f"the LLM endpoint is skipped: {self.failures} consecutive failures "
                f"(last: {self.last_failure}); next try in {wait:.0f} s"
            )

    def answered(self) -> None:
        with self.lock:
            self.failures = 0
            self.opened_at = None
            self.probing = False

    def failed(self, what: str) -> None:
        with self.lock:
            self.failures += 1
            self.last_failure = what
            if self.probing or self.failures >= self.threshold:
                self.opened_at = time.monotonic()
            self.probing = False

    def released(self) -> None:
        """A probe call ended without an attempt reaching the endpoint (e.g. its budget was spent)."""
        with self.lock:
            self.probing = False


class _Registry:
    lock = threading.Lock()
    breakers: dict[str, CircuitBreaker] = {}


def breaker_for(endpoint: str, settings: Settings) -> CircuitBreaker:
    threshold, cooldown = max(1, settings.llm_breaker_failures), settings.llm_breaker_cooldown_s
    key = f"{endpoint} {threshold} {cooldown}"
    with _Registry.lock:
        breaker = _Registry.breakers.get(key)
        if breaker is None:
            breaker = CircuitBreaker(endpoint, threshold=threshold, cooldown_s=cooldown)
            _Registry.breakers[key] = breaker
        return breaker


def reset_breakers() -> None:
    """Forget every breaker (tests; a long-running server after its endpoint was fixed)."""
    with _Registry.lock:
        _Registry.breakers.clear()
