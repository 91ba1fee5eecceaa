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


def pdf_ruled_table(
    title: str,
    rows: list[list[str]],
    widths: list[float],
    row_height: float = 18,
    *,
    white_fills: bool = False,
) -> bytes:
    """A one-page PDF with a ruled table: every cell boxed; a cell's text may hold "\\n" (printed on two
    lines inside the cell, as a wrapped name is). `white_fills`: each cell's background is also filled
    white, inset from its borders, and a white bar runs under each row, as some producers write them
    (invisible on the page, but paths all the same)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    _, height = A4
    c.setFont("STSong-Light", 12)
    c.drawString(40, height - 40, title)
    c.setFont("STSong-Light", 8)
    c.drawString(40, height - 56, "单位：万元")
    top = height - 64
    for i, row in enumerate(rows):
        y = top - (i + 1) * row_height
        x = 40.0
        for j, w in enumerate(widths):
            if white_fills:
                c.setFillColorRGB(1, 1, 1)
                c.rect(x + 0.3, y + 0.3, w - 0.6, row_height - 0.6, stroke=0, fill=1)
                c.rect(x + 5.4, y + 2.5, w - 10.8, row_height - 5, stroke=0, fill=1)
                c.rect(x + 0.3, y + 0.3, w - 0.6, 2.3, stroke=0, fill=1)
                c.setFillColorRGB(0, 0, 0)
            c.rect(x, y, w, row_height, stroke=1, fill=0)
            text = row[j] if j < len(row) else ""
            parts = text.split("\n")
            for k, part in enumerate(parts):
                c.drawString(x + 2, y + row_height - 7 - k * 8 if len(parts) > 1 else y + 6, part)
            x += w
    c.save()
    return buf.getvalue()


def xlsx_from_rows(title: str, rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "表3"
    width = max(len(r) for r in rows)
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.append(["单位：万元"])
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def xls_from_rows(title: str, rows: list[list[object]]) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("表3")
    width = max(len(r) for r in rows)
    sheet.write_merge(0, 0, 0, width - 1, title)
    sheet.write(1, 0, "单位：万元")
    for i, row in enumerate(rows, start=2):
        for j, value in enumerate(row):
            sheet.write(i, j, value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


# a 功能分类 table whose 2010101 合计 misprints 60.00 as 61.00: its sums fail, so fields go to review
FUNCTION_TITLE = "部门支出总体情况表"
FUNCTION_WIDTHS = [60.0, 120.0, 60.0, 60.0, 60.0]
FUNCTION_ROWS_MISPRINTED = [
    ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
    ["201", "一般公共服务支出", "100.00", "60.00", "40.00"],
    ["20101", "人大事务", "100.00", "60.00", "40.00"],
    ["2010101", "行政运行", "61.00", "60.00", ""],
    ["2010102", "一般行政管理事务", "40.00", "", "40.00"],
    ["", "合计", "100.00", "60.00", "40.00"],
]


def pdf_misprinted_function_table() -> bytes:
    """One A4 page (595 × 842 pt): the table above, ruled, at x = 40 pt, 18 pt rows from 64 pt down."""
    return pdf_ruled_table(FUNCTION_TITLE, FUNCTION_ROWS_MISPRINTED, FUNCTION_WIDTHS)
