"""The review queue's totals per document and kind (`queue_counts`), kept exact by recounting a document
(or one of its kinds) in the transaction that changes its fields' statuses.

Every path that moves a field into or out of review calls `recount`: storing a document, a submit or
undo (`review.revalidation.refresh_document`), a re-validation (`review.revalidation`'s document status).
A recount reads only that document's fields; the queue page then sums a few hundred rows instead of
counting the whole queue (100,000 fields took 50–80 ms on PostgreSQL, several times per page).
"""

from __future__ import annotations

from sqlalchemy import delete, distinct, func, insert, select
from sqlalchemy.orm import Session

from extractor.queue_order import DOUBTED
from extractor.storage.tables import FieldRow, QueueCountRow


def recount(session: Session, *, document_id: int, kind: str | None = None) -> None:
    """Recount the document's waiting fields (only `kind`'s when given) from `fields`."""
    gone = delete(QueueCountRow).where(QueueCountRow.document_id == document_id)
    waiting = (
        select(FieldRow.document_id, FieldRow.kind, func.count(), func.count(distinct(FieldRow.record_id)))
        .where(FieldRow.document_id == document_id, FieldRow.status == DOUBTED)
        .group_by(FieldRow.document_id, FieldRow.kind)
    )
    if kind is not None:
        gone = gone.where(QueueCountRow.kind == kind)
        waiting = waiting.where(FieldRow.kind == kind)
    session.execute(gone)
    session.execute(insert(QueueCountRow).from_select(["document_id", "kind", "fields", "records"], waiting))


def drift(session: Session) -> list[tuple[int, str, int, int, int, int]]:
    """Rows where the kept counts differ from a fresh count: (document, kind, kept fields, kept records,
    counted fields, counted records). Empty when the counts are exact (the tests' and `check`'s probe)."""
    counted = {
        (d, k): (int(f), int(r))
        for d, k, f, r in session.execute(
            select(
                FieldRow.document_id, FieldRow.kind, func.count(), func.count(distinct(FieldRow.record_id))
            )
            .where(FieldRow.status == DOUBTED)
            .group_by(FieldRow.document_id, FieldRow.kind)
        )
    }
    kept = {
        (d, k): (f, r)
        for d, k, f, r in session.execute(
            select(QueueCountRow.document_id, QueueCountRow.kind, QueueCountRow.fields, QueueCountRow.records)
        )
    }
    return [
        (d, k, *kept.get((d, k), (0, 0)), *counted.get((d, k), (0, 0)))
        for d, k in sorted(set(counted) | set(kept))
        if kept.get((d, k)) != counted.get((d, k))
    ]
