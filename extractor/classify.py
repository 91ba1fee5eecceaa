"""Classifying a table into a canonical record kind, by its title and by its content.

Titles differ between regions and between 预算 and 决算 (部门收支总体情况表 / 部门财务收支预算总表 /
收入支出决算总表), so a title is read for the words that carry meaning rather than matched whole;
when the title is missing or unknown, the header words and the code patterns of the table decide.
"""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")

# Ordered: the first rule whose words all occur wins. Each rule: (kind, required words, forbidden words)
_TITLE_RULES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("performance_self_evaluation", ("绩效自评",), ()),
    ("activity_performance_target", ("职责", "活动", "绩效目标"), ()),
    ("performance_target", ("绩效目标",), ()),
    ("three_public_expenses", ("三公",), ()),
    ("carryover", ("结转结余",), ("支出情况", "支出预算")),
    ("procurement_budget", ("政府采购",), ()),
    ("operating_expenses_by_economic", ("机关运行经费",), ()),
    # 决算 prints 政府性基金预算财政拨款收入支出决算表: income and spending of the fund in one table
    ("gov_fund_expenditure", ("政府性基金", "支出"), ()),
    ("state_capital_expenditure", ("国有资本经营", "支出"), ()),
    ("fiscal_appropriation_summary", ("财政拨款收支",), ()),
    ("fiscal_appropriation_summary", ("财政拨款收入支出",), ()),
    ("income_summary", ("收支总",), ()),
    ("income_summary", ("收支", "总表"), ()),
    ("income_summary", ("财务收支",), ()),
    ("income_summary", ("收入支出决算总",), ()),
    ("income_summary", ("收支决算总",), ()),
    ("income_summary", ("收支预算",), ("财政拨款",)),
    # Jiangsu 公开表六 财政拨款基本支出预算表（经济科目）; 一般公共预算基本支出 stays the seeds' kind
    ("fiscal_basic_expenditure_by_economic", ("财政拨款基本支出",), ("一般公共预算",)),
    ("basic_expenditure_by_economic", ("基本支出",), ()),
    ("project_expenditure", ("项目支出",), ("绩效",)),
    ("general_budget_expenditure", ("一般公共预算",), ()),
    # 财政拨款支出预算表（功能科目） / 财政拨款支出决算表: all appropriations by function code
    ("fiscal_expenditure_by_function", ("财政拨款支出",), ("收入",)),
    ("income_by_function", ("收入",), ("支出",)),
    ("expenditure_by_function", ("支出",), ("收入",)),
]

# A government's own budget (a city's 决算草案, 定州's 一般公共预算收入表) rather than a department's: its tables
# name a level (全市 / 本级), a transfer or debt, an execution report, or a budget's own revenue.
_GOV_MARKERS = (
    "本级",
    "全市",
    "全省",
    "全县",
    "全区",
    "转移支付",
    "执行情况",
    "政府债务",
    "政府债券",
    "社会保险基金",
)
_GOV_REVENUE = re.compile(r"(一般公共|政府性基金|国有资本经营)预算收入")
_GOV_RULES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("three_public_expenses", ("三公",), ()),
    ("gov_transfer", ("转移支付",), ()),
    ("gov_debt", ("债务",), ()),
    ("gov_debt", ("债券",), ()),
    ("gov_execution", ("执行情况",), ()),
    ("gov_balance_summary", ("收支", "总表"), ()),
    ("gov_revenue", ("收入",), ("支出",)),
    ("gov_expenditure_by_economic", ("支出", "经济分类"), ()),
    ("gov_expenditure_by_function", ("支出", "功能分类"), ()),
    ("gov_expenditure", ("支出",), ()),
]

_TABLE_WORDS = ("表",)
# a table's name printed without 表 (定州's 部门政府采购预算); the segment finder accepts such a line only on its
# own, unnumbered, with a table under it
BARE_ENDINGS = ("预算", "决算", "绩效目标")
# printed around a title: its number (公开表一, 附表3-1, 表1, 一、, （一）) and a qualifier in brackets
_NUMBERING = re.compile(
    r"^(?:(?:公开|附)?表\s*(?:[0-9]+|二十|十[一二三四五六七八九]?|[一二三四五六七八九])(?:[-－—][0-9]+)?[：:、.]?"
    r"|[一二三四五六七八九十]+、"
    r"|[（(][一二三四五六七八九十0-9]+[）)])"
)
_QUALIFIER = re.compile(r"[（(][^（）()]{1,20}[）)]$")


def compact(text: str) -> str:
    return _WS.sub("", text)


def title_core(title: str) -> tuple[str, str]:
    """A title without its numbering and quotes, and the bracketed qualifier it ends with (功能科目)."""
    t = compact(title).replace("“", "").replace("”", "").replace('"', "")
    t = _NUMBERING.sub("", t)
    qualifier = ""
    m = _QUALIFIER.search(t)
    head = t[: m.start()] if m else ""
    # 一般公共预算基本支出预算表（经济科目）, and a table's name printed without 表: 部门基本支出预算（人员经费预算）
    if m and ("表" in head[-3:] or head.endswith(BARE_ENDINGS)):
        qualifier, t = m.group(0)[1:-1], t[: m.start()]
    return t, qualifier


def is_government_title(title: str) -> bool:
    t, _ = title_core(title)
    return any(w in t for w in _GOV_MARKERS) or bool(_GOV_REVENUE.search(t))


# a document's heading (its cover or first line) naming what it is: a department's (or unit's) own
# disclosure, or a government's budget or accounts of a level (市本级决算草案, 市总预算)
_DEPARTMENT_HEAD = re.compile(
    r"部门(?:（单位）|\(单位\))?(?:预算|决算|概况)|单位(?:预算|决算|概况)|预算公开说明"
)
_GOVERNMENT_HEAD = re.compile(r"[市省县区州]本级(?:预算|决算)|[市省县区州]总预算|决算草案|预算草案")
HEAD_CHARS = 200


def is_government_document(text: str, titles: list[str]) -> bool:
    """A government's own budget rather than a department's, from its heading when that says which
    (部门预算 / 单位概况: a department; 市本级决算草案: a government), else from most of its table titles:
    one title naming a level (a 市本级 table printed among a department's) does not turn a document."""
    gov = sum(1 for t in titles if is_government_title(t))
    if not gov:
        return False
    h = compact(text[: 3 * HEAD_CHARS])[:HEAD_CHARS]  # the heading: the first characters past blanks
    if _DEPARTMENT_HEAD.search(h):
        return False
    return bool(_GOVERNMENT_HEAD.search(h)) or 2 * gov >= len(titles)


def classify_title(title: str, *, government: bool = False) -> str | None:
    """The kind a title names, or None. `government`: the document is a government's own budget (its
    tables are the `gov_*` kinds), as `is_government_document` decides."""
    t, qualifier = title_core(title)
    if not t.endswith(_TABLE_WORDS) and "表" not in t[-3:] and not t.endswith(BARE_ENDINGS):
        return None
    t += qualifier
    for kind, required, forbidden in _GOV_RULES if government else _TITLE_RULES:
        if all(w in t for w in required) and not any(w in t for w in forbidden):
            return kind
    return None


# the two parts of 基本支出, as tables and notes name them: 人员经费 | 公用经费 (日常公用经费), or 人员支出 |
# 公用支出 (the notes' "基本支出…包括人员支出和公用支出")
_PERSONNEL = re.compile(r"人员(?:经费|支出)")
_PUBLIC = re.compile(r"公用(?:经费|支出)")
_FUNC_CODE = re.compile(r"(?m)^\s*2[0-3]\d\b")
_ECON_CODE = re.compile(r"(?m)^\s*3[01]\d\b")


def classify_content(text: str) -> str | None:
    """The kind a table's header words and codes point to, or None."""
    t = compact(text)
    func = len(_FUNC_CODE.findall(text))
    econ = len(_ECON_CODE.findall(text))
    # columns only a procurement plan prints (采购物品名称 / 采购品目 / 政府采购目录序号), whatever else its rows name
    if "采购物品名称" in t or "采购品目" in t or "政府采购目录" in t:
        return "procurement_budget"
    if "因公出国" in t and "公务接待" in t:
        return "three_public_expenses"
    if "机关运行经费" in t[:200] and econ > 0 and econ >= func:  # its one amount column: 机关运行经费支出
        return "operating_expenses_by_economic"
    if "绩效指标" in t and ("完成值" in t or "实际完成" in t) and "得分" in t:
        return "performance_self_evaluation"
    if "一级指标" in t and "二级指标" in t:
        return "performance_target"
    if _PERSONNEL.search(t) and _PUBLIC.search(t) and econ >= func and econ > 0:
        return "basic_expenditure_by_economic"
    if "项目名称" in t and "工资福利支出" in t and func > 0:
        return "project_expenditure"
    if ("财政专户" in t or "单位资金" in t) and "收入" not in t[:10] and func > 0 and "本年收入" not in t:
        return "income_by_function"
    if "本年收入" in t or "收入总计" in t:
        return "fiscal_appropriation_summary" if "财政拨款收入" in t else "income_summary"
    if "基本支出" in t and "项目支出" in t and func > 0:
        return "general_budget_expenditure" if "一般公共预算" in t else "expenditure_by_function"
    return None
