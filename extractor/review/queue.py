"""The review queue: doubted fields grouped by record row, in the order of `queue_order.settle_priorities`."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from extractor.review.accounts import Reviewer
from extractor.review.errors import LeaseHeld
from extractor.review.labels import column_label, document_label, row_label
from extractor.review.leases import claim, now_utc, release
from extractor.storage.tables import DocumentRow, FieldRow, LeaseRow, QueueCountRow, RecordRow, UserRow

DOUBTED = "needs_review"


@dataclass(frozen=True)
class QueueFilters:
    document_id: int | None = None
    kind: str | None = None
    reason: str | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        conds: list[ColumnElement[bool]] = [FieldRow.status == DOUBTED]
        if self.document_id is not None:
            conds.append(FieldRow.document_id == self.document_id)
        if self.kind:
            conds.append(FieldRow.kind == self.kind)
        if self.reason:
            # reasons are a JSON list of strings: match an item that starts with the filter
            needle = self.reason.replace("\\", "").replace('"', "").replace("%", "").replace("_", "\\_")
            conds.append(cast(FieldRow.reasons, String).like(f'%"{needle}%', escape="\\"))
        return conds

    def as_query(self) -> dict[str, str]:
        q = {"document": str(self.document_id or ""), "kind": self.kind or "", "reason": self.reason or ""}
        return {k: v for k, v in q.items() if v}


@dataclass(frozen=True)
class QueueItem:
    field_id: int
    name: str
    value: Any
    confidence: float
    reasons: list[str]
    version: int
    priority: float
    leased_by: str | None
    label: str = ""  # the column's printed header


@dataclass
class QueueGroup:
    record_id: int
    document_id: int
    document_source: str
    kind: str
    key: str
    table_title: str
    priority: float
    items: list[QueueItem] = field(default_factory=list)
    row_label: str = ""
    document_label: str = ""

    def address(self, name: str) -> str:
        return f"{self.kind}/{self.key}/{name}"


@dataclass(frozen=True)
class QueuePage:
    groups: list[QueueGroup]
    fields_left: int
    records_left: int
    kinds: list[tuple[str, int]]
    offset: int
    limit: int
    document_labels: dict[int, str] = field(default_factory=dict)


def _leased(now: datetime) -> ColumnElement[bool]:
    return exists().where(LeaseRow.field_id == FieldRow.id, LeaseRow.expires_at > now)


def queue_page(
    session: Session, *, filters: QueueFilters, limit: int = 25, offset: int = 0, now: datetime | None = None
) -> QueuePage:
    """One page of record rows with doubted fields, the rows whose fields settle most first."""
    now = now or now_utc()
    conds = filters.conditions()
    top = _top_records(session, conds, limit=limit, offset=offset)
    record_ids = [record_id for record_id, _p in top]
    groups: dict[int, QueueGroup] = {}
    labels: dict[int, tuple[str, str]] = {}  # document -> (source, label)
    if record_ids:
        rows = session.execute(
            select(
                FieldRow.id,
                FieldRow.record_id,
                FieldRow.document_id,
                FieldRow.name,
                FieldRow.value,
                FieldRow.confidence,
                FieldRow.reasons,
                FieldRow.version,
                FieldRow.priority,
                RecordRow.kind,
                RecordRow.key,
                RecordRow.table_title,
                UserRow.username,
                DocumentRow.source,
                DocumentRow.unit_name,
                DocumentRow.fiscal_year,
                DocumentRow.doc_type,
            )
            .join(RecordRow, RecordRow.id == FieldRow.record_id)
            .join(DocumentRow, DocumentRow.id == FieldRow.document_id)
            .outerjoin(LeaseRow, and_(LeaseRow.field_id == FieldRow.id, LeaseRow.expires_at > now))
            .outerjoin(UserRow, UserRow.id == LeaseRow.user_id)
            .where(FieldRow.record_id.in_(record_ids), *conds)
            .order_by(FieldRow.position)
        ).all()
        priority = dict(top)
        row_names: dict[int, Any] = dict(
            session.execute(
                select(FieldRow.record_id, FieldRow.value).where(
                    FieldRow.record_id.in_(record_ids), FieldRow.name.in_(("name", "project_name"))
                )
            ).all()
        )
        for f in rows:  # plain rows, not entities: a page is a hundred fields read once
            group = groups.get(f.record_id)
            if group is None:
                if f.document_id not in labels:
                    label = document_label(f.unit_name, f.fiscal_year, f.doc_type, f.source)
                    labels[f.document_id] = (f.source, label)
                group = groups[f.record_id] = QueueGroup(
                    record_id=f.record_id,
                    document_id=f.document_id,
                    document_source=f.source,
                    kind=f.kind,
                    key=f.key,
                    table_title=f.table_title,
                    priority=priority[f.record_id],
                    row_label=row_label(f.kind, f.key, row_names.get(f.record_id)),
                    document_label=labels[f.document_id][1],
                )
            group.items.append(
                QueueItem(
                    field_id=f.id,
                    name=f.name,
                    value=f.value,
                    confidence=f.confidence,
                    reasons=list(f.reasons),
                    version=f.version,
                    priority=f.priority,
                    leased_by=f.username,
                    label=column_label(f.kind, f.name),
                )
            )
    if filters.document_id is not None and filters.document_id not in labels:
        labels |= _labels(session, {filters.document_id})  # the chosen document, shown in its filter
    counts = _left(session, filters)
    kinds = session.execute(
        select(QueueCountRow.kind, func.sum(QueueCountRow.fields))
        .group_by(QueueCountRow.kind)
        .having(func.sum(QueueCountRow.fields) > 0)
        .order_by(QueueCountRow.kind)
    ).all()
    return QueuePage(
        groups=[groups[i] for i in record_ids if i in groups],
        fields_left=int(counts[0]),
        records_left=int(counts[1]),
        kinds=[(k, int(n)) for k, n in kinds],
        document_labels={i: label for i, (_source, label) in labels.items()},
        offset=offset,
        limit=limit,
    )


def _labels(session: Session, ids: set[int]) -> dict[int, tuple[str, str]]:
    """(source, label) of these documents."""
    if not ids:
        return {}
    rows = session.execute(
        select(
            DocumentRow.id,
            DocumentRow.source,
            DocumentRow.unit_name,
            DocumentRow.fiscal_year,
            DocumentRow.doc_type,
        ).where(DocumentRow.id.in_(sorted(ids)))
    )
    return {i: (src, document_label(u, y, t, src)) for i, src, u, y, t in rows}


def document_choices(session: Session) -> list[tuple[int, str, int]]:
    """(id, label, waiting fields) of every document with fields in review, for the queue's document filter.

    Asked for only when a reviewer opens that filter: with hundreds of documents in review, rendering them
    into every queue page cost more than the page's own rows."""
    waiting = (
        select(QueueCountRow.document_id, func.sum(QueueCountRow.fields).label("n"))
        .group_by(QueueCountRow.document_id)
        .having(func.sum(QueueCountRow.fields) > 0)
        .subquery()
    )
    rows = session.execute(
        select(
            DocumentRow.id,
            DocumentRow.source,
            waiting.c.n,
            DocumentRow.unit_name,
            DocumentRow.fiscal_year,
            DocumentRow.doc_type,
        )
        .join(waiting, waiting.c.document_id == DocumentRow.id)
        .order_by(DocumentRow.id)
    )
    return [(i, document_label(u, y, t, src), int(n)) for i, src, n, u, y, t in rows]


def _top_records(
    session: Session, conds: list[ColumnElement[bool]], *, limit: int, offset: int
) -> list[tuple[int, float]]:
    """The page's record rows with their priorities, in queue order (priority high to low, then record).

    Read off the (status, priority desc, record_id) index rather than grouped over the whole queue: a row's
    first field in that order carries the row's highest priority, so the rows come in the order of their
    first fields. Fields are read in growing chunks until the page's rows are all seen."""
    want = offset + limit
    chunk = max(64, 8 * want)
    while True:
        rows = session.execute(
            select(FieldRow.record_id, FieldRow.priority)
            .where(*conds)
            .order_by(FieldRow.priority.desc(), FieldRow.record_id)
            .limit(chunk)
        ).all()
        first: dict[int, float] = {}
        for record_id, priority in rows:
            first.setdefault(record_id, priority)
            if len(first) == want:
                break
        if len(first) == want or len(rows) < chunk:
            return list(first.items())[offset:want]
        chunk *= 4


def _left(session: Session, filters: QueueFilters) -> tuple[int, int]:
    """Fields and record rows waiting under the filters: summed from `queue_counts` (kept per document and
    kind), or, under a reason filter, which those counts do not split by, counted from the fields."""
    if filters.reason:
        counted = session.execute(
            select(func.count(), func.count(func.distinct(FieldRow.record_id))).where(*filters.conditions())
        ).one()
        return int(counted[0]), int(counted[1])
    query = select(func.sum(QueueCountRow.fields), func.sum(QueueCountRow.records))
    if filters.document_id is not None:
        query = query.where(QueueCountRow.document_id == filters.document_id)
    if filters.kind:
        query = query.where(QueueCountRow.kind == filters.kind)
    fields, records = session.execute(query).one()
    return int(fields or 0), int(records or 0)


def next_field(
    session: Session,
    *,
    user: Reviewer,
    filters: QueueFilters,
    lease_seconds: int,
    after: int | None = None,
    now: datetime | None = None,
) -> int | None:
    """Claim a doubted field nobody holds yet and return its id (None when every one is taken or done).

    The reviewer's other leases stay (they end on a submit, a release or expiry). `after` is the field the
    reviewer skipped: its lease is released and the search starts behind it in queue order, wrapping around.
    Must run in a writing transaction (on SQLite it holds the write lock, so two reviewers never race).
    """
    now = now or now_utc()
    if after is not None:
        release(session, field_id=after, user=user)
        session.flush()
    # on PostgreSQL the candidate is locked (rows another reviewer is claiming right now are skipped), and
    # `claim` re-reads the lease after the lock: a lease committed since this statement began is seen there
    taken: list[int] = []
    # a refused claim rolls back to a savepoint on PostgreSQL (the row lock of a field it does not take is
    # let go); SQLite's writer holds the whole file, so no other claim commits in between and `claim`
    # refuses before it writes: there the savepoint would be two statements more under the write lock
    savepoint = session.begin_nested if session.get_bind().dialect.name != "sqlite" else nullcontext
    for _attempt in range(_CLAIM_ATTEMPTS):
        field_id = _candidate(session, filters, now, after, taken)
        if field_id is None:
            return None
        try:
            with savepoint():
                claim(session, field_id=field_id, user=user, seconds=lease_seconds, now=now)
        except LeaseHeld:
            taken.append(field_id)
            continue
        return field_id
    return None


_CLAIM_ATTEMPTS = 20


def _candidate(
    session: Session, filters: QueueFilters, now: datetime, after: int | None, taken: list[int]
) -> int | None:
    base = (
        select(FieldRow.id)
        .where(*filters.conditions(), not_(_leased(now)), FieldRow.id.notin_(taken))
        .with_for_update(skip_locked=True, of=FieldRow)
    )
    order = (FieldRow.priority.desc(), FieldRow.id)
    field_id: int | None = None
    if after is not None:
        current = session.execute(select(FieldRow.priority).where(FieldRow.id == after)).scalar_one_or_none()
        if current is not None:
            behind = or_(FieldRow.priority < current, and_(FieldRow.priority == current, FieldRow.id > after))
            field_id = session.scalar(base.where(behind).order_by(*order).limit(1))
            if field_id is None:
                field_id = session.scalar(base.where(FieldRow.id != after).order_by(*order).limit(1))
    if field_id is None:
        field_id = session.scalar(base.order_by(*order).limit(1))
    return field_id


@dataclass(frozen=True)
class ClaimedItem:
    field_id: int
    address: str
    value: Any
    version: int
    lease_expires: datetime | None


def claimed_item(session: Session, *, field_id: int) -> ClaimedItem:
    """What a reviewer needs to act on a field just claimed (the API's answer to "next")."""
    row = session.execute(
        select(
            FieldRow.id,
            FieldRow.name,
            FieldRow.value,
            FieldRow.version,
            RecordRow.key,
            FieldRow.kind,
            LeaseRow.expires_at,
        )
        .join(RecordRow, RecordRow.id == FieldRow.record_id)
        .outerjoin(LeaseRow, LeaseRow.field_id == FieldRow.id)
        .where(FieldRow.id == field_id)
    ).one()
    return ClaimedItem(row.id, f"{row.kind}/{row.key}/{row.name}", row.value, row.version, row.expires_at)
