"""Fragments of PDF text for the performance-table stream parser (`perf_stream`).

The words of each line, re-assembled where the PDF export broke them: letter-spaced characters
(``效 益``), cells printed with nothing between them (``数量指标市场监管系统培训人数≥350人``), dates
over several lines (``2024\n年 12\n月 31\n日``), quantities with their operator and unit on separate
lines (``＜\n=5.4\n万元``, ``=1496\n7 平方\n米``), and text split at a change of script
(``告及 2024年工``). The indicator-level labels among them are recognised by `perf_labels`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.numbers import to_halfwidth
from extractor.parsers.perf_text import (
    LEVEL1_WORDS,
    LEVEL2_WORDS,
    OP_START,
    width,
)

# ---------------------------------------------------------------------------------------------- fragments


@dataclass
class Frag:
    pieces: list[tuple[int, int]]
    line: int
    last_line: int
    text: str  # compact text
    kind: str = "text"  # text | opvalue | value | number | date | dash | label
    level: int = 0  # labels: 1 or 2
    number: float | None = None

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def width(self) -> float:
        return width(self.text)


def merge(frags: list[Frag], i: int, j: int, kind: str = "text") -> Frag:
    """Fragments i..j-1 as one."""
    part = frags[i:j]
    return Frag(
        pieces=[p for f in part for p in f.pieces],
        line=part[0].line,
        last_line=part[-1].last_line,
        text="".join(f.text for f in part),
        kind=kind,
    )


_CJK1 = re.compile(r"^[\u4e00-\u9fff]$")
_DATE_FULL = re.compile(
    r"^(?:19|20)\d{2}年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:前|之前|以前|底|末)?$|^(?:19|20)\d{2}[.-]\d{1,2}(?:[.-]\d{1,2})?$"
)
_YEAR_START = re.compile(r"^(?:19|20)\d{2}")
_NUM_RE = re.compile(r"^(?P<op>[<>=≥≤＞＜≧≦＝]{1,2})?(?P<num>\d+(?:\.\d+)?|\.\d+)?(?P<unit>.*)$")
OPS_ONLY = re.compile(r"^[<>=≥≤＞＜≧≦＝]{1,2}$")
_DASH = re.compile(r"^[-—–/／\\－]+$|^无$")
BASIS_LIKE = re.compile(r"标准$|^自定义$|计划$|^其他$|依据$|规定$|要求$|^行业|^历史|^预算支出")
_UNIT_LIST = (
    "% ％ ‰ 人 次 家 个 份 场 期 天 项 件 台 套 辆 批 批次 人次 户 组 万元 元 万 亿元 平方米 平方 米 公里 "
    "千米 小时 分钟 秒 月 年 日 周 所 张 本 册 条 起 只 万只 篇 支 部 间 处 吨 亩 分 名 例 类 种 款 座 "
    "栋 宗 单 笔 车次 人天 人日 工作日 个月 学时 课时 期次 户次 家次 个百分点 百分点 万人 万次 册次 套次 "
    "台次 块 面 盏 棵 株 箱 瓶 袋 份次 万份 级 星 倍 辆次 人/次 元/人 小时/天 个工作日 千瓦时 立方米"
)
_UNITS = frozenset(_UNIT_LIST.split(" "))


def _is_unit(u: str) -> bool:
    if u in _UNITS:
        return True
    if "/" in u or "／" in u:
        parts = re.split(r"[/／]", u)
        return parts[0] in _UNITS and all(0 < len(p) <= 4 for p in parts[1:])
    return False


def _is_unit_prefix(u: str) -> bool:
    return any(x.startswith(u) for x in _UNITS)


def _unit_piece_ok(unit_so_far: str, piece: str) -> bool:
    if not piece or re.search(r"\d", piece):
        return False
    cand = unit_so_far + piece
    return _is_unit(cand) or _is_unit_prefix(cand)


def fragments(src: str, start: int, end: int) -> list[Frag]:
    words: list[Frag] = []
    line_no = 0
    pos = start
    while pos < end:
        nl = src.find("\n", pos, end)
        stop = end if nl < 0 else nl
        found = False
        for m in re.finditer(r"[^\s*]+", src[pos:stop]):
            s, e = pos + m.start(), pos + m.end()
            words.append(Frag([(s, e)], line_no, line_no, m.group()))
            found = True
        line_no += 1 if found else 0  # blank lines do not count
        pos = stop + 1
    words = _split_glued(words)
    words = _merge_letter_spaced(words)
    words = _glue_dates(words)
    words = _assemble_values(words)
    words = _merge_mixed_script(words)
    return words


_GLUED_OPERATOR = re.compile(
    r"(?<=[\u4e00-\u9fff）)])(?=[<>=≥≤＞＜≧≦＝][\d.<>=＝])|(?<=[\u4e00-\u9fff）)])(?=[≥≤≧≦])"
)
_GLUED_LABEL = re.compile(
    "("
    + "|".join(sorted((w for w in LEVEL1_WORDS | LEVEL2_WORDS), key=len, reverse=True))
    + ')(?=[\u4e00-\u9fff“"（(]{2})'
)


def _split_glued(words: list[Frag]) -> list[Frag]:
    """Cells printed with nothing between them ("数量指标市场监管系统培训人数≥350人"): split before an
    operator that follows text, and after a leading level label."""
    out: list[Frag] = []
    for w in words:
        text = w.text
        (s0, _e0) = w.pieces[0]
        cuts = {m.start() for m in _GLUED_OPERATOR.finditer(text)}
        at = 0
        while (lab := _GLUED_LABEL.match(text, at)) is not None:
            cuts.add(lab.end())
            at = lab.end()
        if not cuts:
            out.append(w)
            continue
        bounds = [0, *sorted(cuts), len(text)]
        for a, b in zip(bounds, bounds[1:], strict=False):
            if a < b:
                out.append(Frag([(s0 + a, s0 + b)], w.line, w.last_line, text[a:b]))
    return out


def _merge_letter_spaced(words: list[Frag]) -> list[Frag]:
    out: list[Frag] = []
    i = 0
    while i < len(words):
        j = i + 1
        if _CJK1.match(words[i].text):
            while j < len(words) and _CJK1.match(words[j].text) and words[j].line == words[i].line:
                j += 1
        out.append(merge(words, i, j) if j - i > 1 else words[i])
        i = j
    return out


def _continues_date(before: str, after: str) -> bool:
    """ "2023" + "年工作报", "6" + "月": a year, month or day split from its character."""
    if after.startswith("年"):
        return bool(re.search(r"(?<!\d)(?:19|20)\d{2}$", before))
    if after.startswith(("月", "日", "号")):
        return bool(re.search(r"(?<!\d)\d{1,2}$", before))
    return False


def _glue_dates(words: list[Frag]) -> list[Frag]:
    out: list[Frag] = []
    i = 0
    while i < len(words):
        w = words[i]
        best = 0
        if _YEAR_START.match(w.text):
            acc = ""
            for j in range(i, min(i + 7, len(words))):
                acc += words[j].text
                if _DATE_FULL.match(acc):
                    best = j + 1
        if best:
            out.append(merge(words, i, best, "date"))
            i = best
            continue
        # "2023 年工作报": a number glued to the word that continues it
        if out and out[-1].kind == "text" and _continues_date(out[-1].text, w.text):
            out[-1] = merge([out[-1], w], 0, 2)
            i += 1
            continue
        out.append(w)
        i += 1
    return out


def _assemble_values(words: list[Frag]) -> list[Frag]:
    out: list[Frag] = []
    i = 0
    n = len(words)
    while i < n:
        w = words[i]
        t = to_halfwidth(w.text)
        if w.kind != "text" or not (OP_START.match(t) or re.match(r"^\d", t)):
            out.append(w)
            i += 1
            continue
        j = i + 1
        acc = t
        # an operator alone on its line: the quantity follows
        while OPS_ONLY.match(acc) and j < n and re.match(r"^[<>=≥≤＞＜≧≦＝\d]", to_halfwidth(words[j].text)):
            acc += to_halfwidth(words[j].text)
            j += 1
        m = _NUM_RE.match(acc)
        assert m is not None
        if m.group("num") is None:
            out.append(merge(words, i, j, "opvalue" if m.group("op") else "text"))
            i = j
            continue
        unit = m.group("unit")
        # a number wrapped over lines: "=1496" / "7 平方" / "米"
        if not unit and j < n and words[j].line > words[j - 1].last_line:
            nxt = to_halfwidth(words[j].text)
            nm = re.match(r"^(\.?\d+(?:\.\d+)?)(.*)$", nxt)
            if nm and (
                (nm.group(2) and _is_unit(nm.group(2)))
                or (not nm.group(2) and j + 1 < n and _unit_piece_ok("", to_halfwidth(words[j + 1].text)))
            ):
                acc += nxt
                unit = nm.group(2)
                j += 1
        # unit pieces on the same or the next line: "万" + "元", "平方" + "米", "小" + "时/天"
        while j < n:
            piece = to_halfwidth(words[j].text)
            if words[j].kind != "text" or words[j].line > words[j - 1].last_line + 1:
                break
            if not _unit_piece_ok(unit, piece):
                break
            unit += piece
            acc += piece
            j += 1
        if unit and not _is_unit(unit):
            out.append(merge(words, i, j))
            i = j
            continue
        m = _NUM_RE.match(acc)
        assert m is not None
        kind = "opvalue" if m.group("op") else ("value" if unit else "number")
        f = merge(words, i, j, kind)
        if kind == "number":
            try:
                f.number = float(m.group("num"))
            except ValueError:
                f.kind = "text"
        out.append(f)
        i = j
    for f in out:
        if f.kind == "text" and _DASH.match(f.text):
            f.kind = "dash"
    return out


_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


def _merge_mixed_script(words: list[Frag]) -> list[Frag]:
    """Re-join a text cell that the PDF export split at a change of script ("告及 2024年工")."""
    out: list[Frag] = []
    for w in words:
        if (
            out
            and w.kind == "text"
            and out[-1].kind == "text"
            and w.line == out[-1].last_line
            and (bool(_ASCII_ALNUM.match(out[-1].text[-1])) != bool(_ASCII_ALNUM.match(w.text[0])))
        ):
            out[-1] = merge([out[-1], w], 0, 2)
        else:
            out.append(w)
    return out
