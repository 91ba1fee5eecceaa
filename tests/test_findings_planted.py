"""Done means 1: every error planted into a real document is found by a finding whose text covers the spot,
and the same finding is not raised on the original."""

from __future__ import annotations

import pytest

from extractor.findings import check_result
from extractor.findings.model import DisclosureFinding
from extractor.pipeline import extract_document
from extractor.settings import Settings
from tests.findings_planted import CASES, Case, planted


def _covers(f: DisclosureFinding, spot: tuple[int, int]) -> bool:
    if f.span is None:
        return False
    s, e = spot
    return f.span[0] <= s and e <= f.span[1] if s < e else f.span[0] <= s <= f.span[1]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.doc[:6]}-{c.what}" for c in CASES])
def test_planted_error_is_found(case: Case, tmp_path: object) -> None:
    settings = Settings(backend="rules")
    original, doc, spot = planted(case)
    findings = check_result(extract_document(doc, backend="rules", settings=settings))
    hits = [f for f in findings if f.rule == case.rule and _covers(f, spot)]
    assert hits, (
        f"{case.what}: no {case.rule} finding covers {spot} {doc.text[spot[0] : spot[1]]!r}; got "
        + "; ".join(f"{f.rule}@{f.span}: {f.message}" for f in findings)
    )
    hit = hits[0]
    assert hit.text == doc.text[hit.span[0] : hit.span[1]] if hit.span else False
    assert hit.page == doc.page_of(hit.span[0]) if hit.span else False
    before = check_result(extract_document(original, backend="rules", settings=settings))
    assert not [f for f in before if f.rule == case.rule and f.message == hit.message]
