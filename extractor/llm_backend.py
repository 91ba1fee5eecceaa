"""The `llm` and `hybrid` backends: which segments go to the LLM, and how its records meet the
rules' records.

- `llm`: every table segment is extracted by the LLM; the rules' records of those segments are
  replaced (the document record and the prose facts stay with the rules).
- `hybrid`: the LLM only sees the segments the rules could not parse (no record), whose kind the
  rules could not decide (the narrow question first: which kind, an enum; the rules' parser then reads
  the table with that kind, and only when it reads nothing does the LLM read the table itself), or whose records the validators reject (a failing sum or tie, a row
  identity that does not hold). Where both ran, agreement is a validator: a field the LLM read the
  same way gets `agreement:llm`, one it read differently `agreement_fails:llm=<value>`. In a segment
  the rules parsed, rows only the LLM found are not added (measured on the seeds, the small local
  model's extra rows were misread codes and hallucinated rows, and a reviewer can confirm or correct
  a value but not delete a row); they are counted in the usage reasons (`llm_rows_not_added`). In a
  segment the rules could not parse, the LLM's records are the only ones, marked `llm`.

Budgets: when the document's LLM deadline or token budget is spent, or the endpoint's circuit breaker
is open, the remaining segments are not asked (each is listed in `usage.skipped`) and keep the rules'
records. When the LLM was asked and answered nothing at all, `result.backend` says "rules" and a
warning says "llm unavailable → rules" with the first failure: the summary names what actually ran.
"""

from __future__ import annotations

from collections import Counter

from extractor import reasons
from extractor.errors import LLMError
from extractor.model import ExtractionResult, FieldValue, Record, Segment
from extractor.settings import Settings

PROSE = ("department_profile", "narrative_facts")


def hybrid_targets(result: ExtractionResult) -> list[tuple[Segment, str]]:
    """Segments the LLM should see, each with why."""
    by_segment: dict[int, list[Record]] = {}
    for r in result.records:
        if r.segment_index is not None:
            by_segment.setdefault(r.segment_index, []).append(r)
    out: list[tuple[Segment, str]] = []
    for seg in result.segments:
        if seg.kind in PROSE or seg.empty:
            continue
        records = by_segment.get(seg.index, [])
        if seg.kind is None:
            out.append((seg, "unknown_kind"))
        elif not records:
            out.append((seg, "unparsed_segment"))
        elif any(reasons.wants_second_look(fv.reasons) for r in records for fv in r.fields.values()):
            out.append((seg, "validator_rejected"))
    return out


def llm_targets(result: ExtractionResult) -> list[tuple[Segment, str]]:
    return [(s, "llm_backend") for s in result.segments if s.kind not in PROSE and not s.empty]


def apply_llm(result: ExtractionResult, *, settings: Settings, replace_rules: bool) -> None:
    from extractor.llm.client import llm_session
    from extractor.llm.extract import classify_segment, extract_segment

    targets = llm_targets(result) if replace_rules else hybrid_targets(result)
    # the narrow questions first: under a deadline, the cheap question that unlocks a whole table
    targets.sort(key=lambda t: t[1] != "unknown_kind")
    if not targets:
        return
    text = result.document.text
    why = Counter(reason for _s, reason in targets)
    answered = 0
    first_failure = ""
    with llm_session(settings):
        for seg, _reason in targets:
            if stop := _spent(result):
                result.usage.skipped.append(f"segment {seg.index} ({seg.title}): not asked, {stop}")
                continue
            try:
                if seg.kind is None:
                    kind = classify_segment(text, seg, settings=settings, usage=result.usage)
                    if kind is None:
                        result.warnings.append(
                            f"segment {seg.index} ({seg.title}): the LLM could not classify it"
                        )
                        continue
                    seg.kind = kind
                    seg.classified_by.append("llm")
                    if read := _rules_read(result, seg):  # the narrow answer: the rules read the table
                        result.records.extend(read)
                        answered += 1
                        continue
                if not settings.llm_whole_tables:
                    result.usage.skipped.append(
                        f"segment {seg.index} ({seg.title}): not sent whole (llm_whole_tables is off)"
                    )
                    continue
                records = extract_segment(text, seg, settings=settings, usage=result.usage)
            except LLMError as exc:
                result.warnings.append(f"segment {seg.index} ({seg.title}): {exc.user_message()}")
                first_failure = first_failure or exc.user_message()
                answered += bool(getattr(exc, "partial", None))  # some chunks answered (not merged)
                continue
            answered += 1
            for r in records:
                r.segment_index = seg.index
            _merge(result, seg, records, replace=replace_rules)
    for reason, n in why.items():
        result.usage.reasons.setdefault(f"segments:{reason}", n)
    if answered == 0 and (first_failure or result.usage.skipped):
        result.backend = "rules"
        result.warnings.append(f"llm unavailable → rules: {first_failure or result.usage.skipped[0]}")


def _rules_read(result: ExtractionResult, seg: Segment) -> list[Record]:
    """The rules' parser over a segment whose kind the LLM gave: the table's numbers come from its
    cells with their spans, never from the LLM, and the validators judge them like any other. Each
    field says where its kind came from (`kind_by_llm`). The whole document is read again, so the
    table gets what the others lend it (names by code, income totals), as if its title were known."""
    from extractor.parsers import dispatch

    _info, records = dispatch.rules_records(result.document.text, result.segments)
    read = [r for r in records if r.kind == seg.kind and r.segment_index == seg.index]
    for r in read:
        for fv in r.fields.values():
            fv.add_reason("kind_by_llm")
    if read:
        result.usage.count("llm_kind_read_by_rules")
    return read


def _spent(result: ExtractionResult) -> str:
    """Why no further segment is asked: the breaker opened or the budget ran out (from the last
    question's outcome), or "" to go on."""
    reasons = result.usage.reasons
    if reasons.get("skipped_breaker_open"):
        return "the LLM endpoint's circuit breaker is open"
    if reasons.get("skipped_over_budget"):
        return "the document's LLM budget is spent"
    return ""


def _merge(result: ExtractionResult, seg: Segment, llm_records: list[Record], *, replace: bool) -> None:
    if replace:
        result.records = [r for r in result.records if r.segment_index != seg.index] + llm_records
        return
    rules = {(r.kind, r.key): r for r in result.records if r.segment_index == seg.index}
    for lr in llm_records:
        rr = rules.get((lr.kind, lr.key))
        if rr is None:
            if rules:
                result.usage.count("llm_rows_not_added")
            else:
                result.records.append(lr)
            continue
        for name, lfv in lr.fields.items():
            rfv = rr.fields.get(name)
            if rfv is None:
                continue
            if _same(rfv, lfv):
                rfv.add_reason("agreement:llm")
            else:
                rfv.add_reason(f"agreement_fails:llm={lfv.value}")


def _same(a: FieldValue, b: FieldValue) -> bool:
    x, y = a.value, b.value
    if isinstance(x, int | float) and isinstance(y, int | float) and not isinstance(x, bool):
        return abs(float(x) - float(y)) < 0.005
    return "".join(str(x).split()) == "".join(str(y).split())
