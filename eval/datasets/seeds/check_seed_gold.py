"""Check the budget gold of the seed documents: every sum the documents imply, the ties between their
tables and their 情况说明, and that every span reads as its value.

    .venv/bin/python eval/datasets/seeds/check_seed_gold.py [-v] [stem ...]

A sum holds when the printed values agree within 0.005 (the tables print 0.01). Where they do not,
the check still passes only if the document's own contradiction is recorded on one of the fields
taking part: an `intended` value (with its note) that makes the sum hold, or, for a gap of one unit of
the last printed digit, a note saying it is a rounding gap. Anything else is a failure: a gold number
typed wrong, a row missing, a number in the wrong column.

Blank cells are not gold fields. A blank subtotal stands for the sum of the items under it (000's
表1 prints 其他收入 46 under a blank 5.单位资金), so a parent is only checked where it is printed.
"""

from __future__ import annotations

import json
import math
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.coded import PROJECT_COLUMNS

HERE = Path(__file__).resolve().parent
SEEDS = HERE
STEMS = ("000_335c3f7f451f52b5", "001_bf78897304f03bf2", "004_7078add5d4f01a7a")
TOL = 0.005
ROUNDING = 0.0101  # one unit of the last printed digit (0.01), for gaps marked as rounding

# the budget kinds this part of the gold covers (the performance kinds are another part)
BUDGET_KINDS = frozenset(
    {
        "document",
        "department_profile",
        "income_summary",
        "expenditure_summary",
        "income_by_function",
        "expenditure_by_function",
        "fiscal_appropriation_summary",
        "general_budget_expenditure",
        "basic_expenditure_by_economic",
        "project_expenditure",
        "gov_fund_expenditure",
        "state_capital_expenditure",
        "three_public_expenses",
        "carryover",
        "narrative_facts",
    }
)
CODED = (
    "income_by_function",
    "expenditure_by_function",
    "general_budget_expenditure",
    "basic_expenditure_by_economic",
    "project_expenditure",
    "gov_fund_expenditure",
    "state_capital_expenditure",
    "fiscal_appropriation_summary",
)
TEXT_FIELDS = {"name", "project_name", "unit_name", "doc_type", "money_unit"}
ECONOMIC = PROJECT_COLUMNS[1:]  # the ten 经济分类 classes a 项目支出 row is split into
FISCAL_PARTS = (
    "general_budget",
    "general_budget_transfer",
    "gov_fund",
    "gov_fund_transfer",
    "state_capital",
    "state_capital_transfer",
)

# 表1's income side: each printed subtotal is the sum of the items printed under it. Labels are the
# gold keys (item label without its numbering; a repeated label prefixed with its section).
INCOME_TREE: dict[str, tuple[str, ...]] = {
    "收入总计": ("本年收入", "上年结转结余"),
    "本年收入": (
        "一般公共预算拨款",
        "基金预算拨款",
        "政府性基金预算拨款",
        "国有资本经营预算拨款",
        "财政专户核拨",
        "单位资金",
    ),
    "一般公共预算拨款": ("一般财力", "上级一般公共预算安排转移支付"),
    "基金预算拨款": ("政府性基金收入", "上级政府性基金安排转移支付"),
    "国有资本经营预算拨款": ("国有资本经营收入", "上级国有资本经营预算安排转移支付"),
    "单位资金": ("事业收入", "上级补助收入", "附属单位上缴收入", "事业单位经营收入", "其他收入"),
    "上年结转结余": ("财政拨款结转", "非财政拨款结转结余", "非财政拨款结余"),
    "财政拨款结转": (
        "上年结转结余/一般公共预算拨款",
        "上年结转结余/基金预算拨款",
        "上年结转结余/政府性基金预算拨款",
        "上年结转结余/国有资本经营预算拨款",
    ),
    "非财政拨款结转结余": ("上年结转结余/财政专户核拨", "上年结转结余/单位资金"),
}
FISCAL_INCOME_TREE: dict[str, tuple[str, ...]] = {
    "income:收入总计": ("income:财政拨款（补助）",),
    "income:财政拨款（补助）": ("income:一般公共预算", "income:政府性基金预算", "income:国有资本经营预算"),
}
# labels a PDF cut off, by the label they stand for (004 表4 prints `一、财政拨款（补`)
KEY_ALIASES = {"income:财政拨款（补": "income:财政拨款（补助）"}
# rows every 表1 / 表4 of this template prints with an amount (cut-off labels read via KEY_ALIASES)
REQUIRED_ROWS: dict[str, tuple[str, ...]] = {
    "income_summary": ("本年收入", "一般公共预算拨款", "收入总计"),
    "expenditure_summary": ("total",),
    "fiscal_appropriation_summary": (
        "income:财政拨款（补助）",
        "income:一般公共预算",
        "income:收入总计",
        "total",
    ),
}
# 表11 of 001: 总计 = the unit's row = its projects (the only carry-over table with rows)
CARRYOVER_TREE: dict[str, dict[str, tuple[str, ...]]] = {
    "001_bf78897304f03bf2": {
        "total": ("乌鲁木齐市市场监督管理局",),
        "乌鲁木齐市市场监督管理局": (
            "2023年食品药品监管补助资金",
            "2022年度“忠诚担当好班子”奖金项目",
            "2023年下半年工作经费",
            "2023年食品药品中央补助资金",
            "2023年自治区药品专项补助资金",
            "2023年宣传文化事业费（新时代文明建设）",
            "2023年替代工作经费",
            "市场秩序执法",
            "质量安全监管",
            "物业管理费项目",
        ),
    }
}


@dataclass
class Term:
    address: str
    printed: float
    effective: float
    intended: bool
    rounding_note: bool


@dataclass
class Result:
    check: str
    ok: bool
    how: str  # "holds" | "contradiction marked" | "rounding gap marked" | "FAILS"
    terms: list[Term] = field(default_factory=list)
    detail: str = ""

    def line(self) -> str:
        return f"[{self.how}] {self.check}{(': ' + self.detail) if self.detail else ''}"


def _num(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return None
    return float(x)


class Book:
    """One document's budget gold, indexed by (kind, key)."""

    def __init__(self, stem: str, records: list[dict[str, Any]], text: str) -> None:
        self.stem = stem
        self.text = text
        self.records = [r for r in records if r["kind"] in BUDGET_KINDS]
        self.by: dict[tuple[str, str], dict[str, Any]] = {}
        for r in self.records:
            self.by[(r["kind"], r["key"])] = r
        for cut, full in KEY_ALIASES.items():  # checks read a cut-off label under its full name
            for kind in ("income_summary", "fiscal_appropriation_summary"):
                if (kind, cut) in self.by and (kind, full) not in self.by:
                    self.by[(kind, full)] = self.by[(kind, cut)]
        self.results: list[Result] = []
        self._coded: dict[str, list[str]] = {}
        self._parent: dict[tuple[str, str], str | None] = {}

    # ---- values ---------------------------------------------------------------------------------

    def entry(self, kind: str, key: str, name: str) -> dict[str, Any] | None:
        rec = self.by.get((kind, key))
        if rec is None:
            return None
        e = rec["fields"].get(name)
        return e if isinstance(e, dict) and _num(e.get("value")) is not None else None

    def term(self, kind: str, key: str, name: str) -> Term | None:
        e = self.entry(kind, key, name)
        if e is None:
            return None
        printed = float(e["value"])
        eff = _num(e.get("intended"))
        return Term(
            f"{kind}/{key}/{name}",
            printed,
            printed if eff is None else eff,
            "intended" in e,
            "rounding" in str(e.get("note", "")).lower(),
        )

    def keys(self, kind: str) -> list[str]:
        return [r["key"] for r in self.records if r["kind"] == kind]

    # ---- coded hierarchy --------------------------------------------------------------------------

    @staticmethod
    def code(key: str) -> str | None:
        c = key.split("/", 1)[0]
        return c if re.fullmatch(r"\d{3}(\d{2}){0,2}", c) else None

    def coded_rows(self, kind: str) -> list[str]:
        if kind not in self._coded:
            self._coded[kind] = [k for k in self.keys(kind) if self.code(k) is not None]
        return self._coded[kind]

    def parent_of(self, kind: str, key: str) -> str | None:
        """The nearest printed row above `key` (its 款, else its 类), else the table's total."""
        if (kind, key) in self._parent:
            return self._parent[(kind, key)]
        c = self.code(key)
        assert c is not None
        codes = {self.code(k): k for k in self.coded_rows(kind) if "/" not in k}
        parent: str | None = "total" if (kind, "total") in self.by else None
        if "/" in key and c in codes:  # a project under a printed row of its own code
            parent = codes[c]
        else:
            for n in (5, 3):
                if len(c) > n and c[:n] in codes:
                    parent = codes[c[:n]]
                    break
        self._parent[(kind, key)] = parent
        return parent

    def children(self, kind: str, key: str) -> list[str]:
        return [k for k in self.coded_rows(kind) if k != key and self.parent_of(kind, k) == key]

    def node(self, kind: str, key: str, name: str) -> list[Term]:
        """The terms that make up a cell: itself if printed, else the cells under it."""
        t = self.term(kind, key, name)
        if t is not None:
            return [t]
        out: list[Term] = []
        for k in self.children(kind, key) if (kind, key) in self.by or key == "total" else []:
            out += self.node(kind, k, name)
        return out

    def class_node(self, kind: str, cls: str, name: str) -> list[Term]:
        """A 类 of a table that may print only its 项 rows (004)."""
        if (kind, cls) in self.by:
            return self.node(kind, cls, name)
        out: list[Term] = []
        for k in self.coded_rows(kind):
            if k.startswith(cls) and self.parent_of(kind, k) == "total":
                out += self.node(kind, k, name)
        return out

    # ---- checks -----------------------------------------------------------------------------------

    def equal(self, check: str, left: list[Term], right: list[Term], *, need_both: bool = True) -> None:
        """Σ left = Σ right (printed values; effective values where the document contradicts itself)."""
        if need_both and (not left or not right):
            return
        if not left and not right:
            return
        lp, rp = sum(t.printed for t in left), sum(t.printed for t in right)
        le, re_ = sum(t.effective for t in left), sum(t.effective for t in right)
        terms = left + right
        gap, egap = lp - rp, le - re_
        detail = f"{lp:.2f} vs {rp:.2f}"
        intended = any(t.intended for t in terms)
        if abs(gap) <= TOL + 1e-9 and (not intended or abs(egap) <= TOL + 1e-9):
            res = Result(check, True, "holds", terms)
        elif abs(egap) <= TOL + 1e-9 and intended:
            res = Result(check, True, "contradiction marked", terms, detail + f" (intended {le:.2f})")
        elif abs(egap) <= ROUNDING and any(t.rounding_note for t in terms):
            res = Result(check, True, "rounding gap marked", terms, detail)
        else:
            res = Result(check, False, "FAILS", terms, detail + f", effective {le:.2f} vs {re_:.2f}")
        self.results.append(res)

    def sum_rows(self, check: str, parent: Term | None, children: list[Term]) -> None:
        if parent is None or not children:  # nothing printed under it (a leaf of the template)
            return
        self.equal(check, [parent], children, need_both=False)

    def check_hierarchies(self) -> None:
        for kind in CODED:
            keys = self.keys(kind)
            if not keys:
                continue
            names = sorted(
                {n for k in keys for n, e in self.by[(kind, k)]["fields"].items() if self.entry(kind, k, n)}
            )
            parents = {self.parent_of(kind, k) for k in self.coded_rows(kind)} - {None}
            for p in sorted(parents, key=str):
                kids = self.children(kind, p)  # type: ignore[arg-type]
                for n in names:
                    below: list[Term] = []
                    for k in kids:
                        below += self.node(kind, k, n)
                    parent = self.term(kind, p, n)  # type: ignore[arg-type]
                    if parent is not None:  # the rows under it exist, so nothing printed there means 0
                        self.equal(f"{kind}/{p}/{n} = Σ rows under it", [parent], below, need_both=False)

    def identity(self, kind: str, lhs: str, rhs: Iterable[str], *, label: str = "") -> None:
        for key in self.keys(kind):
            if kind == "fiscal_appropriation_summary" and key.startswith("income:"):
                continue
            left = self.term(kind, key, lhs)
            if left is None:
                continue
            right = [t for n in rhs if (t := self.term(kind, key, n)) is not None]
            self.equal(f"{kind}/{key}: {lhs} = {label or ' + '.join(rhs)}", [left], right, need_both=False)

    def check_row_identities(self) -> None:
        for kind in (
            "expenditure_by_function",
            "general_budget_expenditure",
            "gov_fund_expenditure",
            "state_capital_expenditure",
        ):
            self.identity(kind, "total", ("basic", "project"))
        self.identity("basic_expenditure_by_economic", "total", ("personnel", "public"))
        self.identity(
            "fiscal_appropriation_summary", "total", ("general_budget", "gov_fund", "state_capital")
        )
        self.identity("project_expenditure", "total", ECONOMIC, label="Σ economic classes")
        self.identity("carryover", "total", ("fiscal_total", "nonfiscal_total"))
        self.identity(
            "carryover", "fiscal_total", ("fiscal_basic_personnel", "fiscal_basic_public", "fiscal_project")
        )
        self.identity(
            "carryover",
            "nonfiscal_total",
            ("nonfiscal_basic_personnel", "nonfiscal_basic_public", "nonfiscal_project"),
        )
        self.identity("income_by_function", "fiscal_subtotal", FISCAL_PARTS, label="Σ fiscal columns")
        kind = "income_by_function"
        for key in self.keys(kind):
            left = self.term(kind, key, "total")
            if left is None:
                continue
            sub = self.term(kind, key, "fiscal_subtotal")
            fiscal = [sub] if sub else [t for n in FISCAL_PARTS if (t := self.term(kind, key, n))]
            rest = [
                t
                for n in ("special_account", "unit_funds", "fiscal_carryover", "nonfiscal_carryover")
                if (t := self.term(kind, key, n))
            ]
            self.equal(
                f"{kind}/{key}: total = 财政拨款 + 专户 + 单位资金 + 结转",
                [left],
                fiscal + rest,
                need_both=False,
            )
        tp = "three_public_expenses"
        self.identity(tp, "total", ("overseas_travel", "reception", "vehicles_total"))
        self.identity(tp, "vehicles_total", ("vehicle_purchase", "vehicle_operation"))
        self.identity("department_profile", "actual_staff", ("in_service", "retired", "retired_cadres"))
        self.identity(
            "narrative_facts",
            "procurement_total",
            ("procurement_goods", "procurement_works", "procurement_services"),
        )

    def check_labelled_trees(self) -> None:
        for kind, tree in (
            ("income_summary", INCOME_TREE),
            ("fiscal_appropriation_summary", FISCAL_INCOME_TREE),
        ):
            name = "amount" if kind == "income_summary" else "total"

            def node(
                key: str, kind: str = kind, tree: dict[str, tuple[str, ...]] = tree, name: str = name
            ) -> list[Term]:
                t = self.term(kind, key, name)
                if t is not None:
                    return [t]
                out: list[Term] = []
                for k in tree.get(key, ()):
                    out += node(k)
                return out

            for parent, kids in tree.items():
                below = [t for k in kids for t in node(k)]
                self.sum_rows(
                    f"{kind}/{parent}/{name} = Σ items under it", self.term(kind, parent, name), below
                )
        for parent, kids in CARRYOVER_TREE.get(self.stem, {}).items():
            for n in (
                "total",
                "fiscal_total",
                "fiscal_project",
                "fiscal_basic_personnel",
                "fiscal_basic_public",
                "nonfiscal_total",
            ):
                below = [t for k in kids if (t := self.term("carryover", k, n))]
                self.sum_rows(
                    f"carryover/{parent}/{n} = Σ rows under it", self.term("carryover", parent, n), below
                )

    def t(self, kind: str, key: str, name: str) -> list[Term]:
        x = self.term(kind, key, name)
        return [x] if x else []

    def check_ties(self) -> None:
        ibf, ebf, gbe = "income_by_function", "expenditure_by_function", "general_budget_expenditure"
        bee, pe, fas = "basic_expenditure_by_economic", "project_expenditure", "fiscal_appropriation_summary"
        inc, exp, nf = "income_summary", "expenditure_summary", "narrative_facts"
        t = self.t
        grand = t(inc, "收入总计", "amount")
        self.equal("表1 收入总计 = 表1 支出总计", grand, t(exp, "total", "amount"))
        self.equal("表1 支出总计 = 表2 总计", t(exp, "total", "amount"), t(ibf, "total", "total"))
        self.equal("表1 支出总计 = 表3 总计", t(exp, "total", "amount"), t(ebf, "total", "total"))
        for key in self.keys(exp):
            if key != "total":
                self.equal(
                    f"表1 {key} = 表3 {key}", t(exp, key, "amount"), self.class_node(ebf, key, "total")
                )
                self.equal(
                    f"表1 {key} = 表2 {key}", t(exp, key, "amount"), self.class_node(ibf, key, "total")
                )
        gb_income = t(inc, "一般公共预算拨款", "amount")
        ibf_gb = t(ibf, "total", "general_budget") + t(ibf, "total", "general_budget_transfer")
        self.equal("表1 一般公共预算拨款 = 表2 总计 一般公共预算 (+ 上级转移支付)", gb_income, ibf_gb)
        self.equal(
            "表1 一般公共预算拨款 = 表4 一般公共预算", gb_income, t(fas, "income:一般公共预算", "total")
        )
        self.equal("表1 一般公共预算拨款 = 表5 合计", gb_income, t(gbe, "total", "total"))
        self.equal(
            "表4 收入总计 = 表4 支出总计", t(fas, "income:收入总计", "total"), t(fas, "total", "total")
        )
        self.equal(
            "表4 支出 一般公共预算 = 表5 合计", t(fas, "total", "general_budget"), t(gbe, "total", "total")
        )
        for key in self.keys(fas):
            if self.code(key):
                self.equal(
                    f"表4 {key} = 表5 {key}",
                    t(fas, key, "general_budget"),
                    self.class_node(gbe, key, "total"),
                )
        self.equal(
            "表1 上年结转结余 = 表2 总计 结转 columns",
            t(inc, "上年结转结余", "amount"),
            t(ibf, "total", "fiscal_carryover") + t(ibf, "total", "nonfiscal_carryover"),
        )
        for key in self.coded_rows(ibf):
            self.equal(f"表2 {key} 总计 = 表3 {key} 合计", t(ibf, key, "total"), t(ebf, key, "total"))
            gb = t(ibf, key, "general_budget") + t(ibf, key, "general_budget_transfer")
            self.equal(f"表2 {key} 一般公共预算 = 表5 {key} 合计", gb, t(gbe, key, "total"))
        self.equal("表5 基本支出 = 表6 合计", t(gbe, "total", "basic"), t(bee, "total", "total"))
        self.equal("表5 项目支出 = 表7 合计", t(gbe, "total", "project"), t(pe, "total", "total"))
        for key in self.coded_rows(gbe):
            if len(key) == 7:
                projects = [x for k in self.keys(pe) if k.split("/")[0] == key for x in t(pe, k, "total")]
                self.equal(f"表5 {key} 项目支出 = Σ 表7 projects of {key}", t(gbe, key, "project"), projects)
        self.equal(
            "表11 总计 = 表1 上年结转结余", t("carryover", "total", "total"), t(inc, "上年结转结余", "amount")
        )
        self.equal(
            "表11 财政拨款 = 表2 财政拨款结转",
            t("carryover", "total", "fiscal_total"),
            t(ibf, "total", "fiscal_carryover"),
        )
        # 情况说明 against the tables
        self.equal("说明 收支总预算 = 表1 收入总计", t(nf, "", "total_budget"), grand)
        self.equal("说明 基本支出 = 表3 基本支出", t(nf, "", "basic_expenditure"), t(ebf, "total", "basic"))
        self.equal(
            "说明 项目支出 = 表3 项目支出", t(nf, "", "project_expenditure"), t(ebf, "total", "project")
        )
        self.equal(
            "说明 机关运行经费 = 表6 公用经费", t(nf, "", "operating_expenses"), t(bee, "total", "public")
        )
        self.equal(
            "说明 三公 = 表10 合计", t(nf, "", "three_public_total"), t("three_public_expenses", "", "total")
        )
        for share, part in (
            ("basic_expenditure_share", "basic_expenditure"),
            ("project_expenditure_share", "project_expenditure"),
        ):
            s, p, tot = self.term(nf, "", share), self.term(nf, "", part), self.term(nf, "", "total_budget")
            if s and p and tot:
                printed_pct = round(100 * p.printed / tot.printed, 2)
                eff_pct = round(100 * p.effective / tot.effective, 2)
                computed = Term(f"100 × {part} / total_budget", printed_pct, eff_pct, False, False)
                self.equal(f"说明 {share} = 100 × {part} / 收支总预算", [s], [computed])

    def same_rows(self, check: str, left: set[str], right: set[str], *, subset: bool = False) -> None:
        if not left or not right:
            return
        extra = left - right
        missing = set() if subset else right - left
        ok = not extra and not missing
        detail = "" if ok else f"only left: {sorted(extra)}; only right: {sorted(missing)}"
        self.results.append(Result(check, ok, "holds" if ok else "FAILS", detail=detail))

    def check_total_rows(self) -> None:
        """Every coded table of these documents prints its 合计/总计 row, and 表1/表4 their standard
        summary rows (the ties hang on them; a dropped one would silently skip its ties)."""
        for kind in CODED:
            if self.coded_rows(kind):
                ok = (kind, "total") in self.by
                self.results.append(Result(f"{kind} has its 合计 row", ok, "holds" if ok else "FAILS"))
        for kind, keys in REQUIRED_ROWS.items():
            if self.keys(kind):
                for key in keys:
                    ok = (kind, key) in self.by
                    self.results.append(Result(f"{kind} has its row {key}", ok, "holds" if ok else "FAILS"))

    def check_row_sets(self) -> None:
        """Tables that list the same function rows must list the same codes (a dropped subtotal row is
        invisible to the sums, since its items roll up to the next level)."""
        codes = {k: {c for r in self.coded_rows(k) if (c := self.code(r))} for k in CODED}
        classes = {k: {c[:3] for c in v} for k, v in codes.items()}
        ibf, ebf, gbe = "income_by_function", "expenditure_by_function", "general_budget_expenditure"
        pe, fas = "project_expenditure", "fiscal_appropriation_summary"
        exp = {k for k in self.keys("expenditure_summary") if self.code(k)}
        self.same_rows("表2 and 表3 list the same function rows", codes[ibf], codes[ebf])
        self.same_rows("表5's rows are 表3 rows", codes[gbe], codes[ebf], subset=True)
        with_gb = {
            c
            for k in self.coded_rows(ibf)
            if (c := self.code(k))
            and (self.term(ibf, k, "general_budget") or self.term(ibf, k, "general_budget_transfer"))
        }
        self.same_rows("表5 lists the rows with 一般公共预算 money in 表2", codes[gbe], with_gb)
        econ = codes["basic_expenditure_by_economic"]
        self.same_rows(
            "表6 prints the 类 of every 款", {c[:3] for c in econ}, {c for c in econ if len(c) == 3}
        )
        with_project = {
            c
            for k in self.coded_rows(gbe)
            if (c := self.code(k)) and (t := self.term(gbe, k, "project")) and abs(t.printed) > TOL
        }
        self.same_rows("表7 lists the rows with 项目支出 in 表5", codes[pe], with_project)
        self.same_rows("表1's 类 are 表3's 类", exp, classes[ebf])
        self.same_rows("表4's 类 are 表5's 类", {c for c in codes[fas] if len(c) == 3}, classes[gbe])

    def check_profile(self) -> None:
        rec = self.by.get(("department_profile", ""))
        if not rec:
            return
        units = rec["fields"].get("internal_units", {}).get("value")
        count = rec["fields"].get("internal_unit_count", {}).get("value")
        if isinstance(units, list) and isinstance(count, int):
            ok = len(units) == count
            self.results.append(
                Result(
                    "department_profile: internal_unit_count = number of internal_units",
                    ok,
                    "holds" if ok else "FAILS",
                    detail=f"{count} vs {len(units)}",
                )
            )

    # ---- spans and shape ---------------------------------------------------------------------------

    def check_spans(self) -> None:
        for r in self.records:
            for name, e in r["fields"].items():
                addr = f"{r['kind']}/{r['key']}/{name}"
                problem = span_problem(self.text, e)
                if "intended" in e and not e.get("note"):
                    problem = problem or "an intended value needs a one-line note"
                self.results.append(
                    Result(
                        f"span {addr}",
                        problem is None,
                        "holds" if problem is None else "FAILS",
                        detail=problem or "",
                    )
                )

    def run(self) -> list[Result]:
        self.results = []
        self.check_spans()
        self.check_hierarchies()
        self.check_row_identities()
        self.check_labelled_trees()
        self.check_ties()
        self.check_row_sets()
        self.check_total_rows()
        self.check_profile()
        return self.results


def _read_number(s: str) -> float | None:
    s = unicodedata.normalize("NFKC", s).replace(",", "").strip()
    return float(s) if re.fullmatch(r"-?\d+(?:\.\d+)?", s) else None


def span_problem(text: str, entry: dict[str, Any]) -> str | None:
    """Why `text[span]` does not read as the value (None when it does)."""
    value, span = entry.get("value"), entry.get("span")
    if span is None:
        derived = value is None or isinstance(value, bool | str)  # text may be derived (doc_type)
        return None if derived else "a printed number needs a span"
    if not (isinstance(span, list) and len(span) == 2 and 0 <= span[0] < span[1] <= len(text)):
        return f"bad span {span!r}"
    shown = text[span[0] : span[1]]
    if isinstance(value, bool) or value is None:
        return "a derived value has no span"
    if isinstance(value, int | float):
        got = _read_number(shown)
        return None if got is not None and math.isclose(got, value, abs_tol=1e-9) else f"span reads {shown!r}"
    if isinstance(value, str):
        return None if "".join(shown.split()) == "".join(value.split()) else f"span reads {shown!r}"
    if isinstance(value, list):
        flat = "".join(shown.split())
        pos = 0
        for item in value:
            i = flat.find("".join(str(item).split()), pos)
            if i < 0:
                return f"list item {str(item)[:20]!r} not in its span (in order)"
            pos = i + len("".join(str(item).split()))
        return None
    return f"unexpected value type {type(value).__name__}"


def load_book(stem: str, *, assembled: bool = False) -> Book:
    path = SEEDS / f"{stem}.jsonl" if assembled else SEEDS / "gold-src" / f"{stem}.budget.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [r for r in records if "kind" in r]
    text = (SEEDS / "docs" / f"{stem}.txt").read_bytes().decode("utf-8")
    return Book(stem, records, text)


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    stems = [a for a in argv if not a.startswith("-")] or list(STEMS)
    failed = 0
    for stem in stems:
        results = load_book(stem).run()
        bad = [r for r in results if not r.ok]
        marked = [r for r in results if r.ok and r.how != "holds"]
        sums = [r for r in results if not r.check.startswith("span ")]
        print(
            f"{stem}: {len(sums)} sums/ties checked, {len(results) - len(sums)} spans; "
            f"{len(marked)} document contradictions or rounding gaps marked; {len(bad)} failures"
        )
        for r in marked + bad:
            print("   ", r.line())
        if verbose:
            for r in results:
                if r.how == "holds" and not r.check.startswith("span "):
                    print("    ", r.line())
        failed += len(bad)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
