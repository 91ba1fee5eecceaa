"""Running every validator over a document and leaving the verdicts in the fields' reasons."""

from __future__ import annotations

from functools import lru_cache

from extractor import reasons
from extractor.model import ExtractionResult, FieldValue, Finding
from extractor.settings import Settings
from extractor.validate import catalogue, formats, grounding
from extractor.validate.constraints import Constraint, build_constraints
from extractor.validate.index import RecordIndex, address, amount, field_of
from extractor.validate.repair import echoes, propose
from extractor.validate.tolerance import verdict


def split_address(addr: str) -> tuple[str, str, str]:
    """kind, key, field of a field address `kind/key/field`; a key may itself hold "/" (project/indicator)."""
    kind, rest = addr.split("/", 1)
    key, name = rest.rsplit("/", 1)
    return kind, key, name


def _clear(fv: FieldValue) -> None:
    fv.reasons = list(_kept(tuple(fv.reasons)))


@lru_cache(maxsize=16384)
def _kept(field_reasons: tuple[str, ...]) -> tuple[str, ...]:
    """The reasons that outlive a re-validation (memoised: a document repeats a few dozen reason lists)."""
    return tuple(r for r in field_reasons if not reasons.written_by_validators(r))


def validate_result(result: ExtractionResult) -> None:
    text = result.document.text
    for _r, _n, fv in result.fields():
        _clear(fv)
    index = RecordIndex(result.records)
    findings: list[Finding] = []
    constraints = build_constraints(index)
    failing: list[Constraint] = []
    for c in constraints:
        sides = c.sides()
        if sides is None:
            continue
        left, right = sides
        v = verdict(left, right, c.rounding_terms())
        reason = {
            "holds": f"{c.check}:{c.label}",
            "rounding": f"rounding_gap:{c.label}",
            "fails": f"{c.check}_fails:{c.label}",
        }[v]
        for ref in c.refs():
            target = field_of(ref)
            if target is not None:
                target.add_reason(reason)
        findings.append(
            Finding(
                c.check,
                c.name,
                v != "fails",
                [address(r) for r in c.refs()],
                f"{left:.2f} vs {right:.2f}",
                "rounding" if v == "rounding" else "error",
            )
        )
        if v == "fails":
            failing.append(c)

    # a column the layout left open is settled when a tie with another table holds in that column
    for _record, _name, fv in result.fields():
        if "column_ambiguous" in fv.reasons and any(r.startswith("tie:") for r in fv.reasons):
            fv.add_reason("column_settled:tie")
    for record, name, fv in result.fields():
        g = grounding.grounded(text, fv)
        if g is True:
            fv.add_reason("grounded")
        elif g is False:
            fv.add_reason("ungrounded")
            findings.append(
                Finding(
                    "grounding",
                    f"grounding:{record.address(name)}",
                    False,
                    [record.address(name)],
                    "the value is not at its span",
                )
            )
    for record in result.records:
        verdict_ = catalogue.check_record(record)
        if verdict_ is None:
            continue
        reason, message = verdict_
        for name in ("name", *[n for n in record.fields if n != "name"]):
            if name in record.fields:
                record.fields[name].add_reason(reason)
        if reason != "catalogue":
            findings.append(
                Finding(
                    "catalogue",
                    f"catalogue:{record.kind}:{record.key}",
                    False,
                    [record.address("name")],
                    message,
                    "warning",
                )
            )

    for f in formats.format_findings(index, text):
        findings.append(f)
        reason = f"format:{f.name.split(':', 1)[0]}" if f.ok else f"format_fails:{f.name.split(':', 1)[0]}"
        for addr in f.addresses:
            kind, key, name = split_address(addr)
            rec = index.get(kind, key)
            if rec is not None and name in rec.fields:
                rec.fields[name].add_reason(reason)

    printed = {round(x, 2) for r in result.records for n in r.fields if (x := amount((r, n))) is not None}
    proposals = propose(constraints, failing, printed)
    proposals += echoes(proposals, result.records)
    blamed = {p.address for p in proposals}
    fixed = {name for p in proposals for name in p.fixes}
    for c in failing:
        if c.name not in fixed:
            continue
        # a repair elsewhere settles this check: the other fields agree with the repaired state
        for ref in c.refs():
            target = field_of(ref)
            if target is not None and address(ref) not in blamed:
                target.reasons = [
                    f"outvoted:{c.label}" if r == f"{c.check}_fails:{c.label}" else r for r in target.reasons
                ]
    for p in proposals:
        kind, key, name = split_address(p.address)
        rec = index.get(kind, key)
        if rec is not None and name in rec.fields:
            rec.fields[name].add_reason(f"proposal:{p.proposed:g}")
    result.findings = findings
    result.proposals = proposals


def revalidate(result: ExtractionResult, settings: Settings) -> None:
    """Re-run every validator and the scoring (with the caller's settings: its review thresholds) after a
    reviewer changed a value."""
    from extractor.score import score_result

    validate_result(result)
    score_result(result, settings)
