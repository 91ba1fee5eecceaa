"""“三公”经费 in the 说明: its parts (因公出国（境）费, 公务接待费, 公务用车购置费 and 运行费) against the
三公 table, and, in a 决算, 决算数 not above 预算数."""

from __future__ import annotations

import re

from extractor.findings.context import Checks, fmt
from extractor.layout import Cell
from extractor.parsers.rows import JoinedText

_NUM = r"(\d[\d,]*(?:\.\d+)?)"
PARTS = (
    ("overseas_travel", "因公出国（境）费", rf"因公出国[（(]境[)）]费(?:用)?(?:为|预算|支出)?{_NUM}万元"),
    ("reception", "公务接待费", rf"公务接待费(?:用)?(?:为|预算|支出)?{_NUM}万元"),
    ("vehicle_purchase", "公务用车购置费", rf"公务用车购置费(?:为|预算|支出)?{_NUM}万元"),
    ("vehicle_operation", "公务用车运行费", rf"公务用车运行(?:维护)?费(?:为|预算|支出)?{_NUM}万元"),
)
_OVER = re.compile(
    rf"“?三公”?经费[^。]{{0,40}}?(?:年初)?预算(?:数)?(?:为)?{_NUM}万元[^。]{{0,40}}?决算(?:数)?(?:为)?{_NUM}万元"
)


def _joined(c: Checks, start: int, end: int) -> JoinedText:
    joined = JoinedText()
    joined.add(Cell(c.text[start:end], start, end), c.text)
    return joined


def check_three_public(c: Checks) -> None:
    table = c.record("three_public_expenses")
    for seg in c.result.segments:
        if seg.kind != "narrative_facts":
            continue
        joined = _joined(c, seg.start, seg.end)
        if c.doc_type == "final_accounts":
            _over_budget(c, joined)
        head = re.search(r"“?三公”?经费(?:预算|决算)?(?:数)?为", joined.text)
        if head is None:
            continue
        sentence_end = joined.text.find("。", head.end())
        region = (head.start(), sentence_end if sentence_end > 0 else len(joined.text))
        if table is not None and c.doc_type == "budget":
            _parts(c, joined, region, table)


def _parts(c: Checks, joined: JoinedText, region: tuple[int, int], table: object) -> None:
    from extractor.model import Record

    assert isinstance(table, Record)
    for name, word, pattern in PARTS:
        m = re.compile(pattern).search(joined.text, *region)
        cell = table.fields.get(name)
        if m is None:
            continue
        printed = float(m.group(1).replace(",", ""))
        value = cell.value if cell is not None else 0.0  # a blank cell of the table is 0
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if abs(printed - float(value)) < 0.005:
            continue
        span = joined.span(m.start(1), m.end(1))
        if span is None:
            continue
        basis = cell if cell is not None else table.fields.get("total")
        vouched = basis is not None and any(r.startswith("sum:") for r in basis.reasons)
        trusted = c.text_trusted(*span) and vouched
        c.add(
            "narrative_table_mismatch",
            "error" if trusted else "warning",
            f"情况说明中{word} {fmt(printed)} 万元，“三公”经费表为 {fmt(float(value))} 万元",
            span,
            f"three_public:{name}",
            [table.address(name)],
        )


def _over_budget(c: Checks, joined: JoinedText) -> None:
    for m in _OVER.finditer(joined.text):
        budget, actual = (float(m.group(i).replace(",", "")) for i in (1, 2))
        if actual <= budget + 0.005:
            continue
        span = joined.span(m.start(2), m.end(2))
        if span is None:
            continue
        c.add_in_text(
            "three_public_over_budget",
            f"“三公”经费决算数 {fmt(actual)} 万元超过预算数 {fmt(budget)} 万元",
            span,
            f"three_public:{m.group(0)}",
        )
