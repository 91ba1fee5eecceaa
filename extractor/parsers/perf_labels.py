"""Indicator-level labels in a PDF text stream (``产出\\n指标``, ``满 意\\n度 指\\n标``): recognised from the
standard vocabulary, completed where a label's pieces were printed apart, and marked as *label events*
that the row parser (`perf_stream`) takes out of the flow."""

from __future__ import annotations

import re

from extractor.parsers.perf_fragments import Frag, merge
from extractor.parsers.perf_text import LEVEL1_WORDS, LEVEL2_WORDS, UNIT_LEVEL1_WORDS, level_vocabulary

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
            out.append(merge(frags, i, got, "label"))
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
