"""Cell grids of the performance tables for layouts that keep cell boundaries.

Two such layouts occur:

* ``word``: a Word export, one cell per line prefixed by a tab, a cell's text may continue on
  following lines without a tab, rows separated by an empty line (seeds 000, 003);
* ``tsv``: one row per line, cells separated by tabs; a merged cell's text may spill onto a line
  of its own (seed 002).

Everything else (PDF text where cells are only separated by spaces and wrapped over lines) is the
``stream`` layout, parsed by `perf_stream`.

This module also maps a header row (一级指标 / 二级指标 / 三级指标 / 指标值 / ...) to column roles,
and aligns data rows on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from extractor.model import PAGE_BREAK
from extractor.parsers.perf_text import clean_text, trim

Layout = Literal["word", "tsv", "stream"]


@dataclass(frozen=True)
class Cell:
    start: int  # span of the trimmed content; start == end for a blank cell
    end: int
    text: str  # compact text (whitespace removed)

    @property
    def blank(self) -> bool:
        return not self.text


Row = list[Cell]


def _cell(src: str, start: int, end: int) -> Cell:
    s, e = trim(src, start, end)
    if s >= e:
        return Cell(start, start, "")
    return Cell(s, e, clean_text(src[s:e]).replace(" ", ""))


def _lines(src: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = src.find("\n", pos, end)
        stop = end if nl < 0 else nl
        out.append((pos, stop))
        pos = stop + 1
    return out


def detect_layout(src: str, start: int, end: int) -> Layout:
    lines = [(a, b) for a, b in _lines(src, start, end) if src[a:b].strip()]
    if not lines:
        return "stream"
    lead_tab = sum(1 for a, b in lines if src[a] == "\t")
    inner_tab = sum(1 for a, b in lines if "\t" in src[a:b].lstrip("\t"))
    if lead_tab >= 0.3 * len(lines) and lead_tab >= inner_tab:
        return "word"
    if inner_tab >= 0.2 * len(lines):
        return "tsv"
    return "stream"


def word_rows(src: str, start: int, end: int) -> list[Row]:
    """Rows of a Word export: cells are tab-prefixed lines, rows are separated by empty lines."""
    rows: list[Row] = []
    cur: list[list[int]] = []  # [cell_start, cell_end]
    last_was_cell = False
    for a, b in _lines(src, start, end):
        line = src[a:b]
        if line == PAGE_BREAK:
            continue  # a page break inside a table neither ends a row nor joins a cell
        if not line.strip(" \r\u3000\xa0"):
            # an empty line ends the row (a line holding a tab is a blank cell, handled below)
            if cur:
                rows.append([_cell(src, s, e) for s, e in cur])
                cur = []
            last_was_cell = False
            continue
        if line.startswith("\t"):
            # "\tA" is one cell; "\t\tA" two (a blank one first)
            k = a
            while k < b and src[k] == "\t":
                k += 1
            tabs = k - a
            parts = src[k:b].split("\t")
            for _ in range(tabs - 1):
                cur.append([k, k])
            pos = k
            for part in parts:
                cur.append([pos, pos + len(part)])
                pos += len(part) + 1
            last_was_cell = True
        elif cur and last_was_cell:
            cur[-1][1] = b  # continuation of a multi-line cell
        else:
            cur.append([a, b])
            last_was_cell = True
    if cur:
        rows.append([_cell(src, s, e) for s, e in cur])
    return rows


def tsv_rows(src: str, start: int, end: int) -> list[Row]:
    """Rows of a tab-separated layout: one line, one row (a line without tabs is a one-cell row)."""
    rows: list[Row] = []
    for a, b in _lines(src, start, end):
        if not src[a:b].strip():
            continue
        cells: Row = []
        pos = a
        for part in src[a:b].split("\t"):
            cells.append(_cell(src, pos, pos + len(part)))
            pos += len(part) + 1
        rows.append(cells)
    return rows


def grid_rows(layout: Layout, src: str, start: int, end: int) -> list[Row]:
    return word_rows(src, start, end) if layout == "word" else tsv_rows(src, start, end)


# ---------------------------------------------------------------------------------------------- headers

Role = str  # level1 level2 name target basis last_year weight scoring_rule evidence actual score deviation_reason

_ROLE_RULES: list[tuple[re.Pattern[str], Role]] = [
    (re.compile(r"一级指标"), "level1"),
    (re.compile(r"二级指标"), "level2"),
    (re.compile(r"三级指标|指标名称"), "name"),
    (re.compile(r"依据"), "basis"),
    (re.compile(r"上年"), "last_year"),
    (re.compile(r"赋分规则|评.*分标准|评分规则|计分方法"), "scoring_rule"),
    (re.compile(r"佐证|数据来源|证明材料"), "evidence"),
    (re.compile(r"偏差|原因|改进措施"), "deviation_reason"),
    (re.compile(r"得分"), "score"),
    (re.compile(r"分值|权重"), "weight"),
    (re.compile(r"完成值|实际完成|实际值|^实际"), "actual"),
    (re.compile(r"指标值|目标值|^年度$"), "target"),
]


def header_role(text: str) -> Role | None:
    for pat, role in _ROLE_RULES:
        if pat.search(text):
            return role
    return None


def header_roles(header: Row, sub: Row | None = None) -> list[Role | None]:
    """Column roles of an indicator header row, merged with a second header row (`sub`) where the
    first one was split over two rows (年度 / 指标值, 实际 / 完成值)."""
    texts = [c.text for c in header]
    if sub is not None:
        for i, c in enumerate(sub):
            if i < len(texts):
                texts[i] = texts[i] + c.text
            elif c.text:
                texts.append(c.text)
    roles: list[Role | None] = [header_role(t) if t else None for t in texts]
    # a role may only be used once: keep the first
    seen: set[str] = set()
    for i, r in enumerate(roles):
        if r is None:
            continue
        if r in seen:
            roles[i] = None
        seen.add(r)
    return roles


def is_subheader(row: Row) -> bool:
    """A second header row: only header words (指标值, 完成值, ...) and blanks, no numbers."""
    texts = [c.text for c in row if c.text]
    return bool(texts) and all(
        header_role(t) is not None and not re.search(r"\d", t) and len(t) <= 12 for t in texts
    )


def align(row: Row, n: int) -> tuple[Row, bool]:
    """`row` aligned on `n` header columns. Extra cells: trailing blanks dropped first, then leading
    blanks. Missing cells are merged cells on the left: the row is right-aligned. Returns the aligned
    row and whether cells had to be added on the left."""
    cells = list(row)
    while len(cells) > n and cells[-1].blank:
        cells.pop()
    while len(cells) > n and cells[0].blank:
        cells.pop(0)
    if len(cells) > n:
        cells = cells[:n]
    padded = False
    if len(cells) < n:
        pos = cells[0].start if cells else 0
        cells = [Cell(pos, pos, "")] * (n - len(cells)) + cells
        padded = True
    return cells, padded
