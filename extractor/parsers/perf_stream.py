"""Indicator rows of a performance table printed as a PDF text stream (seeds 001 and 004).

In this layout the cells of a row are only separated by spaces when they share a visual line;
a cell too wide for its column wraps onto the following lines, and merged cells (一级/二级指标)
print their text once, sometimes in the middle of the rows they span. The parser works on
*fragments* (the words of each line, see `perf_fragments`) in reading order:

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
   way that could go either way are marked ``uncertain_layout``;
5. text left in front of a row that belongs to none of its cells — the lowest lines of the row
   above, printed after that row's evidence (``… 原始凭 证 用 赋分``) — is given back to the cells
   of that row it continues (`perf_tails`).

The header (columns and their widths) is read by `perf_stream_header`; where a wrapped cell ends, by
`perf_stream_cells`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.numbers import to_halfwidth
from extractor.parsers.perf_fragments import BASIS_LIKE, OPS_ONLY, Frag, fragments
from extractor.parsers.perf_labels import mark_labels
from extractor.parsers.perf_stream_cells import take_basis, take_cell, take_rule
from extractor.parsers.perf_stream_header import StreamHeader, find_header
from extractor.parsers.perf_tails import attach_tails, ends_rule
from extractor.parsers.perf_text import QUALITATIVE

__all__ = [
    "Frag",
    "StreamHeader",
    "StreamRow",
    "assign_row_levels",
    "find_header",
    "fragments",
    "mark_labels",
    "parse_rows",
]

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
    # fragments printed in front of the row that belong to none of its cells: the tail of a cell
    # of the row above, printed after that row (given back by `perf_tails.attach_tails`)
    lead: list[Frag] = field(default_factory=list)


def _is_anchor_target(f: Frag) -> bool:
    return f.kind == "opvalue"


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
            if f.kind in ("opvalue", "date") or (f.kind == "text" and BASIS_LIKE.search(f.text)):
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


def _rows_by_weight(frags: list[Frag], weights: list[int], header: StreamHeader) -> list[StreamRow]:
    roles = header.roles
    has_evidence = "evidence" in roles
    # 1. the evidence column's width: its first fragment in every row, and its header
    w_e = header.widths.get("evidence", 0.0)
    w_r = header.widths.get("scoring_rule", 0.0)
    bounds = [*weights, len(frags)]
    # the rule's column: the first line of every row's rule (the fragment after its weight)
    for k, w0 in enumerate(weights):
        first = frags[w0 + 1] if w0 + 1 < bounds[k + 1] else None
        if first is not None and first.kind != "label" and first.line == first.last_line:
            w_r = max(w_r, first.width)
    for k, w0 in enumerate(weights):
        seg = frags[w0 + 1 : bounds[k + 1]]
        _, n_rule, _ = take_rule(seg, header, w_r)
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
            rule, n_rule, unsure = take_rule(seg, header, w_r)
            prev.scoring_rule = rule
            if unsure:
                # its end may come in the row's tail (decided after `attach_tails`)
                prev.uncertain.add("_rule_open")
            if any(f.width > w_r + 0.5 for f in rule):
                # a fragment too wide for the rule's column: another column is mixed in
                prev.uncertain.update({"scoring_rule", "evidence"})
            n_ev = 0
            if has_evidence:
                # the evidence may not eat the name of a row whose 指标值 follows
                t_at = next((q for q in range(n_rule, len(seg)) if _is_anchor_target(seg[q])), None)
                limit = None if t_at is None else max(0, t_at - n_rule - 1)
                n_ev = take_cell(seg, n_rule, w_e, limit)
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
    attach_tails(rows, header)
    for r in rows:
        if "_rule_open" in r.uncertain:
            r.uncertain.discard("_rule_open")
            if not (r.scoring_rule and ends_rule(r.scoring_rule[-1])):
                r.uncertain.update({"scoring_rule", "evidence"})
    return rows


def _finish_tail(prev: StreamRow | None, seg: list[Frag]) -> None:
    if prev is not None:
        _complete_operator(prev, seg)


def _complete_operator(prev: StreamRow, seg: list[Frag]) -> list[Frag]:
    """An operator printed alone (``＞``) whose quantity (``=95%``) was pushed below the rest of
    the row: join them, and take the quantity out of the following fragments."""
    if not (len(prev.target) == 1 and OPS_ONLY.match(to_halfwidth(prev.target[0].text))):
        return seg
    for q, f in enumerate(seg):
        if f.kind == "opvalue":
            if to_halfwidth(f.text).startswith("=") and not OPS_ONLY.match(f.text):
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
        row.lead = [f for _, f in content[:first]]
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
                if p > 0 and f.kind == "text" and BASIS_LIKE.search(f.text)
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
        row.lead = [f for _, f in content[:first]]
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
    if not BASIS_LIKE.search(rest[0].text):
        row.uncertain.update({"basis", "last_year"})


def _split_qualitative(rows: list[StreamRow], frags: list[Frag]) -> None:
    """Rows without a quantity: split `name` into the name and a qualitative 指标值 (or a date).
    Then set aside fragments stranded in front of a name (the row above's tail) as the row's `lead`."""
    names = [f for r in rows if "_qualitative" not in r.uncertain for f in r.name]
    w_n = max((f.width for f in names), default=8.0)
    for r in rows:
        if "_qualitative" in r.uncertain:
            r.uncertain.discard("_qualitative")
            _split_name_target(r, w_n)
        _trim_orphans(r, w_n)


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
        # the stranded text most likely ends a cell of the row above
        r.lead.extend(r.name[:cut])
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
            n_b = take_basis(seg, w_b)
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
        row.lead = [f for f in seg_rest[: last_label + 1] if f.kind != "label"]
        row.name = name
        row.first_index = off + last_label + 1 if name else a
        row.target = [frags[a]]
        rows.append(row)
        prev = row
        start = a + 1
    attach_tails(rows, header)
    return rows


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
