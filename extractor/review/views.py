"""What the review page shows about one field: its row, its source text with the span, its doubts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from extractor.review.errors import NotFound
from extractor.review.leases import live_holder
from extractor.review.reasons import explain, proposals, verdict
from extractor.storage.tables import DocumentRow, FieldRow, RecordRow

CONTEXT_CHARS = 400


@dataclass(frozen=True)
class Doubt:
    reason: str
    text: str
    state: str  # fail | ok | info

    @property
    def failing(self) -> bool:
        return self.state == "fail"


@dataclass(frozen=True)
class RowCell:
    field_id: int
    name: str
    value: Any
    status: str
    current: bool


@dataclass(frozen=True)
class SourceContext:
    before: str
    marked: str
    after: str
    span: tuple[int, int] | None


@dataclass(frozen=True)
class FieldView:
    field_id: int
    name: str
    address: str
    value: Any
    original_value: Any
    status: str
    version: int
    confidence: float
    doubts: list[Doubt]
    proposals: list[str]
    document_id: int
    document_source: str
    document_status: str
    kind: str
    key: str
    table_title: str
    unit: str | None
    row: list[RowCell]
    context: SourceContext
    lease_holder: str | None
    lease_expires: datetime | None
    left_in_queue: int


def _context(session: Session, doc_id: int, span: tuple[int, int] | None) -> SourceContext:
    if span is None:
        return SourceContext("", "", "", None)
    start, end = span
    lo = max(0, start - CONTEXT_CHARS)
    # SQL substr is 1-based; read only the window, not the whole document text
    window = (
        session.scalar(
            select(func.substr(DocumentRow.text, lo + 1, (end - lo) + CONTEXT_CHARS)).where(
                DocumentRow.id == doc_id
            )
        )
        or ""
    )
    cut_a, cut_b = start - lo, end - lo
    return SourceContext(window[:cut_a], window[cut_a:cut_b], window[cut_b:], span)


def field_view(session: Session, *, field_id: int) -> FieldView:
    found = session.execute(
        select(FieldRow, RecordRow, DocumentRow.source, DocumentRow.status)
        .join(RecordRow, RecordRow.id == FieldRow.record_id)
        .join(DocumentRow, DocumentRow.id == FieldRow.document_id)
        .where(FieldRow.id == field_id)
    ).first()
    if found is None:
        raise NotFound("no such field", source=str(field_id))
    f, rec, source, doc_status = found
    siblings = session.scalars(
        select(FieldRow).where(FieldRow.record_id == rec.id).order_by(FieldRow.position)
    ).all()
    span = (f.span_start, f.span_end) if f.span_start is not None and f.span_end is not None else None
    holder = live_holder(session, field_id=f.id)
    left = session.scalar(select(func.count()).where(FieldRow.status == "needs_review")) or 0
    shown = [p for p in proposals(f.reasons) if p != str(f.value)]
    return FieldView(
        field_id=f.id,
        name=f.name,
        address=f"{rec.kind}/{rec.key}/{f.name}",
        value=f.value,
        original_value=f.original_value,
        status=f.status,
        version=f.version,
        confidence=f.confidence,
        doubts=[Doubt(r, explain(r), verdict(r)) for r in f.reasons],
        proposals=shown[:9],
        document_id=f.document_id,
        document_source=source,
        document_status=doc_status,
        kind=rec.kind,
        key=rec.key,
        table_title=rec.table_title,
        unit=rec.unit,
        row=[RowCell(s.id, s.name, s.value, s.status, s.id == f.id) for s in siblings],
        context=_context(session, f.document_id, span),
        lease_holder=holder[1] if holder else None,
        lease_expires=holder[2] if holder else None,
        left_in_queue=int(left),
    )
