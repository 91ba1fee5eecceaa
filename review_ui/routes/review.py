"""The review page: one field with its source, its row and its doubts; submits answer with the panel."""

from __future__ import annotations

import uuid
from contextlib import suppress
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from extractor.review.errors import InvalidSubmit, LeaseHeld, ReadOnlyDocument, StaleVersion
from extractor.review.leases import claim
from extractor.review.queue import QueueFilters, next_field
from extractor.review.service import submit_and_revalidate, undo_and_revalidate
from extractor.review.submit import Submit, SubmitOutcome
from extractor.review.views import field_view
from extractor.storage import session_scope
from review_ui.config import AppConfig
from review_ui.deps import Auth, AuthDep, ConfigDep, CurrentReviewer, SessionDep, WriteSessionDep
from review_ui.routes.queue import Filter, make_filters, query_of
from review_ui.templating import fmt_value, render

router = APIRouter(include_in_schema=False)


def _filters_from_form(raw: str) -> QueueFilters:
    params = dict(parse_qsl(raw.lstrip("?")))
    return make_filters(params.get("document"), params.get("kind"), params.get("reason"))


def _panel(
    request: Request,
    session: Session,
    config: AppConfig,
    auth: Auth,
    field_id: int,
    filters: QueueFilters,
    *,
    flash: dict[str, str] | None = None,
    settled: list[str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    view = field_view(session, field_id=field_id)
    context: dict[str, Any] = {
        "auth": auth,
        "v": view,
        "flash": flash,
        "settled": settled or [],
        "idempotency_key": uuid.uuid4().hex,
        "query": query_of(filters),
        "query_after": query_of(filters, after=field_id),
        "renew_every": max(5, config.lease_seconds // 3),
    }
    return render(request, "review.html", context, block="panel", status=status)


@router.get("/review/next")
def review_next(
    user: CurrentReviewer,
    session: WriteSessionDep,
    config: ConfigDep,
    document: Filter = None,
    kind: Filter = None,
    reason: Filter = None,
    after: Annotated[int | None, Query()] = None,
) -> RedirectResponse:
    filters = make_filters(document, kind, reason)
    field_id = next_field(
        session, user=user, filters=filters, lease_seconds=config.lease_seconds, after=after
    )
    if field_id is None:
        return RedirectResponse("/queue" + query_of(filters), status_code=303)
    return RedirectResponse(f"/review/{field_id}" + query_of(filters), status_code=303)


@router.get("/review/{field_id}", response_class=HTMLResponse)
def review_page(
    request: Request,
    field_id: int,
    auth: AuthDep,
    session: WriteSessionDep,
    config: ConfigDep,
    document: Filter = None,
    kind: Filter = None,
    reason: Filter = None,
) -> HTMLResponse:
    view = field_view(session, field_id=field_id)
    if view.status == "needs_review" and view.document_status != "approved":
        with suppress(LeaseHeld):  # the page says who holds it
            claim(session, field_id=field_id, user=auth.user, seconds=config.lease_seconds)
    return _panel(request, session, config, auth, field_id, make_filters(document, kind, reason))


def _after_submit(outcome: SubmitOutcome, before: Any) -> dict[str, str]:
    f = outcome.field
    if f.status == "corrected" and before != f.value:
        text = f"Corrected {f.address}: {fmt_value(before)} → {fmt_value(f.value)}."
    elif outcome.replayed:
        text = "Already saved (the same submit was received twice)."
    else:
        text = f"{f.status.capitalize()}: {f.address} = {fmt_value(f.value)}."
    if outcome.settled:
        text += f" {len(outcome.settled)} other fields were settled by the checks."
    return {"kind": "ok", "text": text + " Press n for the next field."}


def _conflict(exc: Exception) -> tuple[dict[str, str], int]:
    if isinstance(exc, StaleVersion):
        msg = (
            f"Someone changed this field while you looked at it: it is now {fmt_value(exc.current_value)}"
            f" ({exc.current_status}). Check it and decide again."
        )
        return {"kind": "fail", "text": msg}, 409
    if isinstance(exc, LeaseHeld | ReadOnlyDocument):
        return {"kind": "fail", "text": str(exc)}, 409
    return {"kind": "fail", "text": str(exc)}, 422


REFUSALS = (StaleVersion, LeaseHeld, ReadOnlyDocument, InvalidSubmit)


def _render_after(
    request: Request,
    config: AppConfig,
    auth: Auth,
    field_id: int,
    filters: QueueFilters,
    *,
    flash: dict[str, str],
    settled: list[str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    with session_scope(config.engine, readonly=True) as session:
        return _panel(
            request, session, config, auth, field_id, filters, flash=flash, settled=settled, status=status
        )


@router.post("/review/{field_id}", response_class=HTMLResponse)
def review_submit(
    request: Request,
    field_id: int,
    auth: AuthDep,
    config: ConfigDep,
    action: Annotated[str, Form()],
    version: Annotated[int, Form()],
    value: Annotated[str | None, Form()] = None,
    idempotency_key: Annotated[str | None, Form()] = None,
    reason: Annotated[str | None, Form()] = None,
    filters: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Confirm or correct; the answer is the panel again, with what changed and what the checks settled."""
    queue_filters = _filters_from_form(filters)
    with session_scope(config.engine, readonly=True) as session:
        before = field_view(session, field_id=field_id).value
    req = Submit(field_id, action, version, value, reason or None, idempotency_key or None)
    try:
        outcome = submit_and_revalidate(config.engine, user=auth.user, request=req)
    except REFUSALS as exc:
        flash, status = _conflict(exc)
        return _render_after(request, config, auth, field_id, queue_filters, flash=flash, status=status)
    flash = _after_submit(outcome, before)
    return _render_after(request, config, auth, field_id, queue_filters, flash=flash, settled=outcome.settled)


@router.post("/review/{field_id}/undo", response_class=HTMLResponse)
def review_undo(
    request: Request,
    field_id: int,
    auth: AuthDep,
    config: ConfigDep,
    version: Annotated[int, Form()],
    filters: Annotated[str, Form()] = "",
) -> HTMLResponse:
    queue_filters = _filters_from_form(filters)
    try:
        outcome = undo_and_revalidate(config.engine, user=auth.user, field_id=field_id, version=version)
    except REFUSALS as exc:
        flash, status = _conflict(exc)
        return _render_after(request, config, auth, field_id, queue_filters, flash=flash, status=status)
    f = outcome.field
    flash = {"kind": "ok", "text": f"Undone: {f.address} is {fmt_value(f.value)} ({f.status}) again."}
    return _render_after(request, config, auth, field_id, queue_filters, flash=flash, settled=outcome.settled)


@router.post("/review/{field_id}/lease")
def review_renew(field_id: int, user: CurrentReviewer, session: SessionDep, config: ConfigDep) -> Response:
    claim(session, field_id=field_id, user=user, seconds=config.lease_seconds)
    return Response(status_code=204)
