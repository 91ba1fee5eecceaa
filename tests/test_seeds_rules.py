"""The rules backend on the five seed documents: every table kind present, spot values right,
every numeric field's span reads as its number, and the JSON export has the DESIGN.md shape."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from extractor.export import result_to_json
from extractor.model import ExtractionResult
from extractor.numbers import parse_amount
from extractor.pipeline import extract_path
from extractor.settings import Settings
from tests.seed_kinds import PUBLIC_TABLES

RULES = Settings(backend="rules")

BUDGET_KINDS = PUBLIC_TABLES | {
    "document",
    "department_profile",
    "gov_fund_expenditure",
    "state_capital_expenditure",
    "narrative_facts",
    "performance_target",
    "performance_indicator",
}
EXPECTED_KINDS = {
    "000": BUDGET_KINDS,
    "001": BUDGET_KINDS | {"carryover"},
    "002": {"document", "performance_target", "performance_indicator"},
    "003": {"document", "performance_self_evaluation", "self_evaluation_indicator"},
    "004": BUDGET_KINDS | {"carryover"},
}


@pytest.fixture(scope="module")
def results(seed_paths: dict[str, Path]) -> dict[str, ExtractionResult]:
    return {k: extract_path(p, settings=RULES) for k, p in seed_paths.items()}


def value(result: ExtractionResult, address: str) -> object:
    kind, key, field = address.split("/")
    rec = next(r for r in result.records if r.kind == kind and r.key == key)
    return rec.fields[field].value


@pytest.mark.parametrize("doc", sorted(EXPECTED_KINDS))
def test_every_table_kind_is_extracted(results: dict[str, ExtractionResult], doc: str) -> None:
    kinds = {r.kind for r in results[doc].records}
    assert EXPECTED_KINDS[doc] <= kinds, EXPECTED_KINDS[doc] - kinds


@pytest.mark.parametrize(
    ("doc", "address", "expected"),
    [
        ("004", "expenditure_by_function/2013801/total", 203.53),
        ("004", "basic_expenditure_by_economic/30101/total", 62.24),
        ("004", "three_public_expenses//total", 1.87),
        ("004", "income_summary/本年收入/amount", 314.6),
        ("004", "income_summary/收入总计/amount", 314.66),
        ("004", "expenditure_by_function/total/project", 37.0),
        ("004", "expenditure_by_function/2013805/project", 5.0),
        ("004", "expenditure_by_function/2013801/basic", 203.53),
        ("004", "basic_expenditure_by_economic/301/total", 277.66),
        ("004", "narrative_facts//total_budget", 314.66),
        ("001", "income_by_function/20138/total", 3734.27),
        ("001", "income_by_function/20138/fiscal_carryover", 392.43),
        ("001", "income_by_function/2013899/general_budget_transfer", 23.0),
        ("001", "expenditure_by_function/total/basic", 3118.48),
        ("000", "expenditure_by_function/2013802/project", 106.0),
        ("000", "three_public_expenses//vehicle_operation", 30.86),
        ("000", "income_by_function/2013801/nonfiscal_carryover", 5.2),
    ],
)
def test_spot_values(results: dict[str, ExtractionResult], doc: str, address: str, expected: float) -> None:
    assert value(results[doc], address) == pytest.approx(expected)


def test_korla_mangled_codes_are_repaired_and_flagged(results: dict[str, ExtractionResult]) -> None:
    rec = next(r for r in results["004"].records if r.kind == "income_by_function" and r.key == "2013801")
    assert any(x.startswith("code_repaired") for x in rec.fields["total"].reasons)


def test_ambiguous_columns_are_said_not_guessed_silently(results: dict[str, ExtractionResult]) -> None:
    # 表2 of 004 prints `203.53 203.53`: its own text cannot say which funding column the second one is;
    # 表4's 一般公共预算 314.66 places the 合计 row, and the column totals then place the others: both said
    recs = {r.key: r for r in results["004"].records if r.kind == "income_by_function"}
    assert "column:by_cross_table" in recs["total"].fields["general_budget"].reasons
    second = [fv for name, fv in recs["2013801"].fields.items() if name not in ("name", "total")]
    assert [fv.value for fv in second] == [203.53]
    assert "column:by_cross_table_totals" in second[0].reasons
    # 表3 `201 38 05 市场秩序执法 5 5` is settled by the column totals 277.66 / 37.00
    rec = next(
        r for r in results["004"].records if r.kind == "expenditure_by_function" and r.key == "2013805"
    )
    assert "column:by_column_totals" in rec.fields["project"].reasons


def test_self_evaluations_of_003(results: dict[str, ExtractionResult]) -> None:
    assert Counter(r.kind for r in results["003"].records)["performance_self_evaluation"] == 23


@pytest.mark.parametrize("doc", sorted(EXPECTED_KINDS))
def test_numeric_spans_read_as_their_numbers(results: dict[str, ExtractionResult], doc: str) -> None:
    result = results[doc]
    text = result.document.text
    checked = 0
    for record, name, fv in result.fields():
        if isinstance(fv.value, bool) or not isinstance(fv.value, int | float) or fv.span is None:
            continue
        raw = re.sub(r"\s+", "", text[fv.span[0] : fv.span[1]]).rstrip("%分")
        parsed = parse_amount(raw)
        assert parsed is not None and abs(parsed - float(fv.value)) < 1e-6, (
            record.address(name),
            raw,
            fv.value,
        )
        checked += 1
    assert checked > 0


@pytest.mark.parametrize("doc", sorted(EXPECTED_KINDS))
def test_export_shape(results: dict[str, ExtractionResult], doc: str) -> None:
    payload = json.loads(json.dumps(result_to_json(results[doc]), ensure_ascii=False))
    assert set(payload) == {"document", "records", "tables", "summary"}
    assert payload["document"]["sha256"] == results[doc].document.sha256
    for rec in payload["records"]:
        assert set(rec) == {"kind", "key", "scope", "table_title", "unit", "page", "fields"}
        assert rec["page"] is None or rec["page"] >= 1
        for f in rec["fields"].values():
            assert set(f) == {"value", "confidence", "status", "span", "reasons"}
            assert f["status"] in ("auto_accepted", "needs_review", "confirmed", "corrected")
            assert 0.0 <= f["confidence"] <= 1.0
    # the inventory: every table of the seed (表1–表10 and the 结转结余 table where printed), each read
    assert payload["tables"] and all(t["records"] > 0 and t["kind"] != "unknown" for t in payload["tables"])
    s = payload["summary"]
    assert s["fields"] == s["auto_accepted"] + s["needs_review"] + s["confirmed"] + s["corrected"]
