"""A PDF source in headless Chromium, in Chinese: the review page of a misprinted field shows the printed
page beside the text, the page image really loads, and the field's box is drawn over the printed cell.
Screenshot: artifacts/screenshots/page-image.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from extractor.review.accounts import create_user
from extractor.settings import Settings
from extractor.storage import init_db, make_engine, session_scope, store_result
from extractor.storage.tables import FieldRow, RecordRow
from review_ui import create_app
from review_ui.loopback import running_server
from tests.e2e.test_review_browser import SHOTS, driver, wait_for  # noqa: F401  (driver is a fixture)
from tests.helpers_docs import pdf_misprinted_function_table

# the whole image, decoded by the browser with the page's cookie: its size in pixels
IMAGE_SIZE = """
const done = arguments[arguments.length - 1];
const img = new Image();
img.onload = () => done([img.naturalWidth, img.naturalHeight]);
img.onerror = () => done(null);
img.src = arguments[0];
"""


def test_pdf_field_shows_its_page_with_the_box(driver: Any, tmp_path: Path) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from extractor.pipeline import extract_bytes

    SHOTS.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=tmp_path / "var", backend="rules")
    engine = make_engine(settings.effective_database_url)
    init_db(engine)
    with session_scope(engine) as s:
        create_user(s, username="ann", password="ann-password")
        result = extract_bytes(pdf_misprinted_function_table(), "部门支出总体情况表.pdf", settings=settings)
        doc_id, _ = store_result(s, result=result)
        field_id = s.scalar(
            select(FieldRow.id)
            .join(RecordRow, RecordRow.id == FieldRow.record_id)
            .where(RecordRow.key == "2010101", FieldRow.name == "total", FieldRow.document_id == doc_id)
        )
    assert field_id is not None
    app = create_app(settings, engine=engine)
    with running_server(app) as url:
        driver.get(f"{url}/review/{field_id}")
        wait_for(lambda: "/login" in driver.current_url, what="the login redirect")
        driver.find_element(By.NAME, "username").send_keys("ann", Keys.TAB, "ann-password", Keys.ENTER)
        wait_for(lambda: driver.current_url.endswith(f"/review/{field_id}"), what="the field's page")
        figure = wait_for(lambda: driver.find_element(By.ID, "page-image"), what="the page image")
        assert "原文第 1 页" in figure.text
        image = figure.find_element(By.CSS_SELECTOR, "#page-focus image")
        href = image.get_attribute("href")
        assert href and href.endswith(f"/documents/{doc_id}/pages/1.png")
        size = driver.execute_async_script(IMAGE_SIZE, href)
        assert size == [round(595.28 * 2), round(841.89 * 2)], size
        # the box is drawn where the close-up shows it, over the 合计 cell of 2010101: a visible rectangle
        # about 60 × 18 points wide, scaled as the close-up is
        focus = driver.find_element(By.ID, "page-focus").rect
        box = driver.find_element(By.CSS_SELECTOR, "#page-focus rect.field-box").rect
        assert box["width"] > 20 and box["height"] > 5
        assert focus["x"] <= box["x"] and box["x"] + box["width"] <= focus["x"] + focus["width"]
        assert focus["y"] <= box["y"] and box["y"] + box["height"] <= focus["y"] + focus["height"]
        assert abs(box["width"] / box["height"] - 60 / 18) < 0.5
        assert "61.00" in driver.find_element(By.ID, "span").text  # the text beside it marks the same value
        driver.execute_script("arguments[0].scrollIntoView()", figure)
        driver.save_screenshot(str(SHOTS / "page-image.png"))
