"""The review queue's totals per document and kind (`queue_counts`), kept exact by recounting a document
(or one of its kinds) in the transaction that changes its fields' statuses.

Every path that moves fields into or out of review keeps them: storing a document and a re-validation
recount the document (`recount`); a submit or undo, which moves one field, steps its counts (`step`),
under the document's lock like the rest of the decision. A recount reads only that document's fields; the queue page then sums a few hundred rows instead of
counting the whole queue (100,000 fields took 50–80 ms on PostgreSQL, several times per page).
"""

from __future__ import annotations

from sqlalchemy import Select, case, delete, distinct, func, insert, select, update
from sqlalchemy.orm import Session

from extractor.queue_order import DOUBTED
from extractor.storage.tables import FieldRow, QueueCountRow


def _waiting() -> Select[int, str, int, int]:
    """Per document and kind: the waiting fields and their distinct record rows, counted from `fields`."""
    return (
        select(FieldRow.document_id, FieldRow.kind, func.count(), func.count(distinct(FieldRow.record_id)))
        .where(FieldRow.status == DOUBTED)
        .group_by(FieldRow.document_id, FieldRow.kind)
    )


def recount(session: Session, *, document_id: int, kind: str | None = None) -> None:
    """Recount the document's waiting fields (only `kind`'s when given) from `fields`."""
    gone = delete(QueueCountRow).where(QueueCountRow.document_id == document_id)
    waiting = _waiting().where(FieldRow.document_id == document_id)
    if kind is not None:
        gone = gone.where(QueueCountRow.kind == kind)
        waiting = waiting.where(FieldRow.kind == kind)
    session.execute(gone)
    session.execute(insert(QueueCountRow).from_select(["document_id", "kind", "fields", "records"], waiting))


def step(session: Session, *, field: FieldRow, old_status: str) -> None:
    """One field has moved from `old_status` to its status now: add or take it (and, when it is its
    record's first or last waiting field, the record) from its document's and kind's counts."""
    entered, left = field.status == DOUBTED, old_status == DOUBTED
    if entered == left:
        return
    by = 1 if entered else -1
    # the record row is counted with its first waiting field and uncounted with its last: the record's waiting
    # fields after the move say which (read in the same statement, as the field's move is already written)
    waiting = (
        select(func.count())
        .where(FieldRow.record_id == field.record_id, FieldRow.status == DOUBTED)
        .scalar_subquery()
    )
    moved = session.execute(
        update(QueueCountRow)
        .where(QueueCountRow.document_id == field.document_id, QueueCountRow.kind == field.kind)
        .values(
            fields=QueueCountRow.fields + by,
            records=QueueCountRow.records + case((waiting == (1 if entered else 0), by), else_=0),
        )
        .execution_options(synchronize_session=False)
    )
    if getattr(moved, "rowcount", 1) == 0 and entered:
        session.add(QueueCountRow(document_id=field.document_id, kind=field.kind, fields=1, records=1))
        session.flush()


def drift(session: Session) -> list[tuple[int, str, int, int, int, int]]:
    """Rows where the kept counts differ from a fresh count: (document, kind, kept fields, kept records,
    counted fields, counted records). Empty when the counts are exact (the tests' and `check`'s probe)."""
    counted = {(d, k): (int(f), int(r)) for d, k, f, r in session.execute(_waiting())}
    kept = {
        (d, k): (f, r)
        for d, k, f, r in session.execute(
            select(QueueCountRow.document_id, QueueCountRow.kind, QueueCountRow.fields, QueueCountRow.records)
        )
        if f or r  # a kind whose last field has left keeps a row of zeros until its next recount
    }
    return [
        (d, k, *kept.get((d, k), (0, 0)), *counted.get((d, k), (0, 0)))
        for d, k in sorted(set(counted) | set(kept))
        if kept.get((d, k)) != counted.get((d, k))
    ]
