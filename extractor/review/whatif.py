"""Before a correction is saved: which checks over the field hold now and would fail with the new value.

The document's validators run on a copy of its stored fields with the one value changed; nothing is
written. A reviewer who is told so can still save (the field then shows "corrected, checks failing").
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from extractor.model import Finding
from extractor.review.revalidation import _load
from extractor.validate.run import validate_result

CHECKS = ("sum", "tie")


def _verdicts(findings: list[Finding], address: str) -> dict[str, tuple[bool, str]]:
    return {f.name: (f.ok, f.message) for f in findings if f.check in CHECKS and address in f.addresses}


def checks_broken_by(
    session: Session, *, document_id: int, field_id: int, value: Any
) -> list[tuple[str, str]]:
    """(check name, "left vs right" with the new value) for each check the new value would break."""
    loaded = _load(session, document_id)
    if loaded is None:
        return []
    result, stored, _revision = loaded
    target = next((s for s in stored if s.row.id == field_id), None)
    if target is None:
        return []
    validate_result(result)
    before = _verdicts(result.findings, target.address)
    target.fv.value = value
    validate_result(result)
    after = _verdicts(result.findings, target.address)
    return [
        (name, message)
        for name, (ok, message) in after.items()
        if not ok and before.get(name, (False, ""))[0]
    ]
