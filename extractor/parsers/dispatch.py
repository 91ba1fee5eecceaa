"""Running the right parser on each segment, in an order that lets later tables use earlier ones
(names by code for project tables, 表1 figures for the 合计 row of 表2), then repairing keys."""

from __future__ import annotations

import re

from extractor.model import DocumentInfo, FieldValue, Record, Segment
from extractor.parsers import activity_targets, grid, labelled, narrative, procurement, three_public_grid
from extractor.parsers.coded import SPECS, parse_coded_table
from extractor.parsers.labelled import empty_record
from schemas.grid import VOCABULARY as GRID_KINDS

_INCOME_HINTS = (
    ("fiscal_carryover", ("财政拨款结转",), ("非财政",)),
    ("nonfiscal_carryover", ("非财政拨款结",), ()),
    ("general_budget_transfer", ("上级一般公共预算",), ()),
    ("general_budget", ("一般财力",), ()),
    ("special_account", ("财政专户",), ()),
    ("unit_funds", ("单位资金",), ()),
)
# 表4's income side names the budget each appropriation comes from (财政拨款（补助） is their subtotal, which
# 表2 may or may not print as a column of its own, so it gives no hint)
_FISCAL_HINTS = (
    ("general_budget", ("一般公共预算",), ("上级",)),
    ("gov_fund", ("政府性基金",), ("上级",)),
    ("state_capital", ("国有资本",), ("上级",)),
)

_ORDER = {
    "income_summary": 0,
    "fiscal_appropriation_summary": 1,
    "expenditure_by_function": 2,
    "general_budget_expenditure": 3,
    "basic_expenditure_by_economic": 4,
    "income_by_function": 5,
    "project_expenditure": 6,
}


def rules_records(text: str, segments: list[Segment]) -> tuple[DocumentInfo, list[Record]]:
    info, doc_record = narrative.document_info(text, segments)
    records: list[Record] = [doc_record]
    names_by_code: dict[str, str] = {}
    hints: dict[str, list[float]] = {}
    perf_regions: dict[str, list[Segment]] = {}
    for seg in sorted(segments, key=lambda s: (_ORDER.get(s.kind or "", 9), s.start)):
        kind = seg.kind
        if kind is None:
            continue
        if kind in ("performance_target", "performance_self_evaluation"):
            perf_regions.setdefault(kind, []).append(seg)
            continue
        if seg.empty and kind in {*SPECS, *GRID_KINDS, "carryover", "three_public_expenses"}:
            records.append(empty_record(kind, seg))
            continue
        if kind in SPECS:
            new = parse_coded_table(
                text,
                seg,
                names_by_code=names_by_code,
                total_hints=hints if kind == "income_by_function" else None,
            )
            for r in new:
                name = r.fields.get("name")
                if name is not None and re.fullmatch(r"\d{3,7}", r.key) and isinstance(name.value, str):
                    names_by_code.setdefault(r.key, name.value)
        elif kind in ("income_summary", "fiscal_appropriation_summary"):
            new = labelled.parse_two_sided(text, seg)
            for column, amount in _income_hints(new):
                hints.setdefault(column, []).append(amount)
        elif kind in GRID_KINDS:
            new = grid.parse_grid_table(text, seg)
        elif kind == procurement.KIND:
            new = procurement.parse_procurement(text, seg)
        elif kind == activity_targets.KIND:
            new = activity_targets.parse_activity_targets(text, seg)
        elif kind == "three_public_expenses":
            new = []
            if three_public_grid.has_meeting_columns(text, seg):
                new = three_public_grid.parse_three_public_meeting(text, seg)
            new = new or labelled.parse_three_public(text, seg)
        elif kind == "carryover":
            new = labelled.parse_carryover(text, seg)
        elif kind == "narrative_facts":
            new = narrative.parse_narrative(text, seg)
        elif kind == "department_profile":
            new = narrative.parse_profile(text, seg)
        else:
            new = []
        # a kind no title named, only the header words and codes (a title no rule knows): the content
        # rules cannot tell every pair of like tables apart, so the fields wait unless a sum or tie holds
        by_content = seg.classified_by[:1] == ["content"]
        for r in new:
            r.scope = seg.scope
            for fv in r.fields.values() if by_content else ():
                fv.add_reason("kind_by_content")
        records.extend(new)
    records.extend(_performance_records(text, perf_regions))
    repair_codes(records, names_by_code)
    separate_scopes(records, segments)
    records.sort(key=lambda r: r.segment_index if r.segment_index is not None else -1)
    return info, records


def _income_hints(records: list[Record]) -> list[tuple[str, float]]:
    """(表2 column, amount) pairs that 表1's and 表4's income items give for 表2's 合计 row."""
    hints: list[tuple[str, float]] = []
    for r in records:
        fiscal = r.kind == "fiscal_appropriation_summary"
        if not (fiscal and r.key.startswith("income:") or r.kind == "income_summary"):
            continue
        field = r.fields.get("total" if fiscal else "amount")
        amount = field.value if field is not None else None
        if not isinstance(amount, float):
            continue
        for column, words, forbidden in _FISCAL_HINTS if fiscal else _INCOME_HINTS:
            if any(w in r.key for w in words) and not any(f in r.key for f in forbidden) and "/" not in r.key:
                hints.append((column, amount))
                break
    return hints


def _performance_records(text: str, regions: dict[str, list[Segment]]) -> list[Record]:
    out: list[Record] = []
    if "performance_target" in regions:
        from extractor.parsers.performance import parse_performance_targets

        segs = regions["performance_target"]
        recs = parse_performance_targets(text, segs[0].start, segs[-1].end, title=segs[0].title)
        out.extend(_assign_segments(recs, segs))
    if "performance_self_evaluation" in regions:
        from extractor.parsers.self_evaluation import parse_self_evaluations

        segs = regions["performance_self_evaluation"]
        out.extend(_assign_segments(parse_self_evaluations(text, segs[0].start, segs[-1].end), segs))
    return out


def _assign_segments(records: list[Record], segs: list[Segment]) -> list[Record]:
    for r in records:
        spans = [fv.span for fv in r.fields.values() if fv.span]
        if not spans:
            r.segment_index = segs[0].index
            continue
        pos = min(s[0] for s in spans)
        r.segment_index = next((s.index for s in reversed(segs) if s.start <= pos), segs[0].index)
    return records


_ECONOMIC_KINDS = (
    "basic_expenditure_by_economic",
    "fiscal_basic_expenditure_by_economic",
    "operating_expenses_by_economic",
)


# kinds whose records are read from a run of segments at once (a performance table per project)
_MANY_SEGMENT_KINDS = frozenset(
    {
        "performance_target",
        "performance_indicator",
        "performance_self_evaluation",
        "self_evaluation_indicator",
        "document",
        "narrative_facts",
        "department_profile",
    }
)


def separate_scopes(records: list[Record], segments: list[Segment]) -> None:
    """Two tables of one kind in one scope (a 部门 table and a 单位 one, two funds' versions of a government
    table) stay two tables: the later one's records take a scope from its own title, so every
    (kind, scope, key) is unique, no row key changes and no sum mixes their rows. Two tables under the same
    title are told apart by their position (`<title> #2`)."""
    by_index = {s.index: s for s in segments}
    groups: dict[int | None, list[Record]] = {}
    for r in records:
        groups.setdefault(r.segment_index, []).append(r)
    taken: set[tuple[str, str, str]] = set()
    for index, group in groups.items():
        idents = {(r.kind, r.scope, r.key) for r in group}
        kinds_scopes = {(r.kind, r.scope) for r in group if r.kind not in _MANY_SEGMENT_KINDS}
        if index is not None and (idents & taken or kinds_scopes & {(k, sc) for k, sc, _ in taken}):
            seg = by_index.get(index)
            base = seg.title if seg is not None and seg.title else f"#{index}"
            scopes = {(k, sc) for k, sc, _ in taken}
            scope, n = (f"{group[0].scope} {base}".strip()), 2
            while any((r.kind, scope) in scopes for r in group):
                scope, n = f"{base} #{n}", n + 1
            for r in group:
                r.scope = scope
        seen: set[tuple[str, str, str]] = set()
        for r in group:  # a key a table prints twice (the coded parser numbers its own repeats)
            ident, n = (r.kind, r.scope, r.key), 2
            while ident in seen or ident in taken:
                ident, n = (r.kind, r.scope, f"{r.key}#{n}"), n + 1
            r.key = ident[2]
            seen.add(ident)
        taken |= seen


def repair_codes(records: list[Record], names_by_code: dict[str, str]) -> None:
    """Rows whose printed code was mangled (`01 8`) get the code another table prints for the same
    name; the repair is flagged so a reviewer sees it."""
    by_name: dict[str, set[str]] = {}
    for code, name in names_by_code.items():
        by_name.setdefault(name, set()).add(code)
    for r in records:
        if not r.key.startswith("?"):
            continue
        name_fv = r.fields.get("name")
        family = "3" if r.kind in _ECONOMIC_KINDS else "2"
        codes = (
            {c for c in by_name.get(str(name_fv.value), set()) if c.startswith(family)} if name_fv else None
        )
        if codes and len(codes) == 1:
            code = next(iter(codes))
            r.key = code
            for fv in r.fields.values():
                _replace(fv, "code_unreadable", f"code_repaired:name_match:{code}")


def _replace(fv: FieldValue, old: str, new: str) -> None:
    fv.reasons = [new if x == old else x for x in fv.reasons]
