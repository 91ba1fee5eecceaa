"""Repair proposals: when constraints fail, the smallest change that makes all of them hold.

Only single-field changes are proposed: for each field of a failing constraint, the value that
makes that constraint hold; it is kept only if every constraint on the field then holds (within
rounding), and ranked by how many failing constraints it settles, then by whether the proposed
figure is printed elsewhere in the document. Proposals that rank equal for the same checks are all
kept: the evidence cannot tell which field is wrong. A proposal is shown to the reviewer; the document's
printed value is never replaced by the product.
"""

from __future__ import annotations

from extractor import reasons
from extractor.model import FieldValue, Proposal, Record
from extractor.validate.constraints import Constraint
from extractor.validate.index import FieldRef, address, amount, field_of
from extractor.validate.tolerance import verdict


def _verdict_with(c: Constraint, values: dict[str, float]) -> str:
    """The check's verdict once the fields at the addresses in `values` read those values."""

    def val(r: FieldRef) -> float:
        a = address(r)
        if a in values:
            return values[a]
        v = amount(r)
        return v if v is not None else 0.0

    return verdict(sum(val(r) for r in c.lhs), sum(val(r) for r in c.rhs), len(c.rhs))


def _holds_with(c: Constraint, ref: FieldRef, value: float) -> bool:
    return _verdict_with(c, {address(ref): value}) != "fails"


def _in(ref: FieldRef, refs: list[FieldRef]) -> bool:
    return any(r[0] is ref[0] and r[1] == ref[1] for r in refs)


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
            in_lhs = _in(ref, c.lhs)
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
    return out + _carried(out, by_field, failing)


_RANK = {"fails": 0, "rounding": 1, "holds": 2}


def _carried(
    proposals: list[Proposal], by_field: dict[str, list[Constraint]], failing: list[Constraint]
) -> list[Proposal]:
    """The repairs a proposal brings with it. A check that holds exactly as printed (a row's total = its
    parts) is left holding only within rounding, or fails, once one of its figures is repaired, unless
    another figure moves with it. The figure of that check whose move leaves every check on it as good or
    better (and some better) than without the move shares the doubt and gets a proposal of its own, when
    it is the only best one: a misprint copied into a row's parts is not left auto-accepted."""
    out: list[Proposal] = []
    proposed = {p.address for p in proposals}
    for p in proposals:
        if isinstance(p.proposed, bool) or not isinstance(p.proposed, int | float):
            continue
        repaired = {p.address: float(p.proposed)}
        for c in by_field.get(p.address, []):
            if c in failing or _verdict_with(c, {}) != "holds" or _verdict_with(c, repaired) == "holds":
                continue
            ref = next(r for r in c.refs() if address(r) == p.address)
            delta = float(p.proposed) - (amount(ref) or 0.0)
            ranked: list[tuple[int, FieldRef, float]] = []
            for other in c.refs():
                current = amount(other)
                if address(other) == p.address or current is None or field_of(other) is None:
                    continue
                new = round(current - delta if _in(ref, c.lhs) == _in(other, c.lhs) else current + delta, 2)
                if new < 0:
                    continue
                moved = {**repaired, address(other): new}
                gains = [
                    _RANK[_verdict_with(k, moved)] - _RANK[_verdict_with(k, repaired)]
                    for k in by_field.get(address(other), [])
                ]
                if gains and min(gains) >= 0 and sum(gains) > 0:
                    ranked.append((sum(gains), other, new))
            ranked.sort(key=lambda t: -t[0])
            if not ranked or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
                continue  # no figure moves with it, or the checks cannot tell which one
            _gain, other, new = ranked[0]
            if address(other) in proposed:
                continue
            proposed.add(address(other))
            out.append(
                Proposal(
                    address(other),
                    amount(other),
                    new,
                    [],
                    f"moves with the repair of {p.address} ({p.current:g} → {p.proposed:g}) "
                    f"so that {c.name} still holds exactly",
                )
            )
    return out


def _confirmed(fv: FieldValue) -> bool:
    """A sum or tie holds with the field (a check-family reason of support polarity, per the registry)."""
    return any(
        (entry := reasons.lookup(r)) is not None and entry.family == "check" and entry.polarity == "support"
        for r in fv.reasons
    )


def echoes(proposals: list[Proposal], records: list[Record]) -> list[Proposal]:
    """Figures that repeat a repaired one and that no check speaks for: in the repaired figure's table and
    column, a cell that prints the same figure (a 其中 row under a misprinted total, a column cut off
    alike) is as doubtful as it, so it gets the same proposal and goes to review."""
    out: list[Proposal] = []
    proposed = {p.address for p in proposals}
    by_address = {r.address(n): (r, n) for r in records for n in r.fields}
    # the cells of each table and column by the figure they print, in document order
    printing: dict[tuple[str, str, str, float], list[Record]] = {}
    for r in records:
        for n, fv in r.fields.items():
            if isinstance(fv.value, int | float) and fv.value == fv.value:  # (not NaN: it equals nothing)
                printing.setdefault((r.kind, r.scope, n, fv.value), []).append(r)
    for p in proposals:
        if (
            p.address not in by_address
            or isinstance(p.current, bool)
            or not isinstance(p.current, int | float)
        ):
            continue
        record, name = by_address[p.address]
        for other in printing.get((record.kind, record.scope, name, p.current), []):
            fv = other.fields[name]
            if other is record or _confirmed(fv) or other.address(name) in proposed:
                continue
            proposed.add(other.address(name))
            out.append(
                Proposal(
                    other.address(name),
                    fv.value,
                    p.proposed,
                    [],
                    f"prints the figure of {p.address}, which the checks repair to {p.proposed:g}; "
                    "no check speaks for this one",
                )
            )
    return out
