"""部门职责-工作活动绩效目标 (定州): 职责活动 | 年度预算数 | 内容描述 | 绩效目标 | 绩效指标 | 评价标准, read by
its printed header. A 职责活动 row with no 绩效指标 and no 评价标准 heads the activities under it; an activity is keyed
under the head it stands under (`社会救助/城乡低保`). Only rows that print a 年度预算数 are records (a
sub-activity repeated once per indicator prints it on its first row): the activity and its budget. The
texts (内容描述, 绩效目标, 指标, 评价标准) stay in the document. No check covers the budgets (a head's budget is
the sum of its activities' only where each of them prints one, which the records cannot tell), so they go
to review."""

from __future__ import annotations

import re

from extractor.classify import compact
from extractor.model import FieldValue, Record, Segment
from extractor.numbers import parse_amount
from extractor.parsers.grid import HEADER_REASON
from extractor.parsers.header_rows import cell_rows

KIND = "activity_performance_target"
_ROLES = (("activity", r"职责活动|工作活动"), ("budget", r"预算数|预算金额"), ("indicator", r"绩效指标"))


def parse_activity_targets(text: str, segment: Segment) -> list[Record]:
    rows = cell_rows(text, segment)
    if rows is None:
        return []
    lines, width = rows
    columns: dict[str, int] = {}
    start = -1
    for i, line in enumerate(lines):
        found = {
            role: j
            for j, c in enumerate(line.cells)
            for role, pattern in _ROLES
            if re.search(pattern, compact(c.text)) and role not in columns
        }
        if {"activity", "budget", "indicator"} <= set(found):
            columns, start = found, i
        elif columns:
            break
    if start < 0 or max(columns.values()) >= width:
        return []
    records: list[Record] = []
    seen: set[str] = set()
    head: str | None = None
    for line in lines[start + 1 :]:
        if len(line.cells) < width:
            continue
        act, budget = line.cells[columns["activity"]], line.cells[columns["budget"]]
        name = compact(act.text)
        if not name or re.search(r"职责活动|工作活动", name):
            continue
        # a head prints no indicator and no 评价标准: everything from the 绩效指标 column on is blank
        heads = all(c.blank for c in line.cells[columns["indicator"] :])
        if heads:
            head = name
        value = parse_amount(budget.text)
        if value is None:
            continue
        key = name if heads or head is None else f"{head}/{name}"
        if key in seen:
            continue
        seen.add(key)
        fields = {
            "activity": FieldValue(name, (act.start, act.end), ["printed"]),
            "budget": FieldValue(value, (budget.start, budget.end), ["printed", HEADER_REASON]),
        }
        records.append(Record(KIND, key, segment.title, segment.unit, fields, segment.index))
    return records
