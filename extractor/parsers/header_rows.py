"""The rows of a table printed as cells, seen as a header over data: the width the data rows are printed
at, and each column's header words. Shared by the parsers that read columns by their header
(`parsers.grid`, `parsers.coded_header`)."""

from __future__ import annotations

from collections.abc import Callable

from extractor.classify import compact
from extractor.layout import Cell, Line, region_lines
from extractor.model import Segment
from extractor.numbers import parse_amount


def modal_width(lines: list[Line], is_amount: Callable[[Cell], bool]) -> int | None:
    """The number of cells most rows holding an amount are printed with; None without such a row."""
    widths = [len(r.cells) for r in lines if any(is_amount(c) for c in r.cells)]
    if not widths:
        return None
    return max(set(widths), key=widths.count)


def column_words(rows: list[Line], width: int) -> list[str]:
    """Each column's header words: the cells of the header rows printed at `width`, joined top to bottom."""
    return ["".join(compact(r.cells[i].text) for r in rows) for i in range(width)]


def is_amount(cell: Cell) -> bool:
    return parse_amount(cell.text) is not None


def cell_rows(
    text: str, segment: Segment, amount: Callable[[Cell], bool] = is_amount
) -> tuple[list[Line], int] | None:
    """A segment's rows and the width its data rows are printed at, when it is printed as cells (a PDF
    grid, a spreadsheet, a Word table) and holds an amount; None for flowed text."""
    layout, lines = region_lines(text, segment.start, segment.end)
    if layout == "flow":
        return None
    width = modal_width(lines, amount)
    return None if width is None else (lines, width)
