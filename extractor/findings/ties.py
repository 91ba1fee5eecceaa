"""The validators' sums and ties as findings, where they point at the document rather than at a misread.

A failed check becomes a finding only when every value in it was found at its place in the text and none
carries a doubt of the reading (an ambiguous column, a joined line, an unreadable code). A 说明 number that
differs from its table is an error when the table's value is vouched for by another check that holds
(its table's own sum, or a second table); a failed sum inside a table stays a warning, since a row the
reader lost looks the same. A rounding gap is info."""

from __future__ import annotations

from extractor.findings.context import Checks
from extractor.model import FieldValue
from extractor.reasons import misread
from extractor.validate.run import split_address

_SOUND = 0.8
_NARRATIVE = ("tie:说明", "tie:三公=说明", "narrative_facts:procurement")
_WORDS = {
    "narrative_facts/total_budget": "收支总预算",
    "narrative_facts/basic_expenditure": "基本支出",
    "narrative_facts/project_expenditure": "项目支出",
    "narrative_facts/three_public_total": "“三公”经费",
    "narrative_facts/procurement_total": "政府采购预算",
}


def _field(c: Checks, addr: str) -> FieldValue | None:
    kind, key, name = split_address(addr)
    rec = c.record(kind, key)
    return rec.fields.get(name) if rec is not None else None


def _sound(fv: FieldValue) -> bool:
    return "grounded" in fv.reasons and not any(misread(r) for r in fv.reasons)


def _vouched(fv: FieldValue, check_label: str) -> bool:
    """Another check on this value holds (its table's sum or a tie with a second table)."""
    return any(r.startswith(("sum:", "tie:")) and not r.endswith(check_label) for r in fv.reasons)


def check_ties(c: Checks) -> None:
    checked = [f for f in c.result.findings if f.check in ("sum", "tie")]
    # a reading where many of the tables' own checks fail is a misreading: its failures are not the document's
    sound_reading = bool(checked) and sum(f.ok for f in checked) >= _SOUND * len(checked)
    for f in c.result.findings:
        if f.ok or f.check not in ("sum", "tie"):
            continue
        narrative = f.name.startswith(_NARRATIVE)
        if not narrative and not sound_reading:
            continue
        fields = [(a, _field(c, a)) for a in f.addresses]
        printed = [(a, fv) for a, fv in fields if fv is not None]
        if len(printed) < len(fields) and not narrative:
            continue  # a blank where its total has an amount: a column the reader lost
        if not printed or not all(fv.span is not None and _sound(fv) for _a, fv in printed):
            continue  # the reading is in doubt: the review queue shows it, not the report
        lead = next(((a, fv) for a, fv in printed if a.startswith("narrative_facts/")), printed[0])
        span = lead[1].span
        assert span is not None
        addresses = [a for a, _ in printed]
        if f.severity == "rounding":
            c.add(
                "rounding_gap",
                "info",
                f"尾差：{f.message}（在打印精度的舍入范围内）",
                span,
                f.name,
                addresses,
            )
            continue
        trusted = all(fv.span is not None and c.text_trusted(*fv.span) for _a, fv in printed)
        if narrative:
            others = [fv for a, fv in printed if not a.startswith("narrative_facts/")]
            vouched = bool(others) and all(_vouched(fv, f.name) for fv in others)
            rule = "narrative_parts_mismatch" if f.check == "sum" else "narrative_table_mismatch"
            word = _WORDS.get("/".join(lead[0].split("/")[::2]), "情况说明")
            left, right = f.message.split(" vs ")
            what = "其分项之和" if f.check == "sum" else "报表"
            c.add(
                rule,
                "error" if trusted and (vouched or f.check == "sum") else "warning",
                f"情况说明中{word} {left} 万元，{what}为 {right} 万元",
                span,
                f.name,
                addresses,
            )
        else:
            rule = "table_sum_fails" if f.check == "sum" else "table_tie_fails"
            left, right = f.message.split(" vs ")
            first, other = _where(c, addresses[0]), _where(c, addresses[-1])
            if f.check == "sum":
                msg = f"{first} 为 {left}，其分项之和为 {right}"
            else:
                msg = f"{first} 为 {left}，{other} 为 {right}"
            c.add(rule, "warning", msg, span, f.name, addresses)


def _where(c: Checks, addr: str) -> str:
    """A field named as the document prints it: the table's title and the row."""
    kind, key, name = split_address(addr)
    rec = c.record(kind, key)
    if rec is None:
        return addr
    row = rec.fields.get("name")
    plain_key = "合计" if key == "total" else key.split(":", 1)[-1]
    label = f"{key} {row.value}" if row is not None and key.isdigit() else plain_key
    return f"《{rec.table_title}》{label}".strip()
