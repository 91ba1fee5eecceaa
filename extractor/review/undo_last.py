"""Undo across fields: the reviewer's most recent decision that still stands, wherever it was made.

Pressing undo again reaches the decision before it, and so on: a decision already undone (or overtaken by
a later decision on its field) is passed over.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractor.review.accounts import Reviewer
from extractor.storage.tables import AuditRow, FieldRow

DECISIONS = ("confirm", "correct")
LOOK_BACK = 200


def last_standing_decision(session: Session, *, user: Reviewer) -> tuple[int, int] | None:
    """(field id, its current version) of the user's latest decision that is still the field's latest."""
    mine = session.execute(
        select(AuditRow.id, AuditRow.field_id)
        .where(AuditRow.user_id == user.id, AuditRow.action.in_(DECISIONS), AuditRow.field_id.is_not(None))
        .order_by(AuditRow.id.desc())
        .limit(LOOK_BACK)
    ).all()
    for audit_id, field_id in mine:
        if field_id is None:
            continue
        latest = session.scalar(
            select(AuditRow.id)
            .where(AuditRow.field_id == field_id, AuditRow.action.in_((*DECISIONS, "undo")))
            .order_by(AuditRow.id.desc())
            .limit(1)
        )
        if latest == audit_id:
            version = session.scalar(select(FieldRow.version).where(FieldRow.id == field_id))
            if version is not None:
                return int(field_id), int(version)
    return None
