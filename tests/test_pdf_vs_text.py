"""A PDF and the text another tool made from it (pdfplumber's `extract_text()`, pages joined by form feeds)
read to the same fields. Differences are listed; the ones that remain are named with their cause."""

from __future__ import annotations

import pytest
from corpus_dev import require_corpus_dev

from extractor.ingest import ingest_bytes, ingest_path
from extractor.pipeline import extract_document
from extractor.settings import Settings

RULES = Settings(backend="rules")
# The PDF reader's grid keeps each cell where it is printed, so tables whose columns come from their printed
# header (`column:header`) are read from the PDF and not from its flowed text; the test allows exactly that.


def _fields(doc: object) -> dict[tuple[str, str, str], tuple[object, bool]]:
    """(kind, key, field) → (value, read by its printed header)."""
    result = extract_document(doc, settings=RULES)  # type: ignore[arg-type]
    return {
        (r.kind, r.key, n): (fv.value, "column:header" in fv.reasons)
        for r in result.records
        if r.kind != "document"
        for n, fv in r.fields.items()
    }


@pytest.mark.parametrize("number", ["17", "19", "25"])
def test_pdf_and_its_text_rendering_agree(number: str) -> None:
    pdf_path = require_corpus_dev(f"{number}_*.pdf")
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        text = "\f".join(page.extract_text() or "" for page in pdf.pages)
    from_pdf = _fields(ingest_path(pdf_path))
    from_text = _fields(ingest_bytes(text.encode("utf-8"), f"{number}.txt"))
    assert len(from_pdf) > 50
    # a field both readings give has one value
    both = [k for k in from_pdf if k in from_text]
    disagree = sorted(k for k in both if from_text[k][0] != from_pdf[k][0])
    assert len(disagree) <= 0.01 * len(both), disagree
    # the PDF's cells say more than flowed text: what the text reading misses is only what the PDF read by
    # a table's printed header (a header flowed into one line of words names no column), or the rows of
    # those tables
    missing = [k for k in from_pdf if k not in from_text]
    header_tables = {(k[0], k[1]) for k, (_v, by_header) in from_pdf.items() if by_header}
    # Jiangsu's 支出用途 side of the 收支总表 is known by its cells' positions only: flowed text runs its
    # labels into the 功能分类 side's
    header_tables |= {(k[0], k[1]) for k in from_pdf if k[0] == "expenditure_by_purpose"}
    unexplained = sorted(k for k in missing if (k[0], k[1]) not in header_tables)
    assert len(unexplained) <= 0.01 * len(from_pdf), unexplained
