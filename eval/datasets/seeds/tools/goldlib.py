"""Helpers for writing the hand-verified budget gold of the seed documents.

The `make_<stem>.py` scripts hold what a person read in each document (rows, columns, keys, the
document's own contradictions); this module only finds where each printed value sits in the text so
that every gold field carries a span, and refuses to write a value the text does not print there.

Spans are `[start, end)` into the document text as the extractor ingests it (UTF-8, `\\n` line ends;
the seed texts have no BOM and no CR, so this is the file decoded as is).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEEDS = Path(__file__).resolve().parents[1]
DOCS = SEEDS / "docs"
GOLD_SRC = SEEDS / "gold-src"

_NUM_TOKEN = r"-?\d[\d,]*(?:\.\d+)?"
_WS = re.compile(r"[\s\u3000]*")
_CJK = re.compile(r"[\u4e00-\u9fff]")


class GoldBuildError(Exception):
    pass


def load_text(stem: str) -> str:
    return (DOCS / f"{stem}.txt").read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def sha256(stem: str) -> str:
    return hashlib.sha256((DOCS / f"{stem}.txt").read_bytes()).hexdigest()


def parse_number(printed: str) -> float | int:
    """The number a printed token means: full-width folded, thousands separators dropped."""
    s = unicodedata.normalize("NFKC", printed).replace(",", "").strip()
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", s):
        raise GoldBuildError(f"not a number: {printed!r}")
    return float(s) if "." in s else int(s)


def squeeze(s: str) -> str:
    """Text with all whitespace removed (the comparison rule of eval/matching.py)."""
    return "".join(s.split())


def _flex(name: str) -> str:
    """A regex matching `name` with any whitespace between its characters (names broken over lines)."""
    chars = [re.escape(c) for c in squeeze(name)]
    return r"[\s\u3000]*".join(chars)


@dataclass
class Cursor:
    """Reads a region of the text front to back, the way a person reads a table."""

    text: str
    pos: int
    end: int

    def find_text(self, name: str, *, skip_any: bool = True, max_gap: int | None = None) -> list[int]:
        """The next occurrence of `name` (whitespace between characters allowed)."""
        pat = re.compile(_flex(name))
        m = pat.search(self.text, self.pos, self.end)
        if m is None:
            raise GoldBuildError(f"{name!r} not found after {self.pos} (region ends {self.end})")
        gap = self.text[self.pos : m.start()]
        if not skip_any and squeeze(gap):
            raise GoldBuildError(f"{name!r} at {m.start()}: unexpected text before it: {gap!r}")
        if max_gap is not None and len(gap) > max_gap:
            raise GoldBuildError(f"{name!r} at {m.start()} is {len(gap)} chars after {self.pos}")
        self.pos = m.end()
        return [m.start(), m.end()]

    def find_number(self, printed: str, *, skip_any: bool = False) -> list[int]:
        """The next number token, which must read exactly `printed`; by default only whitespace may
        lie between the previous token and it (no number of the row is skipped)."""
        pat = re.compile(r"(?<![\d.,])" + re.escape(printed) + r"(?![\d.,]*\d)")
        m = pat.search(self.text, self.pos, self.end)
        if m is None:
            raise GoldBuildError(f"number {printed!r} not found after {self.pos}")
        gap = self.text[self.pos : m.start()]
        if not skip_any and squeeze(gap):
            raise GoldBuildError(f"number {printed!r} at {m.start()}: text skipped before it: {gap!r}")
        self.pos = m.end()
        return [m.start(), m.end()]

    def seek(self, anchor: str) -> None:
        """Move past the next occurrence of `anchor` (exact text)."""
        i = self.text.find(anchor, self.pos, self.end)
        if i < 0:
            raise GoldBuildError(f"anchor {anchor!r} not found after {self.pos}")
        self.pos = i + len(anchor)


def region(text: str, start_anchor: str, end_anchor: str | None, *, after: int = 0) -> Cursor:
    start = text.find(start_anchor, after)
    if start < 0:
        raise GoldBuildError(f"region start {start_anchor!r} not found")
    end = len(text) if end_anchor is None else text.find(end_anchor, start + len(start_anchor))
    if end < 0:
        raise GoldBuildError(f"region end {end_anchor!r} not found")
    return Cursor(text, start, end)


def fv(value: Any, span: list[int] | None, note: str | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"value": value, "span": span}
    if "intended" in extra:
        out["intended"] = extra.pop("intended")
    if extra:
        raise GoldBuildError(f"unknown field keys {sorted(extra)}")
    if note:
        out["note"] = note
    return out


@dataclass
class Record:
    kind: str
    key: str
    table_title: str
    unit: str | None
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    note: str | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "key": self.key,
            "table_title": self.table_title,
            "unit": self.unit,
            "fields": self.fields,
        }
        if self.note:
            out["note"] = self.note
        return out


# ---- rows typed by hand ---------------------------------------------------------------------------
#
# A row spec is one line: `key | name | field=printed field=printed ...` where `printed` is the
# number exactly as the text prints it (`3,984.50`), in the order the text prints the numbers.
# `name` may be empty; `project_name=...` and other text fields use `field="..."`. A key written
# `@kind key` gives the row its own kind (表1 interleaves income and expenditure rows on one line).
# Amendments (intended values, notes) are attached afterwards by address.

_ROW_FIELD = re.compile(r'(\w+)=("(?:[^"]*)"|\S+)')


@dataclass
class RowSpec:
    key: str
    name: str
    items: list[tuple[str, str, bool]]  # (field, printed, is_text)


def parse_rows(block: str) -> list[RowSpec]:
    rows: list[RowSpec] = []
    for raw in block.strip().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3:
            raise GoldBuildError(f"row spec needs `key | name | fields`: {raw!r}")
        key, name, rest = parts
        items: list[tuple[str, str, bool]] = []
        for m in _ROW_FIELD.finditer(rest):
            val = m.group(2)
            if val.startswith('"'):
                items.append((m.group(1), val[1:-1], True))
            else:
                items.append((m.group(1), val, False))
        rows.append(RowSpec(key, name, items))
    return rows


def read_rows(
    cur: Cursor,
    kind: str,
    title: str,
    unit: str,
    block: str,
    *,
    name_gap: int | None = None,
) -> list[Record]:
    """Locate every row of `block` in order inside the cursor's region and build its record."""
    out: list[Record] = []
    for spec in parse_rows(block):
        row_kind, key = kind, spec.key
        if key.startswith("@"):  # `@kind key`: a two-sided table (表1) read in one pass
            row_kind, key = key[1:].split(None, 1)
        rec = Record(row_kind, key, title, unit)
        if spec.name:
            span = cur.find_text(spec.name, max_gap=name_gap)
            rec.fields["name"] = fv(squeeze(spec.name), span)
        for fname, printed, is_text in spec.items:
            if is_text:
                span = cur.find_text(printed, skip_any=False)
                rec.fields[fname] = fv(squeeze(printed), span)
            else:
                span = cur.find_number(printed)
                rec.fields[fname] = fv(parse_number(printed), span)
        out.append(rec)
    return out


def number_after(text: str, anchor: str, printed: str, *, start: int = 0, window: int = 40) -> list[int]:
    """Span of the number `printed` that follows the next `anchor` (prose facts)."""
    i = text.find(anchor, start)
    if i < 0:
        raise GoldBuildError(f"anchor {anchor!r} not found after {start}")
    cur = Cursor(text, i + len(anchor), min(len(text), i + len(anchor) + window))
    return cur.find_number(printed, skip_any=True)


def text_span(text: str, needle: str, *, start: int = 0) -> list[int]:
    i = text.find(needle, start)
    if i < 0:
        raise GoldBuildError(f"{needle!r} not found after {start}")
    return [i, i + len(needle)]


# ---- amendments -----------------------------------------------------------------------------------


def index(records: list[Record]) -> dict[tuple[str, str], Record]:
    out: dict[tuple[str, str], Record] = {}
    for r in records:
        if (r.kind, r.key) in out:
            raise GoldBuildError(f"duplicate record {r.kind}/{r.key}")
        out[(r.kind, r.key)] = r
    return out


def amend(records: list[Record], address: str, *, note: str, **kw: Any) -> None:
    """Attach `intended` and/or a note to the field at `kind/key/field` (the key may contain '/')."""
    kind, rest = address.split("/", 1)
    key, fname = rest.rsplit("/", 1)
    rec = index(records).get((kind, key))
    if rec is None:
        raise GoldBuildError(f"no record {kind}/{key}")
    entry = rec.fields.get(fname)
    if entry is None:
        if "value" not in kw:
            raise GoldBuildError(f"no field {address}; pass value=None to record a blank cell")
        entry = {"value": kw.pop("value"), "span": None}
        rec.fields[fname] = entry
    if "intended" in kw:
        entry["intended"] = kw.pop("intended")
    if kw:
        raise GoldBuildError(f"unknown amendment keys {sorted(kw)}")
    entry["note"] = note


def write(stem: str, document: dict[str, Any], records: list[Record]) -> None:
    index(records)  # no duplicates
    header = {"document": document, "doc": f"docs/{stem}.txt"}
    (GOLD_SRC / f"{stem}.header.json").write_text(
        json.dumps(header, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    lines = [json.dumps(r.as_json(), ensure_ascii=False) for r in records]
    (GOLD_SRC / f"{stem}.budget.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---- prose lists ----------------------------------------------------------------------------------

_ARTIFACT = re.compile(r"\[bookmark:[^\]]*\]")


def numbered_items(text: str, start: int, end: int, marker: str) -> tuple[list[str], list[int]]:
    """Items of a numbered list in `text[start:end]`: `marker` is a regex for an item's number at
    the start of a line (e.g. `（一）`); an item runs to the next marker. Items are whitespace-free,
    without their number and without Word export artifacts (`[bookmark: …]`). The span runs from the
    first item's first character to the last item's last one."""
    pat = re.compile(r"(?m)^[ \t\u3000]*(?:\[bookmark:[^\]]*\])?" + marker)
    marks = list(pat.finditer(text, start, end))
    if not marks:
        raise GoldBuildError(f"no list markers {marker!r} in {start}..{end}")
    items: list[str] = []
    for i, m in enumerate(marks):
        stop = marks[i + 1].start() if i + 1 < len(marks) else end
        items.append(squeeze(_ARTIFACT.sub("", text[m.end() : stop])))
    first = marks[0].end()
    while text[first].isspace():
        first += 1
    last = end
    while text[last - 1].isspace():
        last -= 1
    return items, [first, last]


def enumeration(text: str, start: int, end: int) -> tuple[list[str], list[int]]:
    """Names listed as `甲、乙、丙` in `text[start:end]` (line breaks inside a name allowed)."""
    while text[start].isspace():
        start += 1
    while text[end - 1].isspace():
        end -= 1
    return [squeeze(p) for p in text[start:end].split("、")], [start, end]


# ---- Word exports: one cell per line, tab-prefixed, rows separated by blank lines -------------------


@dataclass
class Cell:
    text: str  # the cell's content, trimmed (whitespace and U+3000)
    span: list[int] | None  # span of the trimmed content; None for a blank cell


def grid_rows(text: str, start: int, end: int) -> list[list[Cell]]:
    """The rows of a Word-exported table in `text[start:end]`. A line that does not start with a tab
    ends the row (as a blank line does)."""
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    pos = start
    for line in text[start:end].split("\n"):
        if line.startswith("\t"):
            body = line[1:]
            stripped = body.strip(" \t\u3000")
            if stripped:
                lead = len(body) - len(body.lstrip(" \t\u3000"))
                s = pos + 1 + lead
                row.append(Cell(stripped, [s, s + len(stripped)]))
            else:
                row.append(Cell("", None))
        elif row:
            rows.append(row)
            row = []
        pos += len(line) + 1
    if row:
        rows.append(row)
    return rows


def cell_field(cell: Cell) -> dict[str, Any]:
    """A numeric cell as a gold field (its printed text must be a number)."""
    assert cell.span is not None
    return fv(parse_number(cell.text), cell.span)
