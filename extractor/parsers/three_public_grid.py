"""“三公”经费 tables printed as one row under a header of two or three levels, with 会议费 and 培训费 beside
them (Jiangsu 公开表九, 定州 三公及会议培训经费): each column's field from its header words. The table gives
two records: `three_public_expenses` and `meeting_training_expenses` (the 合计 over all of them)."""

from __future__ import annotations

import re

from extractor.classify import compact
from extractor.layout import Cell, Line, region_lines
from extractor.model import FieldValue, Record, Segment
from extractor.numbers import parse_amount
from extractor.parsers.grid import HEADER_REASON

# header words → field; 小计 takes the group it heads (the next column's words)
_WORDS: tuple[tuple[str, str], ...] = (
    ("overseas_travel", r"因公出国"),
    ("reception", r"公务接待"),
    ("vehicles_total", r"公务用车购置及运行|购置及运行"),
    ("vehicle_purchase", r"购置费?$|车辆购置"),
    ("vehicle_operation", r"运行(?:维护|维修)?费"),
    ("meeting", r"会议费"),
    ("training", r"培训费"),
)
_TRAILING = re.compile(r"培训费\s*\n\s*(-?[\d,]+(?:\.\d+)?)")


def has_meeting_columns(text: str, segment: Segment) -> bool:
    head = compact(text[segment.start : min(segment.end, segment.start + 1500)])
    return "会议费" in head or "培训费" in head


def _role(texts: list[str], i: int, wide: bool) -> str:
    t = texts[i]
    for name, pattern in _WORDS:
        if re.search(pattern, t):
            return name
    nxt = texts[i + 1] if i + 1 < len(texts) else ""
    if "小计" in t:
        if "因公出国" in nxt:
            return "total"
        if "购置" in nxt:
            return "vehicles_total"
    if "合计" in t:
        return "grand_total" if wide and i == 0 else "total"
    if "三公" in t:
        return "total"
    return ""


def parse_three_public_meeting(text: str, segment: Segment) -> list[Record]:
    layout, lines = region_lines(text, segment.start, segment.end)
    if layout == "flow":
        return []
    values_row: Line | None = None
    for row in lines:
        amounts = [c for c in row.cells if parse_amount(c.text) is not None]
        if len(amounts) >= 3 and len(amounts) >= 0.6 * sum(1 for c in row.cells if not c.blank):
            values_row = row
            break
    if values_row is None:
        return []
    width = len(values_row.cells)
    header = [r for r in lines[: lines.index(values_row)] if len(r.cells) == width]
    if not header:
        return []
    texts = ["".join(compact(r.cells[i].text) for r in header[-1:]) for i in range(width)]
    wide = any("会议" in t or "培训" in t for t in texts)
    three: dict[str, FieldValue] = {}
    meeting: dict[str, FieldValue] = {}
    for i, cell in enumerate(values_row.cells):
        role = _role(texts, i, wide)
        value = parse_amount(cell.text)
        if not role or value is None and not cell.blank:
            continue
        target = meeting if role in ("meeting", "training", "grand_total") else three
        if role in target:
            continue
        if value is not None:
            target[role] = _field(value, cell)
    if "training" not in meeting and (m := _TRAILING.search(text, values_row.end, segment.end)):
        # the last column printed outside the grid: its header and its amount on lines of their own
        v = parse_amount(m.group(1))
        if v is not None:
            meeting["training"] = FieldValue(v, (m.start(1), m.end(1)), ["printed", HEADER_REASON])
    out: list[Record] = []
    if three:
        out.append(Record("three_public_expenses", "", segment.title, segment.unit, three, segment.index))
    if meeting:
        out.append(
            Record("meeting_training_expenses", "", segment.title, segment.unit, meeting, segment.index)
        )
    return out


def _field(value: float, cell: Cell) -> FieldValue:
    return FieldValue(value, (cell.start, cell.end), ["printed", HEADER_REASON])
