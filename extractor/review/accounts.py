"""Accounts (argon2-hashed passwords, roles) and server-side sessions that can be revoked."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from extractor.review.errors import NotFound, ReviewError
from extractor.storage.tables import SessionRow, UserRow

ROLES = ("reviewer", "admin")
MIN_PASSWORD = 8
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("timing-equaliser-not-a-password")


@dataclass(frozen=True)
class Reviewer:
    id: int
    username: str
    role: str
    locale: str = "zh_CN"
    timezone: str = "Asia/Shanghai"
    auto_advance: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class LoginSession:
    token: str
    csrf_token: str
    expires_at: datetime


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(session: Session, *, username: str, password: str, role: str = "reviewer") -> Reviewer:
    username = username.strip()
    if role not in ROLES:
        raise ReviewError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}", source=username)
    if not username or len(username) > 100:
        raise ReviewError("a user name needs 1 to 100 characters", source=username)
    if len(password) < MIN_PASSWORD:
        raise ReviewError(f"a password needs at least {MIN_PASSWORD} characters", source=username)
    if session.scalar(select(UserRow.id).where(UserRow.username == username)) is not None:
        raise ReviewError("this user already exists", source=username)
    row = UserRow(username=username, password_hash=_hasher.hash(password), role=role, active=True)
    session.add(row)
    session.flush()
    return Reviewer(id=row.id, username=row.username, role=row.role)


def authenticate(session: Session, *, username: str, password: str) -> Reviewer | None:
    """The user if the password matches; None otherwise (same work done for unknown users)."""
    row = session.scalar(select(UserRow).where(UserRow.username == username.strip()))
    try:
        _hasher.verify(row.password_hash if row is not None else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row.active:
        return None
    return _reviewer(row)


def _reviewer(row: UserRow) -> Reviewer:
    return Reviewer(row.id, row.username, row.role, row.locale, row.timezone, bool(row.auto_advance))


def open_session(session: Session, *, user: Reviewer, ttl: timedelta) -> LoginSession:
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + ttl
    session.add(
        SessionRow(token_hash=_token_hash(token), user_id=user.id, csrf_token=csrf, expires_at=expires)
    )
    session.flush()
    return LoginSession(token=token, csrf_token=csrf, expires_at=expires)


def session_user(session: Session, *, token: str) -> tuple[Reviewer, str] | None:
    """(user, CSRF token) of a live session; None if unknown, expired, revoked or the user is disabled."""
    row = session.execute(
        select(
            UserRow.id,
            UserRow.username,
            UserRow.role,
            UserRow.locale,
            UserRow.timezone,
            UserRow.auto_advance,
            SessionRow.csrf_token,
        )
        .join(SessionRow, SessionRow.user_id == UserRow.id)
        .where(
            SessionRow.token_hash == _token_hash(token),
            SessionRow.revoked_at.is_(None),
            SessionRow.expires_at > datetime.now(UTC),
            UserRow.active.is_(True),
        )
    ).first()
    if row is None:
        return None
    user = Reviewer(row.id, row.username, row.role, row.locale, row.timezone, bool(row.auto_advance))
    return user, row.csrf_token


def revoke_session(session: Session, *, token: str) -> None:
    session.execute(
        update(SessionRow)
        .where(SessionRow.token_hash == _token_hash(token), SessionRow.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


def revoke_user_sessions(session: Session, *, username: str) -> int:
    """Revoke every live session of a user (e.g. a leaked password); returns how many."""
    user_id = session.scalar(select(UserRow.id).where(UserRow.username == username))
    if user_id is None:
        raise NotFound("no such user", source=username)
    result = session.execute(
        update(SessionRow)
        .where(SessionRow.user_id == user_id, SessionRow.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    return int(getattr(result, "rowcount", 0) or 0)


def list_users(session: Session) -> list[Reviewer]:
    rows = session.scalars(select(UserRow).order_by(UserRow.username))
    return [_reviewer(r) for r in rows]


@dataclass(frozen=True)
class Account:
    user: Reviewer
    active: bool
    created_at: datetime


def list_accounts(session: Session) -> list[Account]:
    rows = session.scalars(select(UserRow).order_by(UserRow.username))
    return [Account(_reviewer(r), bool(r.active), r.created_at) for r in rows]


def _row(session: Session, username: str) -> UserRow:
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    if row is None:
        raise NotFound("no such user", source=username)
    return row


def set_password(session: Session, *, username: str, password: str) -> None:
    """A new password; the user's open sessions end."""
    if len(password) < MIN_PASSWORD:
        raise ReviewError(f"a password needs at least {MIN_PASSWORD} characters", source=username)
    _row(session, username).password_hash = _hasher.hash(password)
    revoke_user_sessions(session, username=username)


def set_account(
    session: Session, *, username: str, role: str | None = None, active: bool | None = None
) -> None:
    row = _row(session, username)
    if role is not None:
        if role not in ROLES:
            raise ReviewError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}", source=username)
        row.role = role
    if active is not None:
        row.active = active
        if not active:
            revoke_user_sessions(session, username=username)
    session.flush()


LOCALES = ("zh_CN", "en")


def set_preferences(
    session: Session, *, user_id: int, locale: str, timezone: str, auto_advance: bool
) -> None:
    from zoneinfo import available_timezones

    row = session.get(UserRow, user_id)
    if row is None:
        raise NotFound("no such user", source=str(user_id))
    if locale not in LOCALES:
        raise ReviewError(f"unknown language {locale!r}", source=row.username)
    if timezone not in available_timezones():
        raise ReviewError(f"unknown time zone {timezone!r}", source=row.username)
    row.locale, row.timezone, row.auto_advance = locale, timezone, auto_advance
    session.flush()
