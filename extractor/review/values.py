"""Turning what a reviewer typed into a value of the field's type."""

from __future__ import annotations

from typing import Any

from extractor.model import Value
from extractor.numbers import to_halfwidth
from extractor.review.errors import InvalidSubmit

_TRUE = {"true", "yes", "y", "1", "是"}
_FALSE = {"false", "no", "n", "0", "否"}


def coerce_value(raw: Any, *, like: Any) -> Value:
    """`raw` as a value of the same type as `like` (the field's current value).

    JSON clients may send typed values; form posts send text. Numbers accept thousands separators and
    full-width digits; lists are one item per line; an empty text means no value.
    """
    if raw is None:
        return None
    if isinstance(like, list):
        if isinstance(raw, list):
            return [str(x) for x in raw]
        return [line.strip() for line in str(raw).splitlines() if line.strip()]
    if isinstance(raw, bool | int | float) and not isinstance(like, str):
        return raw
    text = to_halfwidth(str(raw)).strip()
    if text == "":
        return None
    if isinstance(like, bool):
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise InvalidSubmit(f"expected yes or no, got {text!r}")
    if isinstance(like, int | float):
        number = text.replace(",", "")
        try:
            value = float(number)
        except ValueError as exc:
            raise InvalidSubmit(f"expected a number, got {text!r}") from exc
        if isinstance(like, int) and value.is_integer() and "." not in number:
            return int(value)
        return value
    if like is None:  # no type to follow: a number if it reads as one
        try:
            return float(text.replace(",", ""))
        except ValueError:
            return text
    return text
