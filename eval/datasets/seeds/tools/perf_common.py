"""Shared helpers of the performance-gold tools: locating printed text, parsing a 指标值, building
gold records in the `eval/gold.py` shape, writing `gold-src/<stem>.performance.jsonl`.

These helpers are written independently of the extractor (nothing here imports `extractor`), so
that the gold they help build can be compared with the extractor's output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

SEEDS = Path(__file__).resolve().parent.parent
DOCS = SEEDS / "docs"
GOLD_SRC = SEEDS / "gold-src"

STEMS = (
    "000_335c3f7f451f52b5",
    "001_bf78897304f03bf2",
    "002_36c23adddff5d972",
    "003_a600ae6adceb5138",
    "004_7078add5d4f01a7a",
)

# 指标值 operators as printed → canonical form of the schema (≥ ≤ = > <)
OPERATORS: tuple[tuple[str, str], ...] = (
    ("＞=", "≥"),
    ("＜=", "≤"),
    (">=", "≥"),
    ("<=", "≤"),
    ("≥", "≥"),
    ("≤", "≤"),
    ("≧", "≥"),
    ("≦", "≤"),
    ("＝", "="),
    ("=", "="),
    ("＞", ">"),
    ("＜", "<"),
    (">", ">"),
    ("<", "<"),
)
_QUANTITY = re.compile(r"(?P<num>\d+(?:\.\d+)?)(?P<unit>[^\d=<>＜＞≥≤&]*)")


def read_doc(stem: str) -> str:
    return (DOCS / f"{stem}.txt").read_text(encoding="utf-8")


def compact(s: str) -> str:
    """Text with all whitespace removed (the comparison form of gold text)."""
    return "".join(s.split())


def find(text: str, value: str, start: int = 0, end: int | None = None) -> tuple[int, int]:
    """Span of the first occurrence of `value` in text[start:end], whitespace between any two of
    its characters allowed (PDF lines break anywhere). Raises if not found."""
    end = len(text) if end is None else end
    chars = compact(value)
    if not chars:
        raise ValueError("empty value")
    pattern = r"\s*".join(re.escape(c) for c in chars)
    m = re.compile(pattern).search(text, start, end)
    if m is None:
        raise LookupError(f"{value!r} not found in [{start}, {end})")
    return m.start(), m.end()


def fv(value: Any, span: tuple[int, int] | list[int] | None, *, note: str | None = None,
       intended: Any = None, has_intended: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"value": value, "span": list(span) if span is not None else None}
    if has_intended or intended is not None:
        out["intended"] = intended
    if note:
        out["note"] = note
    return out


def text_field(text: str, span: tuple[int, int], **kw: Any) -> dict[str, Any]:
    """A text field whose value is the printed text at `span`, whitespace removed."""
    return fv(compact(text[span[0] : span[1]]), span, **kw)


def parse_number(s: str) -> float:
    s = compact(s).replace(",", "").replace("，", "")
    s = s.rstrip("%分")
    return float(s)


def number_field(text: str, span: tuple[int, int], **kw: Any) -> dict[str, Any]:
    """A number field read from the printed digits at `span` (thousands separators dropped)."""
    return fv(parse_number(text[span[0] : span[1]]), span, **kw)


def parse_target(text: str, span: tuple[int, int], stray: str | None = None) -> dict[str, dict[str, Any]]:
    """`target` (as printed, whitespace removed) and, when printed, its operator (canonical form,
    span on the printed operator), number and unit. A date (2024年12月31日), a range
    (≥30万元&&≤60万元) or a word (提高) has no number and no unit. `stray`: text of another cell
    printed inside the span (PDF interleaving), left out of the value."""
    a, b = span
    # printed characters and their offsets, whitespace skipped
    offs = [i for i in range(a, b) if not text[i].isspace()]
    chars = "".join(text[i] for i in offs)
    if stray:
        at = chars.index(compact(stray))
        n = len(compact(stray))
        offs = offs[:at] + offs[at + n :]
        chars = chars[:at] + chars[at + n :]
    out: dict[str, dict[str, Any]] = {"target": fv(chars, span)}
    rest = 0
    for word, canon in OPERATORS:
        if chars.startswith(word):
            out["target_operator"] = fv(canon, (offs[0], offs[len(word) - 1] + 1))
            rest = len(word)
            break
    m = _QUANTITY.fullmatch(chars, rest)
    if m is None:
        return out
    ns, ne = m.span("num")
    out["target_value"] = fv(float(m.group("num")), (offs[ns], offs[ne - 1] + 1))
    if m.group("unit"):
        us, ue = m.span("unit")
        out["target_unit"] = fv(m.group("unit"), (offs[us], offs[ue - 1] + 1))
    return out


def record(kind: str, key: str, title: str, unit: str | None, fields: dict[str, Any],
           note: str | None = None) -> dict[str, Any]:
    rec: dict[str, Any] = {"kind": kind, "key": key, "table_title": title, "unit": unit, "fields": fields}
    if note:
        rec["note"] = note
    return rec


def unique_keys(records: list[dict[str, Any]]) -> None:
    """`#2`, `#3` appended to a key that repeats within a kind (in document order)."""
    seen: dict[tuple[str, str], int] = {}
    for r in records:
        k = (r["kind"], r["key"])
        seen[k] = seen.get(k, 0) + 1
        if seen[k] > 1:
            r["key"] = f"{r['key']}#{seen[k]}"


def write_gold(stem: str, records: list[dict[str, Any]]) -> Path:
    path = GOLD_SRC / f"{stem}.performance.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load_gold(stem: str) -> list[dict[str, Any]]:
    path = GOLD_SRC / f"{stem}.performance.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
