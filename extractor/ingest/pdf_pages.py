"""A PDF page as a PNG image, rendered by PDFium (the library the PDF reader reads with)."""

from __future__ import annotations

import io

from extractor.errors import IngestError


def render_page_png(data: bytes, page: int, *, scale: float, source: str = "") -> bytes:
    """Page `page` (1-based) of the PDF `data` at `scale` pixels per point, as PNG bytes."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise IngestError(f"the stored PDF cannot be opened ({exc})", source=source) from exc
    try:
        if not 1 <= page <= len(pdf):
            raise IngestError(f"the PDF has no page {page} (it has {len(pdf)})", source=source)
        bitmap = pdf[page - 1].render(scale=scale)
        image = bitmap.to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()
    except pdfium.PdfiumError as exc:
        raise IngestError(f"page {page} of the stored PDF cannot be rendered ({exc})", source=source) from exc
    finally:
        pdf.close()
