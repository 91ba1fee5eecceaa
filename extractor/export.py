"""The JSON export of DESIGN.md: one document, its records and their fields."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from extractor.files import write_atomically
from extractor.inventory import table_inventory
from extractor.model import ExtractionResult, Record


def record_to_json(record: Record, *, with_review: bool = True, page: int | None = None) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name, fv in record.fields.items():
        entry: dict[str, Any] = {"value": fv.value}
        if with_review:
            entry["confidence"] = round(fv.confidence, 4)
            entry["status"] = fv.status
        entry["span"] = list(fv.span) if fv.span is not None else None
        if with_review:
            entry["reasons"] = list(fv.reasons)
        fields[name] = entry
    return {
        "kind": record.kind,
        "key": record.key,
        "scope": record.scope,
        "table_title": record.table_title,
        "unit": record.unit,
        "page": page,
        "fields": fields,
    }


def page_of(result: ExtractionResult, record: Record) -> int | None:
    """The page a record is printed on: where its first located field is, else where its table starts."""
    starts = [fv.span[0] for fv in record.fields.values() if fv.span is not None]
    if starts:
        return result.document.page_of(min(starts))
    segments = {s.index: s for s in result.segments}
    segment = segments.get(record.segment_index) if record.segment_index is not None else None
    return result.document.page_of(segment.start) if segment is not None else None


def summary_of(result: ExtractionResult, seconds: float | None = None) -> dict[str, Any]:
    statuses = [fv.status for _, _, fv in result.fields()]
    return {
        "fields": len(statuses),
        "auto_accepted": statuses.count("auto_accepted"),
        "needs_review": statuses.count("needs_review"),
        "confirmed": statuses.count("confirmed"),
        "corrected": statuses.count("corrected"),
        "records": len(result.records),
        "llm_calls": result.usage.llm_calls,
        "llm_tokens": result.usage.prompt_tokens + result.usage.completion_tokens,
        "seconds": round(seconds if seconds is not None else result.usage.seconds, 3),
        "backend": result.backend,
        "backend_requested": result.backend_requested,
        "llm_failed_calls": result.usage.failed_calls,
        "llm_failed_seconds": round(result.usage.failed_seconds, 3),
        "llm_failed_tokens": result.usage.failed_tokens,
        "llm_failures": list(result.usage.failures),
        "llm_skipped": list(result.usage.skipped),
        "llm_reasons": dict(result.usage.reasons),
        "llm_replayed_calls": result.usage.replayed_calls,
        "llm_replayed_tokens": result.usage.replayed_tokens,
        "llm_replayed_seconds": round(result.usage.replayed_seconds, 3),
        "warnings": list(result.warnings),
    }


def result_to_json(result: ExtractionResult, seconds: float | None = None) -> dict[str, Any]:
    info = result.info
    return {
        "document": {
            "sha256": result.document.sha256,
            "source": result.document.source,
            "unit_name": info.unit_name,
            "fiscal_year": info.fiscal_year,
            "doc_type": info.doc_type,
            "money_unit": info.money_unit,
        },
        "records": [record_to_json(r, page=page_of(result, r)) for r in result.records],
        "tables": [e.to_json() for e in table_inventory(result)],
        "summary": summary_of(result, seconds),
    }


def write_json(payload: dict[str, Any] | list[dict[str, Any]], out: Path) -> None:
    write_atomically(out, json.dumps(payload, ensure_ascii=False, indent=1))


def llm_report(result: ExtractionResult) -> list[str]:
    """What the LLM cost a document and what went wrong, for the CLI: empty for the rules backend."""
    if result.backend_requested == "rules":
        return []
    u = result.usage
    lines: list[str] = []
    if result.backend != result.backend_requested:
        lines.append(f"llm unavailable → rules ({result.backend_requested} was asked for)")
    lines.append(
        f"llm ({result.backend} ran): {u.llm_calls} request(s), {u.prompt_tokens + u.completion_tokens} tokens; "
        f"{u.replayed_calls} replayed; {u.failed_calls} failed costing {u.failed_attempts} attempt(s), "
        f"{u.failed_seconds:.1f} s, {u.failed_tokens} tokens; {len(u.skipped)} skipped"
    )
    lines.extend(f"llm failed: {f}" for f in u.failures)
    lines.extend(f"llm skipped: {s}" for s in u.skipped)
    return lines
