"""The queue page: doubted fields grouped by record row, filters, counts; htmx swaps only the list."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from extractor.review.queue import QueueFilters, document_choices, queue_page
from extractor.review.reasons import known_reasons
from extractor.storage.tables import MAX_INT, as_id
from review_ui.api_models import NO_NUL
from review_ui.deps import AuthDep, SessionDep
from review_ui.templating import render

router = APIRouter(include_in_schema=False)
PAGE = 25


def make_filters(document: str | None, kind: str | None, reason: str | None) -> QueueFilters:
    doc_id = as_id(document) if document else None
    return QueueFilters(document_id=doc_id, kind=kind or None, reason=(reason or "").strip() or None)


def query_of(filters: QueueFilters, **extra: str | int) -> str:
    params = filters.as_query() | {k: str(v) for k, v in extra.items()}
    return ("?" + urlencode(params)) if params else ""


Filter = Annotated[str | None, Query(pattern=NO_NUL)]
Offset = Annotated[int, Query(ge=0, le=MAX_INT)]


@router.get("/", response_class=RedirectResponse)
def home(auth: AuthDep) -> RedirectResponse:
    return RedirectResponse("/queue", status_code=303)


@router.get("/queue", response_class=HTMLResponse)
def queue(
    request: Request,
    auth: AuthDep,
    session: SessionDep,
    document: Filter = None,
    kind: Filter = None,
    reason: Filter = None,
    offset: Offset = 0,
) -> HTMLResponse:
    filters = make_filters(document, kind, reason)
    page = queue_page(session, filters=filters, limit=PAGE, offset=offset)
    context = {
        "auth": auth,
        "page": page,
        "filters": filters,
        "query": query_of(filters),
        "query_prev": query_of(filters, offset=max(0, offset - PAGE)),
        "query_next": query_of(filters, offset=offset + PAGE),
        "reason_names": known_reasons(),
        "chosen_document": [
            (i, label, None) for i, label in page.document_labels.items() if i == filters.document_id
        ],
    }
    return render(request, "queue.html", context, block="queue_list")


@router.get("/queue/documents", response_class=HTMLResponse)
def queue_documents(
    request: Request, auth: AuthDep, session: SessionDep, document: Filter = None
) -> HTMLResponse:
    """The document filter's choices (an htmx fragment: the `<option>`s of its `<select>`)."""
    context = {
        "auth": auth,
        "documents": document_choices(session),
        "selected": make_filters(document, None, None).document_id,
    }
    return render(request, "queue_documents.html", context)
