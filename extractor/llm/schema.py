"""Response models for the LLM: the kind's row model from `schemas/` (plus the code column for
code-keyed kinds, which the row key needs) wrapped in `{"rows": [...]}`; and row keys per `KEYED_BY`."""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from extractor.parsers.labelled import normalise_label
from schemas import KIND_MODELS

FUNCTION_CODED = {
    "expenditure_summary",
    "income_by_function",
    "expenditure_by_function",
    "fiscal_appropriation_summary",
    "general_budget_expenditure",
    "project_expenditure",
    "gov_fund_expenditure",
    "state_capital_expenditure",
}
ECONOMIC_CODED = {"basic_expenditure_by_economic"}
CODED_KINDS = FUNCTION_CODED | ECONOMIC_CODED
SINGLE_ROW_KINDS = {"document", "department_profile", "three_public_expenses", "narrative_facts"}
LABEL_KINDS = {"income_summary", "carryover"}
PROJECT_KINDS = {"performance_target", "performance_self_evaluation"}
INDICATOR_KINDS = {"performance_indicator", "self_evaluation_indicator"}

TOTAL_LABELS = {
    "合计",
    "总计",
    "支出合计",
    "收入合计",
    "本年支出合计",
    "本年收入合计",
    "支出总计",
    "收入总计",
}


def code_description(kind: str) -> str:
    if kind in ECONOMIC_CODED:
        return "经济分类科目编码, e.g. '301' or '30101'; null on the 合计 row"
    return "功能分类科目编码 (类 款 项 joined), e.g. '201' or '20138' or '2013801'; null on the 合计 row"


@cache
def row_model_for(kind: str) -> type[BaseModel]:
    base = KIND_MODELS[kind]
    fields: dict[str, Any] = {}
    if kind in CODED_KINDS:
        fields["code"] = (str | None, Field(None, description=code_description(kind)))
    for name, info in base.model_fields.items():
        fields[name] = (info.annotation, Field(None, description=info.description))
    model: type[BaseModel] = create_model(f"{base.__name__}LLM", **fields)
    return model


@cache
def response_model_for(kind: str, max_rows: int | None = None) -> type[BaseModel]:
    """`{"rows": [row, ...]}`; `max_rows` becomes the schema's maxItems, which the embedded server's
    grammar enforces (a small model otherwise may repeat a row until the token limit)."""
    row: Any = row_model_for(kind)
    model: type[BaseModel] = create_model(
        f"{kind.title().replace('_', '')}Rows",
        rows=(
            list[row],
            Field(
                default_factory=list, max_length=max_rows, description="the table's rows, in printed order"
            ),
        ),
    )
    return model


def max_rows_for(kind: str, title: str, data_rows: int | None) -> int:
    """How many rows a chunk can hold: its printed data rows (+1 for a stray total) for tables read
    row by row, one for single-record kinds and for a project's own target or self-evaluation table."""
    if kind in SINGLE_ROW_KINDS or (kind in PROJECT_KINDS and "整体" not in title):
        return 1
    if data_rows is not None:  # generous: an unknown layout may join two printed rows into one
        return 2 * data_rows + 2
    return 14


@cache
def kind_choice_model(kinds: tuple[str, ...]) -> type[BaseModel]:
    kind_type: Any = Literal[kinds] | None
    model: type[BaseModel] = create_model(
        "KindChoice", kind=(kind_type, Field(None, description="the kind of this part, or null"))
    )
    return model


def normalise_code(code: str | None) -> str | None:
    """Join a printed code: '201 38 1' -> '2013801', '301 01' -> '30101', '2013801' stays."""
    if code is None:
        return None
    parts = re.findall(r"\d+", str(code))
    if not parts:
        return None
    if len(parts) == 1:
        p = parts[0]
        return p if len(p) in (3, 5, 7) else None
    first, rest = parts[0], parts[1:]
    if len(first) not in (3, 5) or any(len(p) > 2 for p in rest):
        return None
    joined = first + "".join(p.zfill(2) for p in rest)
    return joined if len(joined) in (5, 7) else None


def compact(s: str | None) -> str:
    return re.sub(r"\s+", "", s or "")


def is_total_label(name: object) -> bool:
    c = compact(name if isinstance(name, str) else None).strip("：:")
    return c in TOTAL_LABELS or c.endswith("合计") and len(c) <= 6


def row_key(kind: str, row: dict[str, Any]) -> str | None:
    """The record key of one returned row per `schemas.KEYED_BY`; None when it cannot be formed."""
    name = row.get("name")
    if kind in SINGLE_ROW_KINDS:
        return ""
    if kind in CODED_KINDS:
        code = normalise_code(row.get("code"))
        if code is None and (is_total_label(name) or is_total_label(row.get("code"))):
            return "total"
        if kind == "fiscal_appropriation_summary" and code is None and compact(name):
            return f"income:{normalise_label(str(name))}"
        if kind == "project_expenditure":
            project = compact(row.get("project_name"))
            if code and project:
                return f"{code}/{project}"
            return code
        if kind in {"gov_fund_expenditure", "state_capital_expenditure"} and row.get("empty"):
            return ""
        return code
    if kind in LABEL_KINDS:
        if kind == "carryover" and row.get("empty"):
            return ""
        label = normalise_label(str(name or ""))
        return label or None
    if kind in PROJECT_KINDS:
        return compact(row.get("project_name")) or None
    if kind in INDICATOR_KINDS:
        project = compact(row.get("project_name"))
        indicator = compact(row.get("name"))
        return f"{project}/{indicator}" if indicator else None
    return None
