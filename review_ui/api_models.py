"""Bodies and answers of the operator HTTP API (they make its OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from extractor.storage.tables import MAX_INT

# PostgreSQL cannot store NUL in text (psycopg refuses the statement): text an operation stores or looks up
# is declared without it, so that it is a 422 and not a failed query
NO_NUL = r"^[^\x00]*$"
Text = Annotated[str, Field(pattern=NO_NUL)]
# a field version as the client saw it: versions start at 1 and are stored in an `Integer` column
Version = Annotated[int, Field(ge=1, le=MAX_INT, description="the field version the reviewer saw")]


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
    # [start, end) in the document text; a list of two rather than a tuple, whose `prefixItems` schema
    # Schemathesis cannot validate responses against (schemathesis issues 3842, 4099)
    span: Annotated[list[int], Field(min_length=2, max_length=2)] | None
    lease_holder: str | None
    lease_expires: datetime | None


class SubmitIn(BaseModel):
    action: Literal["confirm", "correct"]
    version: Version = Field(description="the field version the reviewer saw; a stale one gets 409")
    value: Any = Field(None, description="the corrected value (for action=correct)")
    reason: Text | None = None
    idempotency_key: Text | None = Field(None, max_length=80, description="or the Idempotency-Key header")


class UndoIn(BaseModel):
    version: Version


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
    reason: Text


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


class ValidationIssueOut(BaseModel):
    """One complaint of the request validation (FastAPI's shape)."""

    loc: list[str | int]
    msg: str
    type: str
    input: Any = None
    ctx: dict[str, Any] | None = None


class UnprocessableOut(BaseModel):
    """422: a request that does not fit the schema gets a list of complaints (FastAPI's own answer); one
    that fits but that the review rules refuse (an empty upload, a wrong value) gets one sentence."""

    detail: str | list[ValidationIssueOut]


# The error answers an operation can give, for its `responses=` (the schema declares each status a route
# can answer with, and Schemathesis holds the server to it: tests/test_api_schema_fuzz.py).
Responses = dict[int | str, dict[str, Any]]
AUTH: Responses = {
    401: {"model": ErrorOut, "description": "not logged in (no session, or it expired or was revoked)"},
    403: {"model": ErrorOut, "description": "missing or wrong CSRF token, or a right the user lacks"},
}
# a JSON body that cannot be read at all (not UTF-8): FastAPI's own answer, before any validation
BAD_BODY: Responses = {400: {"model": ErrorOut, "description": "the body cannot be parsed"}}
NOT_FOUND: Responses = {404: {"model": ErrorOut, "description": "no such document, field or job"}}
CONFLICT: Responses = {
    409: {"model": ErrorOut, "description": "a stale version, a lease held by another, or an ambiguous ref"}
}
UNPROCESSABLE: Responses = {422: {"model": UnprocessableOut, "description": "a request refused as invalid"}}
