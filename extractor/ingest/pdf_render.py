"""A PDF page's geometry written as the one text layout every parser reads.

- A ruled table becomes the cell layout (the one Word's text export and the other readers write): each
  cell on a line of its own prefixed by a tab, its wrapped lines joined into one; a blank line ends a row;
  a cell merged across columns is written once, a cell merged across rows in every row it spans.
- Everything else becomes lines of text in reading order, the runs a wide gap separates joined by a space.

Each written cell or line gets a `TextBox` (its page and its box), so a span can be shown on the page.
"""

from __future__ import annotations

from statistics import median

from extractor.ingest.pdf_geometry import Char, PageGeometry
from extractor.ingest.pdf_grid import Grid, find_grids
from extractor.model import TextBox

_LATIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def text_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into printed lines, each line ordered left to right. A character joins the line
    its vertical extent overlaps by a third of the smaller height (so a comma, printed low, stays)."""
    lines: list[list[Char]] = []
    tops: list[float] = []
    bottoms: list[float] = []
    for ch in sorted(chars, key=lambda c: c.top):
        if lines:
            overlap = min(ch.bottom, bottoms[-1]) - max(ch.top, tops[-1])
            if overlap >= 0.3 * max(min(ch.height, bottoms[-1] - tops[-1]), 0.1):
                lines[-1].append(ch)
                bottoms[-1] = (
                    max(bottoms[-1], ch.bottom) if ch.height < 2 * (bottoms[-1] - tops[-1]) else bottoms[-1]
                )
                continue
        lines.append([ch])
        tops.append(ch.top)
        bottoms.append(ch.bottom)
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def _runs(line: list[Char], gap_factor: float) -> list[list[Char]]:
    """A line split where the gap between two characters is wider than `gap_factor` × the line height."""
    h = median(c.height for c in line) if line else 1.0
    runs: list[list[Char]] = []
    split = True
    for ch in line:
        if ch.text == " ":
            split = True
            continue
        if runs and not split and ch.x0 - runs[-1][-1].x1 <= gap_factor * h:
            runs[-1].append(ch)
        else:
            runs.append([ch])
        split = False
    return runs


def _join_run(run: list[Char]) -> str:
    """A run's text; a space where two Latin letters or digits stand a space's width apart."""
    out: list[str] = []
    h = median(c.height for c in run)
    for prev, ch in zip([None, *run[:-1]], run, strict=True):
        if prev is not None and prev.text in _LATIN and ch.text in _LATIN:
            gap = ch.x0 - prev.x1
            # glyph boxes are tight, so a narrow digit (1) stands apart from its neighbours: digits need a
            # wider gap than letters before they are two words
            if gap > (0.6 if prev.text.isdigit() or ch.text.isdigit() else 0.22) * h:
                out.append(" ")
        out.append(ch.text)
    return "".join(out)


def line_text(line: list[Char]) -> str:
    return " ".join(_join_run(run) for run in _runs(line, 0.9))


def cell_text(chars: list[Char]) -> str:
    """A cell's characters as one line: wrapped lines joined (with a space only between Latin words)."""
    parts: list[str] = []
    for line in text_lines(chars):
        if all(c.text == " " for c in line):
            continue
        piece = " ".join(_join_run(run) for run in _runs(line, 1.5))
        if (
            parts
            and parts[-1][-1:] in _LATIN
            and piece[:1] in _LATIN
            and not _continues_number(parts[-1], piece)
        ):
            parts.append(" ")
        parts.append(piece)
    return "".join(parts)


def _continues_number(before: str, after: str) -> bool:
    """`1,234.` + `56` or `12,` + `345.67`: a number the cell's width pushed onto the next line."""
    tail = before.rsplit(" ", 1)[-1]
    return bool(tail) and all(c in "0123456789,." for c in tail) and after[:1].isdigit()


class PageWriter:
    """Appends pages to the document text and records the box of every cell and line written."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.boxes: list[TextBox] = []

    def write(self, text: str, page: int = 0, box: tuple[float, float, float, float] | None = None) -> None:
        if box is not None and text:
            self.boxes.append(TextBox(self.length, self.length + len(text), page, *box))
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)

    def page(self, geometry: PageGeometry) -> None:
        grids = find_grids(geometry.rules, geometry.chars, geometry.width, geometry.height)
        claimed = set().union(*(g.claimed() for g in grids)) if grids else set()
        free = [ch for ch in geometry.chars if id(ch) not in claimed]
        # a grid is placed by its first printed character, not its ruled top: a frame's rule may start
        # above the title printed over the table
        blocks: list[tuple[float, object]] = [
            (min((ch.top for cell in g.cells for ch in cell.chars), default=g.top), g) for g in grids
        ]
        blocks += [(min(c.top for c in line), line) for line in text_lines(free)]
        blocks.sort(key=lambda b: b[0])
        for _top, block in blocks:
            if isinstance(block, Grid):
                self._grid(block, geometry.number)
            else:
                line: list[Char] = block  # type: ignore[assignment]
                self._line(line, geometry.number)

    def _line(self, line: list[Char], page: int) -> None:
        text = line_text(line)
        if text:
            self.write(text, page, _bbox(line))
            self.write("\n")

    def _grid(self, grid: Grid, page: int) -> None:
        self.write("\n")
        texts = {id(cell): cell_text(cell.chars) for cell in grid.cells}
        for row in range(grid.rows):
            cells = [c for c in grid.cells if c.row <= row < c.row + c.rows and not c.dropped]
            if not any(texts[id(c)] for c in cells):
                continue
            if len(cells) == 1 and cells[0].row == row:
                # a row that is one cell across the table (a caption, a note): its lines are text
                self.write("\n")
                for line in text_lines(cells[0].chars):
                    self._line(line, page)
                self.write("\n")
                continue
            for cell in sorted(cells, key=lambda c: c.col):
                self.write("\t")
                self.write(texts[id(cell)], page, (cell.x0, cell.top, cell.x1, cell.bottom))
                self.write("\n")
            self.write("\n")


def _bbox(chars: list[Char]) -> tuple[float, float, float, float]:
    return (
        min(c.x0 for c in chars),
        min(c.top for c in chars),
        max(c.x1 for c in chars),
        max(c.bottom for c in chars),
    )
