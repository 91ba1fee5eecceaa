"""Keyword-only repository functions: the only way the CLI and the server touch stored documents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from extractor.errors import StorageError
from extractor.model import (
    DocType,
    DocumentInfo,
    ExtractionResult,
    FieldValue,
    Finding,
    IngestedDocument,
    Proposal,
    Record,
    Segment,
    Status,
    Usage,
)
from extractor.queue_order import linked, settle_priorities
from extractor.storage.db import make_engine, session_scope
from extractor.storage.errors import AmbiguousDocument, DocumentNotFound
from extractor.storage.faults import cause_of
from extractor.storage.queue_counts import recount
from extractor.storage.schema import init_db
from extractor.storage.sources import add_source
from extractor.storage.tables import DocumentRow, FieldRow, IngestFailureRow, RecordRow, SegmentRow, as_id

__all__ = [
    "DocumentSummary",
    "document_status_for",
    "find_document",
    "init_db",
    "list_documents",
    "load_result",
    "make_engine",
    "record_failure",
    "review_status",
    "session_scope",
    "store_result",
    "stored_document_id",
]

_MIN_PREFIX = 4


@dataclass(frozen=True)
class DocumentSummary:
    id: int
    sha256: str
    source: str
    format: str
    unit_name: str | None
    fiscal_year: int | None
    doc_type: str | None
    status: str
    records: int
    fields: int
    auto_accepted: int
    needs_review: int
    confirmed: int
    corrected: int
    created_at: datetime

    @property
    def reviewed(self) -> int:
        return self.confirmed + self.corrected


def stored_document_id(session: Session, *, sha256: str) -> int | None:
    """The id of the document stored with these bytes' sha256, if any (the dedupe before extraction)."""
    return session.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == sha256))


def document_status_for(statuses: Sequence[str]) -> str:
    return review_status(waiting="needs_review" in statuses)


def review_status(*, waiting: bool) -> str:
    """A document's status while not approved: in review while a field waits, reviewed after."""
    return "in_review" if waiting else "reviewed"


def store_result(session: Session, *, result: ExtractionResult) -> tuple[int, bool]:
    """Store a document with its segments, records and fields; returns (document id, created).

    A document already stored (same sha256) is left untouched and (its id, False) returned. The insert runs
    in a savepoint: if any part fails, nothing of this document stays in the session's transaction.
    """
    doc = result.document
    existing = session.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == doc.sha256))
    if existing is not None:
        return existing, False
    try:
        with session.begin_nested():
            row = _document_row(result)
            session.add(row)
            session.flush()
            _add_records(session, row, result.records)
            recount(session, document_id=row.id)
            _add_findings(session, row.id, result)
            add_source(session, document_id=row.id, document=doc)
    except IntegrityError as exc:
        again = session.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == doc.sha256))
        if again is not None:  # stored concurrently by another process
            return again, False
        raise StorageError(f"could not store the document: {cause_of(exc)}", source=doc.source) from exc
    except (SQLAlchemyError, OSError) as exc:
        raise StorageError(f"could not store the document: {cause_of(exc)}", source=doc.source) from exc
    return row.id, True


def _add_findings(session: Session, document_id: int, result: ExtractionResult) -> None:
    from extractor.findings import check_result
    from extractor.storage.findings_repo import store_findings

    store_findings(session, document_id=document_id, findings=check_result(result))


def _document_row(result: ExtractionResult) -> DocumentRow:
    doc, info, usage = result.document, result.info, result.usage
    statuses = [fv.status for _, _, fv in result.fields()]
    return DocumentRow(
        sha256=doc.sha256,
        source=doc.source,
        format=doc.format,
        text=doc.text,
        unit_name=info.unit_name,
        fiscal_year=info.fiscal_year,
        doc_type=info.doc_type,
        money_unit=info.money_unit,
        status=document_status_for(statuses),
        backend=result.backend,
        record_count=len(result.records),
        field_count=len(statuses),
        usage={
            "llm_calls": usage.llm_calls,
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "seconds": usage.seconds,
            "reasons": dict(usage.reasons),
        },
        errors=list(result.warnings),
        findings=[asdict(f) for f in result.findings],
        proposals=[asdict(p) for p in result.proposals],
        segments=[
            SegmentRow(
                position=i,
                index=s.index,
                kind=s.kind,
                title=s.title,
                start=s.start,
                end=s.end,
                unit=s.unit,
                classified_by=list(s.classified_by),
                empty=s.empty,
                scope=s.scope,
            )
            for i, s in enumerate(result.segments)
        ],
    )


def _add_records(session: Session, document: DocumentRow, records: list[Record]) -> None:
    priorities = iter(
        settle_priorities(
            [fv for r in records for fv in r.fields.values()], [r.kind for r in records for _ in r.fields]
        )
    )
    for position, record in enumerate(records):
        record_row = RecordRow(
            document_id=document.id,
            position=position,
            kind=record.kind,
            key=record.key,
            scope=record.scope,
            table_title=record.table_title,
            unit=record.unit,
            segment_index=record.segment_index,
        )
        record_row.fields = [
            FieldRow(
                document_id=document.id,
                kind=record.kind,
                position=i,
                name=name,
                value=fv.value,
                original_value=fv.value,
                span_start=fv.span[0] if fv.span is not None else None,
                span_end=fv.span[1] if fv.span is not None else None,
                confidence=fv.confidence,
                status=fv.status,
                reasons=list(fv.reasons),
                linked=linked(fv.reasons),
                version=1,
                priority=next(priorities),
            )
            for i, (name, fv) in enumerate(record.fields.items())
        ]
        session.add(record_row)
    session.flush()


def find_document(session: Session, *, document: str) -> DocumentRow:
    """The stored document named by id, sha256, unique sha256 prefix (4+ hex digits) or source file name."""
    ref = document.strip()
    if (doc_id := as_id(ref)) is not None:
        row = session.get(DocumentRow, doc_id)
        if row is not None:
            return row
    row = session.scalar(select(DocumentRow).where(DocumentRow.sha256 == ref.lower()))
    if row is not None:
        return row
    candidates: list[DocumentRow] = []
    if len(ref) >= _MIN_PREFIX and all(c in "0123456789abcdefABCDEF" for c in ref):
        candidates = list(
            session.scalars(select(DocumentRow).where(DocumentRow.sha256.startswith(ref.lower())).limit(10))
        )
    if not candidates:
        candidates = list(
            session.scalars(select(DocumentRow).where(DocumentRow.source == Path(ref).name).limit(10))
        )
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        ids = [c.id for c in candidates]
        raise AmbiguousDocument(f"{len(ids)} documents match; use an id ({ids})", source=ref, matches=ids)
    raise DocumentNotFound("no stored document has this id, sha256 or file name", source=ref)


def load_result(session: Session, *, document: str) -> ExtractionResult:
    """Rebuild the ExtractionResult of a stored document, with the fields' current values and statuses."""
    row = find_document(session, document=document)
    return result_from_row(session, row)


def result_from_row(session: Session, row: DocumentRow) -> ExtractionResult:
    records = session.scalars(
        select(RecordRow)
        .where(RecordRow.document_id == row.id)
        .order_by(RecordRow.position)
        .options(selectinload(RecordRow.fields))
    ).all()
    usage: dict[str, Any] = row.usage or {}
    return ExtractionResult(
        document=document_from_row(row),
        info=info_from_row(row),
        segments=[segment_from_row(s) for s in row.segments],
        records=[record_from_row(r) for r in records],
        usage=Usage(
            llm_calls=int(usage.get("llm_calls", 0)),
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", 0)),
            seconds=float(usage.get("seconds", 0.0)),
            reasons=dict(usage.get("reasons", {})),
        ),
        backend=row.backend,
        warnings=list(row.errors or []),
        findings=[Finding(**f) for f in row.findings or []],
        proposals=[Proposal(**p) for p in row.proposals or []],
    )


def document_from_row(row: Any) -> IngestedDocument:
    """The document of a `DocumentRow` (or a row of its columns `sha256`, `source`, `text`, `format`)."""
    return IngestedDocument(sha256=row.sha256, source=row.source, text=row.text, format=cast(Any, row.format))


def info_from_row(row: Any) -> DocumentInfo:
    """The document record's facts of a `DocumentRow` (or a row of those columns)."""
    return DocumentInfo(
        unit_name=row.unit_name,
        fiscal_year=row.fiscal_year,
        doc_type=cast(DocType | None, row.doc_type),
        money_unit=row.money_unit,
    )


def segment_from_row(s: SegmentRow) -> Segment:
    return Segment(
        s.index, s.kind, s.title, s.start, s.end, s.unit, list(s.classified_by), s.empty, scope=s.scope or ""
    )


def record_from_row(row: RecordRow) -> Record:
    return Record(
        kind=row.kind,
        key=row.key,
        table_title=row.table_title,
        unit=row.unit,
        segment_index=row.segment_index,
        scope=row.scope or "",
        fields={f.name: field_value_from_row(f) for f in row.fields},
    )


def field_value_from_row(row: FieldRow) -> FieldValue:
    span = (row.span_start, row.span_end) if row.span_start is not None and row.span_end is not None else None
    return FieldValue(
        value=row.value,
        span=span,
        reasons=list(row.reasons),
        confidence=row.confidence,
        status=cast(Status, row.status),
    )


def list_documents(session: Session) -> list[DocumentSummary]:
    """Every stored document, newest first, with its live field counts by status."""
    counts: dict[int, dict[str, int]] = {}
    for doc_id, status, n in session.execute(
        select(FieldRow.document_id, FieldRow.status, func.count()).group_by(
            FieldRow.document_id, FieldRow.status
        )
    ):
        counts.setdefault(doc_id, {})[status] = n
    rows = session.execute(
        select(
            DocumentRow.id,
            DocumentRow.sha256,
            DocumentRow.source,
            DocumentRow.format,
            DocumentRow.unit_name,
            DocumentRow.fiscal_year,
            DocumentRow.doc_type,
            DocumentRow.status,
            DocumentRow.record_count,
            DocumentRow.created_at,
        ).order_by(DocumentRow.id.desc())
    ).all()
    out: list[DocumentSummary] = []
    for r in rows:
        c = counts.get(r.id, {})
        out.append(
            DocumentSummary(
                id=r.id,
                sha256=r.sha256,
                source=r.source,
                format=r.format,
                unit_name=r.unit_name,
                fiscal_year=r.fiscal_year,
                doc_type=r.doc_type,
                status=r.status,
                records=r.record_count,
                fields=sum(c.values()),
                auto_accepted=c.get("auto_accepted", 0),
                needs_review=c.get("needs_review", 0),
                confirmed=c.get("confirmed", 0),
                corrected=c.get("corrected", 0),
                created_at=r.created_at,
            )
        )
    return out


def record_failure(session: Session, *, source: str, sha256: str | None, message: str) -> None:
    """Note a file that could not be ingested (kept for the operators' summary and the documents page)."""
    try:
        session.add(IngestFailureRow(source=source, sha256=sha256, message=message))
        session.flush()
    except (SQLAlchemyError, OSError) as exc:
        raise StorageError(f"could not record the failure: {cause_of(exc)}", source=source) from exc


def list_failures(session: Session, *, limit: int = 100) -> list[IngestFailureRow]:
    return list(session.scalars(select(IngestFailureRow).order_by(IngestFailureRow.id.desc()).limit(limit)))
