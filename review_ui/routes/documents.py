"""The operators' documents page: every document with its counts, uploads running in the background,
history, approval, an admin's reopening and the export to the reviewed gold set."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from extractor.review.approval import approve, reopen
from extractor.review.gold import export_gold
from extractor.review.history import document_history
from extractor.storage.errors import DocumentNotFound
from extractor.storage.repo import list_documents, list_failures
from extractor.storage.tables import DocumentRow
from review_ui.deps import AuthDep, ConfigDep, CurrentAdmin, CurrentReviewer, SessionDep
from review_ui.jobs import ACTIVE, JobRunner, recent_jobs
from review_ui.templating import render

router = APIRouter(include_in_schema=False)

FLASHES = {
    "gold": "Exported to the reviewed gold set.",
    "approved": "Approved: the document is now read-only.",
    "reopened": "Reopened for review.",
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
        "max_mb": round(config.max_upload_bytes / 2**20, 1),
        "flash": {"kind": "ok", "text": FLASHES[done]} if done in FLASHES else None,
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
    request: Request, document_id: int, auth: AuthDep, session: SessionDep
) -> HTMLResponse:
    doc = session.get(DocumentRow, document_id)
    if doc is None:
        raise DocumentNotFound("no such document", source=str(document_id))
    entries = document_history(session, document_id=document_id)
    return render(request, "history.html", {"auth": auth, "doc": doc, "entries": entries})


@router.post("/documents/{document_id}/gold")
def document_gold(
    document_id: int, user: CurrentReviewer, session: SessionDep, config: ConfigDep
) -> Response:
    export_gold(session, document=str(document_id), out_dir=config.gold_dir)
    return RedirectResponse("/documents?done=gold", status_code=303)


@router.post("/documents/{document_id}/approve")
def document_approve(document_id: int, user: CurrentReviewer, session: SessionDep) -> Response:
    approve(session, user=user, document_id=document_id)
    return RedirectResponse("/documents?done=approved", status_code=303)


@router.post("/documents/{document_id}/reopen")
def document_reopen(
    document_id: int, admin: CurrentAdmin, session: SessionDep, reason: Annotated[str, Form()]
) -> Response:
    reopen(session, user=admin, document_id=document_id, reason=reason)
    return RedirectResponse("/documents?done=reopened", status_code=303)
