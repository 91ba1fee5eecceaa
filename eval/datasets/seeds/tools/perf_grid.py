"""Independent reader of the cell-per-line Word exports (seeds 000 and 003), used to build and
check the performance gold. Not the extractor: a deliberately simple, layout-specific reader.

A row is a run of non-blank lines; a cell is a line that starts with a tab (the tab is dropped);
a line without a leading tab continues the previous cell (or starts the row: a title). Each cell
keeps its span [start, end) in the document text (without the tab and surrounding whitespace).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"


@dataclass
class Cell:
    text: str  # as printed, leading and trailing whitespace stripped
    start: int
    end: int

    @property
    def compact(self) -> str:
        return "".join(self.text.split())


def read_text(stem: str) -> str:
    return (DOCS / f"{stem}.txt").read_text(encoding="utf-8")


def rows(text: str, start: int = 0, end: int | None = None) -> list[list[Cell]]:
    """Rows of cells between offsets start and end (line-aligned)."""
    end = len(text) if end is None else end
    out: list[list[Cell]] = []
    row: list[Cell] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos)
        nl = len(text) if nl < 0 else nl
        line = text[pos:nl]
        if line.startswith("\t"):
            body = line[1:]
            lead = len(body) - len(body.lstrip())
            stripped = body.strip()
            s = pos + 1 + (lead if stripped else 0)
            row.append(Cell(stripped, s, s + len(stripped)))
        elif not line.strip():
            if row:
                out.append(row)
                row = []
        else:
            stripped = line.rstrip()
            lead = len(stripped) - len(stripped.lstrip())
            s, e = pos + lead, pos + len(stripped)
            if row and row[-1].text:
                c = row[-1]
                row[-1] = Cell(text[c.start:e], c.start, e)
            elif row:
                row[-1] = Cell(text[s:e], s, e)
            else:
                row.append(Cell(text[s:e], s, e))
        pos = nl + 1
    if row:
        out.append(row)
    return out
