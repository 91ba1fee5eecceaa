"""Submitting a review decision: confirm or correct a field, or undo the last decision on it.

A submit carries the field version the reviewer saw (a stale one is refused with the current value) and may
carry an idempotency key (the same submit sent twice is applied once and answered twice the same way).
Every change writes an audit row. A value change bumps the document's revision; re-running the validators
after it is `extractor.review.service`'s job, outside this transaction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from extractor.queue_order import Standing, own_priority
from extractor.review.accounts import Reviewer
from extractor.review.errors import InvalidSubmit, LeaseHeld, NotFound, ReadOnlyDocument, StaleVersion
from extractor.review.leases import live_holder, release
from extractor.review.revalidation import refresh_after_decision
from extractor.review.values import coerce_value
from extractor.storage.queue_counts import step
from extractor.storage.tables import AuditRow, DocumentRow, FieldRow, IdempotencyKeyRow, RecordRow

ACTIONS = ("confirm", "correct")
MAX_KEY = 80


@dataclass(frozen=True)
class Submit:
    field_id: int
    action: str
    version: int
    value: Any = None
    reason: str | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class FieldState:
    field_id: int
    document_id: int
    address: str
    value: Any
    status: str
    version: int


@dataclass(frozen=True)
class SubmitOutcome:
    field: FieldState
    settled: list[str] = dataclass_field(default_factory=list)
    revalidated: bool = False
    replayed: bool = False
    value_changed: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any], *, replayed: bool) -> SubmitOutcome:
        return cls(
            field=FieldState(**data["field"]),
            settled=list(data["settled"]),
            revalidated=bool(data["revalidated"]),
            replayed=replayed,
            value_changed=bool(data.get("value_changed", False)),
        )


def _locate(session: Session, field_id: int) -> tuple[FieldRow, str, DocumentRow]:
    row = session.execute(
        select(FieldRow, RecordRow.kind, RecordRow.key, DocumentRow)
        .join(RecordRow, RecordRow.id == FieldRow.record_id)
        .join(DocumentRow, DocumentRow.id == FieldRow.document_id)
        .where(FieldRow.id == field_id)
        # the document's row first (PostgreSQL): writers of one document queue there instead of locking its
        # fields and its revision in different orders (a deadlock); SQLite's writer holds the whole file
        .with_for_update(of=DocumentRow)
    ).first()
    if row is None:
        raise NotFound("no such field", source=str(field_id))
    f, kind, key, doc = row
    return f, f"{kind}/{key}/{f.name}", doc


def _guard(
    session: Session, *, user: Reviewer, f: FieldRow, address: str, doc: DocumentRow, version: int
) -> None:
    if doc.status == "approved":
        raise ReadOnlyDocument(
            "the document is approved and read-only; an admin can reopen it", source=doc.source
        )
    holder = live_holder(session, field_id=f.id)
    if holder is not None and holder[0] != user.id:
        raise LeaseHeld(
            f"{holder[1]} is reviewing this field", holder=holder[1], expires_at=holder[2], source=address
        )
    if f.version != version:
        raise StaleVersion(
            f"the field changed since you saw it (version {version}, now {f.version})",
            field_id=f.id,
            current_value=f.value,
            current_version=f.version,
            current_status=f.status,
            source=address,
        )


def _write(
    session: Session,
    *,
    user: Reviewer,
    f: FieldRow,
    address: str,
    action: str,
    value: Any,
    status: str,
    reason: str | None,
) -> None:
    """Apply a change with a compare-and-set on the version (a concurrent writer makes it a 409)."""
    old_value, old_status, seen = f.value, f.status, f.version
    # the field's own priority goes with it (0 out of review); `refresh_after_decision` re-orders the rest
    priority = own_priority(Standing(status, f.reasons, f.confidence))
    written = {
        "value": value,
        "status": status,
        "version": seen + 1,
        "updated_at": datetime.now(UTC),
        "priority": priority,
    }
    result = session.execute(
        update(FieldRow)
        .where(FieldRow.id == f.id, FieldRow.version == seen)
        .values(**written)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 1) != 1:
        session.refresh(f)
        raise StaleVersion(
            "the field changed while you submitted",
            field_id=f.id,
            current_value=f.value,
            current_version=f.version,
            current_status=f.status,
            source=address,
        )
    for column, new_value in written.items():  # what was written, without reading the row back
        set_committed_value(f, column, new_value)
    step(session, field=f, old_status=old_status)
    session.add(
        AuditRow(
            user_id=user.id,
            document_id=f.document_id,
            field_id=f.id,
            address=address,
            action=action,
            old=old_value,
            new=value,
            old_status=old_status,
            new_status=status,
            reason=reason,
        )
    )


def _finish(
    session: Session, *, user: Reviewer, f: FieldRow, address: str, value_changed: bool, revalidates: bool
) -> SubmitOutcome:
    release(session, field_id=f.id, user=user)
    if value_changed:
        session.execute(
            update(DocumentRow)
            .where(DocumentRow.id == f.document_id)
            .values(revision=DocumentRow.revision + 1)
        )
    # (what it moves, it moves in `f` too); a value change the caller re-validates is re-ordered by that
    refresh_after_decision(session, field=f, reorder=not (value_changed and revalidates))
    state = FieldState(f.id, f.document_id, address, f.value, f.status, f.version)
    return SubmitOutcome(field=state, value_changed=value_changed)


def submit(session: Session, *, user: Reviewer, request: Submit, revalidates: bool = False) -> SubmitOutcome:
    """Confirm or correct a field. Raises StaleVersion, LeaseHeld, ReadOnlyDocument, InvalidSubmit, NotFound.

    `revalidates`: the caller re-runs the validators after a value change (`extractor.review.service`), which
    re-settles every priority of the document; the kind's re-ordering is then left to it."""
    key = None
    if request.idempotency_key:
        if len(request.idempotency_key) > MAX_KEY:
            raise InvalidSubmit(f"an idempotency key has at most {MAX_KEY} characters")
        key = f"{user.id}:{request.idempotency_key}"
        done = session.get(IdempotencyKeyRow, key)
        if done is not None:
            return SubmitOutcome.from_json(done.response, replayed=True)
    if request.action not in ACTIONS:
        raise InvalidSubmit(f"unknown action {request.action!r}; use one of {', '.join(ACTIONS)}")
    f, address, doc = _locate(session, request.field_id)
    if key is not None:
        # asked again now that the document is locked: a first attempt of this request that committed
        # while this one waited for the lock (a client's retry overtaking it) is replayed, not refused as stale
        done = session.get(IdempotencyKeyRow, key, populate_existing=True)
        if done is not None:
            return SubmitOutcome.from_json(done.response, replayed=True)
    _guard(session, user=user, f=f, address=address, doc=doc, version=request.version)
    value, status = f.value, "confirmed"
    if request.action == "correct":
        value = coerce_value(request.value, like=f.original_value if f.value is None else f.value)
        if value != f.value:
            status = "corrected"
    changed = value != f.value
    _write(
        session,
        user=user,
        f=f,
        address=address,
        action="correct" if changed else "confirm",
        value=value,
        status=status,
        reason=request.reason,
    )
    outcome = _finish(
        session, user=user, f=f, address=address, value_changed=changed, revalidates=revalidates
    )
    if key is not None:
        session.add(IdempotencyKeyRow(key=key, user_id=user.id, status_code=200, response=outcome.to_json()))
        session.flush()
    return outcome


def undo(
    session: Session, *, user: Reviewer, field_id: int, version: int, revalidates: bool = False
) -> SubmitOutcome:
    """Take back the last decision on a field (yours, or anyone's for an admin), audited as an undo."""
    f, address, doc = _locate(session, field_id)
    _guard(session, user=user, f=f, address=address, doc=doc, version=version)
    last = session.scalar(
        select(AuditRow)
        .where(AuditRow.field_id == field_id, AuditRow.action.in_(("confirm", "correct", "undo")))
        .order_by(AuditRow.id.desc())
        .limit(1)
    )
    if last is None or last.old_status is None:
        raise InvalidSubmit("nothing to undo on this field", source=address)
    if last.user_id != user.id and not user.is_admin:
        raise InvalidSubmit("the last decision on this field is someone else's", source=address)
    changed = last.old != f.value
    _write(
        session,
        user=user,
        f=f,
        address=address,
        action="undo",
        value=last.old,
        status=last.old_status,
        reason=f"undo of change #{last.id}",
    )
    return _finish(session, user=user, f=f, address=address, value_changed=changed, revalidates=revalidates)
