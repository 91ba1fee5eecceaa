"""Tables read by their printed header: each column's field comes from the words of its header cell, each
row's key from its label (or its code), so a region's own column set and order need no rule of their own.

Used for the kinds whose tables differ most between regions and levels: a government's own 决算 and 预算
tables (收入 / 支出 / 收支总表 / 转移支付 / 债务 / 执行情况, with 年初预算, 调整预算, 决算, rates), 收入预算总表 by
source, and the one-row tables (“三公”经费、会议费、培训费). The header must be printed as cells (a PDF grid, a
spreadsheet, a Word table); a table whose header cannot be matched to the kind's fields yields nothing,
and the inventory shows it as not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.classify import compact
from extractor.codes import join_code
from extractor.layout import Cell, Line
from extractor.model import FieldValue, Record, Segment
from extractor.numbers import parse_amount
from extractor.parsers.header_rows import cell_rows, column_words
from schemas import KIND_MODELS
from schemas.coded import TOTAL_KEY
from schemas.grid import NUMBERING, VOCABULARY, level_of

HEADER_REASON = "column:header"

# a label column: 项目 / 科目名称 / 地区 …; a code column: 科目编码 / 功能分类科目编码
_LABEL_HEADER = re.compile(r"项目|名称|科目$|地区|区域|类别|级次|[区县市）)]别$")  # 行政级次, 区、县（市）别
_CODE_HEADER = re.compile(r"编码|代码")
_SEQ_HEADER = re.compile(r"^序号$|^编号$|^行次$")
_TEXT_ROLES = ("label", "code", "seq", "")
_TOTAL_LABEL = re.compile(r"(?:合计|总计|小计)$")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")


@dataclass
class Column:
    index: int
    role: str  # "label", "code" or a field name
    side: int  # 0, or 1 for the second side of a two-sided table (项目 | 决算 | 项目 | 决算)


def label_key(label: str) -> str:
    """A row key from a printed label: without its numbering and spaces."""
    return NUMBERING.sub("", compact(label)).strip("：:")


def _is_amount(cell: Cell) -> bool:
    return parse_amount(cell.text.replace("%", "")) is not None


def _columns(kind: str, header_rows: list[Line], width: int) -> list[Column]:
    """Each column's role from the header rows printed at the data's width (joined top to bottom)."""
    rows = [r for r in header_rows if len(r.cells) == width]
    if rows:
        texts = column_words(rows, width)
    else:
        # a header narrower than the rows (项目名称 over two label columns): its cells stand over the
        # rightmost columns, the value columns; the columns left of it are labels
        narrower = [r for r in header_rows if 2 <= len(r.cells) < width and any(not c.blank for c in r.cells)]
        if not narrower:
            return []
        head = max(narrower, key=lambda r: len(r.cells))
        texts = ["项目"] * (width - len(head.cells)) + [compact(c.text) for c in head.cells]
    vocab = VOCABULARY[kind]
    out: list[Column] = []
    side = 0
    for i, text in enumerate(texts):
        field = _field_of(text, vocab)
        if field and any(c.role == field and c.side == side for c in out):
            field = ""  # a second column of the same field (同期完成 beside 累计完成) is not read
        if _CODE_HEADER.search(text):
            role = "code"
        elif _SEQ_HEADER.search(text):
            role = "seq"
        elif _LABEL_HEADER.search(text) and (not field or text.startswith("项目")):
            role = "label"
        else:
            role = field
        if role == "label" and any(c.role not in _TEXT_ROLES for c in out if c.side == side):
            side += 1  # a second 项目 after amounts: the other side of a 收支总表
        out.append(Column(i, role, side))
    return out


def _field_of(text: str, vocab: tuple[tuple[str, str], ...]) -> str:
    """The field a header names: a percentage is a rate (比上年 / 比同期 / 增长: growth, else completion);
    last year's figures (上年, 同期) are no field of this year's table."""
    if "%" in text or "％" in text:
        if re.search(r"增|比|同期|上年", text):
            return "growth_rate" if any(f == "growth_rate" for f, _ in vocab) else ""
        return "completion_rate" if any(f == "completion_rate" for f, _ in vocab) else ""
    if re.search(r"同期|上年|去年", text):
        return ""
    return next((f for f, p in vocab if re.search(p, text)), "")


def parse_grid_table(text: str, segment: Segment) -> list[Record]:
    """Records of a table whose header names its columns; [] when the header cannot be read."""
    assert segment.kind is not None
    rows = cell_rows(text, segment, _is_amount)
    if rows is None:
        return []
    lines, width = rows
    first_data = next(
        i for i, r in enumerate(lines) if len(r.cells) > 1 and any(_is_amount(c) for c in r.cells)
    )
    columns = _columns(segment.kind, lines[:first_data], width)
    if not columns or not any(c.role not in _TEXT_ROLES for c in columns):
        return []
    sides = sorted({c.side for c in columns})
    two_sided = len(sides) > 1
    subject = compact(segment.title)
    records: list[Record] = []
    seen: dict[str, int] = {}
    values_width = sum(1 for c in columns if c.role not in _TEXT_ROLES)
    for row in lines[first_data:]:
        if len(row.cells) < width and len(row.cells) > values_width:
            # a label cell merged over several label columns (收入总计 across 项目名称): right-aligned
            blank = Cell("", row.start, row.start)
            row = Line([blank] * (width - len(row.cells)) + row.cells, row.start, row.end)
        if len(row.cells) != width:
            continue
        for side in sides:
            mine = [c for c in columns if c.side == side]
            rec = _record(segment, row, mine, subject, two_sided, side)
            if rec is None:
                continue
            n = seen.get(rec.key, 0) + 1
            seen[rec.key] = n
            if n > 1:
                rec.key = f"{rec.key}#{n}"
            records.append(rec)
    return records


def _record(
    segment: Segment, row: Line, columns: list[Column], subject: str, two_sided: bool, side: int
) -> Record | None:
    label_cells = [row.cells[c.index] for c in columns if c.role == "label" and not row.cells[c.index].blank]
    code_cells = [row.cells[c.index] for c in columns if c.role == "code" and not row.cells[c.index].blank]
    values = [(c, row.cells[c.index]) for c in columns if c.role not in _TEXT_ROLES]
    seq_cells = [row.cells[c.index] for c in columns if c.role == "seq" and not row.cells[c.index].blank]
    numbers = [(c, cell, parse_amount(cell.text.replace("%", ""))) for c, cell in values if not cell.blank]
    if not label_cells and not code_cells or not any(v is not None for _, _, v in numbers):
        return None
    label = label_cells[-1] if label_cells else None
    group = label_cells[0] if len(label_cells) > 1 else None
    code = join_code([c.text for c in code_cells]) if code_cells else None
    name = compact(label.text) if label is not None else ""
    key_label = label_key(name)
    is_total = group is None and (
        bool(_TOTAL_LABEL.search(key_label))
        and level_of(name) is None
        or bool(key_label)
        and not two_sided
        and (key_label in subject or key_label in subject.replace("预算", ""))
    )
    if is_total:
        key = TOTAL_KEY
    elif code is not None and _CODE.match(code):
        key = code
    elif group is not None:
        key = f"{label_key(compact(group.text))}/{key_label}"  # 一般公共预算资金/小计
    else:
        key = key_label
    if two_sided:
        key = f"{'income' if side == 0 else 'expenditure'}:{key_label or key}"
    fields: dict[str, FieldValue] = {}
    if label is not None:
        fields["name"] = FieldValue(name, (label.start, label.end), ["printed"])
    if seq_cells and "seq" in KIND_MODELS[segment.kind or ""].model_fields:
        fields["seq"] = FieldValue(
            compact(seq_cells[0].text), (seq_cells[0].start, seq_cells[0].end), ["printed"]
        )
    if group is not None and "group" in KIND_MODELS[segment.kind or ""].model_fields:
        fields["group"] = FieldValue(compact(group.text), (group.start, group.end), ["printed"])
    for col, cell, value in numbers:
        if value is None:
            continue
        fields[col.role] = FieldValue(value, (cell.start, cell.end), ["printed", HEADER_REASON])
    if len(fields) <= (1 if label is not None else 0):
        return None
    return Record(segment.kind or "", key, segment.title, segment.unit, fields, segment.index)
