"""The operators' documents page: every document with its counts, uploads running in the background,
history, approval, an admin's reopening and the export to the reviewed gold set."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from extractor.export import result_to_json
from extractor.export_sheets import csv_text, write_xlsx
from extractor.review.approval import approve, reopen
from extractor.review.checks import address_labels
from extractor.review.errors import NotFound
from extractor.review.gold import export_gold
from extractor.review.history import document_history
from extractor.review.labels import document_label
from extractor.storage import load_result
from extractor.storage.errors import DocumentNotFound
from extractor.storage.ingest_jobs import recent_ingest_jobs
from extractor.storage.repo import list_documents, list_failures
from extractor.storage.tables import MAX_INT, DocumentRow
from review_ui.deps import AuthDep, ConfigDep, CurrentAdmin, CurrentReviewer, RowId, SessionDep
from review_ui.i18n import N_, language_of
from review_ui.jobs import ACTIVE, JobRunner, recent_jobs
from review_ui.templating import render

router = APIRouter(include_in_schema=False)

FLASHES = {
    "gold": N_("Exported to the reviewed gold set."),
    "approved": N_("Approved: the document is now read-only."),
    "reopened": N_("Reopened for review."),
}


def _runner(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.jobs
    return runner


def _jobs_context(request: Request, session: Any) -> dict[str, Any]:
    jobs = recent_jobs(session)
    return {"jobs": jobs, "active": any(j.state in ACTIVE for j in jobs)}


@router.get("/documents", response_class=HTMLResponse)
def documents_page(
    request: Request, auth: AuthDep, session: SessionDep, config: ConfigDep, done: str | None = None
) -> HTMLResponse:
    context = {
        "auth": auth,
        "documents": list_documents(session),
        "failures": list_failures(session, limit=20),
        "ingest_jobs": recent_ingest_jobs(session),
        "max_mb": round(config.max_upload_bytes / 2**20, 1),
        "flash": {"kind": "ok", "text": language_of(auth.user).gettext(FLASHES[done])}
        if done in FLASHES
        else None,
        **_jobs_context(request, session),
    }
    return render(request, "documents.html", context)


@router.get("/documents/jobs", response_class=HTMLResponse)
def documents_jobs(request: Request, auth: AuthDep, session: SessionDep) -> HTMLResponse:
    context = {"auth": auth, **_jobs_context(request, session)}
    context["refresh_documents"] = not context["active"]
    return render(request, "documents.html", context, block="jobs")


@router.post("/documents/upload")
async def documents_upload(request: Request, auth: AuthDep, file: UploadFile) -> Response:
    data = await file.read()
    name = (file.filename or "upload").replace("/", "_").replace("\\", "_")
    await run_in_threadpool(_runner(request).enqueue, filename=name, data=data, user_id=auth.user.id)
    if request.headers.get("hx-request") == "true":
        return RedirectResponse("/documents/jobs", status_code=303)
    return RedirectResponse("/documents", status_code=303)


@router.get("/documents/{document_id}/history", response_class=HTMLResponse)
def document_history_page(
    request: Request, document_id: RowId, auth: AuthDep, session: SessionDep
) -> HTMLResponse:
    doc = session.get(DocumentRow, document_id)
    if doc is None:
        raise DocumentNotFound("no such document", source=str(document_id))
    entries = document_history(session, document_id=document_id)
    addresses = list(dict.fromkeys(e.address for e in entries if e.address))
    labels = dict(address_labels(session, document_id=document_id, addresses=addresses))
    context = {
        "auth": auth,
        "doc": doc,
        "doc_label": document_label(doc.unit_name, doc.fiscal_year, doc.doc_type, doc.source),
        "entries": entries,
        "labels": labels,
    }
    return render(request, "history.html", context)


def _sheet_response(payloads: list[dict[str, Any]], fmt: str, stem: str) -> Response:
    """Records as .xlsx (one sheet per kind, a row per record of every document) or CSV, for spreadsheets."""
    if fmt not in ("xlsx", "csv"):
        raise NotFound("no such export format", source=fmt)
    if fmt == "csv":
        body = ("\ufeff" + csv_text(payloads)).encode("utf-8")
        media = "text/csv; charset=utf-8"
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "export.xlsx"
            write_xlsx(payloads, path)
            body = path.read_bytes()
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = quote(f"{stem}.{fmt}")
    return Response(
        body, media_type=media, headers={"content-disposition": f"attachment; filename*=UTF-8''{name}"}
    )


@router.get("/documents/{document_id}/export.{fmt}")
def document_sheet(document_id: RowId, fmt: str, auth: AuthDep, session: SessionDep) -> Response:
    """One document's records as .xlsx or CSV."""
    payload = result_to_json(load_result(session, document=str(document_id)))
    return _sheet_response([payload], fmt, Path(payload["document"]["source"]).stem or str(document_id))


@router.get("/documents/export.{fmt}")
def batch_sheet(
    fmt: str,
    auth: AuthDep,
    session: SessionDep,
    document: Annotated[list[Annotated[int, Field(ge=1, le=MAX_INT)]] | None, Query()] = None,
) -> Response:
    """The ticked documents' records (every document when none is ticked) in one .xlsx or CSV."""
    ids = document or [d.id for d in reversed(list_documents(session))]
    payloads = [result_to_json(load_result(session, document=str(i))) for i in dict.fromkeys(ids)]
    return _sheet_response(payloads, fmt, f"documents-{len(payloads)}")


@router.post("/documents/{document_id}/gold")
def document_gold(
    document_id: RowId, user: CurrentReviewer, session: SessionDep, config: ConfigDep
) -> Response:
    export_gold(session, document=str(document_id), out_dir=config.gold_dir)
    return RedirectResponse("/documents?done=gold", status_code=303)


@router.post("/documents/{document_id}/approve")
def document_approve(
    document_id: RowId,
    user: CurrentReviewer,
    session: SessionDep,
    confirm: Annotated[str | None, Form()] = None,
) -> Response:
    """Approval needs every field once queued decided by a person, and the approver's confirmation."""
    approve(
        session, user=user, document_id=document_id, confirmed=confirm == "yes", require_settled_decided=False
    )
    return RedirectResponse("/documents?done=approved", status_code=303)


@router.post("/documents/{document_id}/reopen")
def document_reopen(
    document_id: RowId, admin: CurrentAdmin, session: SessionDep, reason: Annotated[str, Form()]
) -> Response:
    reopen(session, user=admin, document_id=document_id, reason=reason)
    return RedirectResponse("/documents?done=reopened", status_code=303)
