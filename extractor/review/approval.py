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


HUMAN_ACTIONS = ("confirm", "correct")


def human_decisions(session: Session, *, document_id: int) -> int:
    """How many fields of the document carry a person's decision (confirmed or corrected) now."""
    return int(
        session.scalar(
            select(func.count()).where(
                FieldRow.document_id == document_id, FieldRow.status.in_(("confirmed", "corrected"))
            )
        )
        or 0
    )


def undecided_queued(session: Session, *, document_id: int) -> int:
    """Fields that were queued for review and carry no person's decision: still queued, or moved out of the
    queue by the checks alone (after someone corrected a sibling) without anyone looking at them."""
    queued_once = (
        select(AuditRow.field_id)
        .where(
            AuditRow.document_id == document_id,
            AuditRow.action == "revalidate",
            AuditRow.old_status == "needs_review",
        )
        .scalar_subquery()
    )
    still = session.scalar(
        select(func.count()).where(FieldRow.document_id == document_id, FieldRow.status == "needs_review")
    )
    settled = session.scalar(
        select(func.count()).where(
            FieldRow.document_id == document_id,
            FieldRow.id.in_(queued_once),
            FieldRow.status.not_in(("confirmed", "corrected")),
        )
    )
    return int(still or 0) + int(settled or 0)


def approve(
    session: Session,
    *,
    user: Reviewer,
    document_id: int,
    reason: str | None = None,
    confirmed: bool = True,
    require_settled_decided: bool = False,
) -> None:
    """Approve a reviewed document: no field left in the queue, at least one person's decision, and the
    approver's explicit confirmation (`confirmed`). With `require_settled_decided`, a field the checks alone
    took out of the queue also needs a person's decision."""
    doc = _document(session, document_id)
    if doc.status == "approved":
        return
    if not confirmed:
        raise InvalidSubmit("confirm the approval first", source=doc.source)
    left = session.scalar(
        select(func.count()).where(FieldRow.document_id == document_id, FieldRow.status == "needs_review")
    )
    if left:
        raise InvalidSubmit(f"{left} fields still need review", source=doc.source)
    if require_settled_decided and (n := undecided_queued(session, document_id=document_id)):
        raise InvalidSubmit(f"{n} queued fields have no human decision", source=doc.source)
    if human_decisions(session, document_id=document_id) == 0:
        raise InvalidSubmit("no person has decided any field of this document", source=doc.source)
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
