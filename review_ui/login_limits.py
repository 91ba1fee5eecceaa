"""Login throttling with the `limits` library: after `login_max_failures` wrong passwords for one account,
or from one client address, within `login_lockout_seconds`, logins are refused with 429 until the window
has moved on. A successful login does not reset the address's count (a guesser with one right password
still pays for the wrong ones) but clears the account's.

The counts live in the server's memory (a moving window per key): one review server per database is the
deployment the design names; behind several, use a shared `limits` storage (e.g. Redis) instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


@dataclass
class LoginLimiter:
    max_failures: int
    window_seconds: int
    storage: MemoryStorage = field(default_factory=MemoryStorage)

    def __post_init__(self) -> None:
        self._item = RateLimitItemPerSecond(self.max_failures, self.window_seconds)
        self._limiter = MovingWindowRateLimiter(self.storage)

    def _keys(self, username: str, address: str) -> tuple[str, str]:
        return f"user:{username.strip().lower()}", f"ip:{address}"

    def locked(self, username: str, address: str) -> bool:
        """True when the account or the address has used up its wrong passwords."""
        return not all(self._limiter.test(self._item, key) for key in self._keys(username, address))

    def failed(self, username: str, address: str) -> None:
        for key in self._keys(username, address):
            self._limiter.hit(self._item, key)

    def succeeded(self, username: str) -> None:
        self._limiter.clear(self._item, f"user:{username.strip().lower()}")

    def retry_after(self, username: str, address: str) -> int:
        import time

        resets = [
            self._limiter.get_window_stats(self._item, k).reset_time for k in self._keys(username, address)
        ]
        return max(1, int(max(resets) - time.time()))
