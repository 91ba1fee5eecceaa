"""Repairs that carry to other figures: a figure that must move with a repaired one (a row identity that
held exactly as printed), and an unchecked figure that repeats a repaired one in its table and column."""

from __future__ import annotations

from pathlib import Path

from extractor.model import FieldValue, Proposal, Record
from extractor.pipeline import extract_path
from extractor.settings import Settings
from extractor.validate.constraints import Constraint
from extractor.validate.repair import echoes, propose

KIND = "general_budget_expenditure"


def _record(key: str, kind: str = KIND, **amounts: float) -> Record:
    return Record(kind, key, "表", "万元", {n: FieldValue(v, None, ["printed"]) for n, v in amounts.items()})


def _carried_case(basic_parent: float) -> list[Proposal]:
    """A row 10.65 = 10.65 + 0 whose total another table prints as 10.66; its basic column's parent sum is
    `basic_parent` = 10.65 + 104.96 + the rounding it leaves."""
    row = _record("2101102", total=10.65, basic=10.65, project=0.0)
    other = _record("2101102", kind="expenditure_by_function", total=10.66)
    sibling = _record("2101101", basic=104.96)
    parent = _record("21011", basic=basic_parent)
    identity = Constraint("sum", "row", "row", [(row, "total")], [(row, "basic"), (row, "project")])
    tie = Constraint("tie", "tie", "=other", [(row, "total")], [(other, "total")])
    column = Constraint("sum", "Σ21011", "Σ21011", [(parent, "basic")], [(row, "basic"), (sibling, "basic")])
    constraints = [identity, tie, column]
    return propose(constraints, [tie], set())


def test_a_figure_that_must_move_with_a_repair_gets_its_own_proposal() -> None:
    proposals = {p.address: p.proposed for p in _carried_case(basic_parent=115.62)}
    assert proposals[f"{KIND}/2101102/total"] == 10.66
    # the row identity held exactly; the basic column's sum is exact only with 10.66 too
    assert proposals[f"{KIND}/2101102/basic"] == 10.66
    assert f"{KIND}/2101102/project" not in proposals


def test_no_carried_proposal_when_the_other_figure_is_confirmed_as_printed() -> None:
    # the basic column's parent sum holds exactly with 10.65: moving basic would break it
    proposals = {p.address for p in _carried_case(basic_parent=115.61)}
    assert f"{KIND}/2101102/total" in proposals
    assert f"{KIND}/2101102/basic" not in proposals


def test_an_unchecked_figure_repeating_a_repaired_one_is_doubted() -> None:
    total = _record("本年收入", kind="income_summary", amount=314.6)
    sub = _record("一般财力", kind="income_summary", amount=314.6)
    checked = _record("other", kind="income_summary", amount=314.6)
    checked.fields["amount"].reasons.append("tie:=x")
    elsewhere = _record("本年收入", kind="expenditure_summary", amount=314.6)
    repaired = Proposal("income_summary/本年收入/amount", 314.6, 314.66, ["Σ"], "")
    out = {p.address: p.proposed for p in echoes([repaired], [total, sub, checked, elsewhere])}
    assert out == {"income_summary/一般财力/amount": 314.66}


def test_the_seeds_misprints_copied_into_other_cells_go_to_review(seed_paths: dict[str, Path]) -> None:
    settings = Settings(backend="rules")
    r000 = extract_path(seed_paths["000"], settings=settings)
    basic = next(r for r in r000.records if r.kind == KIND and r.key == "2101102").fields["basic"]
    assert "proposal:10.66" in basic.reasons and basic.status == "needs_review"
    r004 = extract_path(seed_paths["004"], settings=settings)
    sub = next(r for r in r004.records if r.kind == "income_summary" and r.key == "一般财力").fields["amount"]
    assert "proposal:314.66" in sub.reasons and sub.status == "needs_review"
