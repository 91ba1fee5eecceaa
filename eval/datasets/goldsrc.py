"""Reading hand-typed gold sources: `eval/datasets/<dataset>/src/<stem>.gold.tsv`.

One file per document, UTF-8; cells are separated by a tab or by " | "; `#` starts a comment line:

    @document  file=<name>  unit_name=…  fiscal_year=2019  doc_type=budget  money_unit=万元
    @table     kind=<kind>  title=<title as printed>  unit=万元  cols=key|name|total|basic  [scope=市本级]
    <key>      <cell>       <cell> …                  [# note for the record]
    @check     <id>  <address> + <address> = <address>      (a tie or sum the document should hold)
    @breaks    <check id>  <why>                           (the document itself breaks this check)
    @rate      <id>  <address> / <address> = <address>    (a percentage: 100 × a / b as printed)
    @covers    <kind> | <kind>@<scope> …                  (partial gold: only these kinds are scored)

A row's cells follow `cols` (`key` first). A blank cell is no field. A cell is typed as printed
(`18,330.37`, `15.0`, `-5.1`); numeric fields become JSON numbers. `printed=>intended` records the
document's own contradiction (`314.6=>314.66`). An address is `kind/key/field`, optionally prefixed by
`<table title>::` when a kind occurs in more than one table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas import KIND_MODELS
from schemas.regional import gold_model, gold_numeric_fields

INT_FIELDS = {
    "fiscal_year",
    "vehicles",
    "performance_projects",
    "staffing_quota",
    "actual_staff",
    "in_service",
    "retired",
    "retired_cadres",
    "internal_unit_count",
    "equipment_large",
}
BOOL_FIELDS = {"empty"}
CELL_SEP = re.compile(r"\t|\s\|(?=\s|$)")
DOCUMENT_KEYS = ("unit_name", "fiscal_year", "doc_type", "money_unit")


class GoldSourceError(ValueError):
    def __init__(self, message: str, *, source: str, line: int) -> None:
        super().__init__(f"{source}:{line}: {message}")
        self.source, self.line = source, line


@dataclass
class Table:
    kind: str
    title: str
    unit: str | None
    cols: list[str]
    records: list[dict[str, Any]] = field(default_factory=list)
    scope: str = ""  # which unit the table covers where the document prints its kind more than once


@dataclass
class Check:
    ident: str
    left: list[tuple[int, str]]  # (sign, address)
    right: list[tuple[int, str]]
    line: int


@dataclass
class GoldSource:
    path: Path
    document: dict[str, Any]
    file: str
    tables: list[Table]
    checks: list[Check]
    breaks: dict[str, str]
    covers: list[str] = field(default_factory=list)  # kinds the gold covers when it is partial
    rates: list[Check] = field(default_factory=list)  # percent = 100 × a / b, to the printed decimals

    @property
    def records(self) -> list[dict[str, Any]]:
        return [r for t in self.tables for r in t.records]


def _options(cells: list[str], *, source: str, line: int) -> dict[str, str]:
    out: dict[str, str] = {}
    for cell in cells:
        if not cell.strip():
            continue
        if "=" not in cell:
            raise GoldSourceError(f"expected name=value, got {cell!r}", source=source, line=line)
        name, _, value = cell.partition("=")
        out[name.strip()] = value.strip()
    return out


def parse_number(text: str, *, integer: bool = False) -> float | int:
    cleaned = text.replace(",", "").replace("，", "").replace(" ", "").rstrip("%")
    value = float(cleaned)
    if integer:
        if value != int(value):
            raise ValueError(f"{text!r} is not a whole number")
        return int(value)
    return int(value) if value == int(value) and "." not in cleaned else value


def _typed(kind: str, name: str, text: str, *, source: str, line: int) -> Any:
    try:
        if name in BOOL_FIELDS:
            if text not in ("true", "false"):
                raise ValueError("a flag is true or false")
            return text == "true"
        if name in INT_FIELDS:
            return parse_number(text, integer=True)
        if name in gold_numeric_fields(kind):
            return parse_number(text)
    except ValueError as exc:
        raise GoldSourceError(f"{kind}/{name}: {text!r}: {exc}", source=source, line=line) from exc
    return text


def _field(kind: str, name: str, cell: str, *, source: str, line: int) -> dict[str, Any]:
    printed, arrow, intended = cell.partition("=>")
    entry: dict[str, Any] = {
        "value": _typed(kind, name, printed.strip(), source=source, line=line),
        "span": None,
    }
    if arrow:
        entry["intended"] = _typed(kind, name, intended.strip(), source=source, line=line)
    return entry


def _terms(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    sign = 1
    for token in text.split():
        if token in "+-":
            sign = 1 if token == "+" else -1
            continue
        out.append((sign, token))
        sign = 1
    return out


def read_source(path: Path) -> GoldSource:
    source = path.name
    document: dict[str, Any] = {}
    file = ""
    tables: list[Table] = []
    checks: list[Check] = []
    breaks: dict[str, str] = {}
    current: Table | None = None
    covers: list[str] = []
    rates: list[Check] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = CELL_SEP.split(raw)
        head = cells[0].strip()
        if head == "@document":
            opts = _options(cells[1:], source=source, line=number)
            file = opts.pop("file", "")
            for key, value in opts.items():
                document[key] = int(value) if key == "fiscal_year" else value
        elif head == "@table":
            opts = _options(cells[1:], source=source, line=number)
            kind = opts.get("kind", "")
            if kind not in KIND_MODELS:
                raise GoldSourceError(f"unknown kind {kind!r}", source=source, line=number)
            cols = opts.get("cols", "").split("|")
            if cols[0] != "key":
                raise GoldSourceError("cols must start with key", source=source, line=number)
            unknown = [c for c in cols[1:] if c not in gold_model(kind).model_fields]
            if unknown:
                raise GoldSourceError(f"{kind}: no field {unknown}", source=source, line=number)
            current = Table(
                kind, opts.get("title", ""), opts.get("unit") or None, cols, scope=opts.get("scope", "")
            )
            tables.append(current)
        elif head == "@check":
            ident, expr = cells[1].strip(), " ".join(c.strip() for c in cells[2:])
            left, eq, right = expr.partition("=")
            if not eq:
                raise GoldSourceError("a check needs '='", source=source, line=number)
            checks.append(Check(ident.strip(), _terms(left), _terms(right), number))
        elif head == "@rate":
            ident, expr = cells[1].strip(), " ".join(c.strip() for c in cells[2:])
            ratio, eq, rate = expr.partition("=")
            num, slash, den = ratio.partition("/ ")
            if not eq or not slash:
                raise GoldSourceError("a rate is 'a / b = c'", source=source, line=number)
            rates.append(Check(ident, [(1, num.strip()), (1, den.strip())], [(1, rate.strip())], number))
        elif head == "@covers":
            covers = [c.strip() for c in cells[1:] if c.strip()]
        elif head == "@breaks":
            breaks[cells[1].strip()] = " ".join(c.strip() for c in cells[2:])
        elif head.startswith("@"):
            raise GoldSourceError(f"unknown directive {head}", source=source, line=number)
        else:
            if current is None:
                raise GoldSourceError("a row before any @table", source=source, line=number)
            note = ""
            values = cells
            for i, cell in enumerate(cells):
                if cell.strip().startswith("#"):
                    note, values = cell.strip().lstrip("#").strip(), cells[:i]
                    break
            if len(values) > len(current.cols):
                raise GoldSourceError(
                    f"{len(values)} cells for {len(current.cols)} columns", source=source, line=number
                )
            key = values[0].strip()
            fields = {
                name: _field(current.kind, name, cell.strip(), source=source, line=number)
                for name, cell in zip(current.cols[1:], values[1:], strict=False)
                if cell.strip()
            }
            record: dict[str, Any] = {
                "kind": current.kind,
                "key": key,
                "table_title": current.title,
                "unit": current.unit,
                "fields": fields,
            }
            if current.scope:
                record["scope"] = current.scope
            if note:
                record["note"] = note
            current.records.append(record)
    if not file:
        raise GoldSourceError("no @document file=…", source=source, line=1)
    return GoldSource(path, document, file, tables, checks, breaks, covers, rates)
