"""The review page: one field with its source, its row and its doubts; submits answer with the panel."""

from __future__ import annotations

import uuid
from contextlib import suppress
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from extractor.review.checks import address_labels
from extractor.review.errors import InvalidSubmit, LeaseHeld, ReadOnlyDocument, StaleVersion
from extractor.review.leases import claim
from extractor.review.queue import QueueFilters, next_field
from extractor.review.service import submit_and_revalidate, undo_and_revalidate
from extractor.review.submit import Submit, SubmitOutcome
from extractor.review.undo_last import last_standing_decision
from extractor.review.values import coerce_value
from extractor.review.views import PROPOSAL_REASON, field_view
from extractor.review.whatif import checks_broken_by
from extractor.storage import session_scope
from extractor.storage.tables import MAX_INT
from review_ui.config import AppConfig
from review_ui.deps import Auth, AuthDep, ConfigDep, CurrentReviewer, RowId, SessionDep, WriteSessionDep
from review_ui.i18n import Language, language_of
from review_ui.labels import state_name
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
    question: dict[str, Any] | None = None,
    typed: str | None = None,
) -> HTMLResponse:
    view = field_view(session, field_id=field_id)
    labels = address_labels(session, document_id=view.document_id, addresses=settled or [])
    context: dict[str, Any] = {
        "auth": auth,
        "v": view,
        "flash": flash,
        "question": question,
        "typed": typed,
        "settled": [{"address": a, "label": label} for a, label in labels],
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
    after: Annotated[int | None, Query(ge=0, le=MAX_INT)] = None,
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
    field_id: RowId,
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


def _label(config: AppConfig, field_id: int) -> str:
    with session_scope(config.engine, readonly=True) as session:
        return field_view(session, field_id=field_id).label


def _after_submit(lang: Language, outcome: SubmitOutcome, before: Any, label: str) -> dict[str, str]:
    _ = lang.gettext
    f = outcome.field
    if f.status == "corrected" and before != f.value:
        text = _("Corrected %(field)s: %(old)s → %(new)s.") % {
            "field": label,
            "old": fmt_value(before),
            "new": fmt_value(f.value),
        }
    elif outcome.replayed:
        text = _("Already saved (the same submit was received twice).")
    else:
        text = _("%(status)s: %(field)s = %(value)s.") % {
            "status": state_name(f.status),
            "field": label,
            "value": fmt_value(f.value),
        }
    if outcome.settled:
        text += " " + _("%(n)s other fields were settled by the checks.") % {"n": len(outcome.settled)}
    return {"kind": "ok", "text": text + " " + _("Press n for the next field.")}


def _conflict(lang: Language, exc: Exception) -> tuple[dict[str, str], int]:
    _ = lang.gettext
    if isinstance(exc, StaleVersion):
        msg = _(
            "Someone changed this field while you looked at it: it is now %(value)s (%(status)s)."
            " Check it and decide again."
        ) % {"value": fmt_value(exc.current_value), "status": state_name(exc.current_status)}
        return {"kind": "fail", "text": msg}, 409
    if isinstance(exc, LeaseHeld):
        return {"kind": "fail", "text": _("%(who)s is reviewing this field.") % {"who": exc.holder}}, 409
    if isinstance(exc, ReadOnlyDocument):
        return {"kind": "fail", "text": _("The document is approved and read-only.")}, 409
    return {"kind": "fail", "text": _("Refused: %(why)s") % {"why": str(exc)}}, 422


def _invalid_entry(lang: Language, typed: str, like: Any) -> dict[str, str]:
    _ = lang.gettext
    if isinstance(like, bool):
        hint = _("type yes or no")
    elif isinstance(like, int | float):
        hint = _("type a number such as 314.66")
    else:
        hint = _("check what you typed")
    return {
        "kind": "fail",
        "text": _("“%(typed)s” is not a valid value: %(hint)s. Nothing was saved.")
        % {"typed": typed, "hint": hint},
    }


REFUSALS = (StaleVersion, LeaseHeld, ReadOnlyDocument, InvalidSubmit)


def _render_after(
    request: Request,
    config: AppConfig,
    auth: Auth,
    field_id: int,
    filters: QueueFilters,
    *,
    flash: dict[str, str] | None,
    settled: list[str] | None = None,
    status: int = 200,
    question: dict[str, Any] | None = None,
    typed: str | None = None,
) -> HTMLResponse:
    with session_scope(config.engine, readonly=True) as session:
        return _panel(
            request,
            session,
            config,
            auth,
            field_id,
            filters,
            flash=flash,
            settled=settled,
            status=status,
            question=question,
            typed=typed,
        )


def _question(config: AppConfig, field_id: int, raw: str | None) -> tuple[Any, list[str]] | None:
    """The typed value and the checks it would break (None: nothing to ask)."""
    with session_scope(config.engine, readonly=True) as session:
        view = field_view(session, field_id=field_id)
        like = view.original_value if view.value is None else view.value
        value = coerce_value(raw, like=like)
        if value == view.value:
            return None
        broken = checks_broken_by(session, document_id=view.document_id, field_id=field_id, value=value)
    return (value, [m for _name, m in broken]) if broken else None


def _advance(auth: Auth, filters: QueueFilters, html: HTMLResponse) -> HTMLResponse:
    """With auto-advance on, htmx goes on to the next field after a saved decision."""
    if auth.user.auto_advance:
        html.headers["HX-Redirect"] = "/review/next" + query_of(filters)
    return html


@router.post("/review/{field_id}", response_class=HTMLResponse)
def review_submit(
    request: Request,
    field_id: RowId,
    auth: AuthDep,
    config: ConfigDep,
    action: Annotated[str, Form()],
    version: Annotated[int, Form(ge=1, le=MAX_INT)],
    value: Annotated[str | None, Form()] = None,
    idempotency_key: Annotated[str | None, Form()] = None,
    reason: Annotated[str | None, Form()] = None,
    filters: Annotated[str, Form()] = "",
    force: Annotated[str | None, Form()] = None,
) -> HTMLResponse:
    """Confirm or correct; the answer is the panel again, with what changed and what the checks settled.

    A correction that would break checks holding now is questioned first (`force` saves it anyway); an
    entry that is not a value of the field's type is refused with a message."""
    queue_filters = _filters_from_form(filters)
    lang = language_of(auth.user)
    with session_scope(config.engine, readonly=True) as session:
        view = field_view(session, field_id=field_id)
    before = view.value
    if action == "correct":
        try:
            asked = None if force or reason == PROPOSAL_REASON else _question(config, field_id, value)
        except InvalidSubmit:
            flash = _invalid_entry(lang, value or "", view.original_value if before is None else before)
            return _render_after(
                request, config, auth, field_id, queue_filters, flash=flash, status=422, typed=value
            )
        if asked is not None:
            question = {"value": fmt_value(asked[0]), "broken": _broken_texts(lang, asked[1])}
            return _render_after(
                request, config, auth, field_id, queue_filters, flash=None, question=question, typed=value
            )
    req = Submit(field_id, action, version, value, reason or None, idempotency_key or None)
    try:
        outcome = submit_and_revalidate(config.engine, user=auth.user, request=req, settings=config.settings)
    except REFUSALS as exc:
        flash, status = _conflict(lang, exc)
        return _render_after(request, config, auth, field_id, queue_filters, flash=flash, status=status)
    flash = _after_submit(lang, outcome, before, view.label)
    html = _render_after(request, config, auth, field_id, queue_filters, flash=flash, settled=outcome.settled)
    return _advance(auth, queue_filters, html)


def _broken_texts(lang: Language, messages: list[str]) -> list[str]:
    out = []
    for m in messages:
        left, _sep, right = m.partition(" vs ")
        out.append(lang.gettext("one side %(left)s, the other %(right)s") % {"left": left, "right": right})
    return out


@router.post("/undo", response_class=HTMLResponse)
def review_undo_last(
    request: Request,
    auth: AuthDep,
    config: ConfigDep,
    here: Annotated[int, Form(ge=1, le=MAX_INT)],
    filters: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Undo the reviewer's latest decision that still stands, on whichever field it was; again for the one
    before."""
    queue_filters = _filters_from_form(filters)
    lang = language_of(auth.user)
    with session_scope(config.engine, readonly=True) as session:
        found = last_standing_decision(session, user=auth.user)
    if found is None:
        flash = {"kind": "warn", "text": lang.gettext("Nothing of yours left to undo.")}
        return _render_after(request, config, auth, here, queue_filters, flash=flash, status=200)
    field_id, version = found
    html = _undo(request, config, auth, field_id, version, queue_filters, refused_at=here)
    if html.status_code == 200:
        html.headers["HX-Push-Url"] = f"/review/{field_id}" + query_of(queue_filters)
    return html


@router.post("/review/{field_id}/undo", response_class=HTMLResponse)
def review_undo(
    request: Request,
    field_id: RowId,
    auth: AuthDep,
    config: ConfigDep,
    version: Annotated[int, Form(ge=1, le=MAX_INT)],
    filters: Annotated[str, Form()] = "",
) -> HTMLResponse:
    return _undo(request, config, auth, field_id, version, _filters_from_form(filters), refused_at=field_id)


def _undo(
    request: Request,
    config: AppConfig,
    auth: Auth,
    field_id: int,
    version: int,
    queue_filters: QueueFilters,
    *,
    refused_at: int,
) -> HTMLResponse:
    """Undo one decision and show the field again; a refusal (stale version, not yours) is shown at
    `refused_at`."""
    lang = language_of(auth.user)
    try:
        outcome = undo_and_revalidate(
            config.engine, user=auth.user, field_id=field_id, version=version, settings=config.settings
        )
    except REFUSALS as exc:
        flash, status = _conflict(lang, exc)
        return _render_after(request, config, auth, refused_at, queue_filters, flash=flash, status=status)
    f = outcome.field
    text = lang.gettext("Undone: %(field)s is %(value)s (%(status)s) again.") % {
        "field": _label(config, field_id),
        "value": fmt_value(f.value),
        "status": state_name(f.status),
    }
    flash = {"kind": "ok", "text": text}
    return _render_after(request, config, auth, field_id, queue_filters, flash=flash, settled=outcome.settled)


@router.post("/review/{field_id}/lease")
def review_renew(field_id: RowId, user: CurrentReviewer, session: SessionDep, config: ConfigDep) -> Response:
    claim(session, field_id=field_id, user=user, seconds=config.lease_seconds)
    return Response(status_code=204)
