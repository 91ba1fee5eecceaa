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
    """Whether the printed values satisfy every identity. A subtotal the row leaves blank stands for the
    sum of its parts (a 小计 column the layout lost), so an outer identity sees that sum."""
    effective = list(values)
    for lhs, rhs in reversed(identities):  # inner identities (subtotals) are listed after outer ones
        if effective[lhs] is None and any(effective[c] is not None for c in rhs):
            effective[lhs] = sum(effective[c] or 0 for c in rhs)
    for lhs, rhs in identities:
        if values[lhs] is None:
            continue
        if sum(effective[c] or 0 for c in rhs) != values[lhs]:
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
    max_nodes: int = 2_000,
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
    """Prune each open row's candidates to those some choice of the other rows supports, one
    constraint at a time, until nothing changes (generalised arc consistency over the column sums).
    A constraint whose reachable sums exceed `max_nodes` vectors is skipped (it prunes nothing)."""
    domains: dict[int, list[Placement]] = {}
    for i, r in enumerate(rows):
        if i in open_rows:
            domains[i] = list(r.candidates)
        elif r.chosen is not None:
            domains[i] = [r.chosen]
        else:
            domains[i] = []
    changed = True
    while changed:
        changed = False
        for p, kids in constraints:
            if any(not domains[m] for m in (p, *kids)):
                continue
            if _prune_columns(rows, domains, p, kids, n):
                changed = True
            if _prune(rows, domains, p, kids, n, max_nodes):
                changed = True
    return {i: domains[i] for i in open_rows}


Vec = tuple[int, ...]


def _prune_columns(
    rows: list[ColumnRow], domains: dict[int, list[Placement]], p: int, kids: list[int], n: int
) -> bool:
    """The same pruning, one column at a time: cheap (sets of integers), and a necessary condition."""
    changed = False
    for c in range(n):
        col = {m: [rows[m].column_values(x, n)[c] for x in domains[m]] for m in (p, *kids)}
        prefix: list[set[int]] = [{0}]
        for k in kids:
            prefix.append({a + v for a in prefix[-1] for v in col[k]})
        suffix: list[set[int]] = [{0}]
        for k in reversed(kids):
            suffix.append({a + v for a in suffix[-1] for v in col[k]})
        suffix.reverse()
        keep_p = [x for x, v in zip(domains[p], col[p], strict=True) if v in prefix[-1]]
        if len(keep_p) != len(domains[p]):
            domains[p], changed = keep_p, True
            col[p] = [rows[p].column_values(x, n)[c] for x in keep_p]
        targets = set(col[p])
        for i, k in enumerate(kids):
            before, after = prefix[i], suffix[i + 1]
            keep = [
                x
                for x, v in zip(domains[k], col[k], strict=True)
                if any((t - v - a) in after for t in targets for a in before)
            ]
            if len(keep) != len(domains[k]):
                domains[k], changed = keep, True
    return changed


def _prune(
    rows: list[ColumnRow], domains: dict[int, list[Placement]], p: int, kids: list[int], n: int, cap: int
) -> bool:
    size = 1
    for k in kids:
        size *= len(domains[k])
        if size > cap:
            return False  # too many combinations to enumerate; the per-column pruning stands
    if size == 1 and len(domains[p]) == 1:
        return False
    vecs = {m: [tuple(rows[m].column_values(c, n)) for c in domains[m]] for m in (p, *kids)}
    prefix: list[set[Vec]] = [{(0,) * n}]
    for k in kids:
        nxt = {tuple(a + b for a, b in zip(s, v, strict=True)) for s in prefix[-1] for v in vecs[k]}
        if len(nxt) > cap:
            return False
        prefix.append(nxt)
    suffix: list[set[Vec]] = [{(0,) * n}]
    for k in reversed(kids):
        nxt = {tuple(a + b for a, b in zip(s, v, strict=True)) for s in suffix[-1] for v in vecs[k]}
        if len(nxt) > cap:
            return False
        suffix.append(nxt)
    suffix.reverse()  # suffix[i] = sums of kids[i:]
    changed = False
    keep_p = [c for c, v in zip(domains[p], vecs[p], strict=True) if v in prefix[-1]]
    if len(keep_p) != len(domains[p]):
        domains[p], changed = keep_p, True
        vecs[p] = [tuple(rows[p].column_values(c, n)) for c in keep_p]
    targets = set(vecs[p])
    for i, k in enumerate(kids):
        before, after = prefix[i], suffix[i + 1]
        keep: list[Placement] = []
        for c, v in zip(domains[k], vecs[k], strict=True):
            ok = any(
                tuple(t - x - a for t, x, a in zip(target, v, pre, strict=True)) in after
                for target in targets
                for pre in before
            )
            if ok:
                keep.append(c)
        if len(keep) != len(domains[k]):
            domains[k], changed = keep, True
    return changed


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
