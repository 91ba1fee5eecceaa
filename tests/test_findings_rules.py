"""The checks no planted error exercises, on short texts shaped like the 说明 of a 决算, and the registry."""

from __future__ import annotations

import re
from pathlib import Path

from extractor.findings import RULES, check_result
from extractor.findings.context import Checks
from extractor.findings.directions import check_directions
from extractor.findings.three_public import check_three_public
from extractor.model import DocumentInfo, ExtractionResult, IngestedDocument, Segment


def _narrative(text: str, doc_type: str = "final_accounts") -> Checks:
    doc = IngestedDocument(sha256="0" * 64, source="t.txt", text=text, format="txt")
    seg = Segment(0, "narrative_facts", "情况说明", 0, len(text))
    info = DocumentInfo(doc_type=doc_type)  # type: ignore[arg-type]
    return Checks(ExtractionResult(document=doc, info=info, segments=[seg], records=[]))


def test_comparison_word_against_budget_and_actual() -> None:
    wrong = _narrative(
        "一般公共预算财政拨款支出年初预算为120.50万元，支出决算为118.20万元，决算数大于预算数。"
    )
    check_directions(wrong)
    [f] = wrong.findings
    assert f.rule == "comparison_contradiction" and f.severity == "error" and f.text == "大于"
    assert "118.2" in f.message and "120.5" in f.message
    right = _narrative("年初预算为120.50万元，支出决算为118.20万元，决算数小于预算数。")
    check_directions(right)
    assert right.findings == []


def test_flat_with_a_change_and_a_word_pair_that_disagrees() -> None:
    c = _narrative(
        "机关运行经费100万元，比上年持平12万元。项目支出50万元，比上年增加5万元，下降9.09%，主要原因是调整。"
    )
    check_directions(c)
    rules = sorted(f.rule for f in c.findings)
    assert rules == ["direction_contradiction", "direction_contradiction"]
    flipped = next(f for f in c.findings if f.text == "增加")
    assert "上年应为 55" in flipped.message  # 5 / (50 + 5) = 9.09 %: the money fell


def test_three_public_over_budget_in_a_final_account() -> None:
    c = _narrative("“三公”经费支出年初预算数为30.00万元，决算数为31.50万元，完成预算的105%。")
    check_three_public(c)
    [f] = c.findings
    assert f.rule == "three_public_over_budget" and f.text == "31.50"


def test_every_rule_used_is_registered_and_levels_are_capped() -> None:
    used = set()
    for path in (Path(__file__).resolve().parents[1] / "extractor" / "findings").glob("*.py"):
        used |= set(re.findall(r'c\.add\(\s*"(\w+)"', path.read_text(encoding="utf-8")))
        used |= set(re.findall(r'rule = "(\w+)"', path.read_text(encoding="utf-8")))
    assert used and used <= set(RULES)
    c = _narrative("x")
    f = c.add("required_table_missing", "error", "m", (0, 1), "k")
    assert (
        f.severity == "warning"
    )  # the rule's top level is a warning: a table the reader missed looks the same


def test_a_document_without_tables_is_checked_as_text() -> None:
    text = "XX局2024年预算说明。。"
    doc = IngestedDocument(sha256="1" * 64, source="t.txt", text=text, format="txt")
    result = ExtractionResult(document=doc, info=DocumentInfo(), segments=[], records=[])
    assert {f.rule for f in check_result(result)} == {"placeholder", "doubled_punctuation"}


def test_a_department_heading_naming_its_own_level_still_gets_the_template_check() -> None:
    """Seed 001's unit is 乌鲁木齐市市场监督管理局(本级）: a department, whose 本级 names its own level, not a
    government's budget. With its 三公 table left out, the missing table is found."""
    from extractor.ingest import ingest_bytes
    from extractor.pipeline import extract_document
    from extractor.settings import Settings

    seed = Path(__file__).resolve().parents[1] / "eval" / "datasets" / "seeds" / "docs"
    text = (seed / "001_bf78897304f03bf2.txt").read_text(encoding="utf-8")
    assert "(本级）" in text[:800]
    start = text.index(" 表 10\n\n财政拨款“三公”经费支出情况表")
    cut = text[:start] + text[text.index(" 表 11\n", start) :]
    settings = Settings(backend="rules")
    whole = extract_document(ingest_bytes(text.encode("utf-8"), "001.txt"), settings=settings)
    assert not [f for f in check_result(whole) if f.rule == "required_table_missing"]
    result = extract_document(ingest_bytes(cut.encode("utf-8"), "001.txt"), settings=settings)
    missing = [f for f in check_result(result) if f.rule == "required_table_missing"]
    assert len(missing) == 1 and "（three_public_expenses）" in missing[0].message


def test_an_income_table_by_source_fills_the_income_slot_of_the_template() -> None:
    """Jiangsu prints 收入预算总表 by source (income_by_source) where the template prints 部门收入总体情况表 by
    function: not a missing table."""
    kinds = [
        "income_summary",
        "income_by_source",
        "expenditure_by_function",
        "fiscal_appropriation_summary",
        "general_budget_expenditure",
        "basic_expenditure_by_economic",
        "three_public_expenses",
        "gov_fund_expenditure",
    ]
    text = "".join(f"表{i}\n{k}表\n项目 合计\n合计 1.00\n" for i, k in enumerate(kinds, start=1))
    segments, at = [], 0
    for i, k in enumerate(kinds):
        end = text.index("合计 1.00\n", at) + len("合计 1.00\n")
        segments.append(Segment(i, k, f"{k}表", at, end))
        at = end
    doc = IngestedDocument(sha256="1" * 64, source="t.txt", text=text, format="txt")
    result = ExtractionResult(
        document=doc, info=DocumentInfo(doc_type="budget"), segments=segments, records=[]
    )
    assert not [f for f in check_result(result) if f.rule == "required_table_missing"]
    segments[1].kind = "carryover"
    assert [f for f in check_result(result) if f.rule == "required_table_missing"]
