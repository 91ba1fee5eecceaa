"""Facts stated in prose: the 情况说明 (narrative_facts), the 概况 (department_profile) and the
document's own identity (document). Prose is wrapped mid-word by PDF export, so patterns run over
the text with whitespace removed and map back to the original characters."""

from __future__ import annotations

import re
from collections import Counter

from extractor.layout import Cell
from extractor.model import DocumentInfo, FieldValue, Record, Segment
from extractor.parsers.numbered import numbered_items
from extractor.parsers.rows import JoinedText

_NUM = r"(\d[\d,]*(?:\.\d+)?)"

# how other regions word a stated amount: 因公出国（境）费支出199.25万元 / 预算支出 / 安排 / 预算数为
_SAID = r"(?:预算支出|预算数|预算|支出|安排)?(?:为|是|共计|合计)?"

NARRATIVE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("total_budget", rf"收支总预算(?:为|共计)?{_NUM}万元"),
    ("total_budget", rf"收入、?支出预算总计(?:为|共计)?{_NUM}万元"),
    ("total_budget", rf"收支预算总(?:计|额)(?:为|共计)?{_NUM}万元"),
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
    # the facts other regions' 说明 state (Jiangsu 说明九–十四, 定州 说明三–七)
    ("reserve", rf"预留机动经费{_SAID}{_NUM}万元"),
    ("personnel_expenses", rf"人员(?:经费|支出){_SAID}{_NUM}万元"),
    ("public_expenses", rf"公用(?:经费|支出){_SAID}{_NUM}万元"),
    ("overseas_travel", rf"因公出国[（(]境[）)]费(?:用)?{_SAID}{_NUM}万元"),
    ("vehicles_cost", rf"公务用车购置及运行(?:维护)?费{_SAID}{_NUM}万元"),
    ("vehicle_purchase", rf"公务用车购置费{_SAID}{_NUM}万元"),
    ("vehicle_operation", rf"公务用车运行(?:维护)?费{_SAID}{_NUM}万元"),
    ("reception", rf"公务接待费{_SAID}{_NUM}万元"),
    # the department's own 会议费 / 培训费 (…安排的会议费预算支出), not one project's line (3.培训费10万元)
    ("meeting", rf"(?<=[。；：:的])会议费{_SAID}{_NUM}万元"),
    ("training", rf"(?<=[。；：:的])培训费{_SAID}{_NUM}万元"),
    ("procurement_total", rf"政府采购(?:支出)?预算总额{_NUM}万元"),
    ("procurement_goods", rf"拟采购货物支出{_NUM}万元"),
    ("procurement_services", rf"拟购买服务支出{_NUM}万元"),
    ("equipment_large", r"单价\d+万元(?:[（(]含[）)])?以上的?(?:通用|专用)?设备(\d+)(?:台|套)"),
)
# the fields a seed 说明 states in the seeds' wording; the others are read where a region words them so
WIDE_FACTS = frozenset({
    "reserve", "personnel_expenses", "public_expenses", "overseas_travel", "vehicles_cost", "vehicle_purchase",
    "vehicle_operation", "reception", "meeting", "training", "equipment_large",
})  # fmt: skip

# 说明三: "基本支出 2,396.43 万元，占 61.97%": the share (percent) printed with the amount
SHARE_PATTERNS: tuple[tuple[str, str, str], ...] = (
    (
        "basic_expenditure_share",
        "basic_expenditure",
        rf"基本支出(?:预算)?{_NUM}万元[，,]?占[^\d。；%％]{{0,12}}?{_NUM}[%％]",
    ),
    (
        "project_expenditure_share",
        "project_expenditure",
        rf"项目支出(?:预算)?{_NUM}万元[，,]?占[^\d。；%％]{{0,12}}?{_NUM}[%％]",
    ),
)

# 绩效目标: "当年财政拨款项目 6 个，涉及预算金额 3,167.09 万元" — the count and its amount in one clause
_PERF_CLAUSE = re.compile(
    rf"(?:项目(\d+)个|(\d+)个(?:财政拨款)?项目)[^。；;]{{0,20}}?(?:金额|资金)(?:为|共计|合计)?{_NUM}万元"
)
_PERF_PROJECTS = re.compile(r"绩效[^。]{0,40}?项目(\d+)个")

PROFILE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("staffing_quota", r"编制(?:数|人数)(?:为)?(\d+)(?:人|名)?"),
    ("actual_staff", r"实有人数(?:为)?(\d+)(?:人|名)"),
    ("in_service", r"在职(?:人员)?(?:实有人数)?(\d+)(?:人|名)"),
    ("retired", r"(?<!离)退休(?:人员)?(\d+)(?:人|名)"),
    ("retired_cadres", r"离休(?:人员)?(\d+)(?:人|名)"),
    ("internal_unit_count", r"(?:下设|内设)(?:机构)?(\d+)个(?:科室|内设机构|处室|机构)"),
)


# ─12─, a form feed, and a bare page number on the line before a page break (Jiangsu: 拟采 / 31 / ␌ / 购货物)
_PAGE_MARK = re.compile(r"[─—–-]\s*\d{1,3}\s*[─—–-]|\n[ \t]*\d{1,3}[ \t]*\n(?=\s*\f)|\f")


def _joined(text: str, start: int, end: int) -> JoinedText:
    """The prose of `[start, end)` with whitespace and page numbers (─12─) left out, offsets kept."""
    joined = JoinedText()
    pos = start
    for m in _PAGE_MARK.finditer(text, start, end):
        joined.add(Cell(text[pos : m.start()], pos, m.start()), text)
        pos = m.end()
    joined.add(Cell(text[pos:end], pos, end), text)
    return joined


def _number_field(joined: JoinedText, m: re.Match[str], group: int = 1) -> FieldValue:
    raw = m.group(group).replace(",", "")
    value: float | int = int(raw) if raw.isdigit() else float(raw)
    fv = FieldValue(value, joined.span(m.start(group), m.end(group)), ["printed", "pattern"])
    if not joined.contiguous(m.start(group), m.end(group)):
        fv.add_reason("joined")
    return fv


def _apply(joined: JoinedText, patterns: tuple[tuple[str, str], ...]) -> dict[str, FieldValue]:
    fields: dict[str, FieldValue] = {}
    for name, pattern in patterns:
        if name in fields:
            continue  # the first wording that matches states it
        m = re.search(pattern, joined.text)
        if m:
            fields[name] = _number_field(joined, m)
    return fields


def _shares(joined: JoinedText, fields: dict[str, FieldValue]) -> None:
    """Each share (percent) from the first statement of its amount with a share; one whose amount
    differs from the amount already read (another base, e.g. 一般公共预算) is not taken."""
    for name, part, pattern in SHARE_PATTERNS:
        for m in re.finditer(pattern, joined.text):
            amount = _number_field(joined, m, 1).value
            if part in fields and fields[part].value != amount:
                continue
            fields[name] = _number_field(joined, m, 2)
            break


def _performance(joined: JoinedText, fields: dict[str, FieldValue]) -> None:
    """绩效目标管理: the 财政拨款 project count and the amount stated with it in the same clause
    (a clause about 非财政拨款 projects or the 整体 target is not it)."""
    best: tuple[int, re.Match[str]] | None = None
    for m in _PERF_CLAUSE.finditer(joined.text):
        clause = re.split(r"[。；;]", joined.text[: m.start()])[-1]
        if "绩效" not in joined.text[max(0, m.start() - 200) : m.start()] or "非财政" in clause:
            continue
        rank = 0 if "财政拨款" in clause or "财政拨款" in m.group(0) else 1
        if best is None or rank < best[0]:
            best = (rank, m)
    if best is not None:
        pair = best[1]
        fields["performance_projects"] = _number_field(joined, pair, 1 if pair.group(1) else 2)
        fields["performance_amount"] = _number_field(joined, pair, 3)
        return
    count = _PERF_PROJECTS.search(joined.text)
    if count:
        fields["performance_projects"] = _number_field(joined, count)


def parse_narrative(text: str, segment: Segment) -> list[Record]:
    joined = _joined(text, segment.start, segment.end)
    fields = _apply(joined, NARRATIVE_PATTERNS)
    _shares(joined, fields)
    _performance(joined, fields)
    if not fields:
        return []
    return [Record("narrative_facts", "", segment.title, "万元", fields, segment.index)]


def parse_profile(text: str, segment: Segment) -> list[Record]:
    joined = _joined(text, segment.start, segment.end)
    fields = _apply(joined, PROFILE_PATTERNS)
    a, b = _functions_region(joined.text)
    functions = numbered_items(joined.text[a:b])
    span = joined.span(a + functions[0][1], a + functions[-1][2]) if functions else None
    if functions and span:
        fields["functions"] = FieldValue([t for t, _, _ in functions], span, ["printed", "list"])
    m = re.search(r"(?:分别是|分别为|包括)[:：]([^。]+)", joined.text)
    if m:
        units = [u for u in re.split(r"[、，,；;]", m.group(1)) if u]
        span = joined.span(m.start(1), m.end(1))
        fields["internal_units"] = FieldValue(units, span, ["printed", "list"])
    if not fields:
        return []
    return [Record("department_profile", "", segment.title, None, fields, segment.index)]


_NEXT_PART = re.compile(r"二、[^。]{0,12}?(?:机构|人员|编制)")


def _functions_region(joined: str) -> tuple[int, int]:
    """The 主要职能 part of the 概况: after its heading, up to the next part (二、机构设置…)."""
    head = re.search(r"主要职能|主要职责|职能职责", joined)
    start = head.end() if head else 0
    nxt = _NEXT_PART.search(joined, start)
    return start, nxt.start() if nxt else len(joined)


_UNIT_NAME = re.compile(
    r"(?:编制单位|编制部门|部门（单位）名称|单位名称|实施单位)[:：]?\s*([^\s:：]{4,40}?(?:局|委员会|委|办公室|中心|所|院|厅|部))"
)
# the unit a table header names: 部门：江苏省人大常委会办公厅 / 单位：定州市人民政府信访局 (not 单位：万元)
_HEADER_UNIT = re.compile(
    r"(?:^|\n)\s*(?:部门|单位)[:：][ \t]*(?!万元|元|千元|亿元)([\u4e00-\u9fff（）()]{4,40}?(?:局|委员会|委|办公室|办公厅|中心|所|院|厅|部|大学|学校|会))"
    r"(?=[\s\t]|单位|$)"
)
_YEAR = re.compile(r"(20\d\d)\s*年")
# a part heading ("第二部分 2023年单位预算公开表") and a title naming a budget or final accounts
# ("关于…局2023年收支预算情况的总体说明", "2023年度部门决算")
_PART_YEAR = re.compile(r"第[一二三四五六七八九十\d]{1,3}部分\s*(20\d\d)\s*年")
_TITLE_YEAR = re.compile(r"(20\d\d)\s*年度?[^\n，。；,;\d]{0,30}?(?:预算|决算)")


def _fiscal_year(text: str) -> tuple[re.Match[str], str] | None:
    """The year of the document, by priority: the title block (the lines before the first
    sentence: "第一部分 2024 年…概况", "(2022年)" under a table title), a part heading anywhere, the
    first title naming a 预算/决算, and last the first year near the top."""
    pos = 0
    for line in text[:600].split("\n"):
        if re.search(r"[。，；,;]", line):
            break
        m = _YEAR.search(text, pos, pos + len(line))
        if m:
            return m, "title"
        pos += len(line) + 1
    for pattern, where in ((_PART_YEAR, "part_heading"), (_TITLE_YEAR, "budget_title")):
        m = pattern.search(text)
        if m:
            return m, where
    m = _YEAR.search(text, 0, 600)
    return (m, "head") if m else None


def document_info(text: str, segments: list[Segment]) -> tuple[DocumentInfo, Record]:
    info = DocumentInfo()
    fields: dict[str, FieldValue] = {}
    m = _UNIT_NAME.search(text)
    if m:
        info.unit_name = m.group(1)
        fields["unit_name"] = FieldValue(m.group(1), (m.start(1), m.end(1)), ["printed", "pattern"])
    elif (h := _HEADER_UNIT.search(text)) is not None:
        info.unit_name = h.group(1)
        fields["unit_name"] = FieldValue(
            h.group(1), (h.start(1), h.end(1)), ["printed", "pattern:table_header"]
        )
    else:
        head = re.search(
            r"([\u4e00-\u9fff]{2,30}市场监督管理局|[\u4e00-\u9fff]{2,30}(?:局|委员会))", text[:400]
        )
        if head:
            name = head.group(1)
            skip = len(name) - len(name.lstrip("年度"))  # 2017年定州市信访局: the year's 年 is no part of it
            info.unit_name = name[skip:]
            # a guess from the words near the top: a reviewer confirms it
            fields["unit_name"] = FieldValue(
                name[skip:],
                (head.start(1) + skip, head.end(1)),
                ["printed", "title", "uncertain:guessed_from_head"],
            )
    found = _fiscal_year(text)
    if found:
        y, where = found
        info.fiscal_year = int(y.group(1))
        fields["fiscal_year"] = FieldValue(
            info.fiscal_year, (y.start(1), y.end(1)), ["printed", f"year:{where}"]
        )
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
