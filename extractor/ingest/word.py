"""Word files: .docx with python-docx; Word 97 .doc through LibreOffice (converted to .docx) where it is
installed, else antiword (its `|`-separated tables become cells). Tables are written in the cell layout."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from struct import error as struct_error

from extractor.errors import IngestError
from extractor.ingest.cells import render_rows
from extractor.ingest.text import pipe_tables_to_cells

_DOC_TIMEOUT = 120  # seconds for an external converter


def read_docx(data: bytes, filename: str) -> str:
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        out: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                out.append(block.text + "\n")
            elif isinstance(block, Table):
                out.append("\n" + render_rows(_table_rows(block)))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(f"corrupt or unreadable Word file ({type(exc).__name__})", source=filename) from exc
    except Exception as exc:  # python-docx surfaces lxml and package errors of its own
        raise IngestError(f"corrupt or unreadable Word file ({type(exc).__name__})", source=filename) from exc
    return "".join(out)


def _table_rows(table: object) -> list[list[str]]:
    """A table's rows; a cell merged across columns once, one merged across rows in each row."""
    rows: list[list[str]] = []
    for row in table.rows:  # type: ignore[attr-defined]
        seen: set[int] = set()
        cells: list[str] = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(cell.text)
        rows.append(cells)
    return rows


def _check_word_stream(data: bytes, filename: str) -> None:
    """A Word 97 file is an OLE2 compound file holding a WordDocument stream: checked (olefile) before a
    converter is started, so a corrupt or truncated file fails at once instead of after LibreOffice's start."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            if not ole.exists("WordDocument"):
                raise IngestError(
                    "corrupt or unreadable Word 97 file (no WordDocument stream)", source=filename
                )
    except (OSError, ValueError, IndexError, struct_error) as exc:
        raise IngestError(
            f"corrupt or unreadable Word 97 file ({type(exc).__name__})", source=filename
        ) from exc


def read_doc(data: bytes, filename: str) -> str:
    """A Word 97–2003 file. LibreOffice keeps tables best; antiword is small and usually enough."""
    if not data.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError("not a Word 97–2003 file (no OLE2 header)", source=filename)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice or shutil.which("antiword"):
        _check_word_stream(data, filename)
    if soffice:
        return read_docx(_convert_with_libreoffice(soffice, data, filename), filename)
    antiword = shutil.which("antiword")
    if antiword:
        return _antiword(antiword, data, filename)
    raise IngestError(
        "a Word 97 (.doc) file needs antiword or LibreOffice to be read: apt-get install antiword",
        source=filename,
    )


def _antiword(exe: str, data: bytes, filename: str) -> str:
    try:
        done = subprocess.run(
            [exe, "-w", "0", "-m", "UTF-8.txt", "-"],
            input=data,
            capture_output=True,
            timeout=_DOC_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise IngestError(f"antiword took longer than {_DOC_TIMEOUT} s", source=filename) from exc
    message = done.stderr.decode("utf-8", "replace").strip().splitlines()
    if done.returncode != 0 or not done.stdout.strip():
        why = message[0] if message else f"exit code {done.returncode}"
        if "encrypt" in why.lower() or "password" in why.lower():
            raise IngestError("the Word file is password-protected", source=filename)
        raise IngestError(f"corrupt or unreadable Word 97 file (antiword: {why})", source=filename)
    return pipe_tables_to_cells(done.stdout.decode("utf-8", "replace"))


def _convert_with_libreoffice(exe: str, data: bytes, filename: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.doc"
        src.write_bytes(data)
        try:
            # a profile of its own: two conversions at once (a batch, several workers) would otherwise share
            # ~/.config/libreoffice, and the second one fails on its lock
            profile = Path(tmp, "profile").as_uri()
            subprocess.run(
                [
                    exe,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--convert-to",
                    "docx",
                    "--outdir",
                    tmp,
                    str(src),
                ],
                capture_output=True,
                timeout=_DOC_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise IngestError(f"LibreOffice took longer than {_DOC_TIMEOUT} s", source=filename) from exc
        out = Path(tmp) / "in.docx"
        if not out.is_file():
            raise IngestError(
                "corrupt or unreadable Word 97 file (LibreOffice could not convert it)", source=filename
            )
        return out.read_bytes()
