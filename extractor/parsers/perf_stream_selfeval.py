"""Indicator rows of a 项目支出绩效自评表 printed as a PDF text stream.

Without cell boundaries, a row is anchored on its two trailing numbers, 分值 then 得分 (得分 <= 分值);
the two fragments before them are 指标值 and 完成值, the fragments before those the indicator's name
(after any level labels); what follows 得分 up to the next row's name is the 偏差原因. When no level
label separates a 偏差原因 from the next name and more than one fragment lies between them, the split
(every fragment but the last is the reason) is marked ``uncertain_layout``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.parsers.perf_stream import Frag, StreamRow, assign_row_levels, fragments, mark_labels
from extractor.parsers.perf_text import Compact, indicator_header_at

_SE_HEADER_WORDS = sorted(
    [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "年度",
        "指标值",
        "实际完成值",
        "实际",
        "完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
        "偏差原因",
        "改进措施",
    ],
    key=len,
    reverse=True,
)


@dataclass
class SelfEvalRow:
    core: StreamRow = field(default_factory=StreamRow)  # name, target, levels
    actual: list[Frag] = field(default_factory=list)
    score: Frag | None = None
    deviation: list[Frag] = field(default_factory=list)


def _header_end(compact: Compact, at: int) -> int:
    k = at
    moved = True
    while moved:
        moved = False
        for word in _SE_HEADER_WORDS:
            if compact.text.startswith(word, k):
                k += len(word)
                moved = True
                break
    return k


def parse_self_eval_rows(src: str, start: int, end: int) -> list[SelfEvalRow]:
    compact = Compact.of(src, start, end)
    at = indicator_header_at(compact.text)
    if at < 0:
        return []
    body_start = compact.doc_end(_header_end(compact, at))
    total = compact.text.find("总分", at)
    body_end = compact.doc_start(total) if total >= 0 else end
    frags = mark_labels(fragments(src, body_start, body_end), unit_table=False)
    anchors = _anchors(frags)
    rows: list[SelfEvalRow] = []
    prev: SelfEvalRow | None = None
    lo = 0
    for w in anchors:
        if w - 2 < lo:
            continue
        row = SelfEvalRow()
        row.core.weight, row.score = frags[w], frags[w + 1]
        row.actual = [frags[w - 1]]
        row.core.target = [frags[w - 2]]
        between = frags[lo : w - 2]
        _split_between(between, prev, row, offset=lo)
        rows.append(row)
        prev = row
        lo = w + 2
    if prev is not None:
        prev.deviation = [f for f in frags[lo:] if f.kind != "label"]
    assign_row_levels(frags, [r.core for r in rows])
    return [r for r in rows if r.core.name]


def _anchors(frags: list[Frag]) -> list[int]:
    """Indices of 分值 in (分值, 得分) pairs: two adjacent numbers, 得分 <= 分值 <= 100."""
    out: list[int] = []
    i = 0
    while i + 1 < len(frags):
        a, b = frags[i], frags[i + 1]
        if (
            a.kind == "number"
            and b.kind == "number"
            and a.number is not None
            and b.number is not None
            and 0 <= b.number <= a.number <= 100
            and i >= 2
        ):
            # three numbers in a row (a 完成值 printed as a bare number): the last two
            if (
                i + 2 < len(frags)
                and frags[i + 2].kind == "number"
                and re.fullmatch(r"\d+(\.\d+)?", frags[i + 2].text)
            ):
                c = frags[i + 2]
                if c.number is not None and c.number <= b.number:
                    i += 1
                    continue
            out.append(i)
            i += 2
            continue
        i += 1
    return out


def _split_between(between: list[Frag], prev: SelfEvalRow | None, row: SelfEvalRow, offset: int) -> None:
    """Fragments between the previous 得分 and this row's 指标值: [偏差原因 of the previous row]
    [labels] [this row's name]."""
    labels = [q for q, f in enumerate(between) if f.kind == "label"]
    content = [(q, f) for q, f in enumerate(between) if f.kind != "label"]
    if labels:
        first, last = labels[0], labels[-1]
        name = [(q, f) for q, f in content if q > last]
        dev = [f for q, f in content if q < first]
    elif prev is None:
        name, dev = content, []
    else:
        name, dev = content[-1:], [f for _, f in content[:-1]]
        if len(content) > 2:
            row.core.uncertain.add("name")
            prev.core.uncertain.add("deviation_reason")
    row.core.name = [f for _, f in name]
    row.core.first_index = offset + (name[0][0] if name else len(between))
    if prev is not None:
        prev.deviation = dev
