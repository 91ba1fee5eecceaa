"""What the tables read by their printed header (`extractor.parsers.grid`) print: each kind's fields and the
header words that name them, and how a row's label numbering places it in the table's outline. Read by the
parser and by the outline sums (`extractor.validate.outline`)."""

from __future__ import annotations

import re

# field ← the header words that name it, first match wins (compact text, 全角 brackets as printed)
_GOV_AMOUNTS: tuple[tuple[str, str], ...] = (
    ("completion_rate", r"完成.*%|为.*预算.*%|完成.*比|执行率"),
    ("growth_rate", r"增长|增减|比上年"),
    ("adjusted_budget", r"调整预算|变动预算"),
    ("budget", r"年初预算|预算数|^预算$|预算$"),
    ("actual", r"决算|执行数|完成数|^执行$|累计|实际"),
)
VOCABULARY: dict[str, tuple[tuple[str, str], ...]] = {
    "gov_revenue": _GOV_AMOUNTS,
    "gov_expenditure": _GOV_AMOUNTS,
    "gov_expenditure_by_function": _GOV_AMOUNTS,
    "gov_expenditure_by_economic": _GOV_AMOUNTS,
    "gov_balance_summary": _GOV_AMOUNTS,
    "gov_execution": _GOV_AMOUNTS,
    "gov_transfer": (*_GOV_AMOUNTS, ("actual", r"金额|合计|补助")),
    "gov_debt": (
        ("issued", r"发行"),
        ("repaid", r"还本付息|还本|付息"),
        ("general", r"一般债务"),
        ("special", r"专项债务"),
        ("total", r"合计|小计|金额|余额|限额"),
    ),
    "income_by_source": (("amount", r"金额|预算数|合计|本年"),),
}
RATE_FIELDS = frozenset({"completion_rate", "growth_rate"})

NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．]|[（(]\d+[）)])"
)


def level_of(label: str) -> int | None:
    """The outline level a label's numbering gives (一、 1; （一） 2; 1. 3), or None when unnumbered."""
    m = NUMBERING.match(label)
    if not m:
        return None
    token = m.group(0)
    if token.endswith("、") and token[0] in "一二三四五六七八九十":
        return 1
    if token[0] in "（(" and token[1] in "一二三四五六七八九十":
        return 2
    return 3
