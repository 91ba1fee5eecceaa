"""What the review page shows about one field: its row, its source text with the span, its doubts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from extractor.reasons import lookup
from extractor.review.checks import Check, field_checks
from extractor.review.errors import NotFound
from extractor.review.labels import column_label, document_label, field_label, row_label
from extractor.review.leases import live_holder
from extractor.review.reasons import N_, describe, explain, proposals, verdict
from extractor.storage.sources import PageLocation, locate
from extractor.storage.tables import AuditRow, DocumentRow, FieldRow, RecordRow

CONTEXT_CHARS = 400
FOCUS_MARGIN_X, FOCUS_MARGIN_Y = 180.0, 60.0  # PDF points around a field's box in the page close-up
PROPOSAL_REASON = "repair proposal"  # the reason a submit of a proposal carries


@dataclass(frozen=True)
class Doubt:
    reason: str
    text: str
    state: str  # fail | ok | info
    message: str = "%(arg)s"  # catalog id of the text
    params: dict[str, str] | None = None

    @property
    def failing(self) -> bool:
        return self.state == "fail"


@dataclass(frozen=True)
class RowCell:
    field_id: int
    name: str
    label: str
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
    label: str = ""
    column_label: str = ""
    row_label: str = ""
    document_label: str = ""
    checks: tuple[Check, ...] = ()
    notes: tuple[Doubt, ...] = ()  # the reasons that are not sums or ties, each once
    from_proposal: bool = False  # the value is a repair proposal a reviewer took
    page: PageLocation | None = None  # where a PDF prints the field's span

    @property
    def page_focus(self) -> tuple[float, float, float, float] | None:
        """The part of the page around the field's boxes (x, y, width, height in points): the row's
        neighbours to the left and right and a few lines above and below, for the close-up."""
        if self.page is None:
            return None
        p = self.page
        x0 = max(0.0, min(b.x0 for b in p.boxes) - FOCUS_MARGIN_X)
        x1 = min(p.width, max(b.x1 for b in p.boxes) + FOCUS_MARGIN_X)
        y0 = max(0.0, min(b.top for b in p.boxes) - FOCUS_MARGIN_Y)
        y1 = min(p.height, max(b.bottom for b in p.boxes) + FOCUS_MARGIN_Y)
        return (round(x0, 1), round(y0, 1), round(x1 - x0, 1), round(y1 - y0, 1))

    @property
    def failing_checks(self) -> list[Check]:
        return [c for c in self.checks if c.failing]

    @property
    def passing_checks(self) -> list[Check]:
        return [c for c in self.checks if not c.failing]


def _is_check(reason: str) -> bool:
    """A sum, a tie or a repair they propose: shown in the checks panel with its numbers."""
    entry = lookup(reason)
    return entry is not None and entry.family == "check"


def _doubt(reason: str) -> Doubt:
    message, params = describe(reason)
    return Doubt(reason, explain(reason), verdict(reason), message, params)


def _notes(reasons: list[str], *, has_checks: bool, from_proposal: bool) -> tuple[Doubt, ...]:
    out: list[Doubt] = []
    for r in dict.fromkeys(reasons):
        if has_checks and _is_check(r):
            continue
        d = _doubt(r)
        if from_proposal and r == "ungrounded":
            d = Doubt(r, d.text, "info", N_("the value is the repair proposal taken, not the printed one"))
        out.append(d)
    order = {"fail": 0, "info": 1, "ok": 2}
    return tuple(sorted(out, key=lambda d: order[d.state]))


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
        select(
            FieldRow,
            RecordRow,
            DocumentRow.source,
            DocumentRow.status,
            DocumentRow.unit_name,
            DocumentRow.fiscal_year,
            DocumentRow.doc_type,
        )
        .join(RecordRow, RecordRow.id == FieldRow.record_id)
        .join(DocumentRow, DocumentRow.id == FieldRow.document_id)
        .where(FieldRow.id == field_id)
    ).first()
    if found is None:
        raise NotFound("no such field", source=str(field_id))
    f, rec, source, doc_status, unit_name, year, doc_type = found
    siblings = session.scalars(
        select(FieldRow).where(FieldRow.record_id == rec.id).order_by(FieldRow.position)
    ).all()
    span = (f.span_start, f.span_end) if f.span_start is not None and f.span_end is not None else None
    holder = live_holder(session, field_id=f.id)
    left = session.scalar(select(func.count()).where(FieldRow.status == "needs_review")) or 0
    shown = [p for p in proposals(f.reasons) if p != str(f.value)]
    row_name = next((s.value for s in siblings if s.name in ("name", "project_name")), None)
    address = f"{rec.kind}/{rec.key}/{f.name}"
    checks = field_checks(session, document_id=f.document_id, address=address, value=f.value)
    last_reason = session.scalar(
        select(AuditRow.reason)
        .where(AuditRow.field_id == f.id, AuditRow.action.in_(("confirm", "correct", "undo")))
        .order_by(AuditRow.id.desc())
        .limit(1)
    )
    from_proposal = f.status == "corrected" and last_reason == PROPOSAL_REASON
    return FieldView(
        field_id=f.id,
        name=f.name,
        address=f"{rec.kind}/{rec.key}/{f.name}",
        value=f.value,
        original_value=f.original_value,
        status=f.status,
        version=f.version,
        confidence=f.confidence,
        doubts=[_doubt(r) for r in f.reasons],
        proposals=shown[:9],
        document_id=f.document_id,
        document_source=source,
        document_status=doc_status,
        kind=rec.kind,
        key=rec.key,
        table_title=rec.table_title,
        unit=rec.unit,
        row=[
            RowCell(s.id, s.name, column_label(rec.kind, s.name), s.value, s.status, s.id == f.id)
            for s in siblings
        ],
        context=_context(session, f.document_id, span),
        lease_holder=holder[1] if holder else None,
        lease_expires=holder[2] if holder else None,
        left_in_queue=int(left),
        label=field_label(rec.table_title, rec.kind, rec.key, f.name, row_name),
        column_label=column_label(rec.kind, f.name),
        row_label=row_label(rec.kind, rec.key, row_name),
        document_label=document_label(unit_name, year, doc_type, source),
        checks=tuple(checks),
        notes=_notes(list(f.reasons), has_checks=bool(checks), from_proposal=from_proposal),
        from_proposal=from_proposal,
        page=locate(session, document_id=f.document_id, span=span),
    )
