"""Running every check over one document: `check_result` for a finished extraction, `check_document` for
an ingested document (one without tables, such as a government's report, is still checked as text)."""

from __future__ import annotations

import time

from extractor.findings.context import Checks
from extractor.findings.directions import check_directions
from extractor.findings.inventory import check_inventory
from extractor.findings.model import SEVERITIES, DisclosureFinding
from extractor.findings.shares import check_shares
from extractor.findings.text_checks import check_text
from extractor.findings.three_public import check_three_public
from extractor.findings.ties import check_ties
from extractor.findings.years import check_years
from extractor.model import ExtractionResult, IngestedDocument
from extractor.settings import Settings

CHECKS = (
    check_inventory,
    check_text,
    check_ties,
    check_shares,
    check_three_public,
    check_directions,
    check_years,
)


def check_result(result: ExtractionResult) -> list[DisclosureFinding]:
    c = Checks(result)
    for check in CHECKS:
        check(c)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    by_id: dict[str, DisclosureFinding] = {}
    for f in c.findings:
        by_id.setdefault(f.id, f)
    return sorted(by_id.values(), key=lambda f: (order[f.severity], f.span[0] if f.span else -1, f.rule))


def extract_for_check(doc: IngestedDocument, settings: Settings) -> tuple[ExtractionResult, float]:
    """The extraction a report is made of (rules backend), and how long it took; a document without tables
    is checked as text."""
    from extractor.pipeline import extract_document

    started = time.perf_counter()
    result = extract_document(doc, backend="rules", settings=settings)
    return result, time.perf_counter() - started
