"""Review operations as the server runs them: the decision in one short write transaction, then the
document's validators re-run outside it (so other reviewers are not kept waiting), then the verdict applied.

The validators score with the settings passed in (the server's own review thresholds); `revalidator`
replaces them only in tests."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Engine

from extractor.review.accounts import Reviewer
from extractor.review.revalidation import Revalidator, revalidate_detached, validators_for
from extractor.review.submit import Submit, SubmitOutcome, submit, undo
from extractor.settings import Settings
from extractor.storage.db import session_scope


def _revalidated(engine: Engine, outcome: SubmitOutcome, check: Revalidator) -> SubmitOutcome:
    if outcome.replayed or not outcome.value_changed:
        return outcome
    settled = revalidate_detached(
        engine,
        document_id=outcome.field.document_id,
        cause=f"the correction of {outcome.field.address}",
        revalidator=check,
    )
    return replace(outcome, settled=settled, revalidated=True)


def submit_and_revalidate(
    engine: Engine,
    *,
    user: Reviewer,
    request: Submit,
    settings: Settings,
    revalidator: Revalidator | None = None,
) -> SubmitOutcome:
    """Confirm or correct a field; after a correction, the fields it settles leave the queue."""
    with session_scope(engine) as session:
        outcome = submit(session, user=user, request=request, revalidates=True)
    return _revalidated(engine, outcome, revalidator or validators_for(settings))


def undo_and_revalidate(
    engine: Engine,
    *,
    user: Reviewer,
    field_id: int,
    version: int,
    settings: Settings,
    revalidator: Revalidator | None = None,
) -> SubmitOutcome:
    with session_scope(engine) as session:
        outcome = undo(session, user=user, field_id=field_id, version=version, revalidates=True)
    return _revalidated(engine, outcome, revalidator or validators_for(settings))
