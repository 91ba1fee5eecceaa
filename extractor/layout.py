"""From a table's text to rows of cells, whatever the layout the exporter left behind.

Three layouts are recognised (the corpus README names them):
- `cells`: Word's text export, one cell per line prefixed by a tab, rows separated by blank lines;
  a line without the tab continues the cell above. Cell positions are known (empty cells kept).
- `tsv`: one row per line, cells separated by tabs.
- `flow`: PDF text, one row per line where possible, cells separated by spaces; a row's label may
  wrap over several lines and its numbers may sit on a line of their own. Positions are unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from extractor.model import PAGE_BREAK

Layout = Literal["cells", "tsv", "flow"]


@dataclass(frozen=True)
class Cell:
    text: str
    start: int
    end: int

    @property
    def blank(self) -> bool:
        return not self.text.strip().strip("\u3000").strip()


@dataclass
class Line:
    cells: list[Cell]
    start: int
    end: int


def detect_layout(text: str) -> Layout:
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if not lines:
        return "flow"
    tab_first = sum(1 for ln in lines if ln.startswith("\t"))
    tab_inner = sum(1 for ln in lines if "\t" in ln.strip("\t") or ln.count("\t") >= 2)
    if tab_first >= 0.5 * len(lines):
        return "cells"
    if tab_inner >= 0.3 * len(lines):
        return "tsv"
    return "flow"


_TOKEN = re.compile(r"[^\s\u3000]+")


def tokens_of(text: str, offset: int) -> list[Cell]:
    return [Cell(m.group(), offset + m.start(), offset + m.end()) for m in _TOKEN.finditer(text)]


def _strip_cell(raw: str, offset: int) -> Cell:
    left = len(raw) - len(raw.lstrip(" \t\u3000"))
    core = raw.strip(" \t\u3000")
    return Cell(core, offset + left, offset + left + len(core))


def cell_rows(text: str, start: int, end: int) -> list[Line]:
    """Rows of a `cells` layout region: blank lines separate rows, each tab-prefixed line is a cell."""
    rows: list[Line] = []
    cur: list[Cell] = []
    pos = start
    row_start = start
    for raw in text[start:end].split("\n"):
        line_start, pos = pos, pos + len(raw) + 1
        if raw == PAGE_BREAK:
            continue  # a page break inside a table neither ends a row nor joins a cell
        if raw == "" or (not raw.strip() and not raw.startswith("\t")):
            if cur:
                rows.append(Line(cur, row_start, cur[-1].end))
            cur = []
            row_start = pos
            continue
        if raw.startswith("\t"):
            for j, piece in enumerate(raw[1:].split("\t")):
                piece_off = line_start + 1 + sum(len(p) + 1 for p in raw[1:].split("\t")[:j])
                cur.append(_strip_cell(piece, piece_off))
        elif cur and not cur[-1].blank:
            prev = cur[-1]
            extra = _strip_cell(raw, line_start)
            cur[-1] = Cell(prev.text + "\n" + extra.text, prev.start, extra.end if extra.text else prev.end)
        else:
            cur.append(_strip_cell(raw, line_start))
    if cur:
        rows.append(Line(cur, row_start, cur[-1].end))
    return rows


def text_lines(text: str, start: int, end: int, layout: Layout) -> list[Line]:
    """Rows of a `tsv` or `flow` region: one line each; cells split on tabs (tsv) or spaces (flow)."""
    out: list[Line] = []
    pos = start
    for raw in text[start:end].split("\n"):
        line_start, pos = pos, pos + len(raw) + 1
        if not raw.strip():
            continue
        if layout == "tsv":
            cells: list[Cell] = []
            off = line_start
            for piece in raw.split("\t"):
                cells.append(_strip_cell(piece, off))
                off += len(piece) + 1
        else:
            cells = tokens_of(raw, line_start)
        out.append(Line(cells, line_start, line_start + len(raw)))
    return out


def grid_end(text: str, start: int, end: int) -> int | None:
    """Where a `cells` grid ends when prose follows it in the same region (a table whose last page runs on
    into the 说明 of its codes): the first blank line after the last tab-prefixed line, if the region up to
    there is a `cells` grid and the rest is not. None when the region is one layout throughout."""
    region = text[start:end]
    last_tab = region.rfind("\n\t")
    if last_tab < 0:
        return None
    blank = region.find("\n\n", last_tab + 2)
    if blank < 0 or not region[blank:].strip():
        return None
    if detect_layout(region[:blank]) != "cells" or detect_layout(region) == "cells":
        return None
    return start + blank + 1


def region_lines(text: str, start: int, end: int) -> tuple[Layout, list[Line]]:
    end = grid_end(text, start, end) or end
    layout = detect_layout(text[start:end])
    if layout == "cells":
        return layout, cell_rows(text, start, end)
    lines = text_lines(text, start, end, layout)
    return layout, _rejoin_totals(lines) if layout == "flow" else lines


_TOTAL_LABEL = re.compile(r"^(?:[一二三四五六七八九十]+、)?.{0,10}[合总]计$")


def is_total_label(text: str) -> bool:
    """A 合计 / 总计 row label (`合计`, `收入总计`, `一、支出合计`), whitespace aside."""
    return bool(_TOTAL_LABEL.match(re.sub(r"\s+", "", text)))


_NUMBER = re.compile(r"^-?[\d,]+(?:\.\d+)?$")


def _rejoin_totals(lines: list[Line]) -> list[Line]:
    """`收入合计 支出合计` over `9,066.79 9,066.79`: a line of total labels whose numbers a PDF's text export
    printed on the next line becomes one line again, each label followed by its number."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        labels = [c for c in line.cells if not c.blank]
        if (
            nxt is not None
            and len(labels) >= 2
            and all(is_total_label(c.text) for c in labels)
            and len([c for c in nxt.cells if not c.blank]) == len(labels)
            and all(_NUMBER.match(c.text) for c in nxt.cells if not c.blank)
        ):
            numbers = [c for c in nxt.cells if not c.blank]
            cells = [c for pair in zip(labels, numbers, strict=True) for c in pair]
            out.append(Line(cells, line.start, nxt.end))
            i += 2
            continue
        out.append(line)
        i += 1
    return out
