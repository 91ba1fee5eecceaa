"""Reading a file into one `IngestedDocument`, whatever format a disclosure site published it in.

The format is told by the file's bytes first and its name second: PDF (by geometry, `pdf`), Word .docx and
Word 97 .doc (`word`), spreadsheets .xlsx and .xls (`sheet`), and text (`text`). Every reader writes tables
in the one cell layout (`cells`) and joins pages (PDF pages, text pages, sheets) with a form feed on a line
of its own; the text is then normalised without moving any offset (`normalize`)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from extractor.errors import IngestError
from extractor.ingest.normalize import clean_controls, unify_newlines
from extractor.model import IngestedDocument

_PDF_MAGIC = b"%PDF"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
READABLE = (".txt", ".text", ".md", ".csv", ".tsv", ".pdf", ".docx", ".doc", ".xlsx", ".xlsm", ".xls")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ingest_path(path: Path) -> IngestedDocument:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}", source=str(path)) from exc
    return ingest_bytes(data, path.name)


def sniff(data: bytes, filename: str) -> str:
    """The format of a file: pdf, docx, xlsx, doc, xls or txt; an IngestError when it is none of them."""
    suffix = Path(filename).suffix.lower()
    if _PDF_MAGIC in data[:1024]:
        return "pdf"
    if data.startswith(_ZIP_MAGIC):
        if b"word/" in data[:65536] or suffix == ".docx":
            return "docx"
        if b"xl/" in data[:65536] or suffix in (".xlsx", ".xlsm"):
            return "xlsx"
        raise IngestError("a ZIP archive that is neither a Word nor an Excel file", source=filename)
    if data.startswith(_OLE_MAGIC):
        body = data[: 1 << 20]
        if "EncryptionInfo".encode("utf-16-le") in body:
            raise IngestError(
                "the Office file is password-protected; save an unprotected copy", source=filename
            )
        if "WordDocument".encode("utf-16-le") in body or suffix == ".doc":
            return "doc"
        if "Workbook".encode("utf-16-le") in body or "Book".encode("utf-16-le") in body or suffix == ".xls":
            return "xls"
        raise IngestError("an Office 97 file that is neither Word nor Excel", source=filename)
    if suffix == ".pdf":
        raise IngestError("corrupt or unreadable PDF (no %PDF header)", source=filename)
    if suffix in (".docx", ".xlsx", ".doc", ".xls"):
        raise IngestError(
            f"corrupt or unreadable {suffix} file (its header is not that format's)", source=filename
        )
    return "txt"


def ingest_bytes(data: bytes, filename: str) -> IngestedDocument:
    if not data.strip():
        raise IngestError("the file is empty", source=filename)
    fmt = sniff(data, filename)
    if fmt == "pdf":
        from extractor.ingest.pdf import read_pdf

        pdf = read_pdf(data, filename)
        if not pdf.text.strip():
            raise IngestError(
                "no text could be read from the file (a scanned PDF needs OCR)", source=filename
            )
        return IngestedDocument(
            sha256_of(data), filename, clean_controls(pdf.text), "pdf", pdf.boxes, pdf.page_sizes, data
        )
    if fmt == "docx":
        from extractor.ingest.word import read_docx

        text = read_docx(data, filename)
    elif fmt == "doc":
        from extractor.ingest.word import read_doc

        text = read_doc(data, filename)
    elif fmt in ("xlsx", "xls"):
        from extractor.ingest.sheet import read_sheets

        text = read_sheets(data, filename)
    else:
        from extractor.ingest.text import read_text

        text = read_text(data, filename)
    text = clean_controls(unify_newlines(text))
    if not text.strip():
        raise IngestError("no text could be read from the file", source=filename)
    return IngestedDocument(sha256=sha256_of(data), source=filename, text=text, format=fmt)  # type: ignore[arg-type]
