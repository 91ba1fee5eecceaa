"""Storage on a real SQLite file per test: migrations, round-trips, idempotency, failures, atomicity."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, select, text

from extractor.errors import StorageError
from extractor.model import ExtractionResult, FieldValue, Record
from extractor.review.synthetic import synthetic_result
from extractor.storage import (
    init_db,
    list_documents,
    load_result,
    make_engine,
    record_failure,
    session_scope,
    store_result,
)
from extractor.storage.errors import AmbiguousDocument, DocumentNotFound
from extractor.storage.schema import alembic_config
from extractor.storage.tables import Base, DocumentRow, FieldRow, IngestFailureRow, RecordRow


@pytest.fixture()
def engine(db_url: str) -> Engine:
    eng = make_engine(db_url)
    init_db(eng)
    return eng


def _rich_result() -> ExtractionResult:
    result = synthetic_result(rows=6, seed=3)
    result.records.append(
        Record(
            kind="department_profile",
            key="",
            table_title="概况",
            unit=None,
            fields={
                "functions": FieldValue(value=["职能一", "职能二"], span=None, reasons=["derived:list"]),
                "staffing_quota": FieldValue(value=12, span=(1, 3), confidence=0.5, status="needs_review"),
                "empty": FieldValue(value=True, span=None),
                "note": FieldValue(value=None, span=None, status="confirmed"),
            },
        )
    )
    result.usage.llm_calls = 2
    result.usage.seconds = 1.25
    result.usage.reasons = {"unparsed": 1}
    result.errors.append("segment 3: no rows")
    result.backend = "hybrid"
    return result


def test_migrations_create_the_schema_the_orm_describes(engine: Engine) -> None:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        version = conn.execute(text("select version_num from alembic_version")).scalar_one()
    assert diffs == []
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert heads == [version]  # one line of migrations, applied to its head
    init_db(engine)  # a second upgrade is a no-op


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db' / 'extractor.sqlite'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_round_trip_is_equal(engine: Engine) -> None:
    result = _rich_result()
    with session_scope(engine) as s:
        doc_id, created = store_result(s, result=result)
    assert created
    with session_scope(engine, readonly=True) as s:
        loaded = load_result(s, document=str(doc_id))
    assert loaded == result
    fv = loaded.records[-1].fields["functions"]
    assert fv.value == ["职能一", "职能二"] and fv.span is None
    assert loaded.records[0].fields["total"].span == result.records[0].fields["total"].span
    assert list(loaded.records[-1].fields) == ["functions", "staffing_quota", "empty", "note"]


def test_same_sha256_is_stored_once(engine: Engine) -> None:
    result = synthetic_result(rows=4)
    with session_scope(engine) as s:
        first = store_result(s, result=result)
    changed = copy.deepcopy(result)
    changed.records[0].fields["total"].value = 999.0
    changed.document.source = "renamed.txt"
    with session_scope(engine) as s:
        second = store_result(s, result=changed)
    assert first == (first[0], True)
    assert second == (first[0], False)
    with session_scope(engine, readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(DocumentRow)) == 1
        assert s.scalar(select(func.count()).select_from(RecordRow)) == 4
        assert load_result(s, document=str(first[0])) == result


def test_load_by_sha_prefix_and_name(engine: Engine) -> None:
    a = synthetic_result(rows=2, seed=1, source="a.txt")
    b = synthetic_result(rows=2, seed=2, source="same.txt")
    c = synthetic_result(rows=2, seed=4, source="same.txt")
    with session_scope(engine) as s:
        ids = [store_result(s, result=r)[0] for r in (a, b, c)]
    with session_scope(engine, readonly=True) as s:
        assert load_result(s, document=a.document.sha256) == a
        assert load_result(s, document=a.document.sha256[:10].upper()) == a
        assert load_result(s, document="a.txt") == a
        assert load_result(s, document="/some/dir/a.txt") == a
        with pytest.raises(AmbiguousDocument) as amb:
            load_result(s, document="same.txt")
        assert sorted(amb.value.matches) == sorted(ids[1:])
        with pytest.raises(DocumentNotFound) as missing:
            load_result(s, document="nope.pdf")
        assert "nope.pdf" in missing.value.user_message()


def test_failed_store_leaves_nothing_half_stored(engine: Engine) -> None:
    good = synthetic_result(rows=3, seed=7)
    bad = synthetic_result(rows=3, seed=8)
    # the same (kind, key) twice violates the records' unique constraint after rows were already inserted
    bad.records.append(copy.deepcopy(bad.records[0]))
    with session_scope(engine) as s:
        store_result(s, result=good)
        with pytest.raises(StorageError) as err:
            store_result(s, result=bad)
        assert err.value.source == bad.document.source
    with session_scope(engine, readonly=True) as s:
        shas = list(s.scalars(select(DocumentRow.sha256)))
        assert shas == [good.document.sha256]
        assert s.scalar(select(func.count()).select_from(RecordRow)) == 3
        assert s.scalar(select(func.count()).select_from(FieldRow)) == 12


def test_exception_in_scope_rolls_back(engine: Engine) -> None:
    with pytest.raises(RuntimeError), session_scope(engine) as s:
        store_result(s, result=synthetic_result(rows=2))
        raise RuntimeError("crash after store")
    with session_scope(engine, readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(DocumentRow)) == 0
        assert s.scalar(select(func.count()).select_from(FieldRow)) == 0


def test_failures_and_summaries(engine: Engine) -> None:
    result = synthetic_result(rows=5, review_share=0.5, seed=11)
    statuses = [fv.status for _, _, fv in result.fields()]
    with session_scope(engine) as s:
        doc_id, _ = store_result(s, result=result)
        record_failure(s, source="broken.pdf", sha256=None, message="not a PDF")
        record_failure(s, source="empty.txt", sha256="e3b0c442", message="empty file")
    with session_scope(engine, readonly=True) as s:
        failures = list(s.scalars(select(IngestFailureRow).order_by(IngestFailureRow.id)))
        (summary,) = list_documents(s)
    assert [(f.source, f.sha256, f.message) for f in failures] == [
        ("broken.pdf", None, "not a PDF"),
        ("empty.txt", "e3b0c442", "empty file"),
    ]
    assert failures[0].at.tzinfo is not None
    assert summary.id == doc_id and summary.records == 5 and summary.fields == 20
    assert summary.needs_review == statuses.count("needs_review") > 0
    assert summary.auto_accepted == statuses.count("auto_accepted")
    assert summary.status == "in_review"


def test_bad_url_is_a_storage_error() -> None:
    with pytest.raises(StorageError):
        make_engine("not a url")


def test_a_pipeline_result_loads_back_whole(engine: Engine) -> None:
    from extractor.pipeline import extract_path

    seed = (
        Path(__file__).resolve().parent.parent
        / "eval"
        / "datasets"
        / "seeds"
        / "docs"
        / "004_7078add5d4f01a7a.txt"
    )
    result = extract_path(seed, backend="rules")
    assert result.findings and result.proposals  # the validators ran
    with session_scope(engine) as s:
        doc_id, created = store_result(s, result=result)
    with session_scope(engine, readonly=True) as s:
        loaded = load_result(s, document="004_7078add5d4f01a7a.txt")
    assert created and loaded == result
