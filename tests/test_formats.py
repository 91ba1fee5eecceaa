"""PDF and Word versions of seed tables extract to the same records as the text versions."""

from __future__ import annotations

from pathlib import Path

from extractor.ingest import ingest_bytes, ingest_path
from extractor.layout import cell_rows
from extractor.model import Record
from extractor.pipeline import extract_document
from extractor.segment import segment_document
from extractor.settings import Settings
from tests.helpers_docs import docx_from_rows, pdf_from_lines

RULES = Settings(backend="rules")


def _values(records: list[Record], kind: str) -> dict[str, dict[str, object]]:
    return {r.key: {k: fv.value for k, fv in r.fields.items()} for r in records if r.kind == kind}


def _segment_text(path: Path, kind: str) -> str:
    doc = ingest_path(path)
    seg = next(s for s in segment_document(doc) if s.kind == kind)
    return doc.text[seg.start : seg.end]


def test_pdf_of_korla_table_extracts_like_text(seed_paths: dict[str, Path]) -> None:
    kind = "expenditure_by_function"
    text_version = extract_document(ingest_path(seed_paths["004"]), settings=RULES)
    table = _segment_text(seed_paths["004"], kind)
    lines = [ln for ln in table.split("\n") if ln.strip()]
    pdf = pdf_from_lines(lines)
    doc = ingest_bytes(pdf, "korla-table3.pdf")
    assert doc.format == "pdf"
    assert "部门支出总体情况表" in doc.text
    result = extract_document(doc, settings=RULES)
    expected = _values(text_version.records, kind)
    got = _values(result.records, kind)
    assert len(expected) == 11
    assert got == expected


def test_pdf_of_urumqi_income_table_extracts_like_text(seed_paths: dict[str, Path]) -> None:
    kind = "expenditure_by_function"
    text_version = extract_document(ingest_path(seed_paths["001"]), settings=RULES)
    lines = [ln for ln in _segment_text(seed_paths["001"], kind).split("\n") if ln.strip()]
    result = extract_document(ingest_bytes(pdf_from_lines(lines), "t3.pdf"), settings=RULES)
    expected = _values(text_version.records, kind)
    assert expected["2013801"]["total"] == 2606.36
    assert _values(result.records, kind) == expected


def test_docx_of_word_export_table_extracts_like_text(seed_paths: dict[str, Path]) -> None:
    kind = "basic_expenditure_by_economic"
    path = seed_paths["000"]
    text_version = extract_document(ingest_path(path), settings=RULES)
    doc = ingest_path(path)
    seg = next(s for s in segment_document(doc) if s.kind == kind)
    rows = [[c.text for c in line.cells] for line in cell_rows(doc.text, seg.start, seg.end)]
    body_rows = [r for r in rows if "一般公共预算基本支出情况表" not in "".join(r)]
    data = docx_from_rows(["表6", "一般公共预算基本支出情况表", "单位：万元"], body_rows)
    word = ingest_bytes(data, "table6.docx")
    assert word.format == "docx"
    result = extract_document(word, settings=RULES)
    expected = _values(text_version.records, kind)
    assert expected["30101"]["total"] == 615.22
    assert _values(result.records, kind) == expected
