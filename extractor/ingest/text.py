"""Plain text: UTF-8, GB18030 or UTF-16 (with a BOM, or recognised by its NUL bytes); form feeds are page
breaks; tables whose cells are separated by `|` (antiword, Markdown) become the cell layout; tab-separated
rows stay as they are (the layout parser reads them as `tsv`)."""

from __future__ import annotations

import re

from extractor.errors import IngestError
from extractor.ingest.cells import render_rows
from extractor.model import PAGE_BREAK, PAGE_JOIN

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def decode_text(data: bytes, filename: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", filename)
    head = data[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if even + odd > max(4, len(head) // 50) and max(even, odd) >= 0.95 * (even + odd):
        # UTF-16 without a BOM: ASCII characters (digits, spaces, line breaks) leave a zero byte, always on
        # the same side of each pair
        return _decode(data, "utf-16-le" if odd > even else "utf-16-be", filename)
    if b"\x00" in head:
        raise IngestError("binary content in a text file (NUL bytes); not a text document", source=filename)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return text
    raise IngestError("not a text document (undecodable as UTF-8, GB18030 or UTF-16)", source=filename)


def _decode(data: bytes, encoding: str, filename: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"not a text document (undecodable as {encoding.upper()})", source=filename
        ) from exc
    if _looks_binary(text):
        raise IngestError("binary content in a text file; not a text document", source=filename)
    return text.lstrip("\ufeff")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls > max(8, len(sample) // 50)


def read_text(data: bytes, filename: str) -> str:
    text = decode_text(data, filename).replace("\r\n", "\n").replace("\r", "\n")
    if PAGE_BREAK in text:
        text = re.sub(r"\n?\f+\n?", PAGE_JOIN, text)
    if "|" in text:
        text = pipe_tables_to_cells(text)
    return text


def pipe_tables_to_cells(text: str) -> str:
    """Runs of `|a|b|` lines written as the cell layout; every other line kept as it is."""
    out: list[str] = []
    block: list[list[str]] = []

    def flush() -> None:
        if block:
            out.append("\n" + render_rows(block))
            block.clear()

    for line in text.split("\n"):
        if _PIPE_ROW.match(line) and line.count("|") >= 3:
            if not _MD_RULE.match(line):
                # one pipe at each end: `|a||` keeps its empty last cell
                inner = line.strip()[1:-1]
                block.append([c.strip(" \u3000") for c in inner.split("|")])
            continue
        flush()
        out.append(line + "\n")
    flush()
    return "".join(out).removesuffix("\n") if not text.endswith("\n") else "".join(out)
