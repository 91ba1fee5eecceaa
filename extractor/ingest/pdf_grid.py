"""Ruled tables of a PDF page: the grid the ruling lines draw, merged cells, and the characters in each cell.

A cell's characters are one cell however the PDF wrapped them: a name printed on two lines, a name above
its code in the same cell, a number pushed to the next line. Where a boundary between two grid cells is
not drawn, the two are one merged cell.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from extractor.ingest.pdf_geometry import Char, Rule

_SNAP = 2.0  # points: rules closer than this are one rule


@dataclass
class GridCell:
    row: int
    col: int
    rows: int = 1
    cols: int = 1
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    chars: list[Char] = field(default_factory=list)
    dropped: bool = False


@dataclass
class Grid:
    x0: float
    top: float
    x1: float
    bottom: float
    rows: int
    cols: int
    cells: list[GridCell]  # each merged cell once, in row-major order of its top-left grid cell
    xs: list[float] = field(default_factory=list)
    ys: list[float] = field(default_factory=list)
    at: dict[tuple[int, int], GridCell] = field(default_factory=dict)  # (row, col) of a grid cell → its cell

    def contains(self, ch: Char) -> bool:
        cx = (ch.x0 + ch.x1) / 2
        return self.x0 - 1 <= cx <= self.x1 + 1 and self.top - 1 <= ch.cy <= self.bottom + 1

    def claimed(self) -> set[int]:
        return {id(ch) for cell in self.cells for ch in cell.chars}


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= _SNAP:
            continue
        out.append(v)
    return out


def _bands(verticals: list[Rule]) -> list[tuple[float, float]]:
    """Vertical extents of groups of vertical rules that overlap: one band per table."""
    bands: list[list[float]] = []
    for r in sorted(verticals, key=lambda r: r.top):
        if bands and r.top <= bands[-1][1] + _SNAP:
            bands[-1][1] = max(bands[-1][1], r.bottom)
        else:
            bands.append([r.top, r.bottom])
    return [(a, b) for a, b in bands]


def find_grids(rules: list[Rule], chars: list[Char], width: float, height: float) -> list[Grid]:
    """The ruled tables of a page. Rules along the page's own edges (a background rectangle) are not
    table rules."""
    rules = [r for r in rules if not _on_page_edge(r, width, height)]
    horizontals = [r for r in rules if r.horizontal]
    verticals = [r for r in rules if not r.horizontal]
    grids: list[Grid] = []
    claimed: set[int] = set()  # a character belongs to one grid at most
    for top, bottom in _bands(verticals):
        vs = [r for r in verticals if r.top >= top - _SNAP and r.bottom <= bottom + _SNAP]
        xs = _snap([(r.x0 + r.x1) / 2 for r in vs])
        if len(xs) < 3:
            continue
        hs = [
            r
            for r in horizontals
            if top - _SNAP <= (r.top + r.bottom) / 2 <= bottom + _SNAP
            and r.x1 > xs[0] + _SNAP
            and r.x0 < xs[-1] - _SNAP
        ]
        ys = _snap([top, bottom, *((r.top + r.bottom) / 2 for r in hs)])
        if len(ys) < 3:
            continue
        grid = _build(xs, ys, vs, hs)
        _fill(grid, [ch for ch in chars if id(ch) not in claimed])
        _drop_margins(grid)
        if sum(1 for c in grid.cells if c.chars) >= 2:
            grids.append(grid)
            claimed.update(id(ch) for cell in grid.cells for ch in cell.chars)
    return grids


def _on_page_edge(r: Rule, width: float, height: float) -> bool:
    near = 2.0
    if r.horizontal:
        return r.top <= near or r.bottom >= height - near
    return r.x0 <= near or r.x1 >= width - near


def _drop_margins(grid: Grid) -> None:
    """A cell as tall as the whole grid is no table cell: it is the margin between a page frame and the
    table (its text, a running header, is printed above the table, not in it). It is dropped, and its
    characters are read as text."""
    for cell in grid.cells:
        if grid.rows >= 3 and cell.rows == grid.rows and cell.cols < grid.cols:
            cell.dropped = True
        if cell.dropped:
            cell.chars = []


def _by_line(
    rules: list[Rule], positions: list[float], vertical: bool
) -> dict[int, list[tuple[float, float]]]:
    """The extents of the rules on each grid line (index into `positions`)."""
    out: dict[int, list[tuple[float, float]]] = {}
    for r in rules:
        at = (r.x0 + r.x1) / 2 if vertical else (r.top + r.bottom) / 2
        i = min(range(len(positions)), key=lambda k: abs(positions[k] - at))
        if abs(positions[i] - at) <= _SNAP:
            out.setdefault(i, []).append((r.top, r.bottom) if vertical else (r.x0, r.x1))
    return out


def _covered(extents: list[tuple[float, float]], at: float) -> bool:
    return any(a - _SNAP <= at <= b + _SNAP for a, b in extents)


def _build(xs: list[float], ys: list[float], vs: list[Rule], hs: list[Rule]) -> Grid:
    nrows, ncols = len(ys) - 1, len(xs) - 1
    owner = list(range(nrows * ncols))

    def find(i: int) -> int:
        while owner[i] != i:
            owner[i] = owner[owner[i]]
            i = owner[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            owner[max(ra, rb)] = min(ra, rb)

    on_x = _by_line(vs, xs, vertical=True)
    on_y = _by_line(hs, ys, vertical=False)
    for j in range(nrows):
        ymid = (ys[j] + ys[j + 1]) / 2
        for i in range(ncols - 1):
            if not _covered(on_x.get(i + 1, []), ymid):
                union(j * ncols + i, j * ncols + i + 1)
    for i in range(ncols):
        xmid = (xs[i] + xs[i + 1]) / 2
        for j in range(nrows - 1):
            if not _covered(on_y.get(j + 1, []), xmid):
                union(j * ncols + i, (j + 1) * ncols + i)
    groups: dict[int, list[int]] = {}
    for k in range(nrows * ncols):
        groups.setdefault(find(k), []).append(k)
    cells: list[GridCell] = []
    for root in sorted(groups):
        members = groups[root]
        rws = [k // ncols for k in members]
        cls = [k % ncols for k in members]
        r0, r1, c0, c1 = min(rws), max(rws), min(cls), max(cls)
        cell = GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])
        # grid cells joined into something other than a rectangle are the space around a table, not a cell
        cell.dropped = len(members) != cell.rows * cell.cols
        cells.append(cell)
    cells.sort(key=lambda c: (c.row, c.col))
    at = {
        (r, c): cell
        for cell in cells
        for r in range(cell.row, cell.row + cell.rows)
        for c in range(cell.col, cell.col + cell.cols)
    }
    return Grid(xs[0], ys[0], xs[-1], ys[-1], nrows, ncols, cells, xs, ys, at)


def _fill(grid: Grid, chars: list[Char]) -> None:
    for ch in chars:
        if not grid.contains(ch):
            continue
        col = min(max(bisect_right(grid.xs, (ch.x0 + ch.x1) / 2) - 1, 0), grid.cols - 1)
        row = min(max(bisect_right(grid.ys, ch.cy) - 1, 0), grid.rows - 1)
        grid.at[(row, col)].chars.append(ch)
