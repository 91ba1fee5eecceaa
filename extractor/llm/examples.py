"""Built-in one-shot examples (synthetic tables, not taken from any seed document), one per family
of kinds. The small embedded model follows an example far better than a schema alone."""

from __future__ import annotations

from typing import Any

_SPLIT_TEXT = """单位：万元
功能分类科目编码 功能分类科目名称 合计 基本支出 项目支出
类 款 项
205 教育支出 1,210.40 910.40 300.00
20501 教育管理事务 1,210.40 910.40 300.00
2050101 行政运行 910.40 910.40
2050199 其他教育管理事务支出 300.00 300.00
合 计 1,210.40 910.40 300.00"""

_SPLIT_ROWS: list[dict[str, Any]] = [
    {"code": "205", "name": "教育支出", "total": 1210.4, "basic": 910.4, "project": 300.0},
    {"code": "20501", "name": "教育管理事务", "total": 1210.4, "basic": 910.4, "project": 300.0},
    {"code": "2050101", "name": "行政运行", "total": 910.4, "basic": 910.4, "project": None},
    {"code": "2050199", "name": "其他教育管理事务支出", "total": 300.0, "basic": None, "project": 300.0},
    {"code": None, "name": "合计", "total": 1210.4, "basic": 910.4, "project": 300.0},
]

_ECON_TEXT = """单位：万元
经济分类科目编码 经济分类科目名称 合计 人员经费 公用经费
301 工资福利支出 120.50 120.50
30101 基本工资 60.20 60.20
302 商品和服务支出 15.30 15.30
合 计 135.80 120.50 15.30"""

_ECON_ROWS: list[dict[str, Any]] = [
    {"code": "301", "name": "工资福利支出", "total": 120.5, "personnel": 120.5, "public": None},
    {"code": "30101", "name": "基本工资", "total": 60.2, "personnel": 60.2, "public": None},
    {"code": "302", "name": "商品和服务支出", "total": 15.3, "personnel": None, "public": 15.3},
    {"code": None, "name": "合计", "total": 135.8, "personnel": 120.5, "public": 15.3},
]

_THREE_TEXT = """单位：万元
项目 合计 一般公共预算
合计 6.40 6.40
因公出国（境）费
公务接待费 2.10 2.10
公务用车购置及运行费 4.30 4.30
其中：公务用车购置费
公务用车运行费 4.30 4.30"""

_THREE_ROWS: list[dict[str, Any]] = [
    {
        "total": 6.4,
        "overseas_travel": None,
        "reception": 2.1,
        "vehicles_total": 4.3,
        "vehicle_purchase": None,
        "vehicle_operation": 4.3,
    }
]

_EXAMPLES: dict[str, tuple[str, str, list[dict[str, Any]]]] = {
    "expenditure_by_function": ("部门支出总体情况表", _SPLIT_TEXT, _SPLIT_ROWS),
    "general_budget_expenditure": ("一般公共预算支出情况表", _SPLIT_TEXT, _SPLIT_ROWS),
    "gov_fund_expenditure": ("政府性基金预算支出情况表", _SPLIT_TEXT, _SPLIT_ROWS),
    "state_capital_expenditure": ("国有资本经营预算支出情况表", _SPLIT_TEXT, _SPLIT_ROWS),
    "basic_expenditure_by_economic": ("一般公共预算基本支出情况表", _ECON_TEXT, _ECON_ROWS),
    "three_public_expenses": ("财政拨款“三公”经费支出情况表", _THREE_TEXT, _THREE_ROWS),
}


def builtin_example(kind: str) -> tuple[str, str, list[dict[str, Any]]] | None:
    """(title, table text, rows) of the kind's example, or None when the kind has none."""
    return _EXAMPLES.get(kind)
