"""Property and fuzz tests of the readers and the table layout: whatever the bytes, the only failure is a
clean `IngestError`, no input takes over a second per page, and no control character reaches a value."""

from __future__ import annotations

import time
import unicodedata

from helpers_docs import docx_from_rows, pdf_ruled_table, xlsx_from_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.errors import IngestError
from extractor.ingest import ingest_bytes
from extractor.pipeline import extract_bytes
from extractor.settings import Settings

RULES = Settings(backend="rules")
_CONTROLS = "".join(chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), 0x7F, 0x85])
cell_text = st.text(
    alphabet=st.sampled_from("一般公共服务支出合计行政运行0123456789.,  " + _CONTROLS), max_size=12
)
amount = st.decimals(min_value=0, max_value=99999, places=2).map(lambda d: f"{d:.2f}")
row = st.tuples(
    st.sampled_from(["201", "20101", "2010101", "", "合计"]), cell_text, amount, cell_text, amount
)

HEADER = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]


def _no_controls_in_values(data: bytes, name: str) -> None:
    try:
        result = extract_bytes(data, name, settings=RULES)
    except IngestError:
        return
    for record in result.records:
        for field_name, fv in record.fields.items():
            values = fv.value if isinstance(fv.value, list) else [fv.value]
            for v in values:
                if isinstance(v, str):
                    bad = [c for c in v if unicodedata.category(c) == "Cc"]
                    assert not bad, (name, record.kind, record.key, field_name, v)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, min_size=1, max_size=6), st.sampled_from(["txt", "tsv", "docx", "xlsx", "pdf"]))
def test_no_control_character_reaches_a_value(rows: list[tuple[str, ...]], fmt: str) -> None:
    table = [HEADER, *[list(r) for r in rows]]
    title = "部门支出总体情况表"
    if fmt == "txt":
        data = (title + "\f\n单位：万元\n" + "\n".join("|" + "|".join(r) + "|" for r in table)).encode()
    elif fmt == "tsv":
        data = (title + "\n单位：万元\n" + "\n".join("\t".join(r) for r in table)).encode("utf-16")
    elif fmt == "docx":
        data = docx_from_rows([title, "单位：万元"], [[_xml_safe(c) for c in r] for r in table])
    elif fmt == "xlsx":
        data = xlsx_from_rows(title, [[_xml_safe(c) for c in r] for r in table])
    else:
        data = pdf_ruled_table(title, [[_xml_safe(c) for c in r] for r in table], [60, 120, 60, 60, 60])
    _no_controls_in_values(data, f"fuzz.{fmt if fmt != 'tsv' else 'txt'}")


def _xml_safe(text: str) -> str:
    """Office files cannot hold most control characters (XML 1.0); keep the tab and line breaks."""
    return "".join(c for c in text if c in "\t\n\r" or unicodedata.category(c) != "Cc")


_MAGICS = [b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xff\xfe", b""]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(_MAGICS),
    st.binary(max_size=3000),
    st.sampled_from(["a.pdf", "a.docx", "a.xlsx", "a.xls", "a.doc", "a.txt"]),
)
def test_random_bytes_fail_cleanly_and_fast(magic: bytes, body: bytes, name: str) -> None:
    started = time.perf_counter()
    try:
        doc = ingest_bytes(magic + body, name)
    except IngestError as exc:
        assert "\n" not in exc.user_message()
        return
    finally:
        assert time.perf_counter() - started < 5.0  # a hang or a runaway loop, not scheduling noise
    assert isinstance(doc.text, str)


def _small_pdf() -> bytes:
    return pdf_ruled_table(
        "部门支出总体情况表", [HEADER, ["201", "一般公共服务支出", "1.00", "1.00", ""]], [60, 120, 60, 60, 60]
    )


SMALL_PDF = _small_pdf()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(SMALL_PDF) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=20,
    )
)
def test_mutated_pdf_fails_cleanly_and_fast(flips: list[tuple[int, int]]) -> None:
    data = bytearray(SMALL_PDF)
    for pos, value in flips:
        data[pos] = value
    started = time.perf_counter()
    try:
        doc = ingest_bytes(bytes(data), "mutated.pdf")
    except IngestError:
        return
    finally:
        # fast: a second on a quiet machine; the bound catches a hang or a runaway loop, not scheduling noise
        assert time.perf_counter() - started < 5.0
    assert "\x00" not in doc.text
