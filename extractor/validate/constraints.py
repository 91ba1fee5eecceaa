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
from schemas.labels import BUDGET_PURPOSES

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


def printed(ref: FieldRef) -> bool:
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
    from extractor.validate.procurement import procurement_sums
    from extractor.validate.ties import ties

    out: list[Constraint] = []
    for kind in SPECS:
        out.extend(_coded_table(index, kind, checked_columns(kind), checked_identities(kind)))
    out.extend(_two_sided(index))
    out.extend(_three_public(index))
    out.extend(_carryover(index))
    out.extend(_self_evaluation(index))
    out.extend(_targets(index))
    out.extend(_narrative(index))
    out.extend(ties(index))
    out.extend(procurement_sums(index))
    return [c for c in out if any(printed(r) for r in c.lhs)]


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
            out.append(
                Constraint(
                    "sum",
                    f"{kind}:children:{parent_code}:{col}",
                    f"Σ{parent_code}",
                    [(parent, col)],
                    [r for k in kids for r in expand(k, col)],
                )
            )
    total = index.get(kind, TOTAL_KEY)
    top = index.top_rows(kind)
    if total is not None and top:
        for col in columns:
            if col in total.fields or any(col in t.fields for t in top):
                out.append(
                    Constraint(
                        "sum",
                        f"{kind}:total:{col}",
                        "Σ合计",
                        [(total, col)],
                        [r for t in top for r in expand(t, col)],
                    )
                )
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
                out.append(
                    Constraint(
                        "sum", f"{kind}:row:{rec.key}:{lhs}", "row", [(rec, lhs)], [(rec, c) for c in cols]
                    )
                )
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
        out.append(
            Constraint(
                "sum",
                "expenditure_summary:total",
                "Σ支出",
                [(class_total, "amount")],
                [(r, "amount") for r in classes],
            )
        )
    if grand is not None and spend_total is not None:
        out.append(
            Constraint(
                "sum", "income_summary:balance", "收入=支出", [(grand, "amount")], [(spend_total, "amount")]
            )
        )
    purposes = [r for r in index.of_kind("expenditure_by_purpose") if r.key != TOTAL_KEY]
    if (
        class_total is not None and purposes
    ):  # Jiangsu's 支出用途 side: 基本 + 项目 + 预留 = this year's spending
        out.append(
            Constraint(
                "sum",
                "expenditure_by_purpose:total",
                "Σ支出用途",
                [(class_total, "amount")],
                [(r, "amount") for r in purposes],
            )
        )
    fiscal = index.of_kind("fiscal_appropriation_summary")
    ftotal = index.get("fiscal_appropriation_summary", TOTAL_KEY)
    fpurposes = [r for r in fiscal if r.key in BUDGET_PURPOSES]
    if ftotal is not None and fpurposes:
        out.append(
            Constraint(
                "sum",
                "fiscal_appropriation_summary:purposes",
                "Σ支出用途",
                [(ftotal, "total")],
                [(r, "total") for r in fpurposes],
            )
        )
    fclasses = [r for r in fiscal if r.key.isdigit()]
    if ftotal is not None and fclasses:
        for col in ("total", "general_budget", "gov_fund", "state_capital"):
            if col in ftotal.fields or any(col in r.fields for r in fclasses):
                out.append(
                    Constraint(
                        "sum",
                        f"fiscal_appropriation_summary:total:{col}",
                        "Σ合计",
                        [(ftotal, col)],
                        [(r, col) for r in fclasses],
                    )
                )
    # 合计 = 一般公共预算 + 政府性基金 + 国有资本 only where the table prints those columns (Jiangsu's prints one)
    parts = ("general_budget", "gov_fund", "state_capital")
    if any(c in r.fields for r in fiscal for c in parts):
        for r in fclasses + ([ftotal] if ftotal else []):
            out.append(
                Constraint(
                    "sum",
                    f"fiscal_appropriation_summary:row:{r.key}",
                    "row",
                    [(r, "total")],
                    [(r, c) for c in parts],
                )
            )
    fin = index.get("fiscal_appropriation_summary", "income:收入总计")
    if fin is not None and ftotal is not None:
        out.append(
            Constraint(
                "sum",
                "fiscal_appropriation_summary:balance",
                "收入=支出",
                [(fin, "total")],
                [(ftotal, "total")],
            )
        )
    return out


def _three_public(index: RecordIndex) -> list[Constraint]:
    rec = index.get("three_public_expenses", "")
    if rec is None:
        return []
    meeting = index.get("meeting_training_expenses", "")
    if meeting is not None and "grand_total" in meeting.fields:
        # 合计 of a “三公”经费、会议费、培训费 table = 三公 + 会议费 + 培训费
        parts = [(rec, "total"), (meeting, "meeting"), (meeting, "training")]
        return [
            Constraint(
                "sum",
                "meeting_training_expenses:grand_total",
                "合计=三公+会议+培训",
                [(meeting, "grand_total")],
                parts,
            ),
            *_three_public_parts(rec),
        ]
    return _three_public_parts(rec)


def _three_public_parts(rec: Record) -> list[Constraint]:
    return [
        Constraint(
            "sum",
            "three_public_expenses:total",
            "三公合计",
            [(rec, "total")],
            [(rec, "overseas_travel"), (rec, "reception"), (rec, "vehicles_total")],
        ),
        Constraint(
            "sum",
            "three_public_expenses:vehicles",
            "公务用车",
            [(rec, "vehicles_total")],
            [(rec, "vehicle_purchase"), (rec, "vehicle_operation")],
        ),
    ]


def _carryover(index: RecordIndex) -> list[Constraint]:
    out: list[Constraint] = []
    for r in index.of_kind("carryover"):
        if "total" not in r.fields:
            continue
        out.append(
            Constraint(
                "sum",
                f"carryover:row:{r.key}",
                "row",
                [(r, "total")],
                [(r, "fiscal_total"), (r, "nonfiscal_total")],
            )
        )
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
        out.append(
            Constraint(
                "sum",
                f"performance_self_evaluation:score:{proj.key}",
                "总分=Σ得分",
                [(proj, "total_score")],
                rhs,
            )
        )
    return out


def _targets(index: RecordIndex) -> list[Constraint]:
    out: list[Constraint] = []
    for t in index.of_kind("performance_target"):
        if "budget_total" in t.fields and ("budget_fiscal" in t.fields or "budget_other" in t.fields):
            out.append(
                Constraint(
                    "sum",
                    f"performance_target:budget:{t.key}",
                    "总额=财政+其他",
                    [(t, "budget_total")],
                    [(t, "budget_fiscal"), (t, "budget_other")],
                )
            )
    return out


def _narrative(index: RecordIndex) -> list[Constraint]:
    """政府采购预算总额 = 货物 + 工程 + 服务 (the 说明 states the total and its parts)."""
    facts = index.get("narrative_facts", "")
    parts = ("procurement_goods", "procurement_works", "procurement_services")
    if facts is None or "procurement_total" not in facts.fields or not any(p in facts.fields for p in parts):
        return []
    return [
        Constraint(
            "sum",
            "narrative_facts:procurement",
            "采购=货物+工程+服务",
            [(facts, "procurement_total")],
            [(facts, p) for p in parts],
        )
    ]
