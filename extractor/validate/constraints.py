"""The equalities a document implies: sums inside a table and ties between tables.

A constraint says Σ lhs = Σ rhs over fields. Sums: 类 = Σ 款 = Σ 项 per column, the 合计 row = Σ top
rows, a row's identities (total = basic + project, total = personnel + public, …), 三公 parts, income
total = expenditure total, self-evaluation 总分 = Σ 得分. Ties: the same quantity printed in two
tables or in the 情况说明 text. Only constraints whose lhs record exists are built.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.model import Record
from extractor.validate.index import FieldRef, RecordIndex, amount
from schemas.coded import SPECS, TOTAL_KEY, checked_columns, checked_identities

NUMERIC_COLUMNS_SKIP = {"name", "project_name", "empty"}


@dataclass
class Constraint:
    check: str  # "sum" or "tie"
    name: str  # stable id (reviewers' decisions refer to it)
    label: str  # short text for reasons
    lhs: list[FieldRef]
    rhs: list[FieldRef]

    def sides(self) -> tuple[float, float] | None:
        left = [amount(r) for r in self.lhs]
        right = [amount(r) for r in self.rhs]
        if any(v is None for v in left + right):
            return None
        return sum(v for v in left if v is not None), sum(v for v in right if v is not None)

    def refs(self) -> list[FieldRef]:
        return self.lhs + self.rhs

    def rounding_terms(self) -> int:
        """How many rounded figures may open a gap: a sum's parts; for a tie, the printed figures beyond
        the two printings of one quantity (which are rounded alike)."""
        if self.check == "sum":
            return len(self.rhs)
        return max(sum(1 for rec, name in self.refs() if name in rec.fields) - 2, 0)


def _printed(ref: FieldRef) -> bool:
    return ref[1] in ref[0].fields


def build_constraints(index: RecordIndex) -> list[Constraint]:
    """Every constraint, scope by scope: a document's 单位 table is summed and tied with its own kind."""
    from extractor.validate.outline import outline_constraints

    out: list[Constraint] = []
    for scope in index.scopes():
        for c in _constraints_of(index.within(scope)):
            if scope:
                c.name = f"{scope}|{c.name}"
            out.append(c)
    out.extend(outline_constraints(index))
    return out


def _constraints_of(index: RecordIndex) -> list[Constraint]:
    out: list[Constraint] = []
    for kind in SPECS:
        out.extend(_coded_table(index, kind, checked_columns(kind), checked_identities(kind)))
    out.extend(_two_sided(index))
    out.extend(_three_public(index))
    out.extend(_carryover(index))
    out.extend(_self_evaluation(index))
    out.extend(_targets(index))
    out.extend(_narrative(index))
    out.extend(_ties(index))
    return [c for c in out if any(_printed(r) for r in c.lhs)]


def _coded_table(
    index: RecordIndex,
    kind: str,
    columns: tuple[str, ...],
    identities: tuple[tuple[str, tuple[str, ...]], ...],
) -> list[Constraint]:
    out: list[Constraint] = []
    records = index.of_kind(kind)
    if not records:
        return out
    children = index.children(kind)

    def expand(rec: Record, col: str) -> list[FieldRef]:
        """A row that leaves a column blank while its children fill it stands for their sum."""
        kids = children.get(rec.key, [])
        if col in rec.fields or not any(col in k.fields or k.key in children for k in kids):
            return [(rec, col)]
        return [ref for k in kids for ref in expand(k, col)]

    for parent_code, kids in children.items():
        parent = index.get(kind, parent_code)
        assert parent is not None
        for col in columns:
            if not (col in parent.fields or any(col in k.fields for k in kids)):
                continue
            out.append(Constraint("sum", f"{kind}:children:{parent_code}:{col}", f"Σ{parent_code}",
                                  [(parent, col)], [r for k in kids for r in expand(k, col)]))  # fmt: skip
    total = index.get(kind, TOTAL_KEY)
    top = index.top_rows(kind)
    if total is not None and top:
        for col in columns:
            if col in total.fields or any(col in t.fields for t in top):
                out.append(Constraint("sum", f"{kind}:total:{col}", "Σ合计", [(total, col)],
                                      [r for t in top for r in expand(t, col)]))  # fmt: skip
    parts = dict(identities)

    def row_expand(rec: Record, col: str) -> list[str]:
        """A blank subtotal column (小计) whose parts the row fills stands for their sum."""
        if col in rec.fields or col not in parts or not any(c in rec.fields for c in parts[col]):
            return [col]
        return [c for part in parts[col] for c in row_expand(rec, part)]

    # an identity is checked only where the table prints one of its parts somewhere (a table with a single
    # 金额 column has no 基本/项目 to add up)
    printed_columns = {(r.segment_index, c) for r in records for c in r.fields}
    for rec in records:
        for lhs, rhs in identities:
            if not any((rec.segment_index, c) in printed_columns for c in rhs):
                continue
            if lhs in rec.fields or any(c in rec.fields for c in rhs):
                cols = [c for part in rhs for c in row_expand(rec, part)]
                out.append(Constraint("sum", f"{kind}:row:{rec.key}:{lhs}", "row",
                                      [(rec, lhs)], [(rec, c) for c in cols]))  # fmt: skip
    return out


def _two_sided(index: RecordIndex) -> list[Constraint]:
    out: list[Constraint] = []
    grand = index.get("income_summary", "收入总计")
    this_year = index.get("income_summary", "本年收入")
    carried = index.get("income_summary", "上年结转结余")
    if grand is not None and this_year is not None:
        rhs = [(this_year, "amount")] + ([(carried, "amount")] if carried is not None else [])
        out.append(Constraint("sum", "income_summary:grand_total", "收入总计", [(grand, "amount")], rhs))
    spend_total = index.get("expenditure_summary", TOTAL_KEY)
    this_year_spend = index.get("expenditure_summary", "subtotal")  # 本年支出合计 where it is printed
    spending = index.of_kind("expenditure_summary")
    classes = [r for r in spending if r.key.isdigit()]
    class_total = this_year_spend or spend_total
    if class_total is not None and classes:
        out.append(Constraint("sum", "expenditure_summary:total", "Σ支出", [(class_total, "amount")],
                              [(r, "amount") for r in classes]))  # fmt: skip
    if grand is not None and spend_total is not None:
        out.append(Constraint("sum", "income_summary:balance", "收入=支出", [(grand, "amount")],
                              [(spend_total, "amount")]))  # fmt: skip
    fiscal = index.of_kind("fiscal_appropriation_summary")
    ftotal = index.get("fiscal_appropriation_summary", TOTAL_KEY)
    fclasses = [r for r in fiscal if r.key.isdigit()]
    if ftotal is not None and fclasses:
        for col in ("total", "general_budget", "gov_fund", "state_capital"):
            if col in ftotal.fields or any(col in r.fields for r in fclasses):
                out.append(Constraint("sum", f"fiscal_appropriation_summary:total:{col}", "Σ合计",
                                      [(ftotal, col)], [(r, col) for r in fclasses]))  # fmt: skip
    # 合计 = 一般公共预算 + 政府性基金 + 国有资本 only where the table prints those columns (Jiangsu's prints one)
    parts = ("general_budget", "gov_fund", "state_capital")
    if any(c in r.fields for r in fiscal for c in parts):
        for r in fclasses + ([ftotal] if ftotal else []):
            out.append(Constraint("sum", f"fiscal_appropriation_summary:row:{r.key}", "row", [(r, "total")],
                                  [(r, c) for c in parts]))  # fmt: skip
    fin = index.get("fiscal_appropriation_summary", "income:收入总计")
    if fin is not None and ftotal is not None:
        out.append(Constraint("sum", "fiscal_appropriation_summary:balance", "收入=支出", [(fin, "total")],
                              [(ftotal, "total")]))  # fmt: skip
    return out


def _three_public(index: RecordIndex) -> list[Constraint]:
    rec = index.get("three_public_expenses", "")
    if rec is None:
        return []
    meeting = index.get("meeting_training_expenses", "")
    if meeting is not None and "grand_total" in meeting.fields:
        # 合计 of a “三公”经费、会议费、培训费 table = 三公 + 会议费 + 培训费
        parts = [(rec, "total"), (meeting, "meeting"), (meeting, "training")]
        return [Constraint("sum", "meeting_training_expenses:grand_total", "合计=三公+会议+培训",
                           [(meeting, "grand_total")], parts), *_three_public_parts(rec)]  # fmt: skip
    return _three_public_parts(rec)


def _three_public_parts(rec: Record) -> list[Constraint]:
    return [
        Constraint("sum", "three_public_expenses:total", "三公合计", [(rec, "total")],
                   [(rec, "overseas_travel"), (rec, "reception"), (rec, "vehicles_total")]),
        Constraint("sum", "three_public_expenses:vehicles", "公务用车", [(rec, "vehicles_total")],
                   [(rec, "vehicle_purchase"), (rec, "vehicle_operation")]),
    ]  # fmt: skip


def _carryover(index: RecordIndex) -> list[Constraint]:
    out: list[Constraint] = []
    for r in index.of_kind("carryover"):
        if "total" not in r.fields:
            continue
        out.append(Constraint("sum", f"carryover:row:{r.key}", "row", [(r, "total")],
                              [(r, "fiscal_total"), (r, "nonfiscal_total")]))  # fmt: skip
        out.append(
            Constraint(
                "sum",
                f"carryover:fiscal:{r.key}",
                "row",
                [(r, "fiscal_total")],
                [(r, c) for c in ("fiscal_basic_personnel", "fiscal_basic_public", "fiscal_project")],
            )
        )
    return out


def _self_evaluation(index: RecordIndex) -> list[Constraint]:
    out: list[Constraint] = []
    indicators = index.of_kind("self_evaluation_indicator")
    for proj in index.of_kind("performance_self_evaluation"):
        if "total_score" not in proj.fields:
            continue
        mine = [i for i in indicators if i.key.split("/", 1)[0] == proj.key and "score" in i.fields]
        if not mine:
            continue
        rhs = ([(proj, "score")] if "score" in proj.fields else []) + [(i, "score") for i in mine]
        out.append(Constraint("sum", f"performance_self_evaluation:score:{proj.key}", "总分=Σ得分",
                              [(proj, "total_score")], rhs))  # fmt: skip
    return out


def _targets(index: RecordIndex) -> list[Constraint]:
    out: list[Constraint] = []
    for t in index.of_kind("performance_target"):
        if "budget_total" in t.fields and ("budget_fiscal" in t.fields or "budget_other" in t.fields):
            out.append(Constraint("sum", f"performance_target:budget:{t.key}", "总额=财政+其他",
                                  [(t, "budget_total")], [(t, "budget_fiscal"), (t, "budget_other")]))  # fmt: skip
    return out


def _narrative(index: RecordIndex) -> list[Constraint]:
    """政府采购预算总额 = 货物 + 工程 + 服务 (the 说明 states the total and its parts)."""
    facts = index.get("narrative_facts", "")
    parts = ("procurement_goods", "procurement_works", "procurement_services")
    if facts is None or "procurement_total" not in facts.fields or not any(p in facts.fields for p in parts):
        return []
    return [Constraint("sum", "narrative_facts:procurement", "采购=货物+工程+服务",
                       [(facts, "procurement_total")], [(facts, p) for p in parts])]  # fmt: skip


def _tie(name: str, a: FieldRef | None, b: FieldRef | None) -> list[Constraint]:
    if a is None or b is None or not _printed(a) or not _printed(b):
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


def _general_budget_income(index: RecordIndex) -> FieldRef | None:
    return _income_item(index, "income_summary", "一般公共预算")


def _ties(index: RecordIndex) -> list[Constraint]:
    out: list[Constraint] = []

    def r(kind: str, key: str, col: str) -> FieldRef | None:
        return _ref(index, kind, key, col)

    grand = r("income_summary", "收入总计", "amount")
    if _income_holds_all(index):
        out += _tie("tie:表1=表2", grand, r("income_by_function", TOTAL_KEY, "total"))
    out += _tie("tie:表1=表3", grand, r("expenditure_by_function", TOTAL_KEY, "total"))
    out += _tie("tie:说明=表1", r("narrative_facts", "", "total_budget"), grand)
    out += _tie("tie:说明基本=表3", r("narrative_facts", "", "basic_expenditure"),
                r("expenditure_by_function", TOTAL_KEY, "basic"))  # fmt: skip
    out += _tie("tie:说明项目=表3", r("narrative_facts", "", "project_expenditure"),
                r("expenditure_by_function", TOTAL_KEY, "project"))  # fmt: skip
    out += _tie(
        "tie:三公=说明",
        r("three_public_expenses", "", "total"),
        r("narrative_facts", "", "three_public_total"),
    )
    out += _tie("tie:表5基本=表6", r("general_budget_expenditure", TOTAL_KEY, "basic"),
                r("basic_expenditure_by_economic", TOTAL_KEY, "total"))  # fmt: skip
    out += _tie("tie:表5项目=表7", r("general_budget_expenditure", TOTAL_KEY, "project"),
                r("project_expenditure", TOTAL_KEY, "total"))  # fmt: skip
    out += _tie("tie:表4=表5", r("fiscal_appropriation_summary", TOTAL_KEY, "general_budget"),
                r("general_budget_expenditure", TOTAL_KEY, "total"))  # fmt: skip
    # 表1's 一般公共预算拨款 is 表4's income 一般公共预算 and 表5's 合计 (all of this year's general budget money)
    general = _general_budget_income(index)
    out += _tie("tie:表1一般公共预算=表4", general, _income_item(index, "fiscal_appropriation_summary", "一般公共预算"))
    out += _tie("tie:表1一般公共预算=表5", general, r("general_budget_expenditure", TOTAL_KEY, "total"))
    income_total = index.get("income_by_function", TOTAL_KEY)
    if general is not None and income_total is not None and "general_budget" in income_total.fields:
        # 表2 splits it into 一般公共预算 and 上级一般公共预算安排的转移支付
        parts = [(income_total, c) for c in ("general_budget", "general_budget_transfer")]
        out.append(Constraint("tie", "tie:表1一般公共预算=表2", f"={income_total.address('general_budget')}",
                              [general], parts))  # fmt: skip
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
        if rec.key.isdigit() and target is not None and "general_budget" in rec.fields and "total" in target.fields:
            # 表2's general budget money of a row (with transfers from above) is what 表5 spends on it
            parts = [(rec, c) for c in ("general_budget", "general_budget_transfer")]
            out.append(Constraint("tie", f"tie:表2=表5:{rec.key}", f"={target.address('total')}",
                                  parts, [(target, "total")]))  # fmt: skip
    for rec in index.of_kind("fiscal_appropriation_summary"):
        if rec.key.isdigit():
            out += _class_tie(index, f"tie:表4=表5:{rec.key}", (rec, "general_budget"),
                              "general_budget_expenditure", rec.key, "total")  # fmt: skip
    return out


def _income_holds_all(index: RecordIndex) -> bool:
    """Whether 表2 (income by function) can equal 表1's 总计 and 表3: it prints the carry-overs as columns, or
    there is no carry-over to print (表1 states none). 西南大学's 收入预算表 leaves 上年结转 out by design."""
    income = index.of_kind("income_by_function")
    if any(c in r.fields for r in income for c in ("fiscal_carryover", "nonfiscal_carryover")):
        return True
    for r in index.of_kind("income_summary"):
        amount_fv = r.fields.get("amount")
        if ("结转" in r.key or "结余" in r.key) and amount_fv is not None and amount_fv.value not in (0, 0.0, None):
            return False
    return True


def _class_tie(
    index: RecordIndex, name: str, a: FieldRef, kind: str, code: str, col: str
) -> list[Constraint]:
    if not _printed(a):
        return []
    value, refs = index.class_amount(kind, code, col)
    if value is None or not refs:
        return []
    return [Constraint("tie", name, f"={kind}/{code}/{col}", [a], refs)]
