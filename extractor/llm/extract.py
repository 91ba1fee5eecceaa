"""The `llm` backend's entry points, called by the pipeline per segment.

`extract_segment` sends a segment in small chunks, each with the kind's schema, field meanings and
an example, and grounds every returned value back to a span of the document; `classify_segment`
asks which kind a segment is when the rules could not decide. Both count calls, tokens, seconds and
reasons in the document's `Usage`, and both answer from the response cache when they can.
"""

from __future__ import annotations

from typing import Any

from extractor.errors import LLMError
from extractor.llm.cache import ResponseCache
from extractor.llm.client import complete
from extractor.llm.errors import LLMBudgetError
from extractor.llm.grounding import ground_rows
from extractor.llm.prompts import KIND_HINTS, chunk_segment, classify_messages, extract_messages
from extractor.llm.schema import (
    SINGLE_ROW_KINDS,
    kind_choice_model,
    max_rows_for,
    response_model_for,
    row_model_for,
)
from extractor.model import FieldValue, Record, Segment, Usage
from extractor.settings import Settings
from schemas import KIND_MODELS, kind_field_names


class LLMSegmentError(LLMError):
    """Some chunks of a segment failed; `partial` holds the records of the chunks that did not."""

    def __init__(
        self, message: str, *, partial: list[Record], attempts: int = 0, raw: str | None = None
    ) -> None:
        super().__init__(message, attempts=attempts, raw=raw)
        self.partial = partial


def extract_segment(
    text: str,
    segment: Segment,
    *,
    settings: Settings,
    usage: Usage,
    examples: list[Record] | None = None,
    reason: str = "llm_extract",
    cache: ResponseCache | None = None,
) -> list[Record]:
    """Records of the segment's kind read by the LLM, with spans into `text`.

    `reason` names why the pipeline asked (e.g. "unparsed_segment"); it is counted in
    `usage.reasons` once per call that reaches the endpoint. Raises `LLMError` (an
    `LLMSegmentError` with the partial records when only some chunks failed)."""
    kind = segment.kind
    if kind is None or kind not in KIND_MODELS:
        raise LLMError(f"segment {segment.index} ({segment.title}) has no known kind to extract")
    row_model = row_model_for(kind)
    field_names = kind_field_names(kind)
    records: list[Record] = []
    failures: list[LLMError] = []
    chunks = chunk_segment(text, segment)
    for chunk in chunks:
        messages = extract_messages(text, segment, chunk, kind, row_model, examples)
        response_model = response_model_for(kind, max_rows_for(kind, segment.title, chunk.data_rows))
        try:
            reply = complete(
                messages,
                response_model,
                settings=settings,
                usage=usage,
                reason=reason,
                label=f"{segment.title} [{kind}] part {chunk.number}/{chunk.of}",
                cache=cache,
            )
        except LLMBudgetError as exc:
            failures.append(exc)
            break
        except LLMError as exc:
            failures.append(exc)
            continue
        rows: list[dict[str, Any]] = [r.model_dump() for r in getattr(reply.data, "rows", [])]
        for grounded in ground_rows(text, chunk.start, chunk.end, kind, rows, field_names):
            if not grounded.fields:
                continue
            if grounded.key is None:
                usage.count("llm_row_without_key")
                continue
            records.append(
                Record(
                    kind=kind,
                    key=grounded.key,
                    table_title=segment.title,
                    unit=segment.unit,
                    fields=grounded.fields,
                    segment_index=segment.index,
                )
            )
    records = _merge(kind, records, usage)
    if failures:
        last = failures[-1]
        done = len(chunks) - len(failures)
        message = last.message
        if done > 0:
            message += f" ({len(failures)} of {len(chunks)} chunks failed)"
        raise LLMSegmentError(message, partial=records, attempts=last.attempts, raw=last.raw)
    return records


def _merge(kind: str, records: list[Record], usage: Usage) -> list[Record]:
    """One record per key (the first wins; repeats are counted), one per table for single-row kinds."""
    if kind in SINGLE_ROW_KINDS and records:
        first = records[0]
        for other in records[1:]:
            for name, fv in other.fields.items():
                _take_better(first.fields, name, fv)
        return [first]
    out: dict[str, Record] = {}
    for rec in records:
        if rec.key in out:
            usage.count("llm_duplicate_row")
            for name, fv in rec.fields.items():
                _take_better(out[rec.key].fields, name, fv)
        else:
            out[rec.key] = rec
    return list(out.values())


def _take_better(fields: dict[str, FieldValue], name: str, fv: FieldValue) -> None:
    current = fields.get(name)
    if current is None or (current.span is None and fv.span is not None):
        fields[name] = fv


def classify_segment(
    text: str,
    segment: Segment,
    *,
    settings: Settings,
    usage: Usage,
    reason: str = "llm_classify",
    cache: ResponseCache | None = None,
) -> str | None:
    """The segment's kind as the LLM reads it, or None when no kind fits. Raises `LLMError` when the
    call failed (counted in `usage.reasons` under "error:...")."""
    kinds = tuple(k for k in KIND_HINTS if k in KIND_MODELS and k != "document")
    model = kind_choice_model(kinds)
    reply = complete(
        classify_messages(text, segment),
        model,
        settings=settings,
        usage=usage,
        reason=reason,
        label=f"classify {segment.title}",
        cache=cache,
    )
    kind = getattr(reply.data, "kind", None)
    return kind if isinstance(kind, str) and kind in KIND_MODELS else None
