"""A document's audit trail, newest first, with user names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractor.storage.tables import AuditRow, UserRow


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    who: str
    action: str
    address: str | None
    field_id: int | None
    old: Any
    new: Any
    old_status: str | None
    new_status: str | None
    reason: str | None


def document_history(session: Session, *, document_id: int, limit: int = 500) -> list[AuditEntry]:
    rows = session.execute(
        select(AuditRow, UserRow.username)
        .outerjoin(UserRow, UserRow.id == AuditRow.user_id)
        .where(AuditRow.document_id == document_id)
        .order_by(AuditRow.id.desc())
        .limit(limit)
    ).all()
    return [
        AuditEntry(
            id=a.id,
            at=a.at,
            who=name or "validators",
            action=a.action,
            address=a.address,
            field_id=a.field_id,
            old=a.old,
            new=a.new,
            old_status=a.old_status,
            new_status=a.new_status,
            reason=a.reason,
        )
        for a, name in rows
    ]


def reviewers_of(session: Session, *, document_id: int) -> list[str]:
    """Who made human decisions on the document, in order of first appearance."""
    names = session.scalars(
        select(UserRow.username)
        .join(AuditRow, AuditRow.user_id == UserRow.id)
        .where(AuditRow.document_id == document_id)
        .order_by(AuditRow.id)
    )
    return list(dict.fromkeys(names))
