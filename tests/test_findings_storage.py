"""Findings are stored with the document; a reviewer's decision is keyed by the finding id and survives the
document being ingested again (the same file, or after the stored document was removed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from extractor.errors import StorageError
from extractor.findings import check_result
from extractor.pipeline import extract_path
from extractor.review.accounts import create_user
from extractor.settings import Settings
from extractor.storage import init_db, make_engine, session_scope, store_result
from extractor.storage.findings_repo import decide_finding, document_findings
from extractor.storage.tables import DocumentRow, FindingRow

SEED = (
    Path(__file__).resolve().parents[1] / "eval" / "datasets" / "seeds" / "docs" / "001_bf78897304f03bf2.txt"
)


def test_decisions_survive_reingest(tmp_path: Path, db_url: str) -> None:
    settings = Settings(data_dir=tmp_path, backend="rules")
    engine = make_engine(db_url)
    init_db(engine)
    result = extract_path(SEED, backend="rules", settings=settings)
    expected = [f.id for f in check_result(result)]
    with session_scope(engine) as s:
        user = create_user(s, username="ann", password="ann-password")
        doc_id, _ = store_result(s, result=result)
    with session_scope(engine) as s:
        views = document_findings(s, document_id=doc_id)
        assert [v.finding.finding_id for v in views] == expected and expected
        first, *rest = views
        with pytest.raises(StorageError, match="reason"):
            decide_finding(
                s,
                document_id=doc_id,
                finding_id=first.finding.finding_id,
                decision="dismissed",
                reason="  ",
                user_id=user.id,
                username=user.username,
            )
        decide_finding(
            s,
            document_id=doc_id,
            finding_id=first.finding.finding_id,
            decision="dismissed",
            reason="模板说明，非错误",
            user_id=user.id,
            username=user.username,
        )
    with session_scope(engine) as s:
        s.delete(s.get(DocumentRow, doc_id))
    with session_scope(engine) as s:
        new_id, created = store_result(s, result=extract_path(SEED, backend="rules", settings=settings))
    assert created
    with session_scope(engine, readonly=True) as s:
        views = document_findings(s, document_id=new_id)
        decided = {v.finding.finding_id: (v.decision, v.reason, v.decided_by) for v in views if v.decision}
        assert decided == {expected[0]: ("dismissed", "模板说明，非错误", "ann")}
        # the removed document's findings went with it; only the decision (keyed by finding id) stayed
        assert s.scalar(select(func.count()).select_from(FindingRow)) == len(expected)


def test_finding_ids_are_deterministic_and_do_not_depend_on_offsets() -> None:
    settings = Settings(backend="rules")
    a = check_result(extract_path(SEED, backend="rules", settings=settings))
    b = check_result(extract_path(SEED, backend="rules", settings=settings))
    assert [f.id for f in a] == [f.id for f in b]
    assert len({f.id for f in a}) == len(a)
