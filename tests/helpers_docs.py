"""Building PDF and Word versions of seed tables for the format tests."""

from __future__ import annotations

import io


def pdf_from_lines(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    width, height = A4
    y = height - 40
    for line in lines:
        if y < 40:
            c.showPage()
            y = height - 40
        c.setFont("STSong-Light", 9)
        c.drawString(30, y, line)
        y -= 14
    c.save()
    return buf.getvalue()


def docx_from_rows(title_lines: list[str], rows: list[list[str]], after: list[str] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for t in title_lines:
        document.add_paragraph(t)
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for i, row in enumerate(rows):
        for j in range(width):
            table.cell(i, j).text = row[j] if j < len(row) else ""
    for t in after or []:
        document.add_paragraph(t)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
