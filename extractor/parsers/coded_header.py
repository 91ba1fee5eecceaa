"""The columns of a code-keyed table read from its printed header, where the header is printed as cells
(a PDF grid, a spreadsheet, a Word table). A region's own column set and order (定州 prints 财政拨款收入 |
上级补助收入 | 事业收入 …, Jiangsu adds 单位预留机动经费 | 结转下年资金) then needs no rule: each value column's
field comes from its header words, counted from the row's right edge (value columns end every row).

Where any value column's header names no field of the kind, the table is left to the layout solver
(`extractor.columns`), as before."""

from __future__ import annotations

import re

from extractor.classify import compact
from extractor.layout import Line
from extractor.parsers.header_rows import column_words, is_amount, modal_width

# field ← header words (compact text); the first match wins, so narrower words come first
_SPLIT = (
    ("reserve", r"预留机动"),
    ("carry_forward", r"结转下年"),
    ("remit_to_superior", r"上缴上级"),
    ("operating", r"经营支出"),
    ("subsidy_to_subordinates", r"对附属单位补助|对下级单位补助"),
    ("basic", r"基本支出"),
    ("project", r"项目支出"),
    ("total", r"合计|总计|^金额$|本年支出$|支出合计"),
)
_INCOME = (
    ("general_budget_transfer", r"上级.*一般公共预算|一般公共预算.*转移支付"),
    ("gov_fund_transfer", r"上级.*政府性基金|政府性基金.*转移支付"),
    ("state_capital_transfer", r"上级.*国有资本|国有资本.*转移支付"),
    ("fiscal_carryover", r"财政拨款结转|财政拨款.*结余"),
    ("nonfiscal_carryover", r"非财政拨款结|其他资金结转|用事业基金弥补"),
    ("business_income_tuition", r"教育收费"),
    ("superior_subsidy", r"上级补助"),
    ("affiliated_income", r"附属单位上缴"),
    ("operating_income", r"经营收入"),
    ("business_income", r"事业收入"),
    ("other_income", r"其他收入"),
    ("special_account", r"财政专户"),
    ("unit_funds", r"单位资金"),
    ("general_budget", r"一般公共预算"),
    ("gov_fund", r"政府性基金"),
    ("state_capital", r"国有资本"),
    ("fiscal_subtotal", r"财政拨款"),
    ("total", r"合计|总计|^金额$|本年收入$"),
)
_ECONOMIC = (
    ("personnel", r"人员(?:经费|支出)"),
    ("public", r"公用(?:经费|支出)"),
    ("total", r"合计|总计|^金额$"),
)
VOCABULARY: dict[str, tuple[tuple[str, str], ...]] = {
    "expenditure_by_function": _SPLIT,
    "general_budget_expenditure": _SPLIT,
    "gov_fund_expenditure": _SPLIT,
    "state_capital_expenditure": _SPLIT,
    "fiscal_expenditure_by_function": (("project_capital_construction", r"基本建设"), *_SPLIT),
    "income_by_function": _INCOME,
    "basic_expenditure_by_economic": _ECONOMIC,
    "fiscal_basic_expenditure_by_economic": _ECONOMIC,
    "operating_expenses_by_economic": (("amount", r"合计|金额|机关运行经费|支出"),),
}
_NOT_VALUES = re.compile(r"编码|代码|科目名称|名称|^科目$|^项目$|类|款|项$")


_GENERIC = re.compile(r"^(?:金额|小计|合计|预算数|决算数)$")


def _with_parents(texts: list[str], upper: list[str]) -> list[str]:
    """Header cells under a row that merged some of them (事业收入 over 金额 | 其中：教育收费): a generic cell
    (金额) takes the words of the cell above it counted from the left, the merge being to its right; a blank
    cell at the right end is a cell of the upper row merged down, counted from the right."""
    width, n = len(texts), len(upper)
    out = list(texts)
    for i, text in enumerate(texts):
        if _GENERIC.match(text) and i < n and upper[i] != text:
            out[i] = upper[i] + text
        elif not text and n - (width - i) >= 0:
            out[i] = upper[n - (width - i)]
    return out


def header_fields(kind: str, lines: list[Line]) -> dict[int, str] | None:
    """{distance from the row's right edge (1 = last cell): field} for every value column, or None."""
    vocab = VOCABULARY.get(kind)
    if vocab is None:
        return None
    width = modal_width(lines, is_amount)
    if width is None:
        return None
    first = next(
        i for i, r in enumerate(lines) if len(r.cells) == width and any(is_amount(c) for c in r.cells)
    )
    header = [r for r in lines[:first] if len(r.cells) == width]
    if not header:
        return None
    texts = column_words(header, width)
    narrower = [r for r in lines[:first] if 2 < len(r.cells) < width]
    if narrower:
        texts = _with_parents(texts, [compact(c.text) for c in narrower[-1].cells])
    out: dict[int, str] = {}
    seen: set[str] = set()
    # value columns: from the right edge until the first label / code column
    for i in range(width - 1, -1, -1):
        text = texts[i]
        field = next((f for f, p in vocab if re.search(p, text)), None)
        if field is None:
            if _NOT_VALUES.search(text) or not text:
                break
            return None  # a value column the vocabulary does not know: leave the table to the solver
        if field in seen:
            return None
        seen.add(field)
        out[width - i] = field
    return out or None
