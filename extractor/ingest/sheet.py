"""Spreadsheets (.xlsx, .xls) with python-calamine: one page per sheet, merged cells resolved (a cell merged
across columns written once, across rows repeated in every row it spans), numbers written as printed."""

from __future__ import annotations

import datetime as dt
import io

from extractor.errors import IngestError
from extractor.ingest.cells import number_text, render_rows
from extractor.model import PAGE_JOIN


def read_sheets(data: bytes, filename: str) -> str:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        pages = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            pages.append(f"{name}\n\n" + render_rows(_rows(sheet)))
    except (CalamineError, ValueError, OSError) as exc:
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        if "password" in detail.lower() or "encrypt" in detail.lower():
            raise IngestError("the spreadsheet is password-protected", source=filename) from exc
        raise IngestError(f"corrupt or unreadable spreadsheet ({detail})", source=filename) from exc
    return PAGE_JOIN.join(pages)


def _text(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float | int):
        return number_text(float(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _rows(sheet: object) -> list[list[str]]:
    raw = sheet.to_python(skip_empty_area=False)  # type: ignore[attr-defined]
    rows = [[_text(v) for v in row] for row in raw]
    for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:  # type: ignore[attr-defined]
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                rows[r][c] = None  # type: ignore[call-overload]
            if c0 < len(rows[r]):
                rows[r][c0] = value  # repeated down the rows it spans, written once across columns
    return [[c for c in row if c is not None] for row in rows]
