"""One reader per published format, each writing the one table layout: a small table made by the test in
each format reads to the same records; form feeds are pages; UTF-16; protected and unreadable files are
named as such; a directory ingest says what it skipped."""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus_dev import CORPUS_DEV, require_corpus_dev
from helpers_docs import docx_from_rows, pdf_ruled_table, xls_from_rows, xlsx_from_rows

from extractor.cli import main
from extractor.errors import IngestError
from extractor.ingest import ingest_bytes, ingest_path
from extractor.pipeline import extract_bytes, extract_document
from extractor.settings import Settings

RULES = Settings(backend="rules")
TITLE = "部门支出总体情况表"
HEADER = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
ROWS = [
    ["201", "一般公共服务支出", "100.00", "60.00", "40.00"],
    ["20101", "人大事务", "100.00", "60.00", "40.00"],
    ["2010101", "行政运行", "70.00", "60.00", ""],
    ["2010102", "一般行政管理事务", "30.00", "", "40.00"],
    ["", "合计", "100.00", "60.00", "40.00"],
]
# 2010101/2010102 misprint their project column on purpose? No: the rows must add up. Fixed below.
ROWS[2] = ["2010101", "行政运行", "60.00", "60.00", ""]
ROWS[3] = ["2010102", "一般行政管理事务", "40.00", "", "40.00"]
EXPECTED = {
    ("201", "total"): 100.0,
    ("201", "basic"): 60.0,
    ("201", "project"): 40.0,
    ("2010101", "total"): 60.0,
    ("2010102", "project"): 40.0,
    ("2010102", "name"): "一般行政管理事务",
}


def _values(data: bytes, name: str) -> dict[tuple[str, str], object]:
    result = extract_bytes(data, name, settings=RULES)
    return {
        (r.key, n): fv.value
        for r in result.records
        if r.kind == "expenditure_by_function"
        for n, fv in r.fields.items()
    }


def _numbers(rows: list[list[str]]) -> list[list[object]]:
    return [[float(c) if c.replace(".", "").isdigit() and "." in c else c for c in row] for row in rows]


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("table.xlsx", lambda: xlsx_from_rows(TITLE, [HEADER, *_numbers(ROWS)])),
        ("table.xls", lambda: xls_from_rows(TITLE, [HEADER, *_numbers(ROWS)])),
        ("table.docx", lambda: docx_from_rows([TITLE, "单位：万元"], [HEADER, *ROWS])),
        ("table.pdf", lambda: pdf_ruled_table(TITLE, [HEADER, *ROWS], [60, 120, 60, 60, 60])),
        (
            "white-fills.pdf",
            lambda: pdf_ruled_table(TITLE, [HEADER, *ROWS], [60, 120, 60, 60, 60], white_fills=True),
        ),
        (
            "table.txt",
            lambda: (
                f"{TITLE}\n单位：万元\n" + "\n".join("|" + "|".join(r) + "|" for r in [HEADER, *ROWS])
            ).encode(),
        ),
    ],
)
def test_each_format_reads_the_same_table(name: str, build: object) -> None:
    data = build()  # type: ignore[operator]
    doc = ingest_bytes(data, name)
    assert doc.format == name.rsplit(".", 1)[1]
    got = _values(data, name)
    for key, value in EXPECTED.items():
        assert got.get(key) == value, (name, key, got.get(key))


def test_pdf_wrapped_cell_is_one_cell_with_its_box() -> None:
    rows = [
        HEADER,
        ["201", "一般公共服务\n支出", "100.00", "60.00", "40.00"],
        ["", "合计", "100.00", "60.00", "40.00"],
    ]
    data = pdf_ruled_table(TITLE, rows, [60, 120, 60, 60, 60], row_height=24)
    doc = ingest_bytes(data, "wrapped.pdf")
    assert "\t一般公共服务支出\n" in doc.text
    start = doc.text.index("一般公共服务支出")
    [box] = [b for b in doc.boxes_for(start, start + 8)]
    assert box.page == 1 and box.x1 - box.x0 == pytest.approx(120, abs=1)
    result = extract_document(doc, settings=RULES)
    name = next(
        r.fields["name"] for r in result.records if r.kind == "expenditure_by_function" and r.key == "201"
    )
    assert name.value == "一般公共服务支出"
    assert doc.text[name.span[0] : name.span[1]] == "一般公共服务支出"  # type: ignore[index]


def test_form_feeds_are_pages_and_never_reach_a_value(seed_paths: dict[str, Path]) -> None:
    original = seed_paths["004"].read_text(encoding="utf-8")
    lines = original.split("\n")
    # a page break every 40 lines, the way pdftotext and joined pdfplumber pages print them
    paged = "".join(line + ("\f" if i % 40 == 39 else "\n") for i, line in enumerate(lines))
    base = extract_bytes(original.encode(), "004.txt", settings=RULES)
    result = extract_bytes(paged.encode(), "004-paged.txt", settings=RULES)
    assert result.document.page_of(len(result.document.text) - 1) == paged.count("\f") + 1
    values = {(r.kind, r.key, n): fv.value for r in result.records for n, fv in r.fields.items()}
    expected = {(r.kind, r.key, n): fv.value for r in base.records for n, fv in r.fields.items()}
    same = sum(1 for k, v in expected.items() if values.get(k) == v)
    assert same / len(expected) >= 0.99, [k for k, v in expected.items() if values.get(k) != v][:10]
    assert not any("\f" in str(v) for v in values.values())


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "gb18030"])
def test_text_encodings(seed_paths: dict[str, Path], encoding: str) -> None:
    text = seed_paths["004"].read_text(encoding="utf-8")
    doc = ingest_bytes(text.encode(encoding), "004.txt")
    assert doc.text == text


def test_password_protected_pdf_is_named_as_such() -> None:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt="secret")
    c.drawString(40, 800, "budget")
    c.save()
    with pytest.raises(IngestError) as info:
        ingest_bytes(buf.getvalue(), "locked.pdf")
    assert "password-protected" in info.value.user_message()


def test_word97_needs_a_converter_and_says_which(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00" * 512
    with pytest.raises(IngestError) as info:
        ingest_bytes(data, "old.doc")
    assert "antiword" in info.value.user_message() and "\n" not in info.value.user_message()


def _corpus(name: str) -> Path:
    return require_corpus_dev(name)


def test_word97_file_reads_with_its_tables() -> None:
    if shutil.which("antiword") is None and shutil.which("soffice") is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs antiword")
        pytest.skip("neither antiword nor LibreOffice is installed")
    doc = ingest_path(_corpus("34_*.doc"))
    assert doc.format == "doc"
    assert "\t一般公共预算拨款\n\t471.01\n" in doc.text  # a table row, cell by cell


def test_every_corpus_dev_file_is_read() -> None:
    _corpus("*.pdf")
    for path in sorted(CORPUS_DEV.iterdir()):
        if path.suffix.lower() in (".pdf", ".doc", ".docx", ".xls", ".xlsx"):
            result = extract_document(ingest_path(path), settings=RULES)
            assert result.records and result.records[0].kind == "document", path.name


def test_directory_ingest_lists_what_it_skipped(
    tmp_path: Path, seed_paths: dict[str, Path], db_url: str
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(seed_paths["002"], docs / "002.txt")
    (docs / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    out = CliRunner().invoke(main, ["ingest", str(docs), "--backend", "rules", "--db", db_url])
    assert out.exit_code == 0, out.output
    assert "skipped" in out.output and "scan.png" in out.output


def test_text_that_lost_its_digits_is_named() -> None:
    from extractor.ingest.digits import lost_digits_warning

    broken = "2023年度财政拨款收入支出总计 万元。与 年度相比，增加 万元，增长 %。其中：基本支出 万元，项目支出 万元；三公经费 万元，会议费 万元。"
    intact = "2023年度财政拨款收入支出总计425,287.27万元。与2022年度相比，增加1,234.00万元。其中：基本支出300.00万元，项目支出125.28万元；三公经费12.00万元，会议费3.00万元。单位：万元"
    assert lost_digits_warning(broken) is not None
    assert lost_digits_warning(intact) is None
    result = extract_bytes(("第一部分 概况\n" + broken).encode(), "broken.txt", settings=RULES)
    assert any("lost its digits" in e for e in result.errors)


def test_ingest_names_the_tables_it_did_not_read(
    tmp_path: Path, seed_paths: dict[str, Path], db_url: str
) -> None:
    doc = tmp_path / "000.txt"
    extra = "\n\n附表99 单位[b]资产[/b]配置情况明细表\n单位：万元\n项目 金额\n合计 12.00\n办公设备 12.00\n"
    doc.write_text(seed_paths["000"].read_text(encoding="utf-8") + extra, encoding="utf-8")
    out = CliRunner().invoke(main, ["ingest", str(doc), "--backend", "rules", "--db", db_url])
    assert out.exit_code == 0, out.output
    # the title is printed as written, not taken for console markup
    assert "1 unknown (附表99单位[b]资产[/b]配置情况明细表 p1)" in " ".join(out.output.split()), out.output
    counts = dict(re.findall(r"│ (tables [a-z ]+?)\s+│\s+(\d+) │", out.output))
    assert counts["tables printed"] == str(int(counts["tables read"]) + 1)
    assert counts["tables unknown"] == "1" and counts["tables not read"] == "0"
