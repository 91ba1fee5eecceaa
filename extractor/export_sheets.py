"""The export where analysts work: `.xlsx` with one sheet per record kind, and CSV.

Built from the JSON export (`extractor.export.result_to_json`), so both say the same thing field for field.
A sheet has one row per record: the document, the table as printed, the row (code and name), then for each
field its printed header, and beside it its status and confidence. The CSV has one line per field with
the same labels, which sorts and pivots well in any spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from extractor.files import write_atomically
from extractor.review.labels import column_label, document_label, kind_name, row_label

STATUS_SUFFIX = "·状态"
CONFIDENCE_SUFFIX = "·置信度"
LEAD = ["文件", "表名", "行", "单位", "字段地址前缀"]
CSV_HEADER = ["文件", "表名", "行", "列", "值", "状态", "置信度", "单位", "地址"]


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return value


def _doc_label(payload: dict[str, Any]) -> str:
    d = payload["document"]
    return document_label(d.get("unit_name"), d.get("fiscal_year"), d.get("doc_type"), d.get("source", ""))


def _row_of(record: dict[str, Any]) -> str:
    name = record["fields"].get("name", record["fields"].get("project_name", {})).get("value")
    return row_label(record["kind"], record["key"], name)


def sheets(payloads: Iterable[dict[str, Any]]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Per kind: the header and the rows of its sheet."""
    by_kind: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for payload in payloads:
        label = _doc_label(payload)
        for record in payload["records"]:
            by_kind.setdefault(record["kind"], []).append((label, record))
    out: dict[str, tuple[list[str], list[list[Any]]]] = {}
    for kind, items in by_kind.items():
        names = list(dict.fromkeys(n for _, r in items for n in r["fields"]))
        header = list(LEAD)
        for n in names:
            h = column_label(kind, n)
            header += [h, h + STATUS_SUFFIX, h + CONFIDENCE_SUFFIX]
        rows = []
        for label, r in items:
            row: list[Any] = [label, r["table_title"], _row_of(r), r.get("unit"), f"{kind}/{r['key']}"]
            for n in names:
                f = r["fields"].get(n)
                row += (
                    [None, None, None]
                    if f is None
                    else [_cell(f["value"]), f.get("status"), f.get("confidence")]
                )
            rows.append(row)
        out[kind] = (header, rows)
    return out


def _sheet_title(kind: str, used: set[str]) -> str:
    title = kind_name(kind)[:28].replace("/", "／")
    base, n = title, 2
    while title in used:
        title, n = f"{base}{n}", n + 1
    used.add(title)
    return title


def write_xlsx(payloads: list[dict[str, Any]], out: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    used: set[str] = set()
    for kind, (header, rows) in sheets(payloads).items():
        ws = book.create_sheet(_sheet_title(kind, used))
        ws.append(header)
        for row in rows:
            ws.append(row)
        ws.freeze_panes = "D2"
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomically(out, buffer.getvalue())


def csv_text(payloads: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for payload in payloads:
        label = _doc_label(payload)
        for r in payload["records"]:
            for n, f in r["fields"].items():
                writer.writerow(
                    [
                        label,
                        r["table_title"],
                        _row_of(r),
                        column_label(r["kind"], n),
                        _cell(f["value"]),
                        f.get("status"),
                        f.get("confidence"),
                        r.get("unit"),
                        f"{r['kind']}/{r['key']}/{n}",
                    ]
                )
    return buffer.getvalue()


def write_csv(payloads: list[dict[str, Any]], out: Path) -> None:
    # with a byte-order mark: spreadsheet programs then read the Chinese labels as UTF-8
    write_atomically(out, csv_text(payloads).encode("utf-8-sig"))
