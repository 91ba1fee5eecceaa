"""Bodies and answers of the operator HTTP API (they make its OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class DocumentOut(BaseModel):
    id: int
    sha256: str
    source: str
    format: str
    unit_name: str | None
    fiscal_year: int | None
    doc_type: str | None
    status: str = Field(description="in_review | reviewed | approved")
    records: int
    fields: int
    auto_accepted: int
    needs_review: int
    confirmed: int
    corrected: int
    created_at: datetime


class JobOut(BaseModel):
    id: int
    filename: str
    state: str = Field(description="queued | running | done | failed")
    message: str | None
    document_id: int | None
    created_at: datetime
    finished_at: datetime | None


class QueueItemOut(BaseModel):
    field_id: int
    address: str
    value: Any
    confidence: float
    reasons: list[str]
    version: int
    leased_by: str | None


class QueueGroupOut(BaseModel):
    record_id: int
    document_id: int
    document_source: str
    kind: str
    key: str
    table_title: str
    priority: float
    items: list[QueueItemOut]


class QueueOut(BaseModel):
    fields_left: int
    records_left: int
    groups: list[QueueGroupOut]


class ClaimOut(BaseModel):
    field_id: int
    address: str
    value: Any
    version: int
    lease_expires: datetime | None


class FieldOut(BaseModel):
    field_id: int
    address: str
    value: Any
    original_value: Any
    status: str
    version: int
    confidence: float
    reasons: list[str]
    proposals: list[str]
    document_id: int
    document_status: str
    span: tuple[int, int] | None
    lease_holder: str | None
    lease_expires: datetime | None


class SubmitIn(BaseModel):
    action: Literal["confirm", "correct"]
    version: int = Field(description="the field version the reviewer saw; a stale one gets 409")
    value: Any = Field(None, description="the corrected value (for action=correct)")
    reason: str | None = None
    idempotency_key: str | None = Field(None, max_length=80, description="or the Idempotency-Key header")


class UndoIn(BaseModel):
    version: int


class FieldStateOut(BaseModel):
    field_id: int
    document_id: int
    address: str
    value: Any
    status: str
    version: int


class SubmitOut(BaseModel):
    field: FieldStateOut
    settled: list[str] = Field(description="addresses the re-run validators took out of the queue")
    revalidated: bool
    replayed: bool = Field(description="true when the idempotency key had been used: nothing was re-applied")
    value_changed: bool


class LeaseOut(BaseModel):
    field_id: int
    expires_at: datetime


class GoldOut(BaseModel):
    path: str
    records: int
    fields: int
    reviewers: list[str]


class ReopenIn(BaseModel):
    reason: str


class AuditOut(BaseModel):
    id: int
    at: datetime
    who: str
    action: str
    address: str | None
    old: Any
    new: Any
    old_status: str | None
    new_status: str | None
    reason: str | None


class ErrorOut(BaseModel):
    detail: str
