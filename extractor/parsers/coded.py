"""Tables keyed by a classification code: income/expenditure by function, general budget, basic
expenditure by economic class, project expenditure, fund tables. One row = code + name + numbers."""

from __future__ import annotations

from extractor.codes import join_code, parent_code
from extractor.columns import ColumnRow, Placement, row_candidates, solve_table
from extractor.layout import Line, region_lines
from extractor.model import FieldValue, Record, Segment
from extractor.numbers import parse_amount
from extractor.parsers.coded_header import header_fields
from extractor.parsers.rows import JoinedText, RawRow, assemble_rows
from extractor.reasons import column_reason
from schemas.coded import SPECS, TOTAL_KEY, TableSpec, checked_columns, checked_identities

# the column specs live with the kinds they describe (`schemas.coded`); imported here as before
__all__ = ["SPECS", "TOTAL_KEY", "TableSpec", "checked_columns", "checked_identities", "parse_coded_table"]


def parse_coded_table(
    text: str,
    segment: Segment,
    *,
    names_by_code: dict[str, str] | None = None,
    total_hints: dict[str, list[float]] | None = None,
) -> list[Record]:
    """Records of a code-keyed table. `total_hints` are amounts other tables give for columns of
    this table's 合计 row (e.g. 财政拨款结转 from 表1, 一般公共预算 from 表4), several per column when
    the tables disagree; they decide a placement the text leaves open."""
    assert segment.kind is not None
    spec = SPECS[segment.kind]
    layout, lines = region_lines(text, segment.start, segment.end)
    raw_rows = [r for r in assemble_rows(layout, lines, spec.text_columns) if r.values]
    n = len(spec.columns)
    codes = [None if r.is_total else join_code([c.text for c in r.code_parts]) for r in raw_rows]
    by_header = header_fields(segment.kind, lines) if layout == "cells" else None
    if not raw_rows and by_header is not None:
        # a table of one row under its header, printed without a label (Jiangsu 公开表三: 合计 | 基本支出 | …)
        raw_rows = _unlabelled_total(lines, by_header)
        codes = [None for _ in raw_rows]
    if by_header is not None and all(_header_placed(r, by_header) for r in raw_rows):
        return _numbered(
            [
                _header_record(text, segment, spec, raw, code, by_header, names_by_code or {})
                for raw, code in zip(raw_rows, codes, strict=True)
            ]
        )
    present = {c for c in codes if c}
    index_of = {c: i for i, c in enumerate(codes) if c}
    col_rows: list[ColumnRow] = []
    # cell positions say a number's column only where every row has the same value cells: a grid read with
    # stray empty cells (rows of 3, 4 and 5 cells in one table) says nothing by position
    widths = {r.value_cells for r in raw_rows if r.value_cells is not None}
    trust_positions = len(widths) == 1
    for raw, code in zip(raw_rows, codes, strict=True):
        values = [parse_amount(c.text) or 0.0 for c in raw.values]
        positional: Placement | None = None
        if trust_positions and raw.positions is not None and raw.value_cells is not None:
            positional = _positional(raw, n)
        parent = index_of.get(parent_code(code, present) or "") if code else None
        col_rows.append(ColumnRow(values=values, positional=positional, parent=parent, is_total=raw.is_total))

    hints = total_hints or {}

    def prior(i: int, placement: Placement) -> float:
        cols = tuple(spec.columns[c] for c in placement[1:])
        score = spec.prior(codes[i], cols) if spec.prior else 0.0
        if col_rows[i].is_total and hints:
            for v, c in zip(col_rows[i].values, placement, strict=True):
                if any(abs(h - v) < 0.005 for h in hints.get(spec.columns[c], ())):
                    score += 2.0
        return score

    cross_table: set[int] = set()
    if hints:
        # other tables' figures choose the 合计 row's placement; the column sums then settle its rows
        for i, r in enumerate(col_rows):
            if r.is_total and r.positional is None:
                cands = row_candidates(r.values, n, spec.identity_indices())
                scores = {p: prior(i, p) for p in cands}
                ranked = sorted(cands, key=lambda p: -scores[p])
                if ranked and (len(ranked) == 1 or prior(i, ranked[0]) > prior(i, ranked[1])):
                    r.positional = ranked[0]
                    cross_table.add(i)
    solve_table(
        col_rows,
        n,
        spec.identity_indices(),
        prior if spec.prior is not None else None,
        definitional=spec.prior_is_definition,
    )
    for i in cross_table:
        col_rows[i].how = "by_cross_table"
    if cross_table:
        # the column totals that settled the other rows were themselves placed from another table
        for r in col_rows:
            if r.how == "by_totals":
                r.how = "by_totals_cross_table"

    return _numbered(
        [
            _record(text, segment, spec, raw, code, crow, names_by_code or {})
            for raw, code, crow in zip(raw_rows, codes, col_rows, strict=True)
        ]
    )


def _numbered(records: list[Record]) -> list[Record]:
    """A key the table prints twice gets `#2`, `#3` … (the first keeps it)."""
    seen: dict[str, int] = {}
    for rec in records:
        if rec.key in seen:
            seen[rec.key] += 1
            rec.key = f"{rec.key}#{seen[rec.key]}"
        else:
            seen[rec.key] = 1
    return records


def _unlabelled_total(lines: list[Line], by_header: dict[int, str]) -> list[RawRow]:
    """The row of amounts under a header whose first value column is the 合计, as the table's total row."""
    if by_header.get(max(by_header)) != "total":
        return []
    for line in lines:
        cells = line.cells
        if (
            len(cells) == len(by_header)
            and cells[0].text
            and all(c.blank or parse_amount(c.text) is not None for c in cells)
        ):
            values = [c for c in cells if not c.blank]
            positions = [i for i, c in enumerate(cells) if not c.blank]
            return [RawRow(values=values, positions=positions, value_cells=len(cells), is_total=True)]
    return []


def _header_placed(raw: RawRow, by_header: dict[int, str]) -> bool:
    if raw.positions is None or raw.value_cells is None or raw.value_cells != len(by_header):
        return False  # a row with more or fewer value cells than the header names: positions say nothing
    return all(raw.value_cells - p in by_header for p in raw.positions)


def _header_record(
    text: str,
    segment: Segment,
    spec: TableSpec,
    raw: RawRow,
    code: str | None,
    by_header: dict[int, str],
    names_by_code: dict[str, str],
) -> Record:
    """A row whose every number sits under a header naming its field (`coded_header`)."""
    assert raw.positions is not None and raw.value_cells is not None
    rec = _record(text, segment, spec, raw, code, ColumnRow(values=[]), names_by_code)
    for cell, pos in zip(raw.values, raw.positions, strict=True):
        value = parse_amount(cell.text)
        fv = FieldValue(value, (cell.start, cell.end), ["printed", "column:header"])
        if code is None and not raw.is_total:
            fv.add_reason("code_unreadable")
        rec.fields[by_header[raw.value_cells - pos]] = fv
    return rec


def _positional(raw: RawRow, n: int) -> Placement | None:
    assert raw.positions is not None and raw.value_cells is not None
    cells = raw.value_cells
    if cells == n or (cells > n and all(p < n for p in raw.positions)):
        return tuple(raw.positions)
    return None


def _record(
    text: str,
    segment: Segment,
    spec: TableSpec,
    raw: RawRow,
    code: str | None,
    crow: ColumnRow,
    names_by_code: dict[str, str],
) -> Record:
    label = JoinedText()
    for c in raw.label_cells:
        label.add(c, text)
    fields: dict[str, FieldValue] = {}
    if code is not None or raw.is_total:
        key = TOTAL_KEY if raw.is_total else str(code)
    else:
        key = "?" + "".join(c.text for c in raw.code_parts) + ":" + label.text
    name_text, project_text = label.text, None
    name_end = len(label.text)
    if spec.text_columns > 1 and not raw.extra_text and code and not raw.is_total:
        known = names_by_code.get(code)
        if known and label.text.startswith(known) and len(label.text) > len(known):
            name_end = len(known)
            name_text, project_text = known, label.text[name_end:]
    if name_text:
        fv = FieldValue(name_text, label.span(0, name_end), ["printed"])
        if len(raw.label_cells) > 1 or not label.contiguous(0, name_end):
            fv.add_reason("joined")
        fields["name"] = fv
    if project_text:
        fv = FieldValue(project_text, label.span(name_end), ["printed", "split_by_known_name"])
        fields["project_name"] = fv
    elif raw.extra_text:
        extra = JoinedText()
        for c in raw.extra_text:
            extra.add(c, text)
        fields["project_name"] = FieldValue(extra.text, extra.span(), ["printed"])
    if spec.text_columns > 1 and "project_name" in fields and not raw.is_total:
        key = f"{key}/{fields['project_name'].value}"
    elif (
        spec.text_columns > 1
        and not raw.is_total
        and code
        and len(code) == 7
        and "project_name" not in fields
        and label.text
    ):
        # a 项 row should name its project; 类 and 款 rows are subtotals and name none
        fields["name"].add_reason("project_name_not_separable")
    placement = crow.chosen
    reason = column_reason(crow.how)
    if placement is not None:
        for cell, col in zip(raw.values, placement, strict=True):
            value = parse_amount(cell.text)
            # the row total always comes first; only the other numbers' columns can be in doubt
            col_reason = "column:first_is_total" if col == 0 and crow.how != "positional" else reason
            fv = FieldValue(value, (cell.start, cell.end), ["printed", col_reason])
            if not crow.identity_ok:
                fv.add_reason("row_identity_fails")
            fields[spec.columns[col]] = fv
    if code is None and not raw.is_total:
        for fv in fields.values():
            fv.add_reason("code_unreadable")
    return Record(segment.kind or "", key, segment.title, segment.unit, fields, segment.index)
