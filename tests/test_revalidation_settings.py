"""Re-validation after a correction scores with the server's own settings, not the process-wide ones.

A seed is extracted and stored with a review threshold of 1.0, so every field is in review. A correction then
re-runs the validators; with the server's settings every undecided field must stay in review. Scored with the
process-wide settings (threshold 0.9) most of them would be auto-accepted, which the contrast case shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from test_review_http import login

from extractor.pipeline import extract_path
from extractor.review.accounts import Reviewer, create_user
from extractor.review.service import submit_and_revalidate
from extractor.review.submit import Submit
from extractor.settings import Settings
from extractor.storage import init_db, make_engine, session_scope, store_result
from extractor.storage.tables import FieldRow
from review_ui import create_app


def strict(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "var", backend="rules", review_threshold=1.0, allowed_hosts=["testserver"]
    )


@dataclass
class Stored:
    engine: Engine
    field_id: int
    ann: Reviewer


@pytest.fixture()
def stored(tmp_path: Path, seed_paths: dict[str, Path], db_url: str) -> Iterator[Stored]:
    settings = strict(tmp_path).model_copy(update={"database_url": db_url})
    engine = make_engine(settings.effective_database_url)
    init_db(engine)
    result = extract_path(seed_paths["000"], backend="rules", settings=settings)
    with session_scope(engine) as s:
        ann = create_user(s, username="ann", password="ann-password")
        store_result(s, result=result)
        field_id = s.scalar(
            select(FieldRow.id).where(FieldRow.name == "amount").order_by(FieldRow.id).limit(1)
        )
    assert field_id is not None
    yield Stored(engine, field_id, ann)
    engine.dispose()


def statuses(engine: Engine) -> dict[str, int]:
    with session_scope(engine, readonly=True) as s:
        rows = s.execute(select(FieldRow.status, func.count()).group_by(FieldRow.status)).all()
    return {status: n for status, n in rows}


def test_stored_with_threshold_one_nothing_is_auto_accepted(stored: Stored) -> None:
    counts = statuses(stored.engine)
    assert counts.get("auto_accepted", 0) == 0 and counts["needs_review"] > 100


def test_revalidation_keeps_the_servers_threshold(stored: Stored, tmp_path: Path) -> None:
    fix = Submit(stored.field_id, "correct", 1, "1.23")
    outcome = submit_and_revalidate(stored.engine, user=stored.ann, request=fix, settings=strict(tmp_path))
    assert outcome.revalidated and outcome.settled == []
    counts = statuses(stored.engine)
    assert counts.get("auto_accepted", 0) == 0 and counts["corrected"] == 1


def test_with_the_default_threshold_the_same_correction_settles_fields(
    stored: Stored, tmp_path: Path
) -> None:
    """The contrast: the test above would pass vacuously if re-validation never auto-accepted anything."""
    lenient = strict(tmp_path).model_copy(update={"review_threshold": 0.9})
    fix = Submit(stored.field_id, "correct", 1, "1.23")
    outcome = submit_and_revalidate(stored.engine, user=stored.ann, request=fix, settings=lenient)
    assert len(outcome.settled) > 100
    assert statuses(stored.engine)["auto_accepted"] == len(outcome.settled)


def test_the_review_server_revalidates_with_its_own_settings(stored: Stored, tmp_path: Path) -> None:
    app = create_app(strict(tmp_path), engine=stored.engine, gold_dir=tmp_path / "reviewed")
    try:
        client, csrf = login(app, "ann")
        body = {"action": "correct", "version": 1, "value": 1.23}
        url = f"/api/fields/{stored.field_id}/submit"
        sent = client.post(url, json=body, headers={"X-CSRF-Token": csrf})
        assert sent.status_code == 200, sent.text
        assert sent.json()["settled"] == []
    finally:
        app.state.jobs.shutdown()
    counts = statuses(stored.engine)
    assert counts.get("auto_accepted", 0) == 0 and counts["corrected"] == 1
