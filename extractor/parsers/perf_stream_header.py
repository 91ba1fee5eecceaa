"""The indicator header of a performance table printed as a PDF text stream: which columns it prints
(一级指标 … 佐证资料), in what order, and how wide each column's widest header line is (the wrap width
the row parser tells cells apart by)."""

from __future__ import annotations

from dataclasses import dataclass

from extractor.parsers.perf_text import Compact, indicator_header_at, width

_HEADER_WORDS: list[tuple[str, str | None]] = sorted(
    [
        ("一级指标", "level1"),
        ("二级指标", "level2"),
        ("三级指标", "name"),
        ("指标名称", "name"),
        ("指标值设置依据", "basis"),
        ("指标值设定依据", "basis"),
        ("指标设定依据", "basis"),
        ("指标设置依据", "basis"),
        ("设定依据", "basis"),
        ("设置依据", "basis"),
        ("年度指标值", "target"),
        ("指标值", "target"),
        ("上年完成值", "last_year"),
        ("上年指标值", "last_year"),
        ("上年实际完成值", "last_year"),
        ("指标分值权重", "weight"),
        ("分值权重", "weight"),
        ("指标分值", "weight"),
        ("指标权重", "weight"),
        ("权重", "weight"),
        ("分值", "weight"),
        ("指标赋分规则", "scoring_rule"),
        ("赋分规则", "scoring_rule"),
        ("评(扣)分标准", "scoring_rule"),
        ("评（扣）分标准", "scoring_rule"),
        ("评分标准", "scoring_rule"),
        ("佐证资料", "evidence"),
        ("佐证材料", "evidence"),
        ("数据来源", "evidence"),
        ("备注", None),
    ],
    key=lambda x: -len(x[0]),
)


@dataclass
class StreamHeader:
    start: int  # document offset of the header's first character
    end: int  # document offset just after it
    roles: list[str]
    widths: dict[str, float]


def find_header(src: str, compact: Compact, from_index: int = 0) -> StreamHeader | None:
    """The indicator header (一级指标 二级指标 三级指标 指标值 ...) at or after compact index
    `from_index`, with the role of each column and the width of its widest header line."""
    i = indicator_header_at(compact.text, from_index)
    if i < 0:
        return None
    k = i
    roles: list[str] = []
    words: list[tuple[int, int, str | None]] = []
    while True:
        for word, role in _HEADER_WORDS:
            if compact.text.startswith(word, k):
                words.append((k, k + len(word), role))
                if role is not None and role not in roles:
                    roles.append(role)
                k += len(word)
                break
        else:
            break
    if "name" not in roles:
        return None
    widths: dict[str, float] = {}
    for a, b, role in words:
        if role is None:
            continue
        s, e = compact.doc_start(a), compact.doc_end(b)
        w = max((width(line) for line in src[s:e].split("\n")), default=0.0)
        widths[role] = max(widths.get(role, 0.0), w)
    return StreamHeader(compact.doc_start(i), compact.doc_end(k), roles, widths)
