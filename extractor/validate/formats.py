"""Formats: years, percentages, 执行率 = 执行数 / 预算数 to the printed precision, scores ≤ weights."""

from __future__ import annotations

from extractor.model import Finding, Record
from extractor.validate.index import RecordIndex


def _num(record: Record, name: str) -> float | None:
    fv = record.fields.get(name)
    if fv is None or isinstance(fv.value, bool) or not isinstance(fv.value, int | float):
        return None
    return float(fv.value)


def _decimals(record: Record, name: str, text: str) -> int:
    fv = record.fields.get(name)
    if fv is None or fv.span is None:
        return 2
    printed = text[fv.span[0] : fv.span[1]]
    return len(printed.split(".")[1].rstrip("%％ ")) if "." in printed else 0


def format_findings(index: RecordIndex, text: str) -> list[Finding]:
    out: list[Finding] = []
    for r in index.of_kind("performance_self_evaluation"):
        rate, done, budget = _num(r, "execution_rate"), _num(r, "executed"), _num(r, "budget_full_year")
        if rate is not None and done is not None and budget:
            places = _decimals(r, "execution_rate", text)
            expected = round(done / budget * 100, places)
            ok = (
                abs(expected - rate) <= 10 ** (-places) * 0.5 + 1e-9
                or abs(min(expected, 100.0) - rate) < 1e-9
            )
            out.append(Finding("format", f"execution_rate:{r.key}", ok,
                               [r.address("execution_rate"), r.address("executed"), r.address("budget_full_year")],
                               f"执行率 {rate} vs 执行数/预算数 = {expected}"))  # fmt: skip
    for kind in ("performance_self_evaluation", "self_evaluation_indicator"):
        for r in index.of_kind(kind):
            score, weight = _num(r, "score"), _num(r, "weight")
            if score is not None and weight is not None:
                out.append(Finding("format", f"score_le_weight:{r.kind}:{r.key}", score <= weight + 1e-9,
                                   [r.address("score"), r.address("weight")],
                                   f"得分 {score} {'≤' if score <= weight else '>'} 分值 {weight}"))  # fmt: skip
    doc = index.get("document", "")
    if doc is not None:
        year = _num(doc, "fiscal_year")
        if year is not None:
            out.append(Finding("format", "fiscal_year", 2000 <= year <= 2100, [doc.address("fiscal_year")],
                               f"fiscal year {int(year)}"))  # fmt: skip
    return out
