"""Fragments of PDF text for the performance-table stream parser (`perf_stream`).

The words of each line, re-assembled where the PDF export broke them: letter-spaced characters
(``效 益``), cells printed with nothing between them (``数量指标市场监管系统培训人数≥350人``), dates
over several lines (``2024\n年 12\n月 31\n日``), quantities with their operator and unit on separate
lines (``＜\n=5.4\n万元``, ``=1496\n7 平方\n米``), and text split at a change of script
(``告及 2024年工``). Then indicator-level labels (``产出\n指标``, ``满 意\n度 指\n标``, and a label's
two halves printed apart, ``效 益`` ... ``指标``) are recognised from the standard vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.numbers import to_halfwidth
from extractor.parsers.perf_text import (
    LEVEL1_WORDS,
    LEVEL2_WORDS,
    OP_START,
    UNIT_LEVEL1_WORDS,
    level_vocabulary,
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


def _merge(frags: list[Frag], i: int, j: int, kind: str = "text") -> Frag:
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
        out.append(_merge(words, i, j) if j - i > 1 else words[i])
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
            out.append(_merge(words, i, best, "date"))
            i = best
            continue
        # "2023 年工作报": a number glued to the word that continues it
        if out and out[-1].kind == "text" and _continues_date(out[-1].text, w.text):
            out[-1] = _merge([out[-1], w], 0, 2)
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
            out.append(_merge(words, i, j, "opvalue" if m.group("op") else "text"))
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
            out.append(_merge(words, i, j))
            i = j
            continue
        m = _NUM_RE.match(acc)
        assert m is not None
        kind = "opvalue" if m.group("op") else ("value" if unit else "number")
        f = _merge(words, i, j, kind)
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
            out[-1] = _merge([out[-1], w], 0, 2)
        else:
            out.append(w)
    return out


# ---------------------------------------------------------------------------------------------- labels

_LABEL_PIECE = re.compile(r"^[\u4e00-\u9fff]{1,10}$")
_POINTS_LABEL = re.compile(r"^([\u4e00-\u9fff]{2,8}指标)[（(]?\d+(?:\.\d+)?分[)）]?$")
_GENERIC_LABEL = re.compile(r"^[\u4e00-\u9fff]{2,7}指标$")


def mark_labels(frags: list[Frag], unit_table: bool) -> list[Frag]:
    vocab = level_vocabulary(unit_table)
    out: list[Frag] = []
    i = 0
    n = len(frags)
    while i < n:
        got = 0
        pts = _POINTS_LABEL.match(frags[i].text) if frags[i].kind == "text" else None
        if pts and (pts.group(1) in vocab or _GENERIC_LABEL.match(pts.group(1))):
            got = i + 1  # "产出指标50分": a label with the points of its group
        elif frags[i].kind == "text" and _LABEL_PIECE.match(frags[i].text):
            acc = ""
            for j in range(i, min(i + 4, n)):
                if frags[j].kind != "text" or not _LABEL_PIECE.match(frags[j].text):
                    break
                acc += frags[j].text
                if acc in vocab or (j - i <= 1 and _GENERIC_LABEL.match(acc) and "绩效" not in acc):
                    got = j + 1
                    break
                if not any(v.startswith(acc) for v in vocab) and not acc.endswith("指"):
                    break
        if got:
            out.append(_merge(frags, i, got, "label"))
            i = got
        else:
            out.append(frags[i])
            i += 1
    out = _complete_orphans(out, vocab)
    _assign_levels(out, unit_table)
    return out


def _complete_orphans(frags: list[Frag], vocab: frozenset[str]) -> list[Frag]:
    """A label's beginning and end separated by other cells (vertical centring of merged cells):
    ``效 益`` ... ``指标``, ``满意`` ... ``度指`` ``标``, ``社会`` ``效益`` ... ``指标``."""
    used: set[int] = set()
    replace: dict[int, Frag] = {}
    for i, f in enumerate(frags):
        if i in used or f.kind != "text" or not _LABEL_PIECE.match(f.text):
            continue
        # the beginning: a run of contiguous short pieces forming a proper prefix of a label
        head = ""
        i2 = i
        best: tuple[int, str] | None = None
        while i2 < len(frags) and i2 - i < 3 and frags[i2].kind == "text" and i2 not in used:
            if not _LABEL_PIECE.match(frags[i2].text):
                break
            head += frags[i2].text
            if not any(v.startswith(head) and v != head for v in vocab):
                break
            if len(head) >= 2:
                best = (i2 + 1, head)
            i2 += 1
        if best is None:
            continue
        head_end, head = best
        targets = [v for v in vocab if v.startswith(head) and v != head]
        for j in range(head_end, min(head_end + 16, len(frags))):
            if j in used or frags[j].kind != "text":
                continue
            acc = head
            k = j
            done = False
            while k < len(frags) and k - j < 3 and frags[k].kind == "text" and k not in used:
                acc += frags[k].text
                if acc in targets:
                    done = True
                    break
                if not any(t.startswith(acc) for t in targets):
                    break
                k += 1
            if done:
                parts = frags[i:head_end] + frags[j : k + 1]
                lab = Frag(
                    pieces=[p for x in parts for p in x.pieces],
                    line=f.line,
                    last_line=frags[k].last_line,
                    text=acc,
                    kind="label",
                )
                replace[i] = lab
                used.update(range(i, head_end))
                used.update(range(j, k + 1))
                break
    return [replace.get(i, f) for i, f in enumerate(frags) if i not in used or i in replace]


def _assign_levels(frags: list[Frag], unit_table: bool) -> None:
    l1_only = (LEVEL1_WORDS | (UNIT_LEVEL1_WORDS if unit_table else frozenset())) - LEVEL2_WORDS
    l2_only = LEVEL2_WORDS - LEVEL1_WORDS
    labels = [i for i, f in enumerate(frags) if f.kind == "label"]
    for i in labels:
        f = frags[i]
        pts = _POINTS_LABEL.match(f.text)
        base = pts.group(1) if pts else f.text
        if base in l1_only:
            f.level = 1
        elif base in l2_only:
            f.level = 2
    for i in labels:
        f = frags[i]
        if f.level:
            continue
        nxt = frags[i + 1] if i + 1 < len(frags) else None
        prv = frags[i - 1] if i > 0 else None
        if nxt is not None and nxt.kind == "label":
            f.level = 1
        elif prv is not None and prv.kind == "label" and prv.level == 1:
            f.level = 2
        else:
            f.level = 2
