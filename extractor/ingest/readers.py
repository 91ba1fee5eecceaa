"""Readers for .txt, .pdf and .docx files. Each returns one `IngestedDocument`.

A .docx table is written the way Word's own text export writes it (one cell per line, each cell
prefixed by a tab, rows separated by a blank line), so the segmenter and the layout parser see
one table layout whatever the source format.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from extractor.errors import IngestError
from extractor.ingest.normalize import unify_newlines
from extractor.model import IngestedDocument

_PDF_MAGIC = b"%PDF"
_ZIP_MAGIC = b"PK\x03\x04"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ingest_path(path: Path) -> IngestedDocument:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}", source=str(path)) from exc
    return ingest_bytes(data, path.name)


def ingest_bytes(data: bytes, filename: str) -> IngestedDocument:
    if not data.strip():
        raise IngestError("the file is empty", source=filename)
    suffix = Path(filename).suffix.lower()
    if suffix == ".pdf" or data.startswith(_PDF_MAGIC):
        text, fmt = _read_pdf(data, filename), "pdf"
    elif suffix == ".docx" or (data.startswith(_ZIP_MAGIC) and suffix in ("", ".docx")):
        text, fmt = _read_docx(data, filename), "docx"
    elif suffix in (".txt", ".text", ".md", ""):
        text, fmt = _read_txt(data, filename), "txt"
    else:
        raise IngestError(f"unknown format {suffix!r} (expected .txt, .pdf or .docx)", source=filename)
    text = unify_newlines(text)
    if not text.strip():
        raise IngestError("no text could be read from the file (a scanned PDF needs OCR)", source=filename)
    return IngestedDocument(sha256=sha256_of(data), source=filename, text=text, format=fmt)  # type: ignore[arg-type]


def _read_txt(data: bytes, filename: str) -> str:
    if b"\x00" in data[:4096]:
        raise IngestError("binary content in a text file (NUL bytes); not a text document", source=filename)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return text
    raise IngestError("not a text document (undecodable as UTF-8 or GB18030)", source=filename)


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls > max(8, len(sample) // 50)


def _read_pdf(data: bytes, filename: str) -> str:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IngestError(
            f"corrupt or unreadable PDF ({type(exc).__name__}: {exc})", source=filename
        ) from exc
    except Exception as exc:  # pdfminer raises many private error types on broken files
        raise IngestError(f"corrupt or unreadable PDF ({type(exc).__name__})", source=filename) from exc
    return "\n".join(pages)


def _read_docx(data: bytes, filename: str) -> str:
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(f"corrupt or unreadable Word file ({type(exc).__name__})", source=filename) from exc
    except Exception as exc:  # python-docx surfaces lxml and package errors of its own
        raise IngestError(f"corrupt or unreadable Word file ({type(exc).__name__})", source=filename) from exc
    out: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Table):
            out.append(_table_as_cells(block))
    return "\n".join(out)


def _table_as_cells(table: object) -> str:
    """One cell per line, tab-prefixed; rows separated by blank lines; merged cells written once."""
    lines: list[str] = []
    for row in table.rows:  # type: ignore[attr-defined]
        seen: set[int] = set()
        for cell in row.cells:
            ident = id(cell._tc)
            if ident in seen:
                continue
            seen.add(ident)
            lines.append("\t" + cell.text)
        lines.append("")
    return "\n".join(lines)
