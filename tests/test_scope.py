"""A document that prints one table twice (a 部门 consolidated table and a 单位 one, a city's 全市 and
市本级 versions) keeps both: each record carries its scope, its row key is unchanged, and ingest stores
the document (the UNIQUE(document, kind, scope, key) constraint holds)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from extractor.inventory import table_inventory
from extractor.pipeline import extract_bytes
from extractor.segment import table_scope
from extractor.settings import Settings
from extractor.storage import init_db, make_engine, session_scope, store_result
from extractor.storage.tables import RecordRow

SEED = Path(__file__).resolve().parent.parent / "eval/datasets/seeds/docs/004_7078add5d4f01a7a.txt"


def _table3(text: str, title: str) -> str:
    start = text.index("部门支出总体情况表")
    end = text.index(" 表 4", start)
    return text[start:end].replace("部门支出总体情况表", title, 1)


def _two_versions() -> str:
    text = SEED.read_text(encoding="utf-8")
    # the same table again, printed for the department's one unit (its own title), after the notes
    return text + "\n\n表 11\n\n" + _table3(text, "单位支出总体情况表") + "\n"


def test_both_versions_are_kept_with_their_scope_and_keys(tmp_path: Path, db_url: str) -> None:
    settings = Settings(data_dir=tmp_path, backend="rules")
    result = extract_bytes(
        _two_versions().encode("utf-8"), "004_twice.txt", backend="rules", settings=settings
    )
    rows = [r for r in result.records if r.kind == "expenditure_by_function"]
    scopes = {r.scope for r in rows}
    assert len(scopes) == 2, scopes
    by_scope = {s: {r.key for r in rows if r.scope == s} for s in scopes}
    first, second = (by_scope[s] for s in sorted(scopes, key=len))
    assert "2013801" in first and "2013801" in second  # the key is the same code in both
    assert first == second
    # the inventory lists both tables, each with its records
    entries = [e for e in table_inventory(result) if e.kind == "expenditure_by_function"]
    assert [e.records > 0 for e in entries] == [True, True]

    engine = make_engine(db_url)
    init_db(engine)
    with session_scope(engine) as session:
        doc_id, created = store_result(session, result=result)
    assert created
    with session_scope(engine) as session:
        stored = session.execute(
            select(RecordRow.scope, RecordRow.key).where(
                RecordRow.document_id == doc_id, RecordRow.kind == "expenditure_by_function"
            )
        ).all()
    assert len(stored) == len(rows)
    assert {s for s, _ in stored} == scopes


def test_scope_words_of_a_title() -> None:
    assert table_scope("2O23年哈尔滨市本级一般公共预算支出决算表") == "市本级"
    assert table_scope("2024年上半年全市一般公共预算收入执行情况表") == "全市"
    assert table_scope("部门支出总体情况表") == ""


def test_a_scoped_coded_table_is_summed_within_its_scope() -> None:
    """A coded table printed only for one scope (no unscoped version in the document): its records answer to
    their plain kind inside their scope, so its sums are built (this crashed the validators before)."""
    from extractor.model import FieldValue, Record
    from extractor.validate.constraints import build_constraints
    from extractor.validate.index import RecordIndex

    def row(key: str, total: float) -> Record:
        return Record(
            "expenditure_by_function",
            key,
            "单位支出总体情况表",
            "万元",
            {"total": FieldValue(total, None)},
            scope="单位",
        )

    index = RecordIndex([row("201", 10.0), row("20101", 6.0), row("20102", 4.0)])
    assert index.get("expenditure_by_function", "201") is None  # outside its scope it is kind@scope
    assert index.get("expenditure_by_function@单位", "201") is not None
    inside = index.within("单位")
    assert inside.get("expenditure_by_function", "201") is not None
    names = [c.name for c in build_constraints(index)]
    assert names == ["单位|expenditure_by_function:children:201:total"]  # 10 = 6 + 4, named with its scope
