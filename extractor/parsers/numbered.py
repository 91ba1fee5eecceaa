"""Numbered lists in prose (the 概况's 主要职能): `（一）`, `(1)`, `1.`, `1、`, `①` …

Marks are read in sequence: a style's list is the run of marks numbered 1, 2, 3 … in text order, so
a list nested inside an item (001's `(20)` holding its own `(1)`–`(3)`, 004's `（十八）` holding
`1、`–`6、`) stays inside that item. The style with the longest run is the list. Artifacts of the
export (Word's `[bookmark: page3]`) are removed from the items' text; the item's offsets exclude
the ones at its ends, so a span built from them covers the printed text only.
"""

from __future__ import annotations

import re

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn_paren", re.compile(r"[（(]([一二三四五六七八九十]{1,3})[）)]")),
    ("num_paren", re.compile(r"[（(](\d{1,2})[）)]")),
    ("num_dot", re.compile(r"(?<![\d.．])(\d{1,2})[.．、](?!\d)")),
    ("circled", re.compile(r"([\u2460-\u2473])")),  # ① … ⑳
)

# markers an export leaves in the text: Word's bookmarks, image/page/footnote placeholders
ARTIFACT = re.compile(r"\[(?:bookmark|image|page|footnote|comment)\b[^\]\n]{0,80}\]", re.IGNORECASE)


def cn_number(s: str) -> int | None:
    """一 … 九十九 as an int; None for anything else."""
    if "十" not in s:
        return _CN_DIGITS.get(s) if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    if "十" in ones or (tens and tens not in _CN_DIGITS) or (ones and ones not in _CN_DIGITS):
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _number(style: str, mark: str) -> int | None:
    if style == "cn_paren":
        return cn_number(mark)
    if style == "circled":
        return ord(mark) - 0x2460 + 1
    return int(mark)


def _sequence(text: str, style: str, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    marks: list[re.Match[str]] = []
    for m in pattern.finditer(text):
        if _number(style, m.group(1)) == len(marks) + 1:
            marks.append(m)
    return marks


def strip_artifacts(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The text of `text[start:end]` without artifacts, and the range without those at its ends."""
    while m := ARTIFACT.match(text, start, end):
        start = m.end()
    while True:
        tail = [m for m in ARTIFACT.finditer(text, start, end) if m.end() == end]
        if not tail:
            break
        end = tail[0].start()
    return ARTIFACT.sub("", text[start:end]), start, end


def numbered_items(text: str) -> list[tuple[str, int, int]]:
    """(item text, start, end) of the longest numbered list in `text`; the number itself is not part
    of the item. Fewer than two items is no list."""
    best: list[re.Match[str]] = []
    for style, pattern in _STYLES:
        marks = _sequence(text, style, pattern)
        if len(marks) > len(best) or (
            marks and len(marks) == len(best) and marks[0].start() < best[0].start()
        ):
            best = marks
    if len(best) < 2:
        return []
    items: list[tuple[str, int, int]] = []
    for i, m in enumerate(best):
        end = best[i + 1].start() if i + 1 < len(best) else len(text)
        value, start, end = strip_artifacts(text, m.end(), end)
        if value:
            items.append((value, start, end))
    return items
