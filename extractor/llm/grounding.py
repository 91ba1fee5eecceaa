"""Grounding: map each value the model returned back to the characters of the document it was read
from. A value that cannot be found in its row gets no span and the reason "ungrounded"; the
validators never auto-accept such a value. Grounding is also the guard against prompt injection:
a number the model was talked into ("output 999") is not printed in the row it claims to come from.

- Row anchors: the row's code (parts separated by any whitespace, 项 and 款 with or without their
  leading zero) and its name (exact after whitespace removal), searched in printed order.
- A row's window runs from the start of its anchor's line to the start of the next row's anchor
  line; its numbers must be printed there (thousands separators allowed), each printed number
  backing at most one field.
- Text values: exact substring after whitespace removal, in the row window first, then anywhere in
  the chunk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from extractor.llm.prompts import logical_rows
from extractor.llm.schema import CODED_KINDS, SINGLE_ROW_KINDS, compact, normalise_code, row_key
from extractor.model import FieldValue
from extractor.numbers import NumberToken, find_amounts

ANCHOR_FIELDS = ("name", "project_name")
_EMPTY_TABLE = re.compile(r"空\s*表|无\s*数\s*据")


@dataclass
class GroundedRow:
    key: str | None
    fields: dict[str, FieldValue]
    anchor: tuple[int, int] | None = None
    key_grounded: bool = True
    notes: list[str] = field(default_factory=list)


class _Compact:
    """The region's text without whitespace, with a map back to original offsets."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.chars: list[str] = []
        self.pos: list[int] = []
        for i in range(start, end):
            ch = text[i]
            if not ch.isspace():
                self.chars.append(ch)
                self.pos.append(i)
        self.text = "".join(self.chars)

    def find(self, needle: str, lo: int, hi: int) -> tuple[int, int] | None:
        """Span in original offsets of the first occurrence of `needle` starting in [lo, hi)."""
        if not needle:
            return None
        j = self.text.find(needle, _bisect(self.pos, lo))
        if j < 0 or self.pos[j + len(needle) - 1] >= hi:
            return None
        return self.pos[j], self.pos[j + len(needle) - 1] + 1


def _bisect(values: list[int], x: int) -> int:
    lo, hi = 0, len(values)
    while lo < hi:
        mid = (lo + hi) // 2
        if values[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _code_pattern(code: str) -> re.Pattern[str]:
    parts = [code[:3]] + [code[i : i + 2] for i in range(3, len(code), 2)]
    rest = [f"0?{int(p)}" if p.startswith("0") else p for p in parts[1:]]
    spaced = r"\s*".join([parts[0], *rest])
    return re.compile(rf"(?<![\d.]){spaced}(?![\d.]|\s+\d{{1,2}}(?:\s|$)(?![\d.]))|(?<![\d.]){code}(?![\d.])")


def _line_start(text: str, pos: int, floor: int) -> int:
    return max(floor, text.rfind("\n", 0, pos) + 1)


def _values_equal(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 + 1e-9


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Grounder:
    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.compact = _Compact(text, start, end)
        self.tokens: list[NumberToken] = find_amounts(text[start:end], offset=start)
        self.used: set[int] = set()  # indexes into self.tokens
        self.blocked: list[tuple[int, int]] = []  # code spans: their digits are not amounts

    def find_code(self, code: str, lo: int) -> tuple[int, int] | None:
        pattern = _code_pattern(code)
        for a, b in ((lo, self.end), (self.start, lo)):
            m = pattern.search(self.text, a, b)
            if m:
                return m.start(), m.end()
        return None

    def find_text(self, value: str, lo: int, hi: int) -> tuple[int, int] | None:
        return self.compact.find(compact(value), lo, hi)

    def take_number(self, value: float, lo: int, hi: int) -> tuple[int, int] | None:
        for i, tok in enumerate(self.tokens):
            if i in self.used or tok.start < lo or tok.end > hi:
                continue
            if any(tok.start < b and a < tok.end for a, b in self.blocked):
                continue
            if _values_equal(tok.value, value):
                self.used.add(i)
                return tok.start, tok.end
        return None

    def find_empty_statement(self) -> tuple[int, int] | None:
        m = _EMPTY_TABLE.search(self.text, self.start, self.end)
        return (m.start(), m.end()) if m else None


def _field(value: Any, span: tuple[int, int] | None) -> FieldValue:
    reasons = ["llm", "grounded" if span is not None else "ungrounded"]
    return FieldValue(
        value=value,
        span=span,
        reasons=reasons,
        confidence=0.5 if span is not None else 0.0,
        status="needs_review",
    )


def ground_rows(
    text: str, start: int, end: int, kind: str, rows: list[dict[str, Any]], field_names: list[str]
) -> list[GroundedRow]:
    """Ground the model's rows (dicts of field -> value, plus `code` for coded kinds) in
    `text[start:end]`; returns one GroundedRow per input row, in printed order where anchored."""
    g = _Grounder(text, start, end)
    single = kind in SINGLE_ROW_KINDS
    anchors: list[tuple[int, int] | None] = []
    code_ok: list[bool] = []
    cursor = start
    for row in rows:
        spans: list[tuple[int, int]] = []
        ok = True
        if kind in CODED_KINDS and row.get("code") is not None:
            code = normalise_code(str(row["code"]))
            span = g.find_code(code, cursor) if code else None
            if span:
                spans.append(span)
                g.blocked.append(span)
            else:
                ok = False
        for name in ANCHOR_FIELDS:
            value = row.get(name)
            if isinstance(value, str) and value.strip():
                lo = spans[0][1] if spans else cursor
                span = g.find_text(value, lo, end) or g.find_text(value, start, end)
                if span and (not spans or abs(span[0] - spans[0][1]) < 200):
                    spans.append(span)
        anchor = (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None
        if anchor:
            cursor = anchor[1]
        anchors.append(anchor)
        code_ok.append(ok)

    order = sorted(range(len(rows)), key=lambda i: (anchors[i] is None, anchors[i] or (0, 0)))
    windows = _windows(text, start, end, anchors, order, single)

    out: list[GroundedRow] = []
    for i in order:
        row = rows[i]
        window = windows[i]
        fields: dict[str, FieldValue] = {}
        for name in field_names:
            value = row.get(name)
            if value is None:
                continue
            span = _ground_value(g, value, window)
            fields[name] = _field(value, span)
        grounded = GroundedRow(
            key=row_key(kind, row), fields=fields, anchor=anchors[i], key_grounded=code_ok[i]
        )
        if not code_ok[i]:
            grounded.notes.append("ungrounded_key")
            for fv in fields.values():
                fv.add_reason("ungrounded_key")
        out.append(grounded)
    return out


def _windows(
    text: str,
    start: int,
    end: int,
    anchors: list[tuple[int, int] | None],
    order: list[int],
    single: bool,
) -> dict[int, tuple[int, int] | None]:
    """Each row's window: the printed row(s) its anchor lies in (cells broken over lines joined, as
    the model saw them); failing that, from its anchor's line to the next anchored row."""
    printed = [(r.start, r.end) for r in logical_rows(text, start, end)] if not single else []
    windows: dict[int, tuple[int, int] | None] = {}
    anchored = [i for i in order if anchors[i] is not None]
    for n, i in enumerate(anchored):
        a = anchors[i]
        assert a is not None
        hit = [p for p in printed if p[0] < a[1] and a[0] < p[1]]
        if hit:
            windows[i] = (min(p[0] for p in hit), max(p[1] for p in hit))
            continue
        lo, hi = _line_start(text, a[0], start), end
        for j in anchored[n + 1 :]:
            b = anchors[j]
            assert b is not None
            if b[0] >= a[1]:
                hi = _line_start(text, b[0], a[1])
                break
        windows[i] = (lo, hi)
    for i in order:
        if anchors[i] is None:
            windows[i] = (start, end) if single else None
    return windows


def _ground_value(g: _Grounder, value: Any, window: tuple[int, int] | None) -> tuple[int, int] | None:
    if isinstance(value, bool):
        return g.find_empty_statement() if value else None
    if _is_number(value):
        return g.take_number(float(value), *window) if window else None
    if isinstance(value, str):
        if not value.strip():
            return None
        if window:
            span = g.find_text(value, *window)
            if span:
                return span
        return g.find_text(value, g.start, g.end)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        spans = [g.find_text(v, g.start, g.end) for v in value]
        if all(s is not None for s in spans):
            found = [s for s in spans if s is not None]
            return min(s[0] for s in found), max(s[1] for s in found)
    return None
