"""Repair proposals: when constraints fail, the smallest change that makes all of them hold.

Only single-field changes are proposed: for each field of a failing constraint, the value that
makes that constraint hold; it is kept only if every constraint on the field then holds (within
rounding), and ranked by how many failing constraints it settles, then by whether the proposed
figure is printed elsewhere in the document. Proposals that rank equal for the same checks are all
kept: the evidence cannot tell which field is wrong. A proposal is shown to the reviewer; the document's
printed value is never replaced by the product.
"""

from __future__ import annotations

from extractor.model import Proposal
from extractor.validate.constraints import Constraint
from extractor.validate.index import FieldRef, address, amount, field_of
from extractor.validate.tolerance import verdict


def _holds_with(c: Constraint, ref: FieldRef, value: float) -> bool:
    def val(r: FieldRef) -> float:
        if r[0] is ref[0] and r[1] == ref[1]:
            return value
        v = amount(r)
        return v if v is not None else 0.0

    left = sum(val(r) for r in c.lhs)
    right = sum(val(r) for r in c.rhs)
    return verdict(left, right, len(c.rhs)) != "fails"


def propose(constraints: list[Constraint], failing: list[Constraint], printed: set[float]) -> list[Proposal]:
    by_field: dict[str, list[Constraint]] = {}
    for c in constraints:
        for r in c.refs():
            by_field.setdefault(address(r), []).append(c)
    candidates: dict[str, tuple[int, int, FieldRef, float, list[str]]] = {}
    for c in failing:
        sides = c.sides()
        if sides is None:
            continue
        left, right = sides
        for ref in c.refs():
            fv = field_of(ref)
            current = amount(ref)
            if fv is None or current is None:
                continue
            in_lhs = any(r[0] is ref[0] and r[1] == ref[1] for r in c.lhs)
            new = round(current + (right - left) if in_lhs else current + (left - right), 2)
            if new < 0 or abs(new - current) < 0.005:
                continue
            mine = by_field.get(address(ref), [])
            if not all(_holds_with(k, ref, new) for k in mine):
                continue
            fixes = [k.name for k in mine if k in failing]
            seen_elsewhere = 1 if new in printed else 0
            key = address(ref)
            best = candidates.get(key)
            if best is None or (len(fixes), seen_elsewhere) > best[:2]:
                candidates[key] = (len(fixes), seen_elsewhere, ref, new, fixes)
    if not candidates:
        return []
    ranked = sorted(candidates.values(), key=lambda t: (-t[0], -t[1], address(t[2])))
    out: list[Proposal] = []
    settled: dict[str, tuple[int, int]] = {}  # failing check -> rank of the proposal that settles it
    for n_fixes, elsewhere, ref, new, fixes in ranked:
        # already settled, unless as good as the proposal that settled it: then the evidence cannot
        # choose between them, so both stand (and neither field is exonerated)
        if all(f in settled for f in fixes) and any(settled[f] != (n_fixes, elsewhere) for f in fixes):
            continue
        for f in fixes:
            settled.setdefault(f, (n_fixes, elsewhere))
        current = amount(ref)
        evidence = f"makes {n_fixes} failing check(s) hold: {', '.join(fixes)}"
        if elsewhere:
            evidence += f"; {new:g} is printed elsewhere in the document"
        out.append(Proposal(address(ref), current, new, fixes, evidence))
    return out
