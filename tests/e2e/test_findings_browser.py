"""The findings page in headless Chromium: open a document's findings from the documents page, dismiss one
with a reason, ingest the document again (deleted and re-stored, as after a reader change, and once more as
the same file), and the dismissal is still there. Screenshots: artifacts/screenshots/findings-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from extractor.review.accounts import create_user
from extractor.settings import Settings
from extractor.storage import init_db, make_engine, session_scope, store_result
from extractor.storage.tables import DocumentRow, FindingRow
from review_ui import create_app
from review_ui.loopback import running_server
from tests.e2e.test_review_browser import SHOTS, driver, wait_for  # noqa: F401  (driver is a fixture)

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "eval" / "datasets" / "seeds" / "docs" / "001_bf78897304f03bf2.txt"
REASON = "模板说明文字，已与编制单位核实"


def test_dismissal_survives_reingest(driver: Any, tmp_path: Path, db_url: str) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from extractor.pipeline import extract_path

    SHOTS.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        driver.save_screenshot(str(SHOTS / f"findings-{name}.png"))

    settings = Settings(data_dir=tmp_path / "var", database_url=db_url)
    engine = make_engine(settings.effective_database_url)
    init_db(engine)
    with session_scope(engine) as s:
        create_user(s, username="ann", password="ann-password")
        doc_id, _ = store_result(s, result=extract_path(SEED, backend="rules", settings=settings))
        target = s.scalar(
            select(FindingRow.finding_id).where(
                FindingRow.document_id == doc_id, FindingRow.rule == "placeholder"
            )
        )
    assert target is not None, "seed 001 leaves the template's 请填写 in: a placeholder finding"
    app = create_app(settings, engine=engine)
    with running_server(app) as url:
        driver.get(f"{url}/documents")
        wait_for(lambda: "/login" in driver.current_url, what="the login redirect")
        driver.find_element(By.NAME, "username").send_keys("ann", Keys.TAB, "ann-password", Keys.ENTER)
        wait_for(lambda: driver.current_url.endswith("/documents"), what="the documents page")
        driver.find_element(By.ID, f"findings-{doc_id}").click()
        wait_for(
            lambda: driver.current_url.endswith(f"/documents/{doc_id}/findings"), what="the findings page"
        )
        row = driver.find_element(By.ID, f"f-{target}")
        assert "错误" in row.find_element(By.CSS_SELECTOR, "td.severity").text
        assert "请填写" in row.text
        shot("01-open")

        row.find_element(By.CSS_SELECTOR, "input.reason-input").send_keys(REASON, Keys.ENTER)
        decided = wait_for(
            lambda: driver.find_element(By.CSS_SELECTOR, f"#f-{target} p.decided").text,
            what="the dismissal shown",
        )
        assert "已驳回" in decided and REASON in decided and "ann" in decided
        shot("02-dismissed")

        # ingest again: the same file (a no-op), then after the stored document is removed
        with session_scope(engine) as s:
            again, created = store_result(s, result=extract_path(SEED, backend="rules", settings=settings))
            assert (again, created) == (doc_id, False)
        with session_scope(engine) as s:
            s.delete(s.get(DocumentRow, doc_id))
        with session_scope(engine) as s:
            new_id, created = store_result(s, result=extract_path(SEED, backend="rules", settings=settings))
        assert created
        driver.get(f"{url}/documents")
        driver.find_element(By.ID, f"findings-{new_id}").click()
        wait_for(
            lambda: driver.current_url.endswith(f"/documents/{new_id}/findings"), what="the new findings page"
        )
        decided = driver.find_element(By.CSS_SELECTOR, f"#f-{target} p.decided").text
        assert "已驳回" in decided and REASON in decided
        assert "dismissed" in (driver.find_element(By.ID, f"f-{target}").get_attribute("class") or "")
        shot("03-after-reingest")

        # a dismissal without a reason is refused by the browser (required) and by the server (422)
        assert driver.find_element(By.CSS_SELECTOR, f"#f-{target} input.reason-input").get_attribute(
            "required"
        )
