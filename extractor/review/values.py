"""Turning what a reviewer typed into a value of the field's type."""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from extractor.model import Value
from extractor.numbers import to_halfwidth
from extractor.review.errors import InvalidSubmit

_TRUE = {"true", "yes", "y", "1", "是"}
_FALSE = {"false", "no", "n", "0", "否"}


def _number(raw: bool | int | float) -> bool | int | float:
    """A JSON number as given, if it is finite and fits a float (the validators add them up as floats)."""
    try:
        finite = math.isfinite(float(raw))
    except OverflowError:
        finite = False
    if not finite:
        raise InvalidSubmit(f"expected a finite number, got {str(raw)[:40]}")
    return raw


def _checked(text: str) -> str:
    """A control character (NUL, ESC, …) is refused, as the readers keep them out of extracted values;
    only line breaks and tabs pass."""
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in text):
        raise InvalidSubmit("a value cannot contain control characters")
    return text


def _text(raw: Any) -> str:
    return _checked(to_halfwidth(str(raw)).strip())


def coerce_value(raw: Any, *, like: Any) -> Value:
    """`raw` as a value of the same type as `like` (the field's current value).

    JSON clients may send typed values; form posts send text. Numbers accept thousands separators and
    full-width digits; lists are one item per line; an empty text means no value.
    """
    if raw is None:
        return None
    if isinstance(like, list):
        if isinstance(raw, list):
            return [_checked(str(x)) for x in raw]
        return [line.strip() for line in _text(raw).splitlines() if line.strip()]
    if isinstance(raw, bool | int | float) and not isinstance(like, str):
        return _number(raw)
    text = _text(raw)
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
        _number(value)
        if isinstance(like, int) and value.is_integer() and "." not in number:
            return int(value)
        return value
    if like is None:  # no type to follow: a number if it reads as one
        try:
            value = float(text.replace(",", ""))
        except ValueError:
            return text
        return value if math.isfinite(value) else text
    return text
