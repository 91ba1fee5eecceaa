"""Checks over the printed text alone: template placeholders left in, doubled punctuation."""

from __future__ import annotations

import re

from extractor.findings.context import Checks

# XX局, ××单位, 20XX年; 待填写 / 待补充 / 请填写; {单位}, 【单位名称】
_PLACEHOLDER = re.compile(
    r"(?:(?<![A-Za-z])[XＸxｘ×✕]{2,}(?![A-Za-z])(?=[\u4e00-\u9fff年月日])"
    r"|(?<=[\u4e00-\u9fff\d])[XＸ×✕]{2,}(?![A-Za-z])"
    r"|待填写|待补充|请填写|此处填写"
    r"|[{｛][^{}｛｝\n]{1,12}[}｝]"
    r"|【[^】\n]{0,10}(?:名称|单位|金额|年度|数字)】)"
)
# two sentence or clause marks in a row (an ellipsis …… and a dash —— are one mark each)
_DOUBLED = re.compile(r"([。，、；：？！,])\s*\1|[。，、；,][。，、；,]")


def check_text(c: Checks) -> None:
    text = c.text
    for m in _PLACEHOLDER.finditer(text):
        s, e = m.span()
        qs, qe = max(0, s - 6), min(len(text), e + 6)
        context = text[qs:qe].replace("\n", " ")
        c.add_in_text(
            "placeholder",
            f"模板占位符“{m.group(0)}”未替换：…{context}…",
            (s, e),
            f"{m.group(0)}@{context}",
        )
    for m in _DOUBLED.finditer(text):
        s, e = m.span()
        if "\n" in m.group(0) or _in_table_row(text, s):
            continue  # a cell holding only a mark, or marks on two lines, is layout, not prose
        qs, qe = max(0, s - 8), min(len(text), e + 8)
        context = text[qs:qe].replace("\n", " ")
        c.add_in_text(
            "doubled_punctuation",
            f"标点“{m.group(0)}”重复：…{context}…",
            (s, e),
            f"{m.group(0)}@{context}",
        )


def _in_table_row(text: str, offset: int) -> bool:
    """A mark inside a tab- or pipe-separated row is a cell's content."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    line = text[start : len(text) if end < 0 else end]
    return "\t" in line or "|" in line
