"""What a code-keyed table prints: each kind's amount columns in order, the identities between them
(`total = basic + project`), how many text columns precede the amounts, and a prior that places a row's
numbers when the identities cannot (人员经费 = 301 + 303). Read by the parser (`extractor.parsers.coded`)
and by the validators (`extractor.validate.constraints`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Identity = tuple[int, tuple[int, ...]]  # (lhs column, rhs columns)

TOTAL_KEY = "total"


@dataclass(frozen=True)
class TableSpec:
    columns: tuple[str, ...]
    identities: tuple[tuple[str, tuple[str, ...]], ...]
    text_columns: int = 1
    prior: Callable[[str | None, tuple[str, ...]], float] | None = None
    prior_is_definition: bool = True  # False: the prior only breaks ties, the field stays ambiguous

    def identity_indices(self) -> list[Identity]:
        idx = {c: i for i, c in enumerate(self.columns)}
        return [(idx[lhs], tuple(idx[c] for c in rhs)) for lhs, rhs in self.identities]


def _economic_prior(code: str | None, cols: tuple[str, ...]) -> float:
    """人员经费 = 301 工资福利 + 303 对个人和家庭的补助; 公用经费 = the other classes (302, 310, …)."""
    if code is None or "personnel" not in cols and "public" not in cols:
        return 0.0
    personnel = code.startswith(("301", "303"))
    return 1.0 if ("personnel" in cols) == personnel else 0.0


_SPLIT = TableSpec(("total", "basic", "project"), (("total", ("basic", "project")),))
_BASIC = TableSpec(
    ("total", "personnel", "public"), (("total", ("personnel", "public")),), prior=_economic_prior
)
_INCOME_COLS = (
    "total",
    "fiscal_subtotal",
    "general_budget",
    "general_budget_transfer",
    "gov_fund",
    "gov_fund_transfer",
    "state_capital",
    "state_capital_transfer",
    "special_account",
    "unit_funds",
    "fiscal_carryover",
    "nonfiscal_carryover",
)
# the 项目支出 table's columns: its total, then the ten 经济分类 classes it is split into
PROJECT_COLUMNS = (
    "total",
    "wages",
    "goods_services",
    "family_subsidies",
    "debt_interest",
    "capital_construction",
    "capital",
    "enterprise_construction",
    "enterprise_subsidies",
    "social_security_fund",
    "other",
)

SPECS: dict[str, TableSpec] = {
    "expenditure_by_function": _SPLIT,
    "general_budget_expenditure": _SPLIT,
    "gov_fund_expenditure": _SPLIT,
    "state_capital_expenditure": _SPLIT,
    "basic_expenditure_by_economic": _BASIC,
    # other regions' 财政拨款 tables by function and by economic code (Jiangsu 公开表五/六, 西南大学 表4)
    "fiscal_expenditure_by_function": _SPLIT,
    "fiscal_basic_expenditure_by_economic": _BASIC,
    # 一般公共预算机关运行经费支出预算表: economic codes, one amount column
    "operating_expenses_by_economic": TableSpec(("amount",), ()),
    "income_by_function": TableSpec(
        _INCOME_COLS,
        (
            (
                "total",
                (
                    "fiscal_subtotal",
                    "special_account",
                    "unit_funds",
                    "fiscal_carryover",
                    "nonfiscal_carryover",
                ),
            ),
            ("fiscal_subtotal", _INCOME_COLS[2:8]),
        ),
    ),
    "project_expenditure": TableSpec(
        PROJECT_COLUMNS,
        (("total", PROJECT_COLUMNS[1:]),),
        text_columns=2,
        prior=lambda _code, cols: 1.0 if cols == ("goods_services",) else 0.0,
        prior_is_definition=False,
    ),
}

# columns other regions print beside the template's (read by header only, `extractor.parsers.coded_header`):
# summed over the code hierarchy like the others, and parts of the row's total
_WIDE_SPLIT = ("reserve", "carry_forward", "remit_to_superior", "operating", "subsidy_to_subordinates")
_WIDE_INCOME = (
    "superior_subsidy",
    "business_income",
    "operating_income",
    "affiliated_income",
    "other_income",
)
WIDE_COLUMNS: dict[str, tuple[str, ...]] = {
    "expenditure_by_function": _WIDE_SPLIT,
    "general_budget_expenditure": _WIDE_SPLIT,
    "gov_fund_expenditure": _WIDE_SPLIT,
    "state_capital_expenditure": _WIDE_SPLIT,
    "fiscal_expenditure_by_function": (*_WIDE_SPLIT, "project_capital_construction"),
    "income_by_function": (*_WIDE_INCOME, "business_income_tuition"),
}
_WIDE_TOTAL_PARTS = {"income_by_function": _WIDE_INCOME}


def checked_columns(kind: str) -> tuple[str, ...]:
    return SPECS[kind].columns + WIDE_COLUMNS.get(kind, ())


def checked_identities(kind: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The row identities with the wide columns among the total's parts (total = basic + project + 单位预留
    机动经费 + …; total = 财政拨款 + 上级补助 + 事业 + 经营 + 附属单位上缴 + 其他)."""
    spec = SPECS[kind]
    extra = _WIDE_TOTAL_PARTS.get(kind, tuple(c for c in WIDE_COLUMNS.get(kind, ()) if c in _WIDE_SPLIT))
    return tuple((lhs, rhs + extra if lhs == "total" else rhs) for lhs, rhs in spec.identities)
