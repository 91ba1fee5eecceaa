"""After a correction: re-run the document's validators, let settled fields leave the queue, re-order it.

The validators live in `extractor.validate.revalidate(result, settings) -> None`, which updates confidences,
statuses and reasons of every field in place; `validators_for(settings)` binds it to the caller's settings
(the server's own review thresholds, never the process-wide ones). A human decision always stands: a confirmed or corrected field keeps its
status (its reasons and confidence are refreshed, so a sum that now holds reads as such).

Both functions read the document's fields as plain rows and write back only the rows that changed: a
correction in a document of a thousand fields must stay well under the reviewer's patience.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from sqlalchemy import ColumnElement, Engine, Exists, Row, Table, bindparam, exists, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from extractor.model import (
    ExtractionResult,
    FieldValue,
    Finding,
    Proposal,
    Record,
    Status,
)
from extractor.queue_order import DOUBTED, linked, settle_priorities
from extractor.settings import Settings
from extractor.storage.db import session_scope
from extractor.storage.queue_counts import recount
from extractor.storage.repo import document_from_row, info_from_row, review_status, segment_from_row
from extractor.storage.tables import AuditRow, DocumentRow, FieldRow, RecordRow, SegmentRow
from extractor.validate import revalidate

HUMAN = frozenset({"confirmed", "corrected"})

Revalidator = Callable[[ExtractionResult], None]


def validators_for(settings: Settings) -> Revalidator:
    """Every validator and the scoring, with these settings' review thresholds."""
    return partial(revalidate, settings=settings)


@dataclass
class _Stored:
    """A field as stored, beside the FieldValue handed to the validators."""

    row: Row[Any]
    address: str
    fv: FieldValue
    kind: str


def _load(session: Session, document_id: int) -> tuple[ExtractionResult, list[_Stored], int] | None:
    """The stored document as the validators read it, its fields as stored, and its revision."""
    doc = session.execute(
        select(
            DocumentRow.revision,
            DocumentRow.sha256,
            DocumentRow.source,
            DocumentRow.text,
            DocumentRow.format,
            DocumentRow.unit_name,
            DocumentRow.fiscal_year,
            DocumentRow.doc_type,
            DocumentRow.money_unit,
            DocumentRow.backend,
        ).where(DocumentRow.id == document_id)
    ).first()
    if doc is None:
        return None
    segments = [
        segment_from_row(s)
        for s in session.scalars(
            select(SegmentRow).where(SegmentRow.document_id == document_id).order_by(SegmentRow.position)
        )
    ]
    rows = session.execute(
        select(
            FieldRow.id,
            FieldRow.name,
            FieldRow.value,
            FieldRow.span_start,
            FieldRow.span_end,
            FieldRow.confidence,
            FieldRow.status,
            FieldRow.reasons,
            FieldRow.version,
            FieldRow.priority,
            RecordRow.id.label("record_id"),
            RecordRow.kind,
            RecordRow.key,
            RecordRow.table_title,
            RecordRow.unit,
            RecordRow.segment_index,
        )
        .join(RecordRow, RecordRow.id == FieldRow.record_id)
        .where(FieldRow.document_id == document_id)
        .order_by(RecordRow.position, FieldRow.position)
    ).all()
    records: dict[int, Record] = {}
    stored: list[_Stored] = []
    for r in rows:
        record = records.get(r.record_id)
        if record is None:
            record = records[r.record_id] = Record(r.kind, r.key, r.table_title, r.unit, {}, r.segment_index)
        span = (r.span_start, r.span_end) if r.span_start is not None and r.span_end is not None else None
        fv = FieldValue(r.value, span, list(r.reasons), r.confidence, cast(Status, r.status))
        record.fields[r.name] = fv
        stored.append(_Stored(r, f"{r.kind}/{r.key}/{r.name}", fv, r.kind))
    result = ExtractionResult(
        document=document_from_row(doc),
        info=info_from_row(doc),
        segments=segments,
        records=list(records.values()),
        backend=doc.backend,
    )
    return result, stored, doc.revision


def revalidate_document(
    session: Session, *, document_id: int, cause: str, revalidator: Revalidator
) -> list[str]:
    """Re-run the validators over a stored document in one transaction; returns the addresses of fields
    that left the queue."""
    loaded = _load(session, document_id)
    if loaded is None:
        return []
    result, stored, _revision = loaded
    revalidator(result)
    _keep_findings(session, document_id, result)
    return _apply(session, document_id, stored, cause)


def revalidate_detached(
    engine: Engine, *, document_id: int, cause: str, revalidator: Revalidator
) -> list[str]:
    """The same, with the validators run outside any write transaction (other reviewers keep writing).

    The verdict is applied only if no other value of the document changed meanwhile (then the re-validation
    that change triggers is the one that counts), and never to a field whose version moved since it was read.
    """
    with session_scope(engine, readonly=True) as session:
        loaded = _load(session, document_id)
    if loaded is None:
        return []
    result, stored, revision = loaded
    revalidator(result)
    with session_scope(engine) as session:
        # locked (PostgreSQL) as a submit locks it: no submit commits between this check and the apply
        now = session.scalar(
            select(DocumentRow.revision).where(DocumentRow.id == document_id).with_for_update()
        )
        if now != revision:
            return []
        rows = session.execute(
            select(FieldRow.id, FieldRow.version).where(FieldRow.document_id == document_id)
        )
        versions = {fid: version for fid, version in rows}
        current = [s for s in stored if versions.get(s.row.id) == s.row.version]
        _keep_findings(session, document_id, result)
        return _apply(session, document_id, current, cause, all_stored=stored)


def _keep_findings(session: Session, document_id: int, result: ExtractionResult) -> None:
    session.execute(
        update(DocumentRow)
        .where(DocumentRow.id == document_id)
        .values(
            findings=[_plain(f) for f in result.findings], proposals=[_plain(p) for p in result.proposals]
        )
    )


def _plain(item: Finding | Proposal) -> dict[str, Any]:
    """`dataclasses.asdict` of a finding or a proposal (flat dataclasses of scalars and lists of scalars),
    without its recursive deep copy, which costs more than the validators on a document of 200 findings."""
    return {k: list(v) if isinstance(v, list) else v for k, v in vars(item).items()}


_FIELDS = cast(Table, FieldRow.__table__)
_BY_ID = update(_FIELDS).where(_FIELDS.c.id == bindparam("field_id"))


def _update_fields(session: Session, changes: list[dict[str, Any]]) -> None:
    """UPDATE fields by id for each dict (`id` and the columns to set, the same columns in each dict).

    One Core executemany: a confirm moves the priority of every doubted field of its kind (hundreds of rows),
    and the ORM's bulk UPDATE spends several times SQLite's own work on bookkeeping. Pending changes are
    flushed first, and the fields the session holds are given the new values (as the ORM's bulk UPDATE does).
    """
    if not changes:
        return
    session.flush()
    params = [{("field_id" if k == "id" else k): v for k, v in c.items()} for c in changes]
    session.connection().execute(_BY_ID, params)
    by_id = {c["id"]: c for c in changes}
    for key in list(session.identity_map.keys()):
        change = by_id.get(key[1][0]) if key[0] is FieldRow else None
        obj = session.identity_map.get(key) if change is not None else None
        if change is None or obj is None:
            continue
        for column, value in change.items():
            if column != "id":
                set_committed_value(obj, column, value)


def _apply(
    session: Session,
    document_id: int,
    stored: list[_Stored],
    cause: str,
    *,
    all_stored: list[_Stored] | None = None,
) -> list[str]:
    """Write the validators' verdicts (human statuses stand) and the new queue order; audit status changes."""
    everything = all_stored if all_stored is not None else stored
    human = {id(s.fv): s.row.status for s in everything if s.row.status in HUMAN}
    for s in everything:  # a human decision stands, whatever the validators think
        if id(s.fv) in human:
            s.fv.status = cast(Status, human[id(s.fv)])
    priorities = dict(
        zip(
            (id(s.fv) for s in everything),
            settle_priorities([s.fv for s in everything], [s.kind for s in everything]),
            strict=True,
        )
    )
    updates: list[dict[str, Any]] = []
    settled: list[str] = []
    for s in stored:
        row, fv, priority = s.row, s.fv, priorities[id(s.fv)]
        moved = fv.status != row.status
        if (
            not moved
            and fv.reasons == list(row.reasons)
            and fv.confidence == row.confidence
            and priority == row.priority
        ):
            continue
        updates.append(
            {
                "id": row.id,
                "status": fv.status,
                "reasons": list(fv.reasons),
                "linked": linked(fv.reasons),
                "confidence": fv.confidence,
                "priority": priority,
                "version": row.version + 1 if moved else row.version,
            }
        )
        if moved:
            if fv.status != "needs_review":
                settled.append(s.address)
            session.add(
                AuditRow(
                    user_id=None,
                    document_id=document_id,
                    field_id=row.id,
                    address=s.address,
                    action="revalidate",
                    old=row.value,
                    new=row.value,
                    old_status=row.status,
                    new_status=fv.status,
                    reason=f"validators re-run after {cause}",
                )
            )
    _update_fields(session, updates)
    _set_document_status(session, document_id, [s.fv.status for s in everything])
    return settled


def _set_document_status(session: Session, document_id: int, statuses: Sequence[str]) -> None:
    recount(session, document_id=document_id)
    _settle_status(session, document_id, DOUBTED in statuses)


def refresh_document(session: Session, *, document_id: int) -> None:
    """Recompute the queue priorities of a document's fields (writing only those that moved) and its status."""
    _reorder(session, [FieldRow.document_id == document_id])
    _settle_status(session, document_id, bool(session.scalar(select(_waiting_in(document_id)))))


def refresh_after_decision(session: Session, *, field: FieldRow, reorder: bool = True) -> None:
    """After a decision on one field, whose own priority was written with it (`queue_order.own_priority`):
    re-order its kind if a waiting field there is `linked` (else no other priority moves), and set the
    document's status. One statement asks both, since each statement is a round trip to the database.
    `reorder=False`: the caller re-settles the document next (a re-validation); only the status is set.

    Labels of checks are scoped by record kind (see `extractor.queue_order`), so a decision can only move the
    priorities of fields of its own kind."""
    scope = [FieldRow.document_id == field.document_id, FieldRow.kind == field.kind]
    linked_waiting = exists().where(*scope, FieldRow.status == DOUBTED, FieldRow.linked.is_(True))
    shared, waiting = session.execute(select(linked_waiting, _waiting_in(field.document_id))).one()
    if shared and reorder:
        _reorder(session, scope)
    _settle_status(session, field.document_id, bool(waiting))


def _waiting_in(document_id: int) -> Exists:
    return exists().where(FieldRow.document_id == document_id, FieldRow.status == DOUBTED)


def _reorder(session: Session, scope: list[ColumnElement[bool]]) -> None:
    """Settle the priorities of the fields in `scope` afresh and write those that moved. Only the waiting
    fields are read, and those that have just left (their priority is not 0 yet): a field out of review has
    priority 0 and moves no other's."""
    rows = session.execute(
        select(
            FieldRow.id,
            FieldRow.status,
            FieldRow.reasons,
            FieldRow.confidence,
            FieldRow.priority,
            FieldRow.kind,
        )
        .where(*scope, or_(FieldRow.status == DOUBTED, FieldRow.priority != 0))
        .order_by(FieldRow.id)
    ).all()
    changes = [
        {"id": r.id, "priority": p}
        for r, p in zip(rows, settle_priorities(rows, [r.kind for r in rows]), strict=True)
        if r.priority != p
    ]
    _update_fields(session, changes)


def _settle_status(session: Session, document_id: int, waiting: bool) -> None:
    doc = session.get(DocumentRow, document_id)
    if doc is not None and doc.status != "approved":
        doc.status = review_status(waiting=waiting)
    session.flush()
