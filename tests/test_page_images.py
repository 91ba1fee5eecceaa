"""A PDF source on the review page: the document keeps its file and its text's printed boxes, a field
knows the page and box it was read from, and the page is rendered once as a PNG and then served from the
cache; documents without a PDF have no page image."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from helpers_docs import pdf_misprinted_function_table
from PIL import Image
from sqlalchemy import select, update

from extractor.ingest import ingest_bytes
from extractor.pipeline import extract_bytes, extract_document
from extractor.review.accounts import create_user
from extractor.review.views import field_view
from extractor.settings import Settings
from extractor.storage import init_db, make_engine, session_scope, store_result
from extractor.storage.tables import DocumentSourceRow, FieldRow, RecordRow
from review_ui import create_app

PASSWORD = "ann-password"


def _field_id(session: object, document_id: int, kind: str, key: str, name: str) -> int:
    found = session.scalar(  # type: ignore[attr-defined]
        select(FieldRow.id)
        .join(RecordRow, RecordRow.id == FieldRow.record_id)
        .where(
            FieldRow.document_id == document_id,
            RecordRow.kind == kind,
            RecordRow.key == key,
            FieldRow.name == name,
        )
    )
    assert found is not None, (kind, key, name)
    return int(found)


@pytest.fixture()
def stored(tmp_path: Path) -> Iterator[tuple[FastAPI, Settings, int, int, int]]:
    settings = Settings(data_dir=tmp_path / "var", backend="rules", allowed_hosts=["testserver"])
    engine = make_engine(settings.effective_database_url)
    init_db(engine)
    with session_scope(engine) as s:
        create_user(s, username="ann", password=PASSWORD)
        pdf_id, _ = store_result(
            s, result=extract_bytes(pdf_misprinted_function_table(), "table.pdf", settings=settings)
        )
        text = "部门支出总体情况表\n单位：万元\n|科目编码|科目名称|合计|基本支出|项目支出|\n|201|一般公共服务支出|100.00|60.00|40.00|\n"
        txt_id, _ = store_result(s, result=extract_bytes(text.encode(), "table.txt", settings=settings))
        txt_field = _field_id(s, txt_id, "expenditure_by_function", "201", "total")
    app = create_app(settings, engine=engine, gold_dir=tmp_path / "gold", reports_dir=tmp_path / "report")
    yield app, settings, pdf_id, txt_id, txt_field
    app.state.jobs.shutdown()


def _login(app: FastAPI) -> TestClient:
    client = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    data = {"username": "ann", "password": PASSWORD, "csrf_token": token.group(1), "next": "/queue"}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
    return client


def test_a_pdf_field_knows_its_page_and_printed_box() -> None:
    data = pdf_misprinted_function_table()
    doc = ingest_bytes(data, "table.pdf")
    assert doc.original == data and doc.page_sizes == [
        (pytest.approx(595.3, abs=0.5), pytest.approx(841.9, abs=0.5))
    ]
    result = extract_document(doc, settings=Settings(backend="rules"))
    record = next(r for r in result.records if r.kind == "expenditure_by_function" and r.key == "2010101")
    span = record.fields["total"].span
    assert span is not None and doc.text[span[0] : span[1]] == "61.00"
    [box] = doc.boxes_for(*span)
    # the 合计 column is printed from x = 40 + 60 + 120 pt, 60 pt wide; 2010101 is the fourth 18 pt row
    assert (box.page, box.x0, box.x1) == (1, pytest.approx(220, abs=1), pytest.approx(280, abs=1))
    assert (box.top, box.bottom) == (pytest.approx(64 + 3 * 18, abs=1), pytest.approx(64 + 4 * 18, abs=1))


def test_the_stored_field_view_carries_the_page_and_box(
    stored: tuple[FastAPI, Settings, int, int, int],
) -> None:
    app, _settings, pdf_id, _txt_id, txt_field = stored
    with session_scope(app.state.config.engine, readonly=True) as s:
        view = field_view(s, field_id=_field_id(s, pdf_id, "expenditure_by_function", "2010101", "total"))
        assert view.status == "needs_review"  # the misprint breaks the sums
        assert view.page is not None and view.page.page == 1
        [box] = view.page.boxes
        assert (box.x0, box.top) == (pytest.approx(220, abs=1), pytest.approx(118, abs=1))
        x, y, w, h = view.page_focus  # type: ignore[misc]
        assert x <= box.x0 and y <= box.top and x + w >= box.x1 and y + h >= box.bottom
        assert x + w <= view.page.width and y + h <= view.page.height
        assert field_view(s, field_id=txt_field).page is None  # a text document has no page image


def test_the_review_page_draws_the_box_on_the_page_image(
    stored: tuple[FastAPI, Settings, int, int, int],
) -> None:
    app, _settings, pdf_id, _txt_id, txt_field = stored
    client = _login(app)
    with session_scope(app.state.config.engine, readonly=True) as s:
        fid = _field_id(s, pdf_id, "expenditure_by_function", "2010101", "total")
    html = client.get(f"/review/{fid}").text
    assert 'id="page-image"' in html and f'href="/documents/{pdf_id}/pages/1.png"' in html
    rects = re.findall(
        r'<rect class="field-box" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', html
    )
    assert rects and abs(float(rects[0][0]) - 220) <= 1.5 and abs(float(rects[0][2]) - 60) <= 1.5
    assert 'id="page-image"' not in client.get(f"/review/{txt_field}").text


def test_the_page_is_rendered_once_then_served_from_the_cache(
    stored: tuple[FastAPI, Settings, int, int, int],
) -> None:
    app, settings, pdf_id, txt_id, _txt_field = stored
    client = _login(app)
    answer = client.get(f"/documents/{pdf_id}/pages/1.png")
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(answer.content))
    assert image.size == (
        round(595.28 * settings.page_image_scale),
        round(841.89 * settings.page_image_scale),
    )
    assert image.convert("L").getextrema()[0] < 128  # something is printed on it (the rules, the text)
    cached = list(settings.effective_page_image_dir.glob("*-p1-x2.png"))
    assert len(cached) == 1 and cached[0].read_bytes() == answer.content
    # the second view reads the cache: it holds even once the stored file is unreadable
    with session_scope(app.state.config.engine) as s:
        s.execute(update(DocumentSourceRow).values(content=b"not a pdf"))
    assert client.get(f"/documents/{pdf_id}/pages/1.png").content == answer.content
    cached[0].unlink()
    assert client.get(f"/documents/{pdf_id}/pages/1.png").status_code == 404  # cannot render: no image


def test_page_images_need_a_login_and_a_stored_page(stored: tuple[FastAPI, Settings, int, int, int]) -> None:
    app, _settings, pdf_id, txt_id, _txt_field = stored
    anonymous = TestClient(app).get(f"/documents/{pdf_id}/pages/1.png", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    client = _login(app)
    assert client.get(f"/documents/{pdf_id}/pages/2.png").status_code == 404
    assert client.get(f"/documents/{txt_id}/pages/1.png").status_code == 404
    assert client.get("/documents/9999/pages/1.png").status_code == 404


def test_a_rotated_page_has_its_displayed_size_and_boxes_inside_it() -> None:
    """A page turned by /Rotate 90 (as the Jiangsu tables files are) is read, sized and rendered as displayed:
    reportlab writes a landscape MediaBox (842 × 595) for it, so it is displayed portrait, and every box lies
    on the displayed page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from extractor.ingest.pdf_pages import render_page_png

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setPageRotation(90)
    c.setFont("STSong-Light", 12)
    c.drawString(40, 500, "收入预算总表")  # inside the 842 × 595 media box reportlab writes
    c.drawString(700, 60, "单位：万元")
    c.save()
    data = buf.getvalue()
    doc = ingest_bytes(data, "rotated.pdf")
    [(width, height)] = doc.page_sizes
    assert (width, height) == (pytest.approx(595.28, abs=0.5), pytest.approx(841.89, abs=0.5))
    image = Image.open(io.BytesIO(render_page_png(data, 1, scale=1.0)))
    assert abs(image.size[0] - width) <= 1 and abs(image.size[1] - height) <= 1
    assert doc.boxes and all(0 <= b.x0 < b.x1 <= width and 0 <= b.top < b.bottom <= height for b in doc.boxes)
    gray = image.convert("L")
    for b in doc.boxes:  # the rendered page prints something dark inside each box, and nothing outside
        assert gray.crop((int(b.x0), int(b.top), int(b.x1) + 1, int(b.bottom) + 1)).getextrema()[0] < 128
    blank = gray.copy()
    for b in doc.boxes:
        blank.paste(255, (int(b.x0) - 1, int(b.top) - 1, int(b.x1) + 2, int(b.bottom) + 2))
    assert blank.getextrema()[0] > 200
