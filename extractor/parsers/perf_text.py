"""Text helpers shared by the performance-table parsers (绩效目标表, 绩效自评表).

* `Compact`: a stretch of the document with whitespace (and markdown `*`) removed, keeping the offset
  of every kept character, so that labels broken over lines or letter-spaced (`项  目  名  称`,
  `其 他 资\\n金：`) are found with plain string search and mapped back to the document.
* `text_field` / `number_field`: build `FieldValue`s whose span reads as the value. A text value that
  was joined over line breaks or cells (whitespace removed) carries the reason ``joined``.
* `parse_target`: split a 指标值 such as ``≥521人`` / ``＞\\n=90%`` / ``=1496\\n7 平方米`` into
  operator (canonical ``≥ ≤ = > <``), value and unit, each with its own span.
* The vocabulary of indicator levels (一级/二级指标) used by the layout parsers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.model import FieldValue
from extractor.numbers import to_halfwidth

_DROP = frozenset(" \t\r\n\u3000\xa0\u200b\f*")
_RUN = re.compile(r"[^ \t\r\n\u3000\xa0\u200b\f*]+")
_DROP_RUN = re.compile(r"[ \t\r\n\u3000\xa0\u200b\f*]+")
_BETWEEN_ASCII = re.compile(r"(?<=[A-Za-z0-9])[ \t\r\n\u3000\xa0\u200b\f*]+(?=[A-Za-z0-9])")


@dataclass
class Compact:
    """Characters of `src[start:end]` without whitespace/markdown, with their document offsets."""

    text: str
    offsets: list[int]

    @classmethod
    def of(cls, src: str, start: int, end: int) -> Compact:
        chars: list[str] = []
        offs: list[int] = []
        for m in _RUN.finditer(src, start, end):
            chars.append(m.group())
            offs.extend(range(m.start(), m.end()))
        return cls("".join(chars), offs)

    def doc_start(self, i: int) -> int:
        """Document offset of compact index `i` (or the end of the stretch when `i` is past it)."""
        if i < len(self.offsets):
            return self.offsets[i]
        return self.offsets[-1] + 1 if self.offsets else 0

    def doc_end(self, j: int) -> int:
        """Document offset just after compact index `j - 1`."""
        if j <= 0:
            return self.offsets[0] if self.offsets else 0
        return self.offsets[min(j, len(self.offsets)) - 1] + 1


def clean_text(raw: str) -> str:
    """`raw` with whitespace runs (and markdown `*`) removed; a single space is kept between two
    ASCII letters/digits so that `Windows 10` stays readable while `2024 年` becomes `2024年`."""
    kept = _BETWEEN_ASCII.sub("\x00", raw)
    return _DROP_RUN.sub("", kept).replace("\x00", " ")


def trim(src: str, start: int, end: int) -> tuple[int, int]:
    """`[start, end)` shrunk to its first and last non-blank character (empty: start == end)."""
    while start < end and src[start] in _DROP:
        start += 1
    while end > start and src[end - 1] in _DROP:
        end -= 1
    return start, end


def text_field(src: str, start: int, end: int, *reasons: str) -> FieldValue | None:
    """The text printed in `src[start:end]` (None if blank). Span covers its first to last character."""
    s, e = trim(src, start, end)
    if s >= e:
        return None
    raw = src[s:e]
    value = clean_text(raw)
    fv = FieldValue(value=value, span=(s, e), reasons=list(reasons))
    if value != raw:
        fv.add_reason("joined")
    return fv


def joined_field(src: str, pieces: list[tuple[int, int]], *reasons: str) -> FieldValue | None:
    """Text joined from several pieces (cells or fragments, in reading order)."""
    parts = [(s, e) for s, e in (trim(src, a, b) for a, b in pieces) if s < e]
    if not parts:
        return None
    value = "".join(clean_text(src[s:e]) for s, e in parts)
    s0, e0 = parts[0][0], parts[-1][1]
    fv = FieldValue(value=value, span=(s0, e0), reasons=list(reasons))
    if value != src[s0:e0]:
        fv.add_reason("joined")
    if clean_text(src[s0:e0]).replace(" ", "") != value.replace(" ", ""):
        # the span also covers text of another cell printed between the pieces (PDF column breaks)
        fv.add_reason("interleaved")
    return fv


def copy_field(fv: FieldValue | None, *reasons: str) -> FieldValue | None:
    if fv is None:
        return None
    out = FieldValue(value=fv.value, span=fv.span, reasons=list(fv.reasons))
    for r in reasons:
        out.add_reason(r)
    return out


def width(s: str) -> float:
    """Display width of a fragment: CJK and full-width characters 1, ASCII 0.5, blanks 0."""
    w = 0.0
    for ch in s:
        if ch in _DROP:
            continue
        w += 0.5 if ord(ch) < 128 else 1.0
    return w


# ---------------------------------------------------------------------------------------------- numbers

_NUM_IN_CELL = re.compile(r"^\s*(-?\d[\d,]*(?:\.\d+)?|-?\.\d+)\s*(%|％|分|万元|元|‰)?\s*$")


def number_field(src: str, start: int, end: int, *reasons: str) -> FieldValue | None:
    """A cell holding one number, optionally followed by %, 分 or a money unit: ``98.66%`` → 98.66
    with the span on ``98.66``. None when the cell holds anything else."""
    s, e = trim(src, start, end)
    if s >= e:
        return None
    m = _NUM_IN_CELL.match(to_halfwidth(src[s:e]))
    if not m:
        return None
    digits = m.group(1)
    if "," in digits and not re.fullmatch(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits):
        return None
    ns = s + m.start(1)
    ne = s + m.end(1)
    return FieldValue(value=float(digits.replace(",", "")), span=(ns, ne), reasons=list(reasons))


_DASHES = re.compile(r"^[-—–/／\\－~～无空]*$")


def numeric_cell(src: str, start: int, end: int, *reasons: str) -> FieldValue | None:
    """A numeric column's cell: its number, nothing for a blank or dash (``—``, ``/``), and for any
    other text a value-less field saying what was printed (the schema wants a number there)."""
    fv = number_field(src, start, end, *reasons)
    if fv is not None:
        return fv
    s, e = trim(src, start, end)
    printed = clean_text(src[s:e])
    if _DASHES.match(printed):
        return None
    return FieldValue(value=None, span=None, reasons=[*reasons, f"unreadable:{printed[:40]}"])


def derived_field(value: float | str | None, reason: str) -> FieldValue | None:
    if value is None:
        return None
    if isinstance(value, float):
        value = round(value, 6)
    return FieldValue(value=value, span=None, reasons=[reason])


# ---------------------------------------------------------------------------------------------- targets

_OP_CHARS = "<>=≥≤＞＜≧≦＝"
OP_START = re.compile(r"^[<>=≥≤＞＜≧≦＝]")
_OP_WORDS: list[tuple[str, str]] = [
    ("大于等于", "≥"),
    ("大于或等于", "≥"),
    ("不低于", "≥"),
    ("不少于", "≥"),
    ("至少", "≥"),
    ("小于等于", "≤"),
    ("小于或等于", "≤"),
    ("不高于", "≤"),
    ("不超过", "≤"),
    ("不多于", "≤"),
    ("不大于", "≤"),
    ("大于", ">"),
    ("高于", ">"),
    ("小于", "<"),
    ("低于", "<"),
    ("等于", "="),
]
_TARGET_RE = re.compile(r"^(?P<op>[<>=≥≤＞＜≧≦＝]{1,2})?(?P<num>\d+(?:\.\d+)?)(?P<unit>.*)$")
_DATEISH = re.compile(r"\d")


def canonical_operator(op: str) -> str | None:
    op = op.replace("＝", "=").replace("＞", ">").replace("＜", "<").replace("≧", "≥").replace("≦", "≤")
    table = {
        ">=": "≥",
        "≥": "≥",
        "≥=": "≥",
        "=>": "≥",
        "<=": "≤",
        "≤": "≤",
        "≤=": "≤",
        "=<": "≤",
        "=": "=",
        "==": "=",
        ">": ">",
        "<": "<",
    }
    return table.get(op)


def parse_target(src: str, pieces: list[tuple[int, int]], *reasons: str) -> dict[str, FieldValue]:
    """Fields `target`, `target_operator`, `target_value`, `target_unit` of one 指标值 printed over
    `pieces` (one cell, or several fragments in reading order)."""
    out: dict[str, FieldValue] = {}
    target = joined_field(src, pieces, *reasons)
    if target is None:
        return out
    out["target"] = target
    chars: list[str] = []
    offs: list[int] = []
    for a, b in pieces:
        for i in range(a, b):
            if src[i] not in _DROP:
                chars.append(to_halfwidth(src[i]))
                offs.append(i)
    compact = "".join(chars)
    op_text = ""
    op_canon: str | None = None
    rest_at = 0
    for word, canon in _OP_WORDS:
        if compact.startswith(word):
            op_text, op_canon, rest_at = word, canon, len(word)
            break
    m = _TARGET_RE.match(compact[rest_at:])
    if m and m.group("op") and not op_text:
        op_text = m.group("op")
        op_canon = canonical_operator(op_text)
    if op_text and op_canon is not None:
        fv = _piece_field(src, offs, 0, len(op_text), op_canon, *reasons)
        if fv.span is not None and clean_text(src[fv.span[0] : fv.span[1]]) != op_canon:
            fv.add_reason("normalised")
        out["target_operator"] = fv
    elif op_text or (compact and compact[0] in _OP_CHARS):
        out["target"].add_reason("uncertain_operator")
    if not m:
        return out
    unit = m.group("unit")
    num_start = rest_at + m.start("num")
    num_end = rest_at + m.end("num")
    if _DATEISH.search(unit):
        # a date (2024年12月31日) or a range: no single quantity to read
        out["target"].add_reason("not_a_quantity")
        return out
    out["target_value"] = _piece_field(src, offs, num_start, num_end, float(m.group("num")), *reasons)
    if unit:
        u_start = rest_at + m.start("unit")
        out["target_unit"] = _piece_field(src, offs, u_start, len(compact), clean_text(unit), *reasons)
    return out


def _piece_field(src: str, offs: list[int], i: int, j: int, value: float | str, *reasons: str) -> FieldValue:
    s, e = offs[i], offs[j - 1] + 1
    fv = FieldValue(value=value, span=(s, e), reasons=list(reasons))
    contiguous = all(offs[k + 1] == offs[k] + 1 for k in range(i, j - 1))
    if not contiguous:
        fv.add_reason("joined")
        if sum(1 for ch in src[s:e] if ch not in _DROP) > j - i:
            fv.add_reason("interleaved")
    return fv


_QUAL_WORDS = (
    "提高|提升|下降|降低|减少|增加|增长|增强|改善|维持|保持|保障|促进|有效|显著|明显|持续|逐步|逐年|"
    "不断|长期|稳定|达标|合格|良好|优良|完成|实现|加强|规范|健全|完善|满意|是|否|高|低|好|优|中"
)
QUALITATIVE = re.compile(rf"^(?:{_QUAL_WORDS})[\u4e00-\u9fff]{{0,6}}$")


def looks_like_target(s: str) -> bool:
    """Does a compact cell read as a 指标值 (operator, number, or a short qualitative word)?"""
    s = to_halfwidth(s)
    if not s:
        return False
    if OP_START.match(s) or any(s.startswith(w) for w, _ in _OP_WORDS):
        return True
    if re.match(r"^\d", s):
        return True
    return bool(QUALITATIVE.match(s)) and len(s) <= 8


# ---------------------------------------------------------------------------------------------- levels

_HEADER_STARTS = ("一级指标", "二级指标", "三级指标")


def indicator_header_at(compact: str, start: int = 0) -> int:
    """Compact index where the indicator header begins (一级指标, or the first level printed when a
    table has fewer levels), -1 if none."""
    for word in _HEADER_STARTS:
        i = compact.find(word, start)
        if i >= 0:
            return i
    return -1


LEVEL1_WORDS = frozenset({"产出指标", "效益指标", "满意度指标", "成本指标", "服务对象满意度指标"})
LEVEL2_WORDS = frozenset(
    {
        "数量指标",
        "质量指标",
        "时效指标",
        "成本指标",
        "经济成本指标",
        "社会成本指标",
        "生态环境成本指标",
        "生态成本指标",
        "经济效益指标",
        "社会效益指标",
        "生态效益指标",
        "可持续影响指标",
        "满意度指标",
        "服务对象满意度指标",
        "社会公众满意度指标",
    }
)
# 部门/单位整体 tables use their own first-level vocabulary (财预〔2021〕 style)
UNIT_LEVEL1_WORDS = frozenset(
    {
        "运行成本",
        "管理效率",
        "履职效能",
        "社会效应",
        "社会效益",
        "可持续发展能力",
        "服务对象满意度",
        "产出",
        "效益",
    }
)
_GENERIC_LEVEL = re.compile(r"^[\u4e00-\u9fff]{2,8}指标$")
_POINTS_SUFFIX = re.compile(r"^(?P<label>.+?指标)[（(]?(?P<points>\d+(?:\.\d+)?分)[)）]?$")


def level_vocabulary(unit_table: bool) -> frozenset[str]:
    base = LEVEL1_WORDS | LEVEL2_WORDS
    return base | UNIT_LEVEL1_WORDS if unit_table else base


def is_level_label(compact: str, unit_table: bool = False) -> bool:
    m = _POINTS_SUFFIX.match(compact)
    if m:
        compact = m.group("label")
    if compact in level_vocabulary(unit_table):
        return True
    return bool(_GENERIC_LEVEL.match(compact)) and "绩效" not in compact


def level_field(src: str, start: int, end: int, *reasons: str) -> FieldValue | None:
    """An indicator level cell; a points suffix (`产出指标50分`) is dropped from the value."""
    fv = text_field(src, start, end, *reasons)
    if fv is None or not isinstance(fv.value, str) or fv.span is None:
        return fv
    m = _POINTS_SUFFIX.match(fv.value)
    if not m:
        return fv
    label = m.group("label")
    # shrink the span to the label's characters
    s = fv.span[0]
    seen = 0
    e = s
    for i in range(fv.span[0], fv.span[1]):
        if src[i] in _DROP:
            continue
        seen += 1
        if seen == len(label):
            e = i + 1
            break
    out = FieldValue(value=label, span=(s, e), reasons=list(fv.reasons))
    out.add_reason(f"points_suffix_dropped:{m.group('points')}")
    return out
