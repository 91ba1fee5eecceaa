"""Text that has lost its digits. Some PDFs' text layers (seen with pdfminer on a real 决算) give the
sentences of the 说明 with every digit gone: "…收入支出总计 万元。与 年度相比…". An amount unit with no
number before it, in most of the places a unit is printed, is the sign."""

from __future__ import annotations

import re

_UNIT = re.compile(r"(.)[ \t\u3000]*(?:万元|亿元|千元|元)")
_LABEL_BEFORE = frozenset("：:（(位为按以的")


def digitless_amounts(text: str) -> tuple[int, int]:
    """(units with no number before them, units printed) over the text's sentences."""
    missing = total = 0
    for m in _UNIT.finditer(text):
        before = m.group(1)
        if before in _LABEL_BEFORE or before == "\n":
            continue  # 单位：万元, （万元）, 以万元: a unit, not an amount
        total += 1
        if not (before.isdigit() or before in ".%"):
            missing += 1
    return missing, total


def lost_digits_warning(text: str) -> str | None:
    missing, total = digitless_amounts(text)
    if total >= 6 and missing > 0.5 * total:
        return (
            f"the text seems to have lost its digits: {missing} of {total} amounts have a unit and no "
            "number (a broken text layer); its figures cannot be trusted"
        )
    return None
