"""Where a wrapped cell of a PDF text stream ends: a cell fills its lines up to its column's width and
its last line is shorter; a line wider than the column, or a second cell on the same line, is another
column. Used by the stream row parser (`perf_stream`) for scoring rules, evidence and basis cells."""

from __future__ import annotations

from extractor.parsers.perf_fragments import Frag
from extractor.parsers.perf_stream_header import StreamHeader
from extractor.parsers.perf_tails import ends_rule


def take_rule(seg: list[Frag], header: StreamHeader, w: float) -> tuple[list[Frag], int, bool]:
    """The scoring-rule fragments at the start of `seg`: the lines of a cell `w` wide, up to the
    first one ending in 分. The flag says the rule did not end in 分 (its end may be elsewhere)."""
    if "scoring_rule" not in header.roles:
        return [], 0, False
    strict = rule_lines(seg, w, short_line_ends=True)
    if strict and ends_rule(seg[strict - 1]):
        return seg[:strict], strict, False
    # a header wider than the rule's lines makes them look short: lines of the column's width
    # up to one ending in 分
    loose = rule_lines(seg, w, short_line_ends=False)
    if loose > strict and ends_rule(seg[loose - 1]):
        return seg[:loose], loose, False
    return seg[:strict], strict, strict > 0


def rule_lines(seg: list[Frag], w: float, *, short_line_ends: bool) -> int:
    """How many fragments from the start of `seg` are lines of a rule cell `w` wide, stopping after
    the first that ends in 分."""
    n = 0
    while n < min(len(seg), 8):
        f = seg[n]
        if f.kind == "label":
            break
        if n > 0:
            prev = seg[n - 1]
            if f.line == prev.last_line or f.width > w + 0.5:
                break  # another cell on the same line, or a line of another column
            if short_line_ends and prev.width < w - 1.0:
                break  # a wrapped cell's last line is short
        n += 1
        if f.kind == "text" and ends_rule(f):
            break
    return n


def take_cell(seg: list[Frag], start: int, w: float, limit: int | None = None) -> int:
    """How many fragments from `start` make one wrapped cell of a column `w` wide."""
    n = 0
    while start + n < len(seg) and (limit is None or n < limit):
        f = seg[start + n]
        if f.kind not in ("text", "dash"):
            break
        if n > 0:
            prev = seg[start + n - 1]
            if f.line == prev.last_line:
                break  # another cell on the same line
            if prev.width < w - 1.0 or f.width > w + 0.5:
                break
        n += 1
    return n


def take_basis(seg: list[Frag], w: float) -> int:
    """Basis fragments after a 指标值: full-width lines of the basis column (labels in between are
    skipped), up to its shorter last line."""
    n = 0
    last: Frag | None = None
    for q, f in enumerate(seg):
        if f.kind == "label":
            continue
        if last is not None and (last.width < w - 1.0 or f.width > w + 0.5):
            return n
        last = f
        n = q + 1
    return n
