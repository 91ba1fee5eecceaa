"""The SQL schema as typed SQLAlchemy 2.x ORM classes.

The schema itself is created and changed only by the Alembic migrations in `migrations/`; these classes
must stay in step with them (a test compares the two).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# The largest value an `Integer` column holds on every supported database (int4 on PostgreSQL): ids and
# versions past it are no row's, and the drivers refuse them (an overflow) rather than find nothing.
MAX_INT = 2**31 - 1


def as_id(text: str) -> int | None:
    """The id an ASCII-digit string names, or None (not digits, or past `MAX_INT`)."""
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    value = int(text)
    return value if value <= MAX_INT else None


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC (SQLite keeps no zone), returned as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(500), index=True)
    format: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text, deferred=True)  # loaded when read, not with every row
    unit_name: Mapped[str | None] = mapped_column(String(500))
    fiscal_year: Mapped[int | None] = mapped_column(Integer)
    doc_type: Mapped[str | None] = mapped_column(String(40))
    money_unit: Mapped[str | None] = mapped_column(String(20))
    # in_review (some field needs review) | reviewed (nothing left to review) | approved (read-only)
    status: Mapped[str] = mapped_column(String(20), default="in_review")
    backend: Mapped[str] = mapped_column(String(20), default="rules")
    # +1 on every reviewed value change: a re-validation computed from an older revision is dropped
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    record_count: Mapped[int] = mapped_column(Integer, default=0)
    field_count: Mapped[int] = mapped_column(Integer, default=0)
    usage: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    errors: Mapped[list[str]] = mapped_column(JSON, default=list)
    # extractor.model.Finding / Proposal as dicts, as the validators last left them
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default="[]")
    proposals: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default="[]")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    segments: Mapped[list[SegmentRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="SegmentRow.position"
    )
    records: Mapped[list[RecordRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="RecordRow.position"
    )


class SegmentRow(Base):
    __tablename__ = "segments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    index: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(String(20))
    classified_by: Mapped[list[str]] = mapped_column(JSON, default=list)
    empty: Mapped[bool] = mapped_column(Boolean, default=False)
    scope: Mapped[str] = mapped_column(String(200), default="", server_default="")

    document: Mapped[DocumentRow] = relationship(back_populates="segments")


class RecordRow(Base):
    __tablename__ = "records"
    __table_args__ = (
        UniqueConstraint("document_id", "kind", "scope", "key", name="uq_records_document_kind_scope_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(60))
    key: Mapped[str] = mapped_column(String(500))
    scope: Mapped[str] = mapped_column(String(200), default="", server_default="")
    table_title: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(20))
    segment_index: Mapped[int | None] = mapped_column(Integer)

    document: Mapped[DocumentRow] = relationship(back_populates="records")
    fields: Mapped[list[FieldRow]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="FieldRow.position"
    )


class FieldRow(Base):
    __tablename__ = "fields"
    __table_args__ = (
        UniqueConstraint("record_id", "name", name="uq_fields_record_name"),
        Index("ix_fields_status_document", "status", "document_id"),
        Index("ix_fields_status_kind", "status", "kind"),
        Index("ix_fields_status_record_priority", "status", "record_id", "priority"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    # document_id and kind are denormalised from the record: the review queue filters and counts on indexes.
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(60), server_default="")
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    value: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    original_value: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Optimistic concurrency: every change increments it; a submit carries the version it saw.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Review order (extractor.queue_order.settle_priorities), refreshed whenever the document changes.
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    # extractor.queue_order.linked(reasons), written with the reasons: whether another field's decision can
    # move this one's priority (a decision in a kind without linked waiting fields re-orders nothing else)
    linked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    record: Mapped[RecordRow] = relationship(back_populates="fields")


# the queue's order (priority high to low, then record): its first page is read off this index (it replaces
# (status, priority): a priority update would otherwise keep three indexes of it)
Index("ix_fields_status_priority_desc_record", FieldRow.status, FieldRow.priority.desc(), FieldRow.record_id)


class IngestFailureRow(Base):
    __tablename__ = "ingest_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # reviewer | admin
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # the review desk as the user set it: zh_CN | en, an IANA time zone, move on after a decision
    locale: Mapped[str] = mapped_column(String(10), default="zh_CN", server_default="zh_CN")
    timezone: Mapped[str] = mapped_column(String(60), default="Asia/Shanghai", server_default="Asia/Shanghai")
    auto_advance: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())


class SessionRow(Base):
    """A server-side login session. The cookie holds a random token; only its sha256 is stored."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class LeaseRow(Base):
    """A reviewer's claim on a field; at most one per field, live until `expires_at`."""

    __tablename__ = "leases"

    field_id: Mapped[int] = mapped_column(ForeignKey("fields.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    acquired_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class AuditRow(Base):
    """One change: who, when, which field (by id and by address), old and new value, why."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    field_id: Mapped[int | None] = mapped_column(ForeignKey("fields.id", ondelete="CASCADE"), index=True)
    address: Mapped[str | None] = mapped_column(String(800))
    # confirm | correct | undo | revalidate | approve | reopen
    action: Mapped[str] = mapped_column(String(30))
    old: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    new: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    old_status: Mapped[str | None] = mapped_column(String(20))
    new_status: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)


class IdempotencyKeyRow(Base):
    """A submit already applied: the same key again returns the stored response instead of re-applying."""

    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class JobRow(Base):
    """A background pipeline run started by an upload; its progress is shown on the documents page."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(String(500))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(20), default="queued")  # queued | running | done | failed
    message: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class FindingRow(Base):
    """A disclosure finding of a stored document (extractor.findings), as the checks last left it."""

    __tablename__ = "document_findings"
    __table_args__ = (
        UniqueConstraint("document_id", "finding_id", name="uq_document_findings_document_finding"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    finding_id: Mapped[str] = mapped_column(String(64), index=True)
    position: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)


class FindingDecisionRow(Base):
    """A reviewer's decision on a finding (confirm, or dismiss with a reason), keyed by the finding's
    deterministic id and not by the document row, so it survives the document being ingested again."""

    __tablename__ = "finding_decisions"

    finding_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    decision: Mapped[str] = mapped_column(String(20))  # confirmed | dismissed
    reason: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class DocumentSourceRow(Base):
    """The original file of a PDF document: the review page renders its pages beside the text. Other
    formats have no row (their text is their source)."""

    __tablename__ = "document_sources"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(60))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class DocumentPageRow(Base):
    """One printed page of a PDF document: its size, the text range it holds and where each run of that
    text is printed (extractor.model.TextBox as lists), so a field's box is found by reading one page."""

    __tablename__ = "document_pages"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    page: Mapped[int] = mapped_column(Integer, primary_key=True)  # 1-based
    width: Mapped[float] = mapped_column(Float)  # PDF points
    height: Mapped[float] = mapped_column(Float)
    start: Mapped[int] = mapped_column(Integer)  # the text offsets of its first and past its last run
    end: Mapped[int] = mapped_column(Integer)
    # [[start, end, x0, top, x1, bottom], ...] in text order, origin at the page's top-left corner
    boxes: Mapped[list[Any]] = mapped_column(JSON, default=list)


class LoginFailureRow(Base):
    """One wrong password, counted against its account and its client address (`user:…` / `ip:…`): kept in
    the database so that every server process sees the same counts."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)


class QueueCountRow(Base):
    """How many fields (and record rows) of one document and kind wait for review: kept in step with
    `fields.status` in the same transaction as every change (`storage.queue_counts.recount`), so that the
    queue page's totals are a read of a few rows, not a count over the whole queue."""

    __tablename__ = "queue_counts"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(60), primary_key=True)
    fields: Mapped[int] = mapped_column(Integer)
    records: Mapped[int] = mapped_column(Integer)
