"""Cell tails of a PDF-stream indicator row printed after the row (`perf_stream`).

The PDF export prints a row's cells top to bottom; the lowest line(s) of the row's tallest cells
often come out *after* the rest of the row — after its weight, scoring rule and evidence, sometimes
after the next row's level labels — on a line of their own (``年完 5 按照…赋 分 原始凭证,工作 资料
成值``; ``小微企业质 量管理体系 认证服务费 <=2 万元 … 原始凭 证 用 赋分``). The row parser leaves these
fragments in front of the next row (`StreamRow.lead`); here they are given back to the cells they
continue:

* a cell can continue when it is *open*: its last fragment is text that fills its column (a wrapped
  cell's last line is shorter than the column) and, for a scoring rule, does not yet end in 分;
* a tail line holding several fragments continues as many cells, left to right in column order;
* among the open cells, the tail goes to the one a value printed in the same column of another row
  of the table completes (``当年指标，无上年完`` + ``成值``), else to the tallest (most lines: the
  lowest lines of a row belong to its tallest cells), else to the cell printed next to the row's
  weight.

The choice is taken as read when a value of the column confirms it, when the cells chosen are
taller than every other cell of the row, or when there was no choice (as many open, wrapped cells
as fragments on the tail line). Otherwise the cells chosen, and those that were as likely, are
marked ``uncertain_layout``. A tail that fits no open cell (or is not text) is not attached; the
row's tallest text cell is then marked uncertain, since it probably lost its end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from extractor.parsers.perf_fragments import Frag
    from extractor.parsers.perf_stream import StreamHeader, StreamRow

TEXT_ROLES = ("name", "target", "basis", "last_year", "scoring_rule", "evidence")
# cells nearest the row's weight first (the last tie-break)
_NEAR_WEIGHT = ("last_year", "scoring_rule", "basis", "evidence", "target", "name")


def cells(row: StreamRow, role: str) -> list[Frag]:
    frags: list[Frag] = getattr(row, role)
    return frags


def column_widths(rows: list[StreamRow], header: StreamHeader) -> dict[str, float]:
    """Each text column's wrap width: its header's widest line, or its widest one-line fragment."""
    out: dict[str, float] = {}
    for role in TEXT_ROLES:
        w = header.widths.get(role, 0.0)
        for r in rows:
            for f in cells(r, role):
                if f.kind == "text" and f.line == f.last_line:
                    w = max(w, f.width)
        out[role] = w
    return out


def ends_rule(f: Frag) -> bool:
    """A scoring rule's last line ends in 分 (``按完成比例赋分``, ``扣完为止，满分10分。``)."""
    return f.text.endswith(("分", "分。", "分；", "分;"))


def is_open(row: StreamRow, role: str, widths: dict[str, float]) -> bool:
    frags = cells(row, role)
    if not frags:
        return False
    last = frags[-1]
    if last.kind != "text" or last.line != last.last_line:
        return False  # a quantity, date, dash or a fragment already joined over lines is complete
    if role == "scoring_rule" and ends_rule(last):
        return False
    w = widths.get(role, 0.0)
    return not (w > 0 and last.width < w - 1.0)


def _tail_lines(tail: list[Frag]) -> list[list[Frag]]:
    lines: list[list[Frag]] = []
    for f in tail:
        if lines and lines[-1][-1].last_line == f.line:
            lines[-1].append(f)
        else:
            lines.append([f])
    return lines


def _text(frags: list[Frag]) -> str:
    return "".join(f.text for f in frags)


def attach_tails(rows: list[StreamRow], header: StreamHeader) -> None:
    """Give each row's `lead` fragments back to the open cells of the row above."""
    widths = column_widths(rows, header)
    order = [r for r in header.roles if r in TEXT_ROLES]
    for k in range(1, len(rows)):
        tail = rows[k].lead
        if tail:
            _attach(rows[k - 1], tail, rows, order, widths)
            rows[k].lead = []


def _attach(
    prev: StreamRow, tail: list[Frag], rows: list[StreamRow], order: list[str], widths: dict[str, float]
) -> None:
    if any(f.kind != "text" for f in tail):
        _mark_tallest(prev, order)  # a number or a date is no line of a wrapped text cell
        return
    lines = _tail_lines(tail)
    m = max(len(line) for line in lines)
    open_roles = [r for r in order if is_open(prev, r, widths)]
    if m == 1:
        # one cell continues over every tail line: each must fit its column
        open_roles = [r for r in open_roles if all(f.width <= widths.get(r, 0.0) + 0.5 for f in tail)]
    if len(open_roles) < m:
        _mark_tallest(prev, order)
        return

    def lines_of(role: str) -> int:
        return len(cells(prev, role))

    whole = _text(tail)

    def completed_elsewhere(role: str) -> bool:
        want = _text(cells(prev, role)) + whole
        return m == 1 and any(r is not prev and _text(cells(r, role)) == want for r in rows)

    def rank(role: str) -> tuple[bool, int]:
        return (completed_elsewhere(role), lines_of(role))

    ranked = sorted(open_roles, key=lambda r: (rank(r), -_NEAR_WEIGHT.index(r)), reverse=True)
    chosen = ranked[:m]
    # cells as likely as the last one chosen: the tail may be theirs (and they may lack their end)
    tied = [r for r in ranked[m:] if rank(r) == rank(ranked[m - 1])]
    # vouched for: a value of the same column completed; cells taller than every other cell of
    # the row (the lowest lines of a row are its tallest cells'); or no choice at all — as many
    # open cells as fragments on a line, each wrapped already (a one-line cell filling its column
    # may just be as wide as the column)
    others = [lines_of(r) for r in order if r not in chosen and cells(prev, r)]
    vouched = not tied and (
        all(completed_elsewhere(r) for r in chosen)
        or min(lines_of(r) for r in chosen) > max(others, default=0)
        or (len(open_roles) == m and all(lines_of(r) > 1 for r in chosen))
    )
    in_columns = [r for r in order if r in chosen]
    by_lines = sorted(chosen, key=lambda r: (lines_of(r), -_NEAR_WEIGHT.index(r)), reverse=True)
    for line in lines:
        if len(line) == m:
            targets = in_columns
        else:
            # fewer fragments than cells: the lowest lines belong to the tallest cells
            targets = [r for r in order if r in by_lines[: len(line)]]
            vouched = False
        for role, f in zip(targets, line, strict=False):
            cells(prev, role).append(f)
            if f.width > widths.get(role, 0.0) + 0.5:
                prev.uncertain.add(role)
    if not vouched:
        prev.uncertain.update(chosen + tied)


def _mark_tallest(prev: StreamRow, order: list[str]) -> None:
    """The tail could not be placed: the row's tallest text cell probably lost its end."""
    text_roles = [r for r in order if cells(prev, r) and cells(prev, r)[-1].kind == "text"]
    if not text_roles:
        text_roles = [r for r in order if cells(prev, r)]
    if not text_roles:
        return
    tallest = max(text_roles, key=lambda r: (len(cells(prev, r)), -_NEAR_WEIGHT.index(r)))
    prev.uncertain.add(tallest)
