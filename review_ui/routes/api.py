"""The operator HTTP API: upload, document status, export, the queue and submits, for scripts."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from extractor.export import result_to_json
from extractor.review.approval import approve, reopen
from extractor.review.errors import InvalidSubmit, NotFound
from extractor.review.gold import export_gold
from extractor.review.history import document_history
from extractor.review.leases import claim, release
from extractor.review.queue import claimed_item, next_field, queue_page
from extractor.review.service import submit_and_revalidate, undo_and_revalidate
from extractor.review.submit import Submit
from extractor.review.views import field_view
from extractor.storage.repo import find_document, list_documents, result_from_row
from extractor.storage.tables import MAX_INT, JobRow
from review_ui.api_models import (
    AUTH,
    BAD_BODY,
    CONFLICT,
    NO_NUL,
    NOT_FOUND,
    UNPROCESSABLE,
    AuditOut,
    ClaimOut,
    DocumentOut,
    ErrorOut,
    FieldOut,
    GoldOut,
    JobOut,
    LeaseOut,
    QueueOut,
    ReopenIn,
    SubmitIn,
    SubmitOut,
    UndoIn,
)
from review_ui.deps import ConfigDep, CurrentAdmin, CurrentReviewer, RowId, SessionDep
from review_ui.jobs import JobRunner
from review_ui.routes.queue import Filter, Offset, make_filters

router = APIRouter(prefix="/api", tags=["operators"], responses=AUTH | UNPROCESSABLE)
# what names a document (id, sha256 or its prefix, file name): not found, or more than one found
LOOKUP = NOT_FOUND | CONFLICT
Ref = Annotated[
    str, Path(pattern=NO_NUL, description="an id, a sha256 or a unique prefix of it, a file name")
]
# the upload is the raw body, read as a stream (so that the size limit applies before it is all in memory)
UPLOAD_BODY = {
    "required": True,
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    "description": "the file's bytes (a text, PDF, DOCX, XLSX or XLS disclosure)",
}


def _document_out(session: Any, ref: str) -> DocumentOut:
    doc = find_document(session, document=ref)
    summary = next(s for s in list_documents(session) if s.id == doc.id)
    return DocumentOut(**asdict(summary))


@router.get("/documents", response_model=list[DocumentOut])
def api_documents(user: CurrentReviewer, session: SessionDep) -> list[DocumentOut]:
    """Every stored document with its status and field counts."""
    return [DocumentOut(**asdict(s)) for s in list_documents(session)]


@router.post(
    "/documents",
    status_code=202,
    response_model=JobOut,
    responses={413: {"model": ErrorOut, "description": "the body is over the upload limit"}},
    openapi_extra={"requestBody": UPLOAD_BODY},
)
async def api_upload(
    request: Request,
    user: CurrentReviewer,
    config: ConfigDep,
    filename: Annotated[
        str, Query(min_length=1, max_length=200, pattern=NO_NUL, description="the file's name, e.g. 004.txt")
    ],
) -> JobOut:
    """Upload a document as the raw request body; the pipeline runs in the background (poll the job).
    Bodies over the configured limit are refused with 413 before they are read."""
    chunks: list[bytes] = []
    async for chunk in request.stream():
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise InvalidSubmit("the upload is empty", source=filename)
    runner: JobRunner = request.app.state.jobs
    name = filename.replace("/", "_").replace("\\", "_")
    job_id = await run_in_threadpool(runner.enqueue, filename=name, data=data, user_id=user.id)
    return JobOut(
        id=job_id,
        filename=name,
        state="queued",
        message=None,
        document_id=None,
        created_at=_job_created(config, job_id),
        finished_at=None,
    )


def _job_created(config: Any, job_id: int) -> Any:
    from extractor.storage import session_scope

    with session_scope(config.engine, readonly=True) as session:
        job = session.get(JobRow, job_id)
        return job.created_at if job else None


@router.get("/jobs/{job_id}", response_model=JobOut, responses=NOT_FOUND)
def api_job(job_id: RowId, user: CurrentReviewer, session: SessionDep) -> JobOut:
    job = session.get(JobRow, job_id)
    if job is None:
        raise NotFound("no such job", source=str(job_id))
    return JobOut.model_validate(job, from_attributes=True)


@router.get("/documents/{ref}", response_model=DocumentOut, responses=LOOKUP)
def api_document(ref: Ref, user: CurrentReviewer, session: SessionDep) -> DocumentOut:
    """A document by id, sha256 (or a unique prefix) or file name."""
    return _document_out(session, ref)


@router.get("/documents/{ref}/export", responses=LOOKUP)
def api_export(ref: Ref, user: CurrentReviewer, session: SessionDep) -> dict[str, Any]:
    """The JSON export of DESIGN.md, with the fields' current (reviewed) values and statuses."""
    return result_to_json(result_from_row(session, find_document(session, document=ref)))


@router.get("/documents/{ref}/history", response_model=list[AuditOut], responses=LOOKUP)
def api_history(ref: Ref, user: CurrentReviewer, session: SessionDep) -> list[AuditOut]:
    doc = find_document(session, document=ref)
    return [AuditOut(**asdict(e)) for e in document_history(session, document_id=doc.id)]


@router.post("/documents/{ref}/gold", response_model=GoldOut, responses=LOOKUP)
def api_gold(ref: Ref, user: CurrentReviewer, session: SessionDep, config: ConfigDep) -> GoldOut:
    """Export a fully reviewed document to the reviewed gold set (eval/datasets/reviewed/<doc>.jsonl)."""
    out = export_gold(session, document=ref, out_dir=config.gold_dir)
    return GoldOut(path=str(out.path), records=out.records, fields=out.fields, reviewers=out.reviewers)


@router.post("/documents/{ref}/approve", response_model=DocumentOut, responses=LOOKUP)
def api_approve(ref: Ref, user: CurrentReviewer, session: SessionDep) -> DocumentOut:
    approve(session, user=user, document_id=find_document(session, document=ref).id)
    return _document_out(session, ref)


@router.post("/documents/{ref}/reopen", response_model=DocumentOut, responses=LOOKUP | BAD_BODY)
def api_reopen(ref: Ref, body: ReopenIn, admin: CurrentAdmin, session: SessionDep) -> DocumentOut:
    reopen(session, user=admin, document_id=find_document(session, document=ref).id, reason=body.reason)
    return _document_out(session, ref)


@router.get("/queue", response_model=QueueOut)
def api_queue(
    user: CurrentReviewer,
    session: SessionDep,
    document: Filter = None,
    kind: Filter = None,
    reason: Filter = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 25,
    offset: Offset = 0,
) -> QueueOut:
    page = queue_page(session, filters=make_filters(document, kind, reason), limit=limit, offset=offset)
    groups = [
        {
            **{k: v for k, v in asdict(g).items() if k != "items"},
            "items": [{**asdict(i), "address": g.address(i.name)} for i in g.items],
        }
        for g in page.groups
    ]
    return QueueOut.model_validate(
        {"fields_left": page.fields_left, "records_left": page.records_left, "groups": groups}
    )


@router.post("/queue/next", response_model=ClaimOut, responses={204: {"description": "the queue is empty"}})
def api_next(
    user: CurrentReviewer,
    session: SessionDep,
    config: ConfigDep,
    document: Filter = None,
    kind: Filter = None,
    reason: Filter = None,
    after: Annotated[int | None, Query(ge=0, le=MAX_INT)] = None,
) -> Any:
    """Claim the next field nobody else holds (a lease of `lease_seconds`)."""
    filters = make_filters(document, kind, reason)
    field_id = next_field(
        session, user=user, filters=filters, lease_seconds=config.lease_seconds, after=after
    )
    if field_id is None:
        return Response(status_code=204)
    return ClaimOut.model_validate(asdict(claimed_item(session, field_id=field_id)))


@router.get("/fields/{field_id}", response_model=FieldOut, responses=NOT_FOUND)
def api_field(field_id: RowId, user: CurrentReviewer, session: SessionDep) -> FieldOut:
    v = field_view(session, field_id=field_id)
    return FieldOut(
        field_id=v.field_id,
        address=v.address,
        value=v.value,
        original_value=v.original_value,
        status=v.status,
        version=v.version,
        confidence=v.confidence,
        reasons=[d.reason for d in v.doubts],
        proposals=v.proposals,
        document_id=v.document_id,
        document_status=v.document_status,
        span=list(v.context.span) if v.context.span else None,
        lease_holder=v.lease_holder,
        lease_expires=v.lease_expires,
    )


@router.post("/fields/{field_id}/lease", response_model=LeaseOut, responses=NOT_FOUND | CONFLICT)
def api_claim(field_id: RowId, user: CurrentReviewer, session: SessionDep, config: ConfigDep) -> LeaseOut:
    """Claim or renew the lease on a field; 409 while another reviewer holds it."""
    expires = claim(session, field_id=field_id, user=user, seconds=config.lease_seconds)
    return LeaseOut(field_id=field_id, expires_at=expires)


@router.delete("/fields/{field_id}/lease", status_code=204)
def api_release(field_id: RowId, user: CurrentReviewer, session: SessionDep) -> Response:
    release(session, field_id=field_id, user=user)
    return Response(status_code=204)


@router.post("/fields/{field_id}/submit", response_model=SubmitOut, responses=NOT_FOUND | CONFLICT | BAD_BODY)
def api_submit(
    field_id: RowId,
    body: SubmitIn,
    user: CurrentReviewer,
    config: ConfigDep,
    idempotency_key: Annotated[str | None, Header(max_length=80)] = None,
) -> SubmitOut:
    """Confirm or correct a field at the version you saw: 409 with the current value if it changed since."""
    req = Submit(
        field_id, body.action, body.version, body.value, body.reason, body.idempotency_key or idempotency_key
    )
    outcome = submit_and_revalidate(config.engine, user=user, request=req, settings=config.settings)
    return SubmitOut.model_validate(outcome.to_json())


@router.post("/fields/{field_id}/undo", response_model=SubmitOut, responses=NOT_FOUND | CONFLICT | BAD_BODY)
def api_undo(field_id: RowId, body: UndoIn, user: CurrentReviewer, config: ConfigDep) -> SubmitOut:
    outcome = undo_and_revalidate(
        config.engine, user=user, field_id=field_id, version=body.version, settings=config.settings
    )
    return SubmitOut.model_validate(outcome.to_json())
