"""The table inventory against the template: every required table present, and an empty table carrying
its own statement (本表为空表, 本部门无…安排的支出, 故本表为空表)."""

from __future__ import annotations

import re

from extractor.classify import compact, is_government_document
from extractor.findings.context import Checks
from extractor.model import Segment

# the tables a 地方 department's 预算 or 决算 prints (财政部's template of 8–9 公开表), in template order
CORE = (
    "income_summary",
    "income_by_function",
    "expenditure_by_function",
    "fiscal_appropriation_summary",
    "general_budget_expenditure",
    "basic_expenditure_by_economic",
    "three_public_expenses",
    "gov_fund_expenditure",
)
NAMES = {
    "income_summary": "部门收支总体情况表",
    "income_by_function": "部门收入总体情况表",
    "expenditure_by_function": "部门支出总体情况表",
    "fiscal_appropriation_summary": "财政拨款收支总体情况表",
    "general_budget_expenditure": "一般公共预算支出情况表",
    "basic_expenditure_by_economic": "一般公共预算基本支出情况表",
    "three_public_expenses": "“三公”经费支出情况表",
    "gov_fund_expenditure": "政府性基金预算支出情况表",
    "state_capital_expenditure": "国有资本经营预算支出情况表",
}
# a region's own table in a template's slot: Jiangsu prints its income by source (收入预算总表) where the
# template prints it by function (部门收入总体情况表)
_SAME_SLOT = {"income_by_function": {"income_by_source"}}
# the template applies when the document prints most of it (a university's 4-table central template or a
# text part whose tables are "附后" does not)
_TEMPLATE_MIN = 5
NON_TABLE = ("department_profile", "narrative_facts", "performance_target", "performance_self_evaluation")
_STATEMENT = re.compile(
    r"为空表|本表无数据|无此项(?:支出|收入)|没有(?:使用)?.{0,30}?(?:安排的)?(?:支出|收入|预算)|无.{0,24}?(?:安排|支出|收入|经费)"
)
_HEADER_WORDS = re.compile(r"项目|科目|合计|单位[:：]|编制部门|编制单位|功能分类|经济分类|预算数|决算数")
_FUNDS = {"gov_fund_expenditure": "政府性基金", "state_capital_expenditure": "国有资本"}


def _title_span(c: Checks, seg: Segment) -> tuple[int, int]:
    s, e = c.line_span(seg.start)
    if re.fullmatch(r"\s*表\s*\d+\s*", c.text[s:e]):  # a bare 表N marker above the title
        nxt = c.text.find("\n", e + 1)
        while nxt > 0 and not c.text[e + 1 : nxt].strip():
            e, nxt = nxt, c.text.find("\n", nxt + 1)
        e = nxt if nxt > 0 else len(c.text)
    return s, e


def check_inventory(c: Checks) -> None:
    tables = [s for s in c.result.segments if s.kind and s.kind not in NON_TABLE]
    present = {s.kind for s in tables}
    present |= {slot for slot, kinds in _SAME_SLOT.items() if present & kinds}
    # a government's own budget is not a department's template, as the segmenter decides it (its heading,
    # else most of its tables' titles): a department's heading naming its own level (市场监督管理局(本级）)
    # does not make it one
    titles = [s.title for s in c.result.segments if s.kind not in NON_TABLE]
    government = is_government_document(c.text, titles)
    department = c.doc_type in ("budget", "final_accounts") and not government
    if department and len(present & set(CORE)) >= _TEMPLATE_MIN:
        _missing(c, tables, present)
    for seg in tables:
        _empty(c, seg)


def _missing(c: Checks, tables: list[Segment], present: set[str | None]) -> None:
    first: dict[str | None, Segment] = {}
    for s in tables:
        first.setdefault(s.kind, s)
    for i, kind in enumerate(CORE):
        if kind in present:
            continue
        # where it belongs: just after the last printed table that comes before it in the template
        before = [first[k] for k in CORE[:i] if k in first]
        anchor = max(before, key=lambda s: s.start) if before else None
        following = [s for s in tables if anchor is None or s.start > anchor.start]
        if following:
            span = _title_span(c, min(following, key=lambda s: s.start))
            where = f"应在《{c.text[span[0] : span[1]].strip()}》之前"
        elif anchor is not None:
            span = (anchor.end, anchor.end)
            where = "应在最后一张表之后"
        else:
            span, where = None, ""
        c.add(
            "required_table_missing",
            "warning",
            f"未找到必备公开表“{NAMES[kind]}”（{kind}）{where}",
            span,
            kind,
        )


def _empty(c: Checks, seg: Segment) -> None:
    title_start, title_end = _title_span(c, seg)
    body = c.text[title_end : seg.end]
    flat = compact(body)
    digits = re.sub(r"20\d\d\s*年|单位[:：]\s*\S*元", "", body)
    if re.search(r"\d", digits):
        return
    statement = _STATEMENT.search(flat)
    end = len(c.text[: seg.end].rstrip())
    if statement is None:
        if not _HEADER_WORDS.search(flat):
            return  # a title without a table body: a contents line, not a table
        c.add_in_text(
            "empty_table_no_statement",
            f"《{seg.title}》没有数据行，也没有“本表为空表”的说明",
            (title_start, end),
            f"{seg.kind}@{seg.title}",
            [f"{seg.kind}//empty"],
        )
        return
    fund = _FUNDS.get(seg.kind or "")
    others = [w for k, w in _FUNDS.items() if k != seg.kind]
    said = statement.group(0)
    if fund and fund not in flat and any(w in said for w in others):
        s = title_end + body.find(said[:2]) if said[:2] in body else title_start
        c.add(
            "empty_table_wrong_statement",
            "warning",
            f"《{seg.title}》是{fund}的表，空表说明却写“{said}”",
            (s, min(end, s + len(said) + 4)),
            f"{seg.kind}@{seg.title}",
        )
