"""The printed page a field was read from, as an image: rendered from the stored PDF on first view and
kept in a file cache (one PNG per document, page and scale), so every later view is a file read."""

from __future__ import annotations

import contextlib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractor.errors import IngestError
from extractor.files import write_atomically
from extractor.ingest.pdf_pages import render_page_png
from extractor.review.errors import NotFound
from extractor.storage.sources import has_page, source_content
from extractor.storage.tables import DocumentRow


def page_png(session: Session, *, document_id: int, page: int, cache_dir: Path, scale: float) -> bytes:
    """PNG bytes of page `page` of a stored PDF document; NotFound for a document without a stored PDF or
    without that page. A cache that cannot be written (full disk, read-only) costs a re-render, not the page."""
    sha = session.scalar(select(DocumentRow.sha256).where(DocumentRow.id == document_id))
    if sha is None or not has_page(session, document_id=document_id, page=page):
        raise NotFound("no such page image", source=f"document {document_id} page {page}")
    path = cache_dir / f"{sha}-p{page}-x{scale:g}.png"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = source_content(session, document_id=document_id)
    if data is None:
        raise NotFound("the document's PDF is not stored", source=f"document {document_id}")
    try:
        png = render_page_png(data, page, scale=scale, source=f"document {document_id}")
    except IngestError as exc:  # a stored file PDFium cannot render: the page has no image, the text stays
        raise NotFound(f"the page image cannot be rendered: {exc.message}", source=exc.source) from exc
    _write_atomically(path, png)
    return png


def _write_atomically(path: Path, data: bytes) -> None:
    """Keep the rendered page in the cache; a cache that cannot be written is only a cache."""
    with contextlib.suppress(OSError):
        write_atomically(path, data)
