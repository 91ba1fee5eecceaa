"""The cell layout every table-keeping reader writes (Word, spreadsheets, Word 97, pipe tables; the PDF
reader writes the same from geometry): each cell on a line of its own prefixed by a tab, a blank line
after each row. A row whose only filled cell is its first (a title, a unit line, a note, a cell merged across
the table) is written as a line of text between blank lines, so titles are found as in any other text."""

from __future__ import annotations

import re

_LINE_BREAKS = re.compile(r"\s*[\r\n\f\v]+\s*")


def clean_cell(text: str) -> str:
    """A cell's text on one line: inner line breaks dropped (a wrapped name is one name), tabs made spaces.
    Other control characters are left to `normalize.clean_controls`, which every reader's text goes through."""
    text = _LINE_BREAKS.sub(lambda m: " " if _latin_both(m) else "", text.strip())
    return text.replace("\t", " ")


def _latin_both(m: re.Match[str]) -> bool:
    s = m.string
    before = s[m.start() - 1] if m.start() > 0 else ""
    after = s[m.end()] if m.end() < len(s) else ""
    return before.isascii() and before.isalpha() and after.isascii() and after.isalpha()


def render_rows(rows: list[list[str]]) -> str:
    out: list[str] = []
    for row in rows:
        cells = [clean_cell(c) for c in row]
        filled = [c for c in cells if c]
        if not filled:
            continue
        if len(filled) == 1 and (len(cells) == 1 or cells[0]):
            out.append(f"\n{filled[0]}\n\n")
            continue
        out.append("".join(f"\t{c}\n" for c in cells) + "\n")
    return "".join(out)


def number_text(value: float) -> str:
    """A spreadsheet number as a document prints it: integers without a point, others to the cent or
    finer, never in exponent notation."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}" if frac else whole
