"""The extraction flow for one document: ingest → segment → extract → validate → score.

`extract_path` and `extract_bytes` are what the CLI, the HTTP API and the eval harness call.
Backends: `rules` (the deterministic parsers), `llm` (schema-guided calls), `hybrid` (rules first,
the LLM where the rules could not parse or the validators reject what they read).
"""

from __future__ import annotations

import time
from pathlib import Path

from extractor.errors import LLMError
from extractor.ingest import ingest_bytes, ingest_path
from extractor.model import ExtractionResult, IngestedDocument
from extractor.parsers import dispatch
from extractor.score import score_result
from extractor.segment import segment_document
from extractor.settings import Settings, get_settings

BACKENDS = ("rules", "llm", "hybrid")


def extract_path(
    path: Path, *, backend: str | None = None, settings: Settings | None = None
) -> ExtractionResult:
    return extract_document(ingest_path(path), backend=backend, settings=settings)


def extract_bytes(
    data: bytes, filename: str, *, backend: str | None = None, settings: Settings | None = None
) -> ExtractionResult:
    return extract_document(ingest_bytes(data, filename), backend=backend, settings=settings)


def extract_document(
    doc: IngestedDocument, *, backend: str | None = None, settings: Settings | None = None
) -> ExtractionResult:
    settings = settings or get_settings()
    backend = backend or settings.backend
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; expected one of {', '.join(BACKENDS)}")
    started = time.perf_counter()
    segments = segment_document(doc)
    tables = [s for s in segments if s.kind not in ("department_profile", "narrative_facts")]
    info, records = dispatch.rules_records(doc.text, segments)
    result = ExtractionResult(
        document=doc,
        info=info,
        segments=segments,
        records=records,
        backend=backend,
        backend_requested=backend,
    )
    from extractor.ingest.digits import lost_digits_warning

    if warning := lost_digits_warning(doc.text):
        result.warnings.append(warning)
    if not tables:
        # a narrative-only report is still read: its document record and whatever its text states
        result.warnings.append("no budget or performance table was found in the document")
    _validate(result)
    if backend in ("llm", "hybrid"):
        from extractor.llm_backend import apply_llm  # a broken llm module is an error, not "unavailable"

        try:
            apply_llm(result, settings=settings, replace_rules=(backend == "llm"))
        except LLMError as exc:
            # the rules' records stand; the document says why the LLM did not run
            result.warnings.append(f"llm unavailable → rules: {exc.user_message()}")
            result.usage.count("llm_unavailable")
            result.backend = "rules"
        dispatch.separate_scopes(result.records, result.segments)
        _validate(result)
    score_result(result, settings)
    result.usage.seconds += time.perf_counter() - started
    return result


def _validate(result: ExtractionResult) -> None:
    from extractor.validate import validate_result

    validate_result(result)
