"""Review operations as the server runs them: the decision in one short write transaction, then the
document's validators re-run outside it (so other reviewers are not kept waiting), then the verdict applied."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Engine

from extractor.review.accounts import Reviewer
from extractor.review.revalidation import REVALIDATE, Revalidator, revalidate_detached
from extractor.review.submit import Submit, SubmitOutcome, submit, undo
from extractor.storage.db import session_scope


def _revalidated(engine: Engine, outcome: SubmitOutcome, revalidator: Revalidator | None) -> SubmitOutcome:
    if outcome.replayed or not outcome.value_changed:
        return outcome
    check = revalidator or REVALIDATE
    settled = revalidate_detached(
        engine,
        document_id=outcome.field.document_id,
        cause=f"the correction of {outcome.field.address}",
        revalidator=check,
    )
    return replace(outcome, settled=settled, revalidated=check is not None)


def submit_and_revalidate(
    engine: Engine, *, user: Reviewer, request: Submit, revalidator: Revalidator | None = None
) -> SubmitOutcome:
    """Confirm or correct a field; after a correction, the fields it settles leave the queue."""
    with session_scope(engine) as session:
        outcome = submit(session, user=user, request=request)
    return _revalidated(engine, outcome, revalidator)


def undo_and_revalidate(
    engine: Engine, *, user: Reviewer, field_id: int, version: int, revalidator: Revalidator | None = None
) -> SubmitOutcome:
    with session_scope(engine) as session:
        outcome = undo(session, user=user, field_id=field_id, version=version)
    return _revalidated(engine, outcome, revalidator)
