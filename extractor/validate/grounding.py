"""Grounding: a field's value must be readable at its span in the document text."""

from __future__ import annotations

import re

from extractor.ingest.normalize import normalized_view
from extractor.model import FieldValue
from extractor.numbers import parse_amount, to_halfwidth

_WS = re.compile(r"[\s\u3000]+")
# printed comparison operators and the canonical sign a parser stores for them
_OPERATORS = {
    ">=": "≥",
    "≧": "≥",
    "＞＝": "≥",
    "大于等于": "≥",
    "不低于": "≥",
    "不少于": "≥",
    "≥": "≥",
    "<=": "≤",
    "≦": "≤",
    "＜＝": "≤",
    "小于等于": "≤",
    "不高于": "≤",
    "不超过": "≤",
    "≤": "≤",
    "＝": "=",
    "=": "=",
    "＞": ">",
    ">": ">",
    "大于": ">",
    "＜": "<",
    "<": "<",
    "小于": "<",
}


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
    interleaved = "interleaved" in fv.reasons  # the parser read it in pieces around other cells' text
    if want in ("≥", "≤", "=", ">", "<"):
        if _OPERATORS.get(normalized_view(piece), _OPERATORS.get(piece)) == want:
            return True
        return interleaved and any(
            sign == want and (op in piece or op in normalized_view(piece)) for op, sign in _OPERATORS.items()
        )
    piece, want = to_halfwidth(piece), to_halfwidth(want)
    if bool(want) and (piece == want or (want in piece and len(piece) <= len(want) + 8)):
        return True
    return interleaved and bool(want) and _in_order(want, piece)


def _in_order(want: str, piece: str) -> bool:
    """Every character of `want` occurs in `piece`, in order (other text may come between)."""
    rest = iter(piece)
    return all(ch in rest for ch in want)
