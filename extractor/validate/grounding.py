"""Grounding: a field's value must be readable at its span in the document text."""

from __future__ import annotations

import re

from extractor.ingest.normalize import normalized_view
from extractor.model import FieldValue
from extractor.numbers import parse_amount, to_halfwidth

_WS = re.compile(r"[\s\u3000]+")
# printed comparison operators and the canonical sign a parser stores for them
_OPERATORS = {
    ">=": "≥", "≧": "≥", "＞＝": "≥", "大于等于": "≥", "不低于": "≥", "不少于": "≥", "≥": "≥",
    "<=": "≤", "≦": "≤", "＜＝": "≤", "小于等于": "≤", "不高于": "≤", "不超过": "≤", "≤": "≤",
    "＝": "=", "=": "=", "＞": ">", ">": ">", "大于": ">", "＜": "<", "<": "<", "小于": "<",
}  # fmt: skip


def grounded(text: str, fv: FieldValue) -> bool | None:
    """True when the text at the span reads as the value; None when there is nothing to check
    (no span: a derived value, or a list)."""
    if fv.span is None or isinstance(fv.value, list) or fv.value is None:
        return None
    start, end = fv.span
    if not (0 <= start < end <= len(text)):
        return False
    piece = _WS.sub("", text[start:end])
    v = fv.value
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        number = parse_amount(piece.rstrip("%％分"))
        if number is None:
            m = re.search(r"-?\d[\d,]*(?:\.\d+)?", piece)
            number = parse_amount(m.group()) if m else None
        return number is not None and abs(number - float(v)) < 1e-6
    want = _WS.sub("", str(v))
    if want in ("≥", "≤", "=", ">", "<"):
        return _OPERATORS.get(normalized_view(piece), _OPERATORS.get(piece)) == want
    piece, want = to_halfwidth(piece), to_halfwidth(want)
    return bool(want) and (piece == want or (want in piece and len(piece) <= len(want) + 8))
