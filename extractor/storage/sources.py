"""A PDF document's original file and the printed boxes of its text, kept beside the document so the
review page can show the page a field was read from, with the field's box drawn on it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractor.model import IngestedDocument, TextBox
from extractor.storage.tables import DocumentPageRow, DocumentSourceRow

PDF_MEDIA_TYPE = "application/pdf"


@dataclass(frozen=True)
class PageLocation:
    """Where a span is printed: its page (1-based), the page's size and the span's boxes, in PDF points
    with the origin at the page's top-left corner."""

    page: int
    width: float
    height: float
    boxes: tuple[TextBox, ...]


def add_source(session: Session, *, document_id: int, document: IngestedDocument) -> None:
    """Store a new PDF document's file and pages (other formats have none: their text is their source)."""
    if document.format != "pdf" or document.original is None:
        return
    session.add(
        DocumentSourceRow(document_id=document_id, media_type=PDF_MEDIA_TYPE, content=document.original)
    )
    by_page: dict[int, list[TextBox]] = {}
    for box in document.boxes:
        by_page.setdefault(box.page, []).append(box)
    for number, (width, height) in enumerate(document.page_sizes, start=1):
        boxes = by_page.get(number, [])
        session.add(
            DocumentPageRow(
                document_id=document_id,
                page=number,
                width=width,
                height=height,
                start=min((b.start for b in boxes), default=0),
                end=max((b.end for b in boxes), default=0),
                boxes=[[b.start, b.end, b.x0, b.top, b.x1, b.bottom] for b in boxes],
            )
        )


def source_content(session: Session, *, document_id: int) -> bytes | None:
    return session.scalar(
        select(DocumentSourceRow.content).where(DocumentSourceRow.document_id == document_id)
    )


def has_page(session: Session, *, document_id: int, page: int) -> bool:
    found = session.scalar(
        select(DocumentPageRow.page).where(
            DocumentPageRow.document_id == document_id, DocumentPageRow.page == page
        )
    )
    return found is not None


def locate(session: Session, *, document_id: int, span: tuple[int, int] | None) -> PageLocation | None:
    """The page and boxes of `span`; None for a document without a stored PDF or a span printed nowhere.
    A span crossing a page break is shown on the page where it starts."""
    if span is None:
        return None
    start, end = span
    row = session.scalars(
        select(DocumentPageRow)
        .where(
            DocumentPageRow.document_id == document_id,
            DocumentPageRow.start < end,
            DocumentPageRow.end > start,
        )
        .order_by(DocumentPageRow.page)
        .limit(1)
    ).first()
    if row is None:
        return None
    hits = tuple(
        TextBox(b[0], b[1], row.page, b[2], b[3], b[4], b[5])
        for b in row.boxes
        if b[0] < end and start < b[1]
    )
    if not hits:
        return None
    return PageLocation(row.page, row.width, row.height, hits)
