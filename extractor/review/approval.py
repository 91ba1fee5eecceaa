"""Approving a reviewed document (it becomes read-only) and an admin's reopening of it, both audited."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from extractor.review.accounts import Reviewer
from extractor.review.errors import Forbidden, InvalidSubmit, NotFound
from extractor.review.revalidation import refresh_document
from extractor.storage.tables import AuditRow, DocumentRow, FieldRow


def _document(session: Session, document_id: int) -> DocumentRow:
    doc = session.get(DocumentRow, document_id)
    if doc is None:
        raise NotFound("no such document", source=str(document_id))
    return doc


def approve(session: Session, *, user: Reviewer, document_id: int, reason: str | None = None) -> None:
    doc = _document(session, document_id)
    if doc.status == "approved":
        return
    left = session.scalar(
        select(func.count()).where(FieldRow.document_id == document_id, FieldRow.status == "needs_review")
    )
    if left:
        raise InvalidSubmit(f"{left} fields still need review", source=doc.source)
    doc.status = "approved"
    session.add(
        AuditRow(
            user_id=user.id,
            document_id=document_id,
            action="approve",
            old="reviewed",
            new="approved",
            reason=reason,
        )
    )
    session.flush()


def reopen(session: Session, *, user: Reviewer, document_id: int, reason: str) -> None:
    if not user.is_admin:
        raise Forbidden("only an admin can reopen an approved document")
    doc = _document(session, document_id)
    if doc.status != "approved":
        raise InvalidSubmit("the document is not approved", source=doc.source)
    if not reason.strip():
        raise InvalidSubmit("say why the document is reopened", source=doc.source)
    doc.status = "reviewed"
    refresh_document(session, document_id=document_id)
    session.add(
        AuditRow(
            user_id=user.id,
            document_id=document_id,
            action="reopen",
            old="approved",
            new=doc.status,
            reason=reason.strip(),
        )
    )
    session.flush()
