"""Stored findings and the reviewers' decisions on them (keyword-only, like `repo`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from extractor.errors import StorageError
from extractor.findings.model import DisclosureFinding
from extractor.storage.tables import DocumentRow, FindingDecisionRow, FindingRow, utcnow

DECISIONS = ("confirmed", "dismissed")


@dataclass(frozen=True)
class FindingView:
    finding: FindingRow
    decision: str | None
    reason: str | None
    decided_by: str | None
    decided_at: datetime | None


def store_findings(session: Session, *, document_id: int, findings: list[DisclosureFinding]) -> None:
    """Replace the document's findings with these (decisions stay: they are keyed by finding id)."""
    session.execute(delete(FindingRow).where(FindingRow.document_id == document_id))
    for i, f in enumerate(findings):
        session.add(
            FindingRow(
                document_id=document_id,
                finding_id=f.id,
                position=i,
                rule=f.rule,
                severity=f.severity,
                message=f.message,
                text=f.text,
                span_start=f.span[0] if f.span else None,
                span_end=f.span[1] if f.span else None,
                page=f.page,
                fields=list(f.fields),
            )
        )
    session.flush()


def document_findings(session: Session, *, document_id: int) -> list[FindingView]:
    rows = list(
        session.scalars(
            select(FindingRow).where(FindingRow.document_id == document_id).order_by(FindingRow.position)
        )
    )
    ids = [r.finding_id for r in rows]
    decisions = (
        {
            d.finding_id: d
            for d in session.scalars(select(FindingDecisionRow).where(FindingDecisionRow.finding_id.in_(ids)))
        }
        if ids
        else {}
    )
    out = []
    for r in rows:
        d = decisions.get(r.finding_id)
        out.append(
            FindingView(
                r,
                d.decision if d else None,
                d.reason if d else None,
                d.username if d else None,
                d.at if d else None,
            )
        )
    return out


def decide_finding(
    session: Session,
    *,
    document_id: int,
    finding_id: str,
    decision: str,
    reason: str | None,
    user_id: int | None,
    username: str,
) -> FindingDecisionRow:
    """Confirm a finding, or dismiss it with a reason; a later decision replaces an earlier one."""
    if decision not in DECISIONS:
        raise StorageError(f"unknown decision {decision!r} (confirmed or dismissed)", source=finding_id)
    reason = (reason or "").strip() or None
    if decision == "dismissed" and reason is None:
        raise StorageError("a dismissal needs a reason", source=finding_id)
    row = session.scalar(
        select(FindingRow).where(FindingRow.document_id == document_id, FindingRow.finding_id == finding_id)
    )
    doc = session.get(DocumentRow, document_id)
    if row is None or doc is None:
        raise StorageError("no such finding on this document", source=finding_id)
    existing = session.get(FindingDecisionRow, finding_id)
    if existing is None:
        existing = FindingDecisionRow(
            finding_id=finding_id,
            sha256=doc.sha256,
            decision=decision,
            reason=reason,
            user_id=user_id,
            username=username,
            at=utcnow(),
        )
        session.add(existing)
    else:
        existing.decision, existing.reason, existing.user_id = decision, reason, user_id
        existing.username, existing.at = username, utcnow()
    session.flush()
    return existing
