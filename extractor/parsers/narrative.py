"""Facts stated in prose: the 情况说明 (narrative_facts), the 概况 (department_profile) and the
document's own identity (document). Prose is wrapped mid-word by PDF export, so patterns run over
the text with whitespace removed and map back to the original characters."""

from __future__ import annotations

import re
from collections import Counter

from extractor.layout import Cell
from extractor.model import DocumentInfo, FieldValue, Record, Segment
from extractor.parsers.rows import JoinedText

_NUM = r"(\d[\d,]*(?:\.\d+)?)"

NARRATIVE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("total_budget", rf"收支总预算(?:为|共计)?{_NUM}万元"),
    ("basic_expenditure", rf"基本支出(?:预算)?{_NUM}万元"),
    ("project_expenditure", rf"项目支出(?:预算)?{_NUM}万元"),
    ("operating_expenses", rf"机关运行经费[^。；]{{0,30}}?{_NUM}万元"),
    ("three_public_total", rf"“?三公”?经费(?:数|预算数|预算|支出)?(?:为|共计|合计)?{_NUM}万元"),
    ("procurement_total", rf"政府采购预算(?:总额)?(?:为|共计)?{_NUM}万元"),
    ("procurement_goods", rf"政府采购货物预算{_NUM}万元"),
    ("procurement_works", rf"政府采购工程预算{_NUM}万元"),
    ("procurement_services", rf"政府采购服务预算{_NUM}万元"),
    ("sme_reserved", rf"中小企业预留政府采购项目预算金额{_NUM}万元"),
    ("vehicles", r"车辆(\d+)辆"),
    ("performance_projects", r"绩效[^。]{0,40}?项目(\d+)个"),
    ("performance_amount", rf"涉及(?:预算)?金额{_NUM}万元"),
)

PROFILE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("staffing_quota", r"编制(?:数|人数)(?:为)?(\d+)(?:人|名)?"),
    ("actual_staff", r"实有人数(?:为)?(\d+)(?:人|名)"),
    ("in_service", r"在职(?:人员)?(?:实有人数)?(\d+)(?:人|名)"),
    ("retired", r"(?<!离)退休(?:人员)?(\d+)(?:人|名)"),
    ("retired_cadres", r"离休(?:人员)?(\d+)(?:人|名)"),
    ("internal_unit_count", r"(?:下设|内设)(?:机构)?(\d+)个(?:科室|内设机构|处室|机构)"),
)


def _joined(text: str, start: int, end: int) -> JoinedText:
    joined = JoinedText()
    joined.add(Cell(text[start:end], start, end), text)
    return joined


def _number_field(joined: JoinedText, m: re.Match[str]) -> FieldValue:
    raw = m.group(1).replace(",", "")
    value: float | int = int(raw) if raw.isdigit() else float(raw)
    fv = FieldValue(value, joined.span(m.start(1), m.end(1)), ["printed", "pattern"])
    if not joined.contiguous(m.start(1), m.end(1)):
        fv.add_reason("joined")
    return fv


def _apply(joined: JoinedText, patterns: tuple[tuple[str, str], ...]) -> dict[str, FieldValue]:
    fields: dict[str, FieldValue] = {}
    for name, pattern in patterns:
        m = re.search(pattern, joined.text)
        if m:
            fields[name] = _number_field(joined, m)
    return fields


def parse_narrative(text: str, segment: Segment) -> list[Record]:
    joined = _joined(text, segment.start, segment.end)
    fields = _apply(joined, NARRATIVE_PATTERNS)
    if not fields:
        return []
    return [Record("narrative_facts", "", segment.title, "万元", fields, segment.index)]


def parse_profile(text: str, segment: Segment) -> list[Record]:
    joined = _joined(text, segment.start, segment.end)
    fields = _apply(joined, PROFILE_PATTERNS)
    functions = _numbered_items(joined)
    if functions:
        fields["functions"] = FieldValue([t for t, _ in functions], (functions[0][1][0], functions[-1][1][1]),
                                         ["printed", "list"])  # fmt: skip
    m = re.search(r"(?:分别是|分别为|包括)[:：]([^。]+)", joined.text)
    if m:
        units = [u for u in re.split(r"[、，,；;]", m.group(1)) if u]
        span = joined.span(m.start(1), m.end(1))
        fields["internal_units"] = FieldValue(units, span, ["printed", "list"])
    if not fields:
        return []
    return [Record("department_profile", "", segment.title, None, fields, segment.index)]


def _numbered_items(joined: JoinedText) -> list[tuple[str, tuple[int, int]]]:
    items: list[tuple[str, tuple[int, int]]] = []
    marks = list(re.finditer(r"[（(]([一二三四五六七八九十]+)[）)]", joined.text))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else joined.text.find("二、", m.end())
        if end <= m.end():
            end = min(len(joined.text), m.end() + 300)
        body = joined.text[m.end() : end]
        body = re.split(r"二、机构|二、", body)[0]
        span = joined.span(m.end(), m.end() + len(body))
        if body and span:
            items.append((body, span))
    return items


_UNIT_NAME = re.compile(
    r"(?:编制单位|编制部门|部门（单位）名称|单位名称|实施单位)[:：]?\s*([^\s:：]{4,40}?(?:局|委员会|委|办公室|中心|所|院|厅|部))"
)
_YEAR = re.compile(r"(20\d\d)\s*年")


def document_info(text: str, segments: list[Segment]) -> tuple[DocumentInfo, Record]:
    info = DocumentInfo()
    fields: dict[str, FieldValue] = {}
    m = _UNIT_NAME.search(text)
    if m:
        info.unit_name = m.group(1)
        fields["unit_name"] = FieldValue(m.group(1), (m.start(1), m.end(1)), ["printed", "pattern"])
    else:
        head = re.search(
            r"([\u4e00-\u9fff]{2,30}市场监督管理局|[\u4e00-\u9fff]{2,30}(?:局|委员会))", text[:400]
        )
        if head:
            info.unit_name = head.group(1)
            fields["unit_name"] = FieldValue(
                head.group(1), (head.start(1), head.end(1)), ["printed", "title"]
            )
    y = _YEAR.search(text[:600])
    if y:
        info.fiscal_year = int(y.group(1))
        fields["fiscal_year"] = FieldValue(info.fiscal_year, (y.start(1), y.end(1)), ["printed"])
    kinds = Counter(s.kind for s in segments)
    head_text = re.sub(r"\s+", "", text[:600])
    if "决算" in head_text:
        info.doc_type = "final_accounts"
    elif kinds["performance_self_evaluation"] and len(kinds) == 1:
        info.doc_type = "performance_self_evaluation"
    elif kinds["performance_target"] and sum(kinds.values()) == kinds["performance_target"]:
        info.doc_type = "performance_targets"
    else:
        info.doc_type = "budget"
    fields["doc_type"] = FieldValue(info.doc_type, None, ["derived:table_kinds"])
    units = Counter(s.unit for s in segments if s.unit)
    info.money_unit = units.most_common(1)[0][0] if units else "万元"
    fields["money_unit"] = FieldValue(info.money_unit, None, ["derived:table_units"])
    return info, Record("document", "", "", None, fields, None)
