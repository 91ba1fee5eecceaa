"""Reading numbers as printed: thousands separators, full-width digits, percentages, 分 suffixes."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－％", "0123456789.,-%")

# An amount as printed: 3,984.50 | 314.6 | 5 | -12.00 | 0.29  (thousands groups must be exact)
AMOUNT_RE = re.compile(r"(?<![\d.,])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d,]*\d)")
_AMOUNT_FULL = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


@dataclass(frozen=True)
class NumberToken:
    value: float
    start: int
    end: int
    text: str

    @property
    def decimals(self) -> int:
        return len(self.text.split(".")[1]) if "." in self.text else 0


def to_halfwidth(s: str) -> str:
    return s.translate(_FULLWIDTH)


def parse_amount(text: str) -> float | None:
    """The amount a cell prints, or None if the cell is not a plain amount."""
    t = to_halfwidth(text).strip().strip("\u3000").strip()
    if not t or not _AMOUNT_FULL.match(t):
        return None
    return float(t.replace(",", ""))


def find_amounts(text: str, offset: int = 0) -> list[NumberToken]:
    """All plain amounts in `text`, with spans shifted by `offset`."""
    t = to_halfwidth(text)
    return [
        NumberToken(float(m.group().replace(",", "")), offset + m.start(), offset + m.end(), m.group())
        for m in AMOUNT_RE.finditer(t)
    ]


def cents(x: float) -> int:
    return int(round(x * 100))
