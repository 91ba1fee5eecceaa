"""Indicator rows of a performance table printed as a PDF text stream (seeds 001 and 004).

In this layout the cells of a row are only separated by spaces when they share a visual line;
a cell too wide for its column wraps onto the following lines, and merged cells (一级/二级指标)
print their text once, sometimes in the middle of the rows they span. The parser works on
*fragments* (the words of each line) in reading order:

1. words are split on whitespace; letter-spaced characters (``效 益``), dates broken over lines
   (``2024\\n年 12\\n月 31\\n日``) and quantities (``＜\\n=5.4\\n万元``, ``=1496\\n7 平方\\n米``) are
   re-assembled into single fragments;
2. indicator-level labels (``产出\\n指标``, ``满 意\\n度 指\\n标``) are recognised from the standard
   vocabulary and removed from the flow as *label events*;
3. rows are anchored on the 分值/权重 number (when the table prints one) or on the 指标值 (an
   operator-led quantity): between two anchors the fragments are, in order, the previous row's
   scoring rule and evidence, then this row's name, 指标值, basis and last-year value;
4. where two free-text cells meet with nothing but a line break between them (evidence | next name,
   basis | next name, name | qualitative 指标值), they are told apart by the column's wrap width: a
   wrapped cell fills its lines up to the column width, its last line is shorter. Splits decided this
   way that could go either way are marked ``uncertain_layout``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.numbers import to_halfwidth
from extractor.parsers.perf_text import (
    LEVEL1_WORDS,
    LEVEL2_WORDS,
    OP_START,
    QUALITATIVE,
    UNIT_LEVEL1_WORDS,
    Compact,
    indicator_header_at,
    level_vocabulary,
    width,
)

# ---------------------------------------------------------------------------------------------- header

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
_OPS_ONLY = re.compile(r"^[<>=≥≤＞＜≧≦＝]{1,2}$")
_DASH = re.compile(r"^[-—–/／\\－]+$|^无$")
_BASIS_LIKE = re.compile(r"标准$|^自定义$|计划$|^其他$|依据$|规定$|要求$|^行业|^历史|^预算支出")
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
        while _OPS_ONLY.match(acc) and j < n and re.match(r"^[<>=≥≤＞＜≧≦＝\d]", to_halfwidth(words[j].text)):
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


# ---------------------------------------------------------------------------------------------- rows


@dataclass
class StreamRow:
    level1: Frag | None = None
    level2: Frag | None = None
    level1_carried: bool = False
    level2_carried: bool = False
    name: list[Frag] = field(default_factory=list)
    target: list[Frag] = field(default_factory=list)
    basis: list[Frag] = field(default_factory=list)
    last_year: list[Frag] = field(default_factory=list)
    weight: Frag | None = None
    scoring_rule: list[Frag] = field(default_factory=list)
    evidence: list[Frag] = field(default_factory=list)
    uncertain: set[str] = field(default_factory=set)
    first_index: int = 0  # index of the row's first name fragment in the fragment list


def _is_anchor_target(f: Frag) -> bool:
    return f.kind == "opvalue"


def _ends_rule(f: Frag) -> bool:
    return f.text.endswith(("分", "分。", "分；", "分;"))


def parse_rows(src: str, header: StreamHeader, end: int, *, unit_table: bool = False) -> list[StreamRow]:
    frags = mark_labels(fragments(src, header.end, end), unit_table)
    if not frags:
        return []
    roles = header.roles
    has_weight = "weight" in roles
    weights: list[int] = []
    if has_weight:
        anchor = False
        for i, f in enumerate(frags):
            if f.kind == "label":
                continue
            if f.kind in ("opvalue", "date") or (f.kind == "text" and _BASIS_LIKE.search(f.text)):
                anchor = True
            elif f.kind == "number" and anchor and f.number is not None and 0 <= f.number <= 100:
                # "90 5": a last-year number then the weight, on one line: the weight is the last
                nxt = frags[i + 1] if i + 1 < len(frags) else None
                if nxt is not None and nxt.kind == "number" and nxt.line == f.last_line:
                    continue
                weights.append(i)
                anchor = False
    rows = _rows_by_weight(frags, weights, header) if weights else _rows_by_target(frags, header)
    assign_row_levels(frags, rows)
    return [r for r in rows if r.name or r.target]


def _take_rule(seg: list[Frag], header: StreamHeader) -> tuple[list[Frag], int, bool]:
    """The scoring-rule fragments at the start of `seg`: up to the first one ending in 分."""
    if "scoring_rule" not in header.roles:
        return [], 0, False
    for k, f in enumerate(seg[:8]):
        if f.kind == "label":
            break
        if f.kind == "text" and _ends_rule(f):
            return seg[: k + 1], k + 1, False
    n = _take_cell(seg, 0, header.widths.get("scoring_rule", 4.0))
    return seg[:n], n, n > 0


def _take_cell(seg: list[Frag], start: int, w: float, limit: int | None = None) -> int:
    """How many fragments from `start` make one wrapped cell of a column `w` wide."""
    n = 0
    while start + n < len(seg) and (limit is None or n < limit):
        f = seg[start + n]
        if f.kind not in ("text", "dash"):
            break
        if n > 0:
            prev = seg[start + n - 1]
            if f.line == prev.last_line:
                break  # another cell on the same line
            if prev.width < w - 1.0 or f.width > w + 0.5:
                break
        n += 1
    return n


def _rows_by_weight(frags: list[Frag], weights: list[int], header: StreamHeader) -> list[StreamRow]:
    roles = header.roles
    has_evidence = "evidence" in roles
    # 1. the evidence column's width: its first fragment in every row, and its header
    w_e = header.widths.get("evidence", 0.0)
    w_r = header.widths.get("scoring_rule", 0.0)
    bounds = [*weights, len(frags)]
    for k, w0 in enumerate(weights):
        seg = frags[w0 + 1 : bounds[k + 1]]
        rule, n_rule, _ = _take_rule(seg, header)
        if rule:
            w_r = max(w_r, rule[0].width)
        if has_evidence and n_rule < len(seg) and seg[n_rule].kind != "label":
            w_e = max(w_e, seg[n_rule].width)
    rows: list[StreamRow] = []
    prev: StreamRow | None = None
    start = 0
    stops: list[int | None] = [*weights, None]
    for w in stops:
        stop = len(frags) if w is None else w
        seg = frags[start:stop]
        offset = start
        if prev is not None:
            seg = _complete_operator(prev, seg)
            rule, n_rule, unsure = _take_rule(seg, header)
            prev.scoring_rule = rule
            if unsure or any(f.width > w_r + 0.5 for f in rule):
                # a fragment too wide for the rule's column: another column is mixed in
                prev.uncertain.update({"scoring_rule", "evidence"})
            n_ev = 0
            if has_evidence:
                # the evidence may not eat the name of a row whose 指标值 follows
                t_at = next((q for q in range(n_rule, len(seg)) if _is_anchor_target(seg[q])), None)
                limit = None if t_at is None else max(0, t_at - n_rule - 1)
                n_ev = _take_cell(seg, n_rule, w_e, limit)
                prev.evidence = seg[n_rule : n_rule + n_ev]
            seg = seg[n_rule + n_ev :]
            offset += n_rule + n_ev
        if w is None:
            _finish_tail(prev, seg)
            break
        row = _row_core(seg, offset, header)
        row.weight = frags[w]
        rows.append(row)
        prev = row
        start = w + 1
    _split_qualitative(rows, frags)
    return rows


def _finish_tail(prev: StreamRow | None, seg: list[Frag]) -> None:
    if prev is not None:
        _complete_operator(prev, seg)


def _complete_operator(prev: StreamRow, seg: list[Frag]) -> list[Frag]:
    """An operator printed alone (``＞``) whose quantity (``=95%``) was pushed below the rest of
    the row: join them, and take the quantity out of the following fragments."""
    if not (len(prev.target) == 1 and _OPS_ONLY.match(to_halfwidth(prev.target[0].text))):
        return seg
    for q, f in enumerate(seg):
        if f.kind == "opvalue":
            if to_halfwidth(f.text).startswith("=") and not _OPS_ONLY.match(f.text):
                prev.target.append(f)
                prev.uncertain.add("target")
                return seg[:q] + seg[q + 1 :]
            break
    return seg


def _row_core(seg: list[Frag], offset: int, header: StreamHeader) -> StreamRow:
    """Name, 指标值, basis and last-year value of one row, from the fragments before its weight."""
    row = StreamRow()
    content = [(i, f) for i, f in enumerate(seg) if f.kind != "label"]
    t = next((p for p, (_, f) in enumerate(content) if _is_anchor_target(f)), None)
    if t is not None:
        # the name: fragments after the last label before the target
        first = 0
        for p in range(t):
            idx = content[p][0]
            if any(seg[q].kind == "label" for q in range(idx + 1, content[t][0])):
                first = p + 1
        row.name = [f for _, f in content[first:t]]
        row.first_index = offset + (content[first][0] if first < t else content[t][0])
        row.target = [content[t][1]]
        rest = [f for _, f in content[t + 1 :]]
    else:
        # no quantity: a qualitative 指标值 or a date, split off later by width
        b = next(
            (
                p
                for p, (_, f) in enumerate(content)
                if p > 0 and f.kind == "text" and _BASIS_LIKE.search(f.text)
            ),
            None,
        )
        if b is None:
            b = len(content)
            while b > 1 and content[b - 1][1].kind in ("value", "dash", "number", "date"):
                b -= 1
        first = 0
        for p in range(b):
            idx = content[p][0]
            if any(seg[q].kind == "label" for q in range(idx + 1, content[b - 1][0] + 1)):
                first = p + 1
        pre = [f for _, f in content[first:b]]
        row.first_index = offset + (content[first][0] if first < len(content) else 0)
        row.name = pre  # split into name | target by _split_qualitative
        row.uncertain.add("_qualitative")
        rest = [f for _, f in content[b:]]
    _basis_and_last(row, rest, header)
    return row


def _basis_and_last(row: StreamRow, rest: list[Frag], header: StreamHeader) -> None:
    if not rest:
        return
    if "last_year" not in header.roles:
        row.basis = rest
        return
    if rest[-1].kind in ("value", "dash", "date", "number", "opvalue") and len(rest) > 1:
        row.basis, row.last_year = rest[:-1], rest[-1:]
        return
    if len(rest) == 1:
        if rest[0].kind in ("value", "dash", "date", "number"):
            row.last_year = rest
        else:
            row.basis = rest
        return
    # both text: the basis is the first line after the 指标值, the last-year value the rest
    first_line = rest[0].last_line
    n = 1
    while n < len(rest) and rest[n].line == first_line:
        n += 1
    row.basis, row.last_year = rest[:n], rest[n:]
    if not _BASIS_LIKE.search(rest[0].text):
        row.uncertain.update({"basis", "last_year"})


def _split_qualitative(rows: list[StreamRow], frags: list[Frag]) -> None:
    """Rows without a quantity: split `name` into the name and a qualitative 指标值 (or a date).
    Then drop fragments stranded in front of a name (spill of the row above across a page break)."""
    names = [f for r in rows if "_qualitative" not in r.uncertain for f in r.name]
    w_n = max((f.width for f in names), default=8.0)
    prev: StreamRow | None = None
    for r in rows:
        if "_qualitative" in r.uncertain:
            r.uncertain.discard("_qualitative")
            _split_name_target(r, w_n)
        if _trim_orphans(r, w_n) and prev is not None:
            # the stranded text most likely ends a cell of the row above
            prev.uncertain.add("last_year" if prev.last_year else "evidence")
        prev = r


def _split_name_target(r: StreamRow, w_n: float) -> None:
    pre = r.name
    if len(pre) < 2:
        r.uncertain.add("target")
        return
    # a date or a quantity at the end is the 指标值
    if pre[-1].kind in ("date", "value"):
        r.name, r.target = pre[:-1], pre[-1:]
        return
    # fragments sharing the basis' line are the 指标值 ("长期 计划标准")
    if r.basis and pre[-1].last_line == r.basis[0].line:
        k = len(pre) - 1
        while k > 1 and pre[k - 1].last_line == r.basis[0].line:
            k -= 1
        r.name, r.target = pre[:k], pre[k:]
        return
    # the longest tail of short fragments reading as a qualitative value ("不断\n提高")
    for k in range(1, len(pre)):
        tail = pre[k:]
        if all(f.width <= 4 for f in tail) and QUALITATIVE.match("".join(f.text for f in tail)):
            r.name, r.target = pre[:k], tail
            return
    # otherwise by width: the name ends at its first line shorter than the column
    n = 1
    while n < len(pre) and pre[n - 1].width >= w_n - 1.0 and pre[n].width <= w_n + 0.5:
        n += 1
    if n >= len(pre):
        n = len(pre) - 1
    r.name, r.target = pre[:n], pre[n:]
    r.uncertain.update({"name", "target"})


def _trim_orphans(r: StreamRow, w_n: float) -> bool:
    cut = 0
    for f in r.name[:-1]:
        if not (f.kind == "text" and f.width < w_n - 1.5 and f.width <= max(4.0, w_n / 2)):
            break
        cut += 1
    if cut:
        r.name = r.name[cut:]
        r.uncertain.add("name")
    return cut > 0


def _rows_by_target(frags: list[Frag], header: StreamHeader) -> list[StreamRow]:
    """Tables that print no weights: rows anchored on their 指标值 alone."""
    anchors = [i for i, f in enumerate(frags) if _is_anchor_target(f)]
    if not anchors:
        return []
    has_basis = "basis" in header.roles
    w_b = header.widths.get("basis", 0.0)
    for k, a0 in enumerate(anchors):
        stop0 = anchors[k + 1] if k + 1 < len(anchors) else len(frags)
        nxt = next((f for f in frags[a0 + 1 : stop0] if f.kind != "label"), None)
        if nxt is not None:
            w_b = max(w_b, nxt.width)
    rows: list[StreamRow] = []
    start = 0
    prev: StreamRow | None = None
    stops: list[int | None] = [*anchors, None]
    for a in stops:
        stop = len(frags) if a is None else a
        seg = frags[start:stop]
        if prev is not None and has_basis:
            n_b = _take_basis(seg, w_b)
            prev.basis = [f for f in seg[:n_b] if f.kind != "label"]
            seg_rest = seg[n_b:]
            off = start + n_b
        else:
            seg_rest = seg
            off = start
        if a is None:
            break
        row = StreamRow()
        # the name: content after the last label
        last_label = max((q for q, f in enumerate(seg_rest) if f.kind == "label"), default=-1)
        name = [f for f in seg_rest[last_label + 1 :] if f.kind != "label"]
        row.name = name
        row.first_index = off + last_label + 1 if name else a
        row.target = [frags[a]]
        rows.append(row)
        prev = row
        start = a + 1
    return rows


def _take_basis(seg: list[Frag], w: float) -> int:
    """Basis fragments after a 指标值: full-width lines of the basis column (labels in between are
    skipped), up to its shorter last line."""
    n = 0
    last: Frag | None = None
    for q, f in enumerate(seg):
        if f.kind == "label":
            continue
        if last is not None and (last.width < w - 1.0 or f.width > w + 0.5):
            return n
        last = f
        n = q + 1
    return n


def assign_row_levels(frags: list[Frag], rows: list[StreamRow]) -> None:
    cur1: Frag | None = None
    cur2: Frag | None = None
    states: list[tuple[Frag | None, Frag | None]] = []
    for f in frags:
        states.append((cur1, cur2))
        if f.kind == "label":
            if f.level == 1:
                cur1, cur2 = f, None
            else:
                cur2 = f
    states.append((cur1, cur2))
    prev: tuple[Frag | None, Frag | None] = (None, None)
    for r in rows:
        idx = min(max(r.first_index, 0), len(frags))
        l1, l2 = states[idx]
        r.level1, r.level2 = l1, l2
        r.level1_carried = l1 is not None and l1 is prev[0]
        r.level2_carried = l2 is not None and l2 is prev[1]
        prev = (l1, l2)
    # rows above the first 一级指标 label: a merged cell whose text is printed in the middle of its
    # rows (vertical centring) also covers the rows above it
    first_l1 = next((f for f in frags if f.kind == "label" and f.level == 1), None)
    if first_l1 is not None:
        for r in rows:
            if r.level1 is not None:
                break
            r.level1 = first_l1
            r.uncertain.add("level1_spilled")
