"""The printed pages of a PDF document as images, for the review page's view of the source."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from extractor.review.page_images import page_png
from extractor.storage import session_scope
from extractor.storage.tables import MAX_INT
from review_ui.config import AppConfig
from review_ui.deps import AuthDep, ConfigDep, RowId

router = APIRouter(include_in_schema=False)
Page = Annotated[int, Path(ge=1, le=MAX_INT)]  # printed pages count from 1


def _render(config: AppConfig, document_id: int, page: int) -> bytes:
    settings = config.settings
    with session_scope(config.engine, readonly=True) as session:
        return page_png(
            session,
            document_id=document_id,
            page=page,
            cache_dir=settings.effective_page_image_dir,
            scale=settings.page_image_scale,
        )


@router.get("/documents/{document_id}/pages/{page}.png")
async def page_image(document_id: RowId, page: Page, auth: AuthDep, config: ConfigDep) -> Response:
    # rendering takes PDFium a few hundred milliseconds the first time: off the event loop
    png = await run_in_threadpool(_render, config, document_id, page)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})
