"""Leases: a reviewer's expiring claim on a field, so that two reviewers are not handed the same item."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from extractor.review.accounts import Reviewer
from extractor.review.errors import LeaseHeld, NotFound
from extractor.storage.tables import FieldRow, LeaseRow, UserRow


def now_utc() -> datetime:
    return datetime.now(UTC)


def live_holder(
    session: Session, *, field_id: int, now: datetime | None = None
) -> tuple[int, str, datetime] | None:
    """(user id, user name, expiry) of the live lease on a field, if any."""
    row = session.execute(
        select(LeaseRow.user_id, UserRow.username, LeaseRow.expires_at)
        .join(UserRow, UserRow.id == LeaseRow.user_id)
        .where(LeaseRow.field_id == field_id, LeaseRow.expires_at > (now or now_utc()))
    ).first()
    return None if row is None else (row.user_id, row.username, row.expires_at)


def claim(
    session: Session, *, field_id: int, user: Reviewer, seconds: int, now: datetime | None = None
) -> datetime:
    """Take (or renew) the lease on a field for `seconds`; returns its expiry. Refused while another holds it."""
    now = now or now_utc()
    # the field's row is locked first (PostgreSQL; SQLite's writer holds the whole file): two claims of
    # one field run one after the other, and the second sees the first one's lease
    locked = session.scalar(select(FieldRow.id).where(FieldRow.id == field_id).with_for_update())
    if locked is None:
        raise NotFound("no such field", source=str(field_id))
    # the lease as it stands once the field is locked (a lease committed meanwhile is seen, not a cached one)
    row = session.get(LeaseRow, field_id, populate_existing=True)
    live = row is not None and row.expires_at > now
    if row is not None and live and row.user_id != user.id:
        who = session.scalar(select(UserRow.username).where(UserRow.id == row.user_id)) or ""
        raise LeaseHeld(
            f"{who} is reviewing this field until {row.expires_at:%H:%M:%S} UTC",
            holder=who,
            expires_at=row.expires_at,
            source=str(field_id),
        )
    expires = now + timedelta(seconds=seconds)
    if row is None:
        session.add(LeaseRow(field_id=field_id, user_id=user.id, acquired_at=now, expires_at=expires))
    else:
        row.user_id, row.expires_at = user.id, expires
        if not live:
            row.acquired_at = now
    session.flush()
    return expires


def release(session: Session, *, field_id: int, user: Reviewer) -> None:
    session.execute(delete(LeaseRow).where(LeaseRow.field_id == field_id, LeaseRow.user_id == user.id))
