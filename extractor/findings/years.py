"""The year on the cover, the part headings and the table titles is the document's year.

Only the lines that name the document or one of its tables are compared (a 说明 sentence rightly speaks of
上年 and of other years); the document's year is the one most of them print. One line printing another year
is an error where at least two others agree with the document's year, else a warning."""

from __future__ import annotations

import re
from collections import Counter

from extractor.classify import compact
from extractor.findings.context import Checks
from extractor.findings.inventory import NON_TABLE
from extractor.findings.model import Severity

_YEAR = re.compile(r"(20\d\d)\s*年")
_HEADING = re.compile(r"^\s*第\s*[一二三四五六七八九十\d]+\s*部分")
_MAX_TITLE = 60


def _title_lines(c: Checks) -> list[tuple[int, int, str]]:
    lines: list[tuple[int, int, str]] = []
    for seg in c.result.segments:
        if seg.kind in NON_TABLE and seg.kind != "performance_target":
            continue
        s, e = c.line_span(seg.start)
        if re.fullmatch(r"\s*表\s*\d+\s*", c.text[s:e]):
            s, e = c.line_span(c.text.find(seg.title[:2], e) if seg.title[:2] in c.text[e : e + 200] else s)
        lines.append((s, e, "title"))
    pos = 0
    for line in c.text.split("\n"):
        if _HEADING.match(line):
            lines.append((pos, pos + len(line), "heading"))
        pos += len(line) + 1
    return lines


def check_years(c: Checks) -> None:
    printed: list[tuple[int, int, int, str]] = []  # year, start, end, kind of line
    seen: set[int] = set()
    for s, e, what in _title_lines(c):
        line = c.text[s:e]
        if s in seen or len(compact(line)) > _MAX_TITLE or "。" in line or "，" in line:
            continue
        seen.add(s)
        years = {m.group(1) for m in _YEAR.finditer(line)}
        if len(years) != 1:
            continue  # no year, or a line comparing two years
        m = _YEAR.search(line)
        assert m is not None
        printed.append((int(m.group(1)), s + m.start(1), s + m.end(1), what))
    if len(printed) < 2:
        return
    tally = Counter(y for y, *_ in printed)
    year, agree = tally.most_common(1)[0]
    if agree * 2 <= len(printed):
        return  # no year most lines agree on: the reading is in doubt
    doc_year = c.result.info.fiscal_year
    for y, s, e, what in printed:
        if y == year or tally[y] > 1:
            continue  # several lines of another year: a second part of the document (上半年执行情况), not a slip
        severity: Severity = "error" if agree >= 2 and c.text_trusted(s, e) else "warning"
        line_s, line_e = c.line_span(s)
        where = "表题" if what == "title" else "部分标题"
        c.add(
            "year_inconsistent",
            severity,
            f"{where}年度 {y} 与文件年度 {year} 不一致（{agree} 处标题为 {year}"
            f"{'' if doc_year in (None, year) else f'，文件信息为 {doc_year}'}）：{c.text[line_s:line_e].strip()}",
            (s, e),
            f"{y}@{compact(c.text[line_s:line_e])}",
            ["document//fiscal_year"],
        )
