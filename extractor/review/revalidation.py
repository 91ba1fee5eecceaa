"""After a correction: re-run the document's validators, let settled fields leave the queue, re-order it.

The validators live in `extractor.validate.revalidate(result) -> None`, which updates confidences, statuses
and reasons of every field in place. A human decision always stands: a confirmed or corrected field keeps its
status (its reasons and confidence are refreshed, so a sum that now holds reads as such).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from extractor.model import ExtractionResult, FieldValue, Status
from extractor.review.ordering import settle_priorities
from extractor.storage.repo import document_status_for, result_from_row
from extractor.storage.tables import AuditRow, DocumentRow, FieldRow, RecordRow

HUMAN = frozenset({"confirmed", "corrected"})

Revalidator = Callable[[ExtractionResult], None]


def _find_revalidator() -> Revalidator | None:
    try:
        from extractor.validate import revalidate  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        return None
    fn: Any = revalidate
    return fn if callable(fn) else None


# Resolved once at import; None means the validators are not there yet and a correction changes only its own
# field (noted in the audit row's reason).
REVALIDATE: Revalidator | None = _find_revalidator()


def revalidate_document(
    session: Session, *, document_id: int, cause: str, revalidator: Revalidator | None = None
) -> list[str]:
    """Re-run the validators over a stored document; returns the addresses of fields that left the queue."""
    check = revalidator or REVALIDATE
    if check is None:
        refresh_document(session, document_id=document_id)
        return []
    doc = session.get(DocumentRow, document_id)
    if doc is None:
        return []
    result = result_from_row(session, doc)
    rows = session.execute(
        select(FieldRow, RecordRow.position, RecordRow.kind, RecordRow.key)
        .join(RecordRow, RecordRow.id == FieldRow.record_id)
        .where(FieldRow.document_id == document_id)
    ).all()
    by_place = {(pos, f.name): (f, f"{kind}/{key}/{f.name}") for f, pos, kind, key in rows}
    check(result)
    settled: list[str] = []
    for pos, record in enumerate(result.records):
        for name, fv in record.fields.items():
            row, address = by_place[(pos, name)]
            before = _apply(row, fv)
            if before is not None:
                if row.status != "needs_review":
                    settled.append(address)
                session.add(
                    AuditRow(
                        user_id=None,
                        document_id=document_id,
                        field_id=row.id,
                        address=address,
                        action="revalidate",
                        old=row.value,
                        new=row.value,
                        old_status=before,
                        new_status=row.status,
                        reason=f"validators re-run after {cause}",
                    )
                )
    session.flush()
    refresh_document(session, document_id=document_id)
    return settled


def _apply(row: FieldRow, fv: FieldValue) -> str | None:
    """Copy the validators' verdict onto a row; the old status when it changed (a human status never does)."""
    if list(row.reasons) != list(fv.reasons):
        row.reasons = list(fv.reasons)
    if row.confidence != fv.confidence:
        row.confidence = fv.confidence
    if row.status in HUMAN or row.status == fv.status:
        return None
    before, row.status = row.status, fv.status
    row.version += 1
    return before


def refresh_document(session: Session, *, document_id: int) -> None:
    """Recompute the queue priorities of a document's fields and the document's status."""
    rows = session.execute(
        select(FieldRow.id, FieldRow.status, FieldRow.reasons, FieldRow.confidence, FieldRow.priority)
        .where(FieldRow.document_id == document_id)
        .order_by(FieldRow.id)
    ).all()
    values = [
        FieldValue(
            value=None,
            span=None,
            reasons=list(r.reasons),
            confidence=r.confidence,
            status=cast(Status, r.status),
        )
        for r in rows
    ]
    changes = [
        {"id": r.id, "priority": p}
        for r, p in zip(rows, settle_priorities(values), strict=True)
        if r.priority != p
    ]
    if changes:
        session.execute(update(FieldRow), changes)
    doc = session.get(DocumentRow, document_id)
    if doc is not None and doc.status != "approved":
        doc.status = document_status_for([r.status for r in rows])
    session.flush()
