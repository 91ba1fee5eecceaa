"""Assembling table rows (code parts, label, numbers) from the lines of any layout."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.layout import Cell, Layout, Line, is_total_label
from extractor.numbers import parse_amount

_CJK = re.compile(r"[\u4e00-\u9fff]")
_INT = re.compile(r"^\d{1,7}$")


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


@dataclass
class JoinedText:
    """Text joined from several cells with whitespace removed, keeping each char's offset."""

    text: str = ""
    offsets: list[int] = field(default_factory=list)

    def add(self, cell: Cell, source: str) -> None:
        for i in range(cell.start, cell.end):
            ch = source[i]
            if not ch.isspace() and ch != "\u3000":
                self.text += ch
                self.offsets.append(i)

    def span(self, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
        end = len(self.text) if end is None else end
        if start >= end:
            return None
        return (self.offsets[start], self.offsets[end - 1] + 1)

    def contiguous(self, start: int = 0, end: int | None = None) -> bool:
        end = len(self.text) if end is None else end
        return all(self.offsets[i + 1] == self.offsets[i] + 1 for i in range(start, end - 1))


@dataclass
class RawRow:
    code_parts: list[Cell] = field(default_factory=list)
    label_cells: list[Cell] = field(default_factory=list)
    extra_text: list[Cell] = field(default_factory=list)  # a second text column (project name)
    values: list[Cell] = field(default_factory=list)  # non-blank numeric cells, in order
    positions: list[int] | None = None  # index of each value among the row's value cells
    value_cells: int | None = None  # how many value cells the row has (cells layout)
    is_total: bool = False

    @property
    def start(self) -> int:
        cells = self.code_parts + self.label_cells + self.values
        return min(c.start for c in cells) if cells else 0


def _numeric(cell: Cell) -> float | None:
    return parse_amount(cell.text)


def rows_from_cells(lines: list[Line], text_columns: int = 1) -> list[RawRow]:
    """Rows of a `cells` layout: [code cells] label [second text cell] value cells (positions kept)."""
    out: list[RawRow] = []
    for line in lines:
        cells = list(line.cells)
        # a cell holding "201 一般公共服务支出" is split into its code and its label
        expanded: list[Cell] = []
        for c in cells:
            m = re.match(r"^(\d{3}(?:\s+\d{1,2}){0,2})\s*([\u4e00-\u9fff].*)$", c.text, re.S)
            if m and not expanded:
                code_end = c.start + len(m.group(1))
                expanded.append(Cell(m.group(1), c.start, code_end))
                lab_start = c.start + m.start(2)
                expanded.append(Cell(m.group(2), lab_start, c.end))
            else:
                expanded.append(c)
        cells = expanded
        row = RawRow()
        i = 0
        while i < len(cells) and i < 3 and (cells[i].blank or _INT.match(cells[i].text.replace(" ", ""))):
            if not cells[i].blank:
                row.code_parts.extend(_split_code(cells[i]))
            i += 1
        if i < len(cells) and not cells[i].blank and _numeric(cells[i]) is None:
            row.label_cells.append(cells[i])
            i += 1
        elif i < len(cells) and cells[i].blank:
            i += 1  # the label's cell, left blank
        if text_columns > 1 and i < len(cells) and _numeric(cells[i]) is None:
            if not cells[i].blank:
                row.extra_text.append(cells[i])
            i += 1
        # a 合计 printed in the second text column (项目名称) with the code and name cells blank
        if not (row.code_parts or row.label_cells) and is_total_label(
            "".join(c.text for c in row.extra_text)
        ):
            row.label_cells, row.extra_text = row.extra_text, []
        label = "".join(c.text for c in row.label_cells)
        row.is_total = is_total_label(label) and not row.code_parts
        value_cells = cells[i:]
        if not row.code_parts and not row.is_total:
            continue
        positions: list[int] = []
        ok = True
        for j, c in enumerate(value_cells):
            if c.blank:
                continue
            if _numeric(c) is None:
                ok = False
                continue
            row.values.append(c)
            positions.append(j)
        row.positions = positions if ok else None
        row.value_cells = len(value_cells) if ok else None
        out.append(row)
    return out


def _split_code(cell: Cell) -> list[Cell]:
    out: list[Cell] = []
    for m in re.finditer(r"\d+", cell.text):
        out.append(Cell(m.group(), cell.start + m.start(), cell.start + m.end()))
    return out


_MAX_LABEL_LINES = 14


def rows_from_flow(lines: list[Line]) -> list[RawRow]:
    """Rows of a `flow` or `tsv` layout: a row starts at a line opening with a code or a total label;
    its label may continue over the next lines until its numbers come."""
    out: list[RawRow] = []
    pending: RawRow | None = None
    label_lines = 0

    def close() -> None:
        nonlocal pending
        if pending is not None and (pending.values or pending.code_parts or pending.is_total):
            out.append(pending)
        pending = None

    for line in lines:
        toks = [c for c in line.cells if not c.blank]
        if not toks:
            continue
        first = toks[0]
        all_numeric = all(_numeric(t) is not None for t in toks)
        if all_numeric:
            ints = all(_INT.match(t.text) for t in toks)
            if pending is not None and pending.label_cells and not pending.values:
                pending.values.extend(toks)
                continue
            if ints and len(toks) <= 3 and all(len(t.text) <= 3 for t in toks[1:]):
                close()
                pending, label_lines = RawRow(code_parts=toks), 0
            continue
        if _INT.match(first.text) and len(first.text) in (1, 2, 3, 5, 7):
            # a new coded row: code parts, then label, then numbers
            close()
            row = RawRow()
            i = 0
            while i < len(toks) and _INT.match(toks[i].text) and i < 3:
                row.code_parts.append(toks[i])
                i += 1
            _fill_label_and_values(row, toks[i:])
            pending, label_lines = row, 0
            continue
        if is_cjk(first.text):
            lead = _leading_label(toks)
            label_text = "".join(t.text for t in lead)
            if is_total_label(label_text):
                close()
                row = RawRow(is_total=True)
                _fill_label_and_values(row, toks)
                pending, label_lines = row, 0
                continue
            if (
                pending is not None
                and not pending.values
                and not pending.is_total
                and label_lines < _MAX_LABEL_LINES
            ):
                _fill_label_and_values(pending, toks)
                label_lines += 1
                continue
            close()
            continue
        close()
    close()
    return out


def _leading_label(toks: list[Cell]) -> list[Cell]:
    lead: list[Cell] = []
    for t in toks:
        if _numeric(t) is not None:
            break
        lead.append(t)
    return lead


def _fill_label_and_values(row: RawRow, toks: list[Cell]) -> None:
    for t in toks:
        if _numeric(t) is not None and (row.label_cells or row.is_total or row.values):
            row.values.append(t)
        elif _numeric(t) is None and not row.values:
            row.label_cells.append(t)


def assemble_rows(layout: Layout, lines: list[Line], text_columns: int = 1) -> list[RawRow]:
    if layout == "cells":
        return rows_from_cells(lines, text_columns)
    return rows_from_flow(lines)
