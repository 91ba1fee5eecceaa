"""Deciding which column each printed number belongs to.

PDF text drops empty cells, so a row `201 38 05 市场秩序执法 5 5` does not say whether its second
5 is 基本支出 or 项目支出. The numbers keep their order, so the candidates are the order-preserving
placements of the row's numbers into the table's columns, the first number being the row total.
A placement must satisfy the row's identities (total = basic + project, …). When several remain,
the table's own constraints decide: every parent row equals the sum of its children, and the 合计
row equals the sum of the top rows, column by column. What is still open after that is decided by
the kind's definition where one exists (人员经费 = 301 + 303), else left ambiguous and said so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from extractor.numbers import cents

Placement = tuple[int, ...]  # column index of each value, increasing
Identity = tuple[int, tuple[int, ...]]  # (lhs column, rhs columns)


@dataclass
class ColumnRow:
    values: list[float]
    positional: Placement | None = None  # known placement (from cell positions)
    candidates: list[Placement] = field(default_factory=list)
    chosen: Placement | None = None
    how: str = ""  # positional | unique | by_totals | by_definition | ambiguous | identity_fails
    parent: int | None = None  # index of the parent row in the table
    is_total: bool = False
    identity_ok: bool = True

    def column_values(self, placement: Placement, n: int) -> list[int]:
        out = [0] * n
        for v, c in zip(self.values, placement, strict=True):
            out[c] = cents(v)
        return out


def identities_hold(values: Sequence[int | None], identities: Sequence[Identity]) -> bool:
    for lhs, rhs in identities:
        if values[lhs] is None:
            continue
        if sum(values[c] or 0 for c in rhs) != values[lhs]:
            return False
    return True


def row_candidates(values: list[float], n: int, identities: Sequence[Identity]) -> list[Placement]:
    k = len(values)
    if k == 0 or k > n:
        return []
    out: list[Placement] = []
    for rest in combinations(range(1, n), k - 1):
        placement = (0, *rest)
        vals: list[int | None] = [None] * n
        for v, c in zip(values, placement, strict=True):
            vals[c] = cents(v)
        if identities_hold(vals, identities):
            out.append(placement)
    return out


def solve_table(
    rows: list[ColumnRow],
    n: int,
    identities: Sequence[Identity],
    prior: Callable[[int, Placement], float] | None = None,
    *,
    definitional: bool = True,
    max_nodes: int = 20_000,
) -> None:
    """Choose a placement for every row, in place; `how` records how it was decided."""
    for row in rows:
        if row.positional is not None:
            row.chosen, row.how = row.positional, "positional"
            vals: list[int | None] = [None] * n
            for v, c in zip(row.values, row.positional, strict=True):
                vals[c] = cents(v)
            row.identity_ok = identities_hold(vals, identities)
            continue
        row.candidates = row_candidates(row.values, n, identities)
        if not row.candidates:
            row.identity_ok = False
            k = len(row.values)
            row.chosen = tuple(range(k)) if k <= n else None
            row.how = "identity_fails"
        elif len(row.candidates) == 1:
            row.chosen, row.how = row.candidates[0], "unique"

    open_rows = [i for i, r in enumerate(rows) if r.chosen is None and r.candidates]
    if not open_rows:
        return
    constraints = _constraints(rows)
    usable = [(p, kids) for p, kids in constraints if all(rows[i].identity_ok for i in (p, *kids))]
    feasible = _feasible_placements(rows, open_rows, usable, n, max_nodes)
    for i in open_rows:
        row = rows[i]
        possible = feasible.get(i, row.candidates)
        if len(possible) == 1 and len(row.candidates) > 1:
            row.chosen, row.how = possible[0], "by_totals"
            continue
        pool = possible or row.candidates
        if prior is not None:
            scored = sorted(pool, key=lambda p: (-prior(i, p), p))
            best = scored[0]
            decisive = definitional and (len(scored) == 1 or prior(i, scored[0]) > prior(i, scored[1]))
            row.chosen, row.how = best, ("by_definition" if decisive else "ambiguous")
        else:
            row.chosen, row.how = pool[0], "ambiguous"


def _feasible_placements(
    rows: list[ColumnRow],
    open_rows: list[int],
    constraints: list[tuple[int, list[int]]],
    n: int,
    max_nodes: int,
) -> dict[int, list[Placement]]:
    """For each open row, the candidates that occur in at least one placement of all rows that
    satisfies every constraint. A search that runs out of budget keeps the candidate (unknown)."""
    out: dict[int, list[Placement]] = {}
    for i in open_rows:
        keep: list[Placement] = []
        for cand in rows[i].candidates:
            found = _search(rows, open_rows, constraints, n, {i: cand}, max_nodes)
            if found is not False:
                keep.append(cand)
        out[i] = keep
    return out


def _constraints(rows: list[ColumnRow]) -> list[tuple[int, list[int]]]:
    children: dict[int, list[int]] = {}
    top: list[int] = []
    total_rows: list[int] = []
    for i, r in enumerate(rows):
        if r.is_total:
            total_rows.append(i)
        elif r.parent is None:
            top.append(i)
        else:
            children.setdefault(r.parent, []).append(i)
    out = [(p, kids) for p, kids in children.items()]
    for t in total_rows:
        if top:
            out.append((t, top))
    return out


def _search(
    rows: list[ColumnRow],
    open_rows: list[int],
    constraints: list[tuple[int, list[int]]],
    n: int,
    forced: dict[int, Placement],
    max_nodes: int,
) -> bool | None:
    """Whether some placement of the open rows (with `forced` ones fixed) satisfies every
    constraint: True, False, or None when the node budget ran out."""
    order = {row: depth for depth, row in enumerate(open_rows)}
    due: dict[int, list[tuple[int, list[int]]]] = {}
    for p, kids in constraints:
        members = [i for i in (p, *kids) if i in order]
        if not members:
            continue
        due.setdefault(max(order[i] for i in members), []).append((p, kids))
    fixed = {i: r.chosen for i, r in enumerate(rows) if r.chosen is not None}
    current: dict[int, Placement] = {}
    nodes = 0
    cache: dict[int, list[int]] = {}

    def value_of(i: int) -> list[int]:
        placement = current.get(i) or fixed.get(i)
        assert placement is not None
        return rows[i].column_values(placement, n)

    def holds(p: int, kids: list[int]) -> bool:
        lhs = value_of(p)
        sums = [0] * n
        for k in kids:
            for c, v in enumerate(value_of(k)):
                sums[c] += v
        return lhs == sums

    def walk(depth: int) -> bool | None:
        nonlocal nodes
        if depth == len(open_rows):
            return True
        row_i = open_rows[depth]
        options = [forced[row_i]] if row_i in forced else rows[row_i].candidates
        exhausted = False
        for cand in options:
            nodes += 1
            if nodes > max_nodes:
                return None
            current[row_i] = cand
            if all(holds(p, kids) for p, kids in due.get(depth, [])):
                res = walk(depth + 1)
                if res:
                    return True
                if res is None:
                    exhausted = True
        current.pop(row_i, None)
        return None if exhausted else False

    del cache
    return walk(0)
