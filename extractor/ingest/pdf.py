"""The PDF reader: every page by geometry (`pdf_geometry`, `pdf_grid`, `pdf_render`), pages joined by a
form feed on a line of its own, each cell and line with its printed box."""

from __future__ import annotations

from dataclasses import dataclass

from extractor.errors import IngestError
from extractor.model import PAGE_JOIN, TextBox

# PDFium's FPDF_GetLastError codes (fpdfview.h)
_PASSWORD = 4
_SECURITY = 5


@dataclass
class PdfText:
    text: str
    boxes: list[TextBox]
    page_sizes: list[tuple[float, float]]


def read_pdf(data: bytes, filename: str) -> PdfText:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from extractor.ingest.pdf_geometry import read_page
    from extractor.ingest.pdf_render import PageWriter

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = raw.FPDF_GetLastError()
        if code == _PASSWORD:
            raise IngestError(
                "the PDF is password-protected; open it with its password and save an unprotected copy",
                source=filename,
            ) from exc
        if code == _SECURITY:
            raise IngestError("the PDF uses an unsupported security handler", source=filename) from exc
        raise IngestError(f"corrupt or unreadable PDF ({exc})", source=filename) from exc
    writer = PageWriter()
    sizes: list[tuple[float, float]] = []
    try:
        for i in range(len(pdf)):
            if i:
                writer.write(PAGE_JOIN)
            geometry = read_page(pdf, i)
            sizes.append((geometry.width, geometry.height))
            writer.page(geometry)
    except pdfium.PdfiumError as exc:
        raise IngestError(f"corrupt or unreadable PDF page ({exc})", source=filename) from exc
    finally:
        pdf.close()
    return PdfText(writer.text(), writer.boxes, sizes)
