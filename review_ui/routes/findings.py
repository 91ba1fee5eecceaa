"""The findings list of one document: what the disclosure checks found, and the reviewer's decision on each
(confirm, or dismiss with a reason). Decisions are keyed by the finding's deterministic id, so they stay
when the document is ingested again."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from extractor.findings.rules import plain
from extractor.inventory import UNKNOWN, TableEntry, table_inventory
from extractor.review.errors import InvalidSubmit, NotFound
from extractor.storage.findings_repo import DECISIONS, decide_finding, document_findings
from extractor.storage.repo import result_from_row
from extractor.storage.tables import DocumentRow
from review_ui.deps import AuthDep, CurrentReviewer, RowId, SessionDep
from review_ui.i18n import N_
from review_ui.templating import render

router = APIRouter(include_in_schema=False)

LEVELS = {"error": N_("error"), "warning": N_("warning"), "info": N_("note")}


def table_state(entry: TableEntry) -> str:
    """How a printed table fared, in the reviewers' words (a catalog id)."""
    if entry.kind == UNKNOWN:
        return N_("not recognised")
    if entry.empty:
        return N_("empty table")
    return N_("read") if entry.records else N_("not read")


DECIDED = {"confirmed": N_("confirmed"), "dismissed": N_("dismissed")}


@router.get("/documents/{document_id}/findings", response_class=HTMLResponse)
def findings_page(request: Request, document_id: RowId, auth: AuthDep, session: SessionDep) -> HTMLResponse:
    doc = session.get(DocumentRow, document_id)
    if doc is None:
        raise NotFound("no such document", source=str(document_id))
    views = document_findings(session, document_id=document_id)
    counts = {level: sum(1 for v in views if v.finding.severity == level) for level in LEVELS}
    tables = table_inventory(result_from_row(session, doc))
    context = {
        "auth": auth,
        "doc": doc,
        "views": views,
        "counts": counts,
        "levels": LEVELS,
        "decided": DECIDED,
        "plain": plain,
        "tables": tables,
        "table_state": table_state,
    }
    return render(request, "findings.html", context)


@router.post("/documents/{document_id}/findings/{finding_id}")
def decide(
    document_id: RowId,
    finding_id: str,
    user: CurrentReviewer,
    session: SessionDep,
    decision: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    if decision not in DECISIONS:
        raise InvalidSubmit(f"unknown decision {decision!r}", source=finding_id)
    if decision == "dismissed" and not reason.strip():
        raise InvalidSubmit("a dismissal needs a reason", source=finding_id)
    if not any(
        v.finding.finding_id == finding_id for v in document_findings(session, document_id=document_id)
    ):
        raise NotFound("no such finding on this document", source=finding_id)
    decide_finding(
        session,
        document_id=document_id,
        finding_id=finding_id,
        decision=decision,
        reason=reason,
        user_id=user.id,
        username=user.username,
    )
    return RedirectResponse(f"/documents/{document_id}/findings#f-{finding_id}", status_code=303)
