"""Per-reviewer counts for the admin page: decisions today, corrections, median seconds per field.

Seconds per field are the gaps between a reviewer's consecutive decisions; a gap over `BREAK_SECONDS`
is a pause, not work on the field, and is left out.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractor.storage.tables import AuditRow, UserRow

DECISIONS = ("confirm", "correct")
BREAK_SECONDS = 600


@dataclass(frozen=True)
class ReviewerCounts:
    username: str
    decided_today: int
    decided: int
    corrections: int
    median_seconds: float | None


def reviewer_counts(session: Session, *, zone: ZoneInfo, now: datetime) -> list[ReviewerCounts]:
    midnight = datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)
    rows = session.execute(
        select(UserRow.username, AuditRow.action, AuditRow.at)
        .join(AuditRow, AuditRow.user_id == UserRow.id)
        .where(AuditRow.action.in_(DECISIONS))
        .order_by(UserRow.username, AuditRow.at)
    ).all()
    by_user: dict[str, list[tuple[str, datetime]]] = {}
    for name, action, at in rows:
        by_user.setdefault(name, []).append((action, at))
    out: list[ReviewerCounts] = []
    for name in session.scalars(select(UserRow.username).order_by(UserRow.username)):
        items = by_user.get(name, [])
        gaps = [
            (b - a).total_seconds()
            for (_x, a), (_y, b) in zip(items, items[1:], strict=False)
            if 0 <= (b - a).total_seconds() <= BREAK_SECONDS
        ]
        out.append(
            ReviewerCounts(
                username=name,
                decided_today=sum(1 for _a, at in items if at >= midnight),
                decided=len(items),
                corrections=sum(1 for a, _at in items if a == "correct"),
                median_seconds=round(statistics.median(gaps), 1) if gaps else None,
            )
        )
    return out
