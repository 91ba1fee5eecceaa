"""What the document prints, for people: a column's header as the schema declares it, a row by its code
and name, a document by its unit, year and kind.

The headers come from the kind models in `schemas/` (each field's description starts with the header as
printed, e.g. `total` of 一般公共预算基本支出情况表 is 合计). A few fields carry no printed header there; they
get the header national templates print for them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from schemas import KIND_MODELS

_LEADING_PRINTED = re.compile(r"^[^A-Za-z(（]+")
# fields whose schema description does not begin with a printed header
_HEADERS = {
    "name": "名称",
    "project_name": "项目名称",
    "weight": "权重",
    "score": "得分",
    "level1": "一级指标",
    "level2": "二级指标",
    "target": "指标值",
    "amount": "金额",
    "unit_name": "单位名称",
    "fiscal_year": "年度",
    "doc_type": "文件类别",
    "money_unit": "金额单位",
    "empty": "空表",
}
DOC_TYPES = {
    "budget": "部门预算",
    "final_accounts": "部门决算",
    "performance_targets": "绩效目标",
    "performance_self_evaluation": "绩效自评",
}
TOTAL_KEYS = {"total": "合计"}


@lru_cache(maxsize=1024)
def column_label(kind: str, name: str) -> str:
    """The printed header of a field (`basic_expenditure_by_economic`, `total` → 合计)."""
    model = KIND_MODELS.get(kind)
    info = model.model_fields.get(name) if model is not None else None
    description = (info.description or "") if info is not None else ""
    m = _LEADING_PRINTED.match(description.strip())
    printed = m.group(0).strip(" ,;:") if m else ""
    if printed and re.search(r"[\u4e00-\u9fff]", printed):
        return printed
    return _HEADERS.get(name, name)


def row_label(kind: str, key: str, name: object = None) -> str:
    """A row by its code and printed name (`301 工资福利支出`); a label key as printed; a one-row table by
    nothing."""
    if not key:
        return ""
    parts = [p for p in key.split("/") if p]
    shown = TOTAL_KEYS.get(parts[0], parts[0].removeprefix("income:")) if parts else key
    rest = " / ".join(parts[1:])
    text = shown if not rest else f"{shown} / {rest}"
    if isinstance(name, str) and name and name not in text:
        # a label key is the printed name normalised (一、本年收入 → 本年收入): show the name as printed
        text = name if not rest and shown in name else f"{text} {name}"
    return text


@lru_cache(maxsize=4096)
def document_label(unit_name: str | None, fiscal_year: int | None, doc_type: str | None, source: str) -> str:
    """`某某局 · 2024年 · 部门预算`; the file name when the document names nothing."""
    parts = [
        unit_name or "",
        f"{fiscal_year}年" if fiscal_year else "",
        DOC_TYPES.get(doc_type or "", doc_type or ""),
    ]
    if not unit_name:
        parts[0] = source
    return " · ".join(p for p in parts if p)


def field_label(table_title: str, kind: str, key: str, name: str, row_name: object = None) -> str:
    """`一般公共预算基本支出情况表 · 301 工资福利支出 · 合计`."""
    parts = [table_title, row_label(kind, key, row_name), column_label(kind, name)]
    return " · ".join(p for p in parts if p)


KIND_NAMES = {
    "document": "文件信息",
    "department_profile": "部门概况",
    "income_summary": "收支总表（收入）",
    "expenditure_summary": "收支总表（支出）",
    "income_by_function": "收入总表",
    "expenditure_by_function": "支出总表",
    "fiscal_appropriation_summary": "财政拨款收支总表",
    "general_budget_expenditure": "一般公共预算支出表",
    "basic_expenditure_by_economic": "一般公共预算基本支出表",
    "project_expenditure": "项目支出表",
    "gov_fund_expenditure": "政府性基金预算支出表",
    "state_capital_expenditure": "国有资本经营预算支出表",
    "three_public_expenses": "“三公”经费支出表",
    "carryover": "上年结转结余表",
    "narrative_facts": "情况说明",
    "performance_target": "绩效目标表",
    "performance_indicator": "绩效指标",
    "performance_self_evaluation": "绩效自评表",
    "self_evaluation_indicator": "自评指标",
}


def kind_name(kind: str) -> str:
    """The usual printed name of a record kind's table."""
    return KIND_NAMES.get(kind, kind)
