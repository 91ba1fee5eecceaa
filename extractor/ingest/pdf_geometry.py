"""What a PDF page prints, by geometry: characters with their boxes and the ruling lines, in the page's
display orientation (origin top-left, y downwards, rotation applied), read with PDFium (pypdfium2).

PDFium is used through its C API (`pypdfium2.raw`) because the Python wrappers cost a Python object per
character; reading every character box of a 40-page budget this way takes about 0.3 s.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

_SPACES = frozenset(" \u00a0\u3000\u2002\u2003\u2009")
_CONTROL_OR_SPACE = frozenset(chr(c) for c in range(33)) | {"\u00a0", "\u3000", "\ufffe", "\uffff", "\u200b"}


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Rule:
    """A ruling line: horizontal (`y0 == y1` up to its thickness) or vertical, in display coordinates."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.bottom - self.top)


@dataclass
class PageGeometry:
    number: int  # 1-based
    width: float
    height: float
    chars: list[Char]
    rules: list[Rule]


class _Transform:
    """Page space (origin bottom-left, unrotated) to display space (origin top-left, rotated)."""

    def __init__(self, width: float, height: float, rotation: int) -> None:
        self.w, self.h, self.rot = width, height, rotation % 360

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        if self.rot == 90:
            return bottom, left, top, right
        if self.rot == 180:
            return self.w - right, bottom, self.w - left, top
        if self.rot == 270:
            return self.h - top, self.w - right, self.h - bottom, self.w - left
        return left, self.h - top, right, self.h - bottom

    @property
    def display_size(self) -> tuple[float, float]:
        return (self.h, self.w) if self.rot in (90, 270) else (self.w, self.h)


def read_page(pdf: Any, index: int) -> PageGeometry:
    """Characters (printable, with their boxes) and ruling lines of page `index` of a pypdfium2 document."""
    import pypdfium2.raw as raw

    page = pdf[index]
    try:
        w = raw.FPDF_GetPageWidthF(page.raw)
        h = raw.FPDF_GetPageHeightF(page.raw)
        rotation = raw.FPDFPage_GetRotation(page.raw) * 90
        # FPDF_GetPageWidthF reports the displayed size (/Rotate applied); the transform starts from the
        # unrotated media size
        if rotation % 180 == 90:
            w, h = h, w
        tf = _Transform(w, h, rotation)
        chars = _chars(page, tf)
        rules = _rules(page.raw, tf)
        dw, dh = tf.display_size
        return PageGeometry(index + 1, dw, dh, chars, rules)
    finally:
        page.close()


def _chars(page: Any, tf: _Transform) -> list[Char]:
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        n = raw.FPDFText_CountChars(tp)
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        loose = raw.FS_RECTF()
        out: list[Char] = []
        for i in range(n):
            code = raw.FPDFText_GetUnicode(tp, i)
            if code == 0 or 0xD800 <= code <= 0xDFFF:
                continue
            ch = chr(code)
            if ch in _SPACES:
                ch = " "  # kept: a space the PDF prints separates words and cells
            elif ch in _CONTROL_OR_SPACE or not ch.isprintable():
                continue
            # the loose box (the font's ascent to descent, the glyph's advance) gives every character of a
            # line the same height, a comma included, and a narrow digit its full width; a font without
            # metrics gives an empty one, and then the glyph's own box is used
            if (
                raw.FPDFText_GetLooseCharBox(tp, i, loose)
                and loose.top - loose.bottom > 0.5
                and loose.right > loose.left
            ):
                x0, y0, x1, y1 = tf.box(loose.left, loose.bottom, loose.right, loose.top)
            elif raw.FPDFText_GetCharBox(tp, i, left, right, bottom, top):
                x0, y0, x1, y1 = tf.box(left.value, bottom.value, right.value, top.value)
            else:
                continue
            if x1 <= x0 or y1 <= y0:
                continue
            out.append(Char(ch, x0, y0, x1, y1))
        return out
    finally:
        textpage.close()


_THIN = 2.5  # points: thicker than this in both directions is an area (a cell's border rectangle)
_MIN_RULE = 4.0


_PAPER = 250  # a colour with every channel at least this is the paper's: white on white prints nothing


def _visible(path: Any) -> bool:
    """Whether a path prints anything: stroked, or filled, in a colour that is not the paper's. Cell
    backgrounds filled white (some producers fill every cell, inset from its borders) are no rules."""
    import pypdfium2.raw as raw

    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(path, ctypes.byref(fill_mode), ctypes.byref(stroke)):
        return True
    r, g, b, a = (ctypes.c_uint() for _ in range(4))

    def inked(get_color: Any) -> bool:
        if not get_color(path, r, g, b, a):
            return True
        return a.value > 0 and min(r.value, g.value, b.value) < _PAPER

    return bool(stroke.value and inked(raw.FPDFPageObj_GetStrokeColor)) or bool(
        fill_mode.value and inked(raw.FPDFPageObj_GetFillColor)
    )


def _rules(page: Any, tf: _Transform) -> list[Rule]:
    import pypdfium2.raw as raw

    out: list[Rule] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))

    def visit(get_count: Any, get_obj: Any, owner: Any, depth: int) -> None:
        for k in range(get_count(owner)):
            obj = get_obj(owner, k)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_FORM and depth < 4:
                visit(raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, obj, depth + 1)
                continue
            if kind != raw.FPDF_PAGEOBJ_PATH or not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                continue
            if not _visible(obj):
                continue
            x0, y0, x1, y1 = tf.box(left.value, bottom.value, right.value, top.value)
            wide, tall = x1 - x0, y1 - y0
            if wide < _THIN and tall >= _MIN_RULE or tall < _THIN and wide >= _MIN_RULE:
                out.append(Rule(x0, y0, x1, y1))
            elif wide >= _MIN_RULE and tall >= _MIN_RULE:
                # a rectangle: its four edges are rules (cells drawn as boxes)
                out.extend(
                    (Rule(x0, y0, x1, y0), Rule(x0, y1, x1, y1), Rule(x0, y0, x0, y1), Rule(x1, y0, x1, y1))
                )

    visit(raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, page, 0)
    return out
