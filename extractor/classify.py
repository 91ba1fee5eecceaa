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
    ("performance_target", ("绩效目标",), ()),
    ("three_public_expenses", ("三公",), ()),
    ("carryover", ("结转结余",), ("支出情况", "支出预算")),
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
    ("basic_expenditure_by_economic", ("基本支出",), ()),
    ("project_expenditure", ("项目支出",), ("绩效",)),
    ("general_budget_expenditure", ("一般公共预算",), ()),
    ("income_by_function", ("收入",), ("支出",)),
    ("expenditure_by_function", ("支出",), ("收入",)),
]

_TABLE_WORDS = ("表",)


def compact(text: str) -> str:
    return _WS.sub("", text)


def classify_title(title: str) -> str | None:
    t = compact(title).replace("“", "").replace("”", "").replace('"', "")
    if not t.endswith(_TABLE_WORDS) and "表" not in t[-3:]:
        return None
    for kind, required, forbidden in _TITLE_RULES:
        if all(w in t for w in required) and not any(w in t for w in forbidden):
            return kind
    return None


_FUNC_CODE = re.compile(r"(?m)^\s*2[0-3]\d\b")
_ECON_CODE = re.compile(r"(?m)^\s*3[01]\d\b")


def classify_content(text: str) -> str | None:
    """The kind a table's header words and codes point to, or None."""
    t = compact(text)
    func = len(_FUNC_CODE.findall(text))
    econ = len(_ECON_CODE.findall(text))
    if "因公出国" in t and "公务接待" in t:
        return "three_public_expenses"
    if "绩效指标" in t and ("完成值" in t or "实际完成" in t) and "得分" in t:
        return "performance_self_evaluation"
    if "一级指标" in t and "二级指标" in t:
        return "performance_target"
    if "人员经费" in t and "公用经费" in t and econ >= func and econ > 0:
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
