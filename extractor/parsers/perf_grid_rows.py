"""Indicator rows of a performance table read from its grid (Word tables, ruled PDF tables, sheets):
the header row gives each column its role; merged 一级/二级指标 cells are carried down the rows they span,
and a merged label that spilled onto a line of its own is given back to its rows."""

from __future__ import annotations

import re

from extractor.model import FieldValue
from extractor.parsers import perf_grid
from extractor.parsers.perf_grid import Cell, Row
from extractor.parsers.perf_text import (
    copy_field,
    is_level_label,
    level_field,
    looks_like_target,
    numeric_cell,
    parse_target,
    text_field,
)


def grid_indicator_rows(
    text: str, rows: list[Row], *, unit_table: bool = False, stop_words: tuple[str, ...] = ("总分",)
) -> list[dict[str, FieldValue]]:
    """Indicator rows of a grid: fields level1, level2, name and whatever the header prints
    (target..., basis, last_year, weight, scoring_rule, evidence, actual, score, deviation_reason)."""
    h = next((i for i, r in enumerate(rows) if _is_indicator_header(r)), None)
    if h is None:
        return []
    sub = rows[h + 1] if h + 1 < len(rows) and perf_grid.is_subheader(rows[h + 1]) else None
    roles = perf_grid.header_roles(rows[h], sub)
    body = rows[h + (2 if sub is not None else 1) :]
    n = len(roles)
    out: list[dict[str, FieldValue]] = []
    level_cells: list[dict[str, Cell | None]] = []
    spilled: list[tuple[int, Cell]] = []
    for row in body:
        first = next((c.text for c in row if c.text), "")
        if first in stop_words or first.startswith(stop_words):
            break
        if len(row) == 1:
            c = row[0]
            if c.text and is_level_label(c.text, unit_table):
                spilled.append((len(out), c))
            continue
        cells, _ = perf_grid.align(row, n)
        if all(c.blank for c in cells):
            continue
        by_role = {r: c for r, c in zip(roles, cells, strict=True) if r is not None}
        shifted = False
        name_c, target_c = by_role.get("name"), by_role.get("target")
        if (
            name_c is not None
            and target_c is not None
            and is_level_label(name_c.text, unit_table)
            and not target_c.blank
            and not looks_like_target(target_c.text)
        ):
            # a merged column printed in front of the row: every cell one column to the right
            blank = Cell(cells[-1].end, cells[-1].end, "")
            by_role = {r: c for r, c in zip(roles, [*cells[1:], blank], strict=True) if r is not None}
            shifted = True
        name_c = by_role.get("name")
        if name_c is None or name_c.blank:
            continue
        fields: dict[str, FieldValue] = {}
        extra = ("uncertain_layout",) if shifted else ()
        for role, c in by_role.items():
            if c.blank or role in ("level1", "level2"):
                continue
            if role == "target":
                fields.update(parse_target(text, [(c.start, c.end)], *extra))
            elif role in ("weight", "score"):
                fv = numeric_cell(text, c.start, c.end, *extra)
                if fv is not None:
                    fields[role] = fv
            else:
                fv = text_field(text, c.start, c.end, *extra)
                if fv is not None:
                    fields[role] = fv
        if shifted and "target" not in fields:
            fields["name"].add_reason("uncertain_layout")
        level_cells.append({"level1": by_role.get("level1"), "level2": by_role.get("level2")})
        out.append(fields)
    _fill_levels(text, out, level_cells, spilled)
    return out


def _is_indicator_header(row: Row) -> bool:
    """一级指标 | 二级指标 | 三级指标 | 指标值 ...: at least three header words, a name column, no numbers."""
    texts = [c.text for c in row if c.text]
    if any(re.search(r"\d", t) for t in texts):
        return False
    roles = [perf_grid.header_role(t) for t in texts]
    return "name" in roles and sum(1 for r in roles if r is not None) >= 3


def _fill_levels(
    text: str,
    rows: list[dict[str, FieldValue]],
    level_cells: list[dict[str, Cell | None]],
    spilled: list[tuple[int, Cell]],
) -> None:
    for role in ("level1", "level2"):
        explicit: list[FieldValue | None] = []
        for cells in level_cells:
            c = cells.get(role)
            explicit.append(level_field(text, c.start, c.end) if c is not None and not c.blank else None)
        # a label spilled onto its own line, inside a run of rows whose cell is blank (002)
        if role == "level1":
            i = 0
            while i < len(explicit):
                if explicit[i] is not None:
                    i += 1
                    continue
                j = i
                while j < len(explicit) and explicit[j] is None:
                    j += 1
                inside = [c for pos, c in spilled if i <= pos < j]
                if len(inside) == 1:
                    lab = level_field(text, inside[0].start, inside[0].end, "merged_cell_spilled")
                    for k in range(i, j):
                        explicit[k] = copy_field(lab)
                i = j
        current: FieldValue | None = None
        for k, fv in enumerate(explicit):
            if fv is not None:
                current = fv
                rows[k][role] = fv
            elif current is not None:
                carried = copy_field(current, "carried_down")
                if carried is not None:
                    rows[k][role] = carried
