"""Login throttling: after `max_failures` wrong passwords for one account, or from one client address,
within `window_seconds`, logins are refused with 429 until the window has moved on (a moving window: the
oldest failure in it has to age out). A successful login does not reset the address's count (a guesser
with one right password still pays for the wrong ones) but clears the account's.

The failures are rows of the `login_failures` table, so every server process on the database counts the
same ones: with `serve --workers 4` a guesser gets ten tries, not forty. (The `limits` library, used
before, keeps its counts in one process's memory unless given a Redis or Memcached server, which this
product does not otherwise need.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, func, select

from extractor.storage import session_scope
from extractor.storage.tables import LoginFailureRow


@dataclass
class LoginLimiter:
    engine: Engine
    max_failures: int
    window_seconds: int

    def _keys(self, username: str, address: str) -> tuple[str, str]:
        return f"user:{username.strip().lower()}"[:200], f"ip:{address}"[:200]

    def _since(self) -> datetime:
        return datetime.now(UTC) - timedelta(seconds=self.window_seconds)

    def _window(self, keys: tuple[str, ...]) -> list[tuple[str, int, datetime]]:
        """Per key: the failures inside the window and the oldest of them."""
        with session_scope(self.engine, readonly=True) as session:
            rows = session.execute(
                select(LoginFailureRow.key, func.count(), func.min(LoginFailureRow.at))
                .where(LoginFailureRow.key.in_(keys), LoginFailureRow.at > self._since())
                .group_by(LoginFailureRow.key)
            ).all()
        return [(key, int(n), oldest) for key, n, oldest in rows]

    def locked(self, username: str, address: str) -> bool:
        """True when the account or the address has used up its wrong passwords."""
        return any(n >= self.max_failures for _, n, _ in self._window(self._keys(username, address)))

    def failed(self, username: str, address: str) -> None:
        with session_scope(self.engine) as session:
            # failures older than the window count for nothing: drop them as new ones come
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.at <= self._since()))
            session.add_all(LoginFailureRow(key=k) for k in self._keys(username, address))

    def succeeded(self, username: str) -> None:
        key = self._keys(username, "")[0]
        with session_scope(self.engine) as session:
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.key == key))

    def retry_after(self, username: str, address: str) -> int:
        """Seconds until every locked key's oldest failure has left the window."""
        window = self._window(self._keys(username, address))
        ends = [oldest for _, n, oldest in window if n >= self.max_failures]
        if not ends:
            return 1
        reopens = max(ends) + timedelta(seconds=self.window_seconds)
        return max(1, int((reopens - datetime.now(UTC)).total_seconds()))
