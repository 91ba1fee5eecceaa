"""Ties: the same quantity printed in two tables, or in the 情况说明 text and a table (表1 = 表2 = 表3,
表4 = 表5 …, each 类 of one table against another's). Built per scope by `constraints.build_constraints`."""

from __future__ import annotations

from extractor.validate.constraints import Constraint, printed
from extractor.validate.index import FieldRef, RecordIndex
from schemas.coded import TOTAL_KEY
from schemas.labels import CARRY_FORWARD_LABELS


def _tie(name: str, a: FieldRef | None, b: FieldRef | None) -> list[Constraint]:
    if a is None or b is None or not printed(a) or not printed(b):
        return []
    return [Constraint("tie", name, f"={b[0].address(b[1])}", [a], [b])]


def _ref(index: RecordIndex, kind: str, key: str, col: str) -> FieldRef | None:
    rec = index.get(kind, key)
    return (rec, col) if rec is not None else None


def _income_item(index: RecordIndex, kind: str, word: str) -> FieldRef | None:
    """The first top-level income item of 表1 (`amount`) or 表4 (`total`) naming `word`, other than
    transfers from above (上级) and carry-overs (结转)."""
    for rec in index.of_kind(kind):
        label = rec.key.removeprefix("income:")
        if kind == "fiscal_appropriation_summary" and not rec.key.startswith("income:"):
            continue
        if "/" not in label and word in label and not any(x in label for x in ("上级", "结转", "结余")):
            return (rec, "total" if kind == "fiscal_appropriation_summary" else "amount")
    return None


def _carries_forward(index: RecordIndex) -> bool:
    """Whether 表1's expenditure side prints money carried to next year (a nonzero 结转下年 or the like)."""
    for rec in index.of_kind("expenditure_summary"):
        fv = rec.fields.get("amount")
        if (
            rec.key.startswith(CARRY_FORWARD_LABELS)
            and fv is not None
            and isinstance(fv.value, float)
            and fv.value
        ):
            return True
    return False


def _general_budget_income(index: RecordIndex) -> FieldRef | None:
    return _income_item(index, "income_summary", "一般公共预算")


def ties(index: RecordIndex) -> list[Constraint]:
    out: list[Constraint] = []

    def r(kind: str, key: str, col: str) -> FieldRef | None:
        return _ref(index, kind, key, col)

    grand = r("income_summary", "收入总计", "amount")
    if _income_holds_all(index):
        out += _tie("tie:表1=表2", grand, r("income_by_function", TOTAL_KEY, "total"))
    if _carries_forward(index):
        # 支出总计 holds what goes on to next year (结转下年, 年末结转和结余): 表3 is this year's spending only
        out += _tie(
            "tie:表1本年支出=表3",
            r("expenditure_summary", "subtotal", "amount"),
            r("expenditure_by_function", TOTAL_KEY, "total"),
        )
    else:
        out += _tie("tie:表1=表3", grand, r("expenditure_by_function", TOTAL_KEY, "total"))
    out += _tie("tie:说明=表1", r("narrative_facts", "", "total_budget"), grand)
    out += _tie(
        "tie:说明基本=表3",
        r("narrative_facts", "", "basic_expenditure"),
        r("expenditure_by_function", TOTAL_KEY, "basic"),
    )
    out += _tie(
        "tie:说明项目=表3",
        r("narrative_facts", "", "project_expenditure"),
        r("expenditure_by_function", TOTAL_KEY, "project"),
    )
    out += _tie(
        "tie:三公=说明",
        r("three_public_expenses", "", "total"),
        r("narrative_facts", "", "three_public_total"),
    )
    out += _tie(
        "tie:表5基本=表6",
        r("general_budget_expenditure", TOTAL_KEY, "basic"),
        r("basic_expenditure_by_economic", TOTAL_KEY, "total"),
    )
    out += _tie(
        "tie:表5项目=表7",
        r("general_budget_expenditure", TOTAL_KEY, "project"),
        r("project_expenditure", TOTAL_KEY, "total"),
    )
    out += _tie(
        "tie:表4=表5",
        r("fiscal_appropriation_summary", TOTAL_KEY, "general_budget"),
        r("general_budget_expenditure", TOTAL_KEY, "total"),
    )
    # 表1's 一般公共预算拨款 is 表4's income 一般公共预算 and 表5's 合计 (all of this year's general budget money)
    general = _general_budget_income(index)
    out += _tie(
        "tie:表1一般公共预算=表4",
        general,
        _income_item(index, "fiscal_appropriation_summary", "一般公共预算"),
    )
    out += _tie("tie:表1一般公共预算=表5", general, r("general_budget_expenditure", TOTAL_KEY, "total"))
    income_total = index.get("income_by_function", TOTAL_KEY)
    if general is not None and income_total is not None and "general_budget" in income_total.fields:
        # 表2 splits it into 一般公共预算 and 上级一般公共预算安排的转移支付
        parts = [(income_total, c) for c in ("general_budget", "general_budget_transfer")]
        out.append(
            Constraint(
                "tie",
                "tie:表1一般公共预算=表2",
                f"={income_total.address('general_budget')}",
                [general],
                parts,
            )
        )
    # per function code: 表1 expenditure side = 表3; 表2 = 表3; 表4 general budget = 表5
    for rec in index.of_kind("expenditure_summary"):
        if rec.key.isdigit():
            out += _class_tie(
                index, f"tie:表1={rec.key}", (rec, "amount"), "expenditure_by_function", rec.key, "total"
            )
    for rec in index.of_kind("income_by_function") if _income_holds_all(index) else []:
        if rec.key.isdigit():
            out += _tie(
                f"tie:表2=表3:{rec.key}", (rec, "total"), r("expenditure_by_function", rec.key, "total")
            )
    for rec in index.of_kind("income_by_function"):
        target = index.get("general_budget_expenditure", rec.key)
        if (
            rec.key.isdigit()
            and target is not None
            and "general_budget" in rec.fields
            and "total" in target.fields
        ):
            # 表2's general budget money of a row (with transfers from above) is what 表5 spends on it
            parts = [(rec, c) for c in ("general_budget", "general_budget_transfer")]
            out.append(
                Constraint(
                    "tie", f"tie:表2=表5:{rec.key}", f"={target.address('total')}", parts, [(target, "total")]
                )
            )
    for rec in index.of_kind("fiscal_appropriation_summary"):
        if rec.key.isdigit():
            out += _class_tie(
                index,
                f"tie:表4=表5:{rec.key}",
                (rec, "general_budget"),
                "general_budget_expenditure",
                rec.key,
                "total",
            )
    return out


def _income_holds_all(index: RecordIndex) -> bool:
    """Whether 表2 (income by function) can equal 表1's 总计 and 表3: it prints the carry-overs as columns, or
    there is no carry-over to print (表1 states none). 西南大学's 收入预算表 leaves 上年结转 out by design."""
    income = index.of_kind("income_by_function")
    if any(c in r.fields for r in income for c in ("fiscal_carryover", "nonfiscal_carryover")):
        return True
    for r in index.of_kind("income_summary"):
        amount_fv = r.fields.get("amount")
        if (
            ("结转" in r.key or "结余" in r.key)
            and amount_fv is not None
            and amount_fv.value not in (0, 0.0, None)
        ):
            return False
    return True


def _class_tie(
    index: RecordIndex, name: str, a: FieldRef, kind: str, code: str, col: str
) -> list[Constraint]:
    if not printed(a):
        return []
    value, refs = index.class_amount(kind, code, col)
    if value is None or not refs:
        return []
    return [Constraint("tie", name, f"={kind}/{code}/{col}", [a], refs)]
