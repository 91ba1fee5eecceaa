"""End to end in Debian's headless Chromium (Selenium + chromedriver), in Chinese, the default language: log
in, open the queue, fix 004's printed 314.6 with the keyboard alone and read the sum check's numbers, see it
turn green and its sibling leave the queue, try a correction that breaks checks and get the question, undo
it from the next field, export the document to the reviewed gold set, run the eval on it. Screenshots of
each step: artifacts/screenshots/.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from extractor.review.accounts import create_user
from extractor.settings import Settings
from extractor.storage import init_db, make_engine, session_scope, store_result
from review_ui import create_app
from review_ui.fetch_htmx import installed as htmx_installed
from review_ui.loopback import ApiClient, running_server

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "eval" / "datasets" / "seeds" / "docs" / "004_7078add5d4f01a7a.txt"
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1280,1100",
]
TARGET = "income_summary/本年收入/amount"
SIBLING = "income_summary/收入总计/amount"

webdriver = pytest.importorskip("selenium.webdriver")


def _require_browser() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if not htmx_installed():
        missing.append("htmx (python -m review_ui.fetch_htmx)")
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser test prerequisites missing in CI: {', '.join(missing)}")
        pytest.skip(f"missing {', '.join(missing)} (apt-get install -y chromium chromium-driver)")


@pytest.fixture()
def driver() -> Iterator[Any]:
    _require_browser()
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    chrome = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    chrome.set_page_load_timeout(60)
    try:
        yield chrome
    finally:
        chrome.quit()


def wait_for(check: Callable[[], Any], *, timeout: float = 30.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
        except Exception:  # the page may be mid-swap: try again
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_fix_314_6_by_keyboard_then_gold_and_eval(driver: Any, tmp_path: Path, db_url: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from extractor.pipeline import extract_path
    from extractor.storage.tables import FieldRow, RecordRow

    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir(parents=True)

    def shot(name: str) -> None:
        driver.save_screenshot(str(SHOTS / f"{name}.png"))

    def keys(*sequence: str) -> None:
        ActionChains(driver).send_keys(*sequence).perform()

    settings = Settings(data_dir=tmp_path / "var", database_url=db_url)
    engine = make_engine(settings.effective_database_url)
    init_db(engine)
    with session_scope(engine) as s:
        create_user(s, username="ann", password="ann-password")
        doc_id, _ = store_result(s, result=extract_path(SEED, backend="rules", settings=settings))
        target = s.scalar(
            select(FieldRow.id)
            .join(RecordRow, RecordRow.id == FieldRow.record_id)
            .where(RecordRow.kind == "income_summary", RecordRow.key == "本年收入", FieldRow.name == "amount")
        )
        other = s.scalar(
            select(FieldRow.id)
            .join(RecordRow, RecordRow.id == FieldRow.record_id)
            .where(
                RecordRow.kind == "income_summary",
                RecordRow.key == "一般公共预算拨款",
                FieldRow.name == "amount",
            )
        )
    assert target is not None and other is not None
    gold_dir, reports = tmp_path / "reviewed", tmp_path / "report"
    app = create_app(settings, engine=engine, gold_dir=gold_dir, reports_dir=reports)
    with running_server(app) as url:
        # 1. log in: the user field has the focus; type, Tab, type, Enter
        driver.get(f"{url}/queue")
        wait_for(lambda: "/login" in driver.current_url, what="the login redirect")
        shot("01-login")
        keys("ann", Keys.TAB, "ann-password", Keys.ENTER)
        wait_for(lambda: driver.current_url.endswith("/queue"), what="the queue after login")
        left_before = int(
            wait_for(lambda: driver.find_element(By.ID, "fields-left").text, what="the queue count")
        )
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
        assert "审核队列" in driver.find_element(By.TAG_NAME, "h1").text
        shot("02-queue")

        # 2. open the queue of the income summary and walk it with n / s until the printed 314.6
        driver.get(f"{url}/queue?kind=income_summary")
        keys("n")
        for _ in range(10):
            address = wait_for(
                lambda: driver.find_element(By.CSS_SELECTOR, "h1.address").get_attribute("data-address"),
                what="a field",
            )
            if address == TARGET:
                break
            keys("s")

            def moved_on(previous: str = address) -> bool:
                return bool(
                    driver.find_element(By.CSS_SELECTOR, "h1.address").get_attribute("data-address")
                    != previous
                )

            wait_for(moved_on, what="skip")
        assert driver.find_element(By.CSS_SELECTOR, "h1.address").get_attribute("data-address") == TARGET
        assert driver.find_element(By.ID, "span").text == "314.6"
        box = driver.find_element(By.CSS_SELECTOR, "pre.source")
        assert driver.execute_script(
            "const m = document.getElementById('span'), b = arguments[0];"
            "return m.offsetTop - b.offsetTop >= b.scrollTop && m.offsetTop - b.offsetTop <= b.scrollTop + b.clientHeight;",
            box,
        ), "the highlighted span is scrolled into view"
        title = driver.find_element(By.CSS_SELECTOR, "h1.address").text
        assert "本年收入" in title and "/" not in title.replace(" / ", "")  # printed labels, not the address
        failing = driver.find_elements(By.CSS_SELECTOR, '#checks-failing li.fail[data-check="sum"]')
        assert failing and failing[0].value_of_css_property("color") == "rgba(179, 38, 30, 1)"
        numbers = " ".join(f.text for f in failing)
        assert "314.6" in numbers and "314.66" in numbers and "差 0.06" in numbers, numbers
        shot("03-review-314.6")

        # 3. correct it with the keyboard alone: e (focus the value, all selected), type, Enter
        keys("e")
        assert driver.switch_to.active_element.get_attribute("id") == "value"
        keys("314.66", Keys.ENTER)
        flash = wait_for(lambda: driver.find_element(By.ID, "flash").text, what="the saved message")
        assert "已更正" in flash and "本年收入" in flash and "314.6 → 314.66" in flash, flash
        green = wait_for(
            lambda: driver.find_elements(By.CSS_SELECTOR, '#checks-passing li.ok[data-check="sum"]'),
            what="the sum check turning green",
        )
        assert green[0].value_of_css_property("color") == "rgba(27, 127, 59, 1)"
        assert "差 0" in green[0].text
        assert not driver.find_elements(By.CSS_SELECTOR, '#checks-failing li[data-check="sum"]')
        settled = driver.find_element(By.ID, "settled")
        assert SIBLING in [
            e.get_attribute("data-address") for e in settled.find_elements(By.CSS_SELECTOR, "span")
        ]
        assert driver.find_element(By.ID, "field-status").get_attribute("data-status") == "corrected"
        shot("04-corrected-sum-green")
        # a correction that breaks checks holding now is questioned before it is saved
        keys("e")
        keys("123.45", Keys.ENTER)
        question = wait_for(lambda: driver.find_element(By.ID, "question").text, what="the question")
        assert "仍然保存" in question and "123.45" in question
        shot("04b-question")
        keys("y")  # save anyway
        wait_for(lambda: "123.45" in driver.find_element(By.ID, "flash").text, what="saved anyway")
        assert "校验未通过" in driver.find_element(By.ID, "field-status").text
        broken_id = driver.find_element(By.ID, "review-panel").get_attribute("data-field")
        keys("n")  # on to the next field, and undo the bad correction from there
        wait_for(
            lambda: driver.find_element(By.ID, "review-panel").get_attribute("data-field") != broken_id,
            what="the next field",
        )
        keys("u")
        undone = wait_for(lambda: driver.find_element(By.ID, "flash").text, what="the undo")
        assert "已撤销" in undone and "314.66" in undone, undone
        assert driver.find_element(By.ID, "review-panel").get_attribute("data-field") == broken_id
        shot("04c-undone-from-the-next-field")
        # on to 表1's other 314.6 (its ties with 表4/表5 fail); "n" found it first, so it is ours and open
        driver.get(f"{url}/review/{other}?kind=income_summary")
        nxt = wait_for(
            lambda: driver.find_element(By.CSS_SELECTOR, "h1.address").get_attribute("data-address"),
            what="n to move on",
        )
        assert nxt == "income_summary/一般公共预算拨款/amount"
        proposal = driver.find_element(By.CSS_SELECTOR, "div.proposals")
        assert "314.66" in proposal.text
        keys("1")  # take the repair proposal with one key
        flash = wait_for(
            lambda: (
                "314.66" in driver.find_element(By.ID, "flash").text
                and driver.find_element(By.ID, "flash").text
            ),
            what="the proposal taken",
        )
        assert "314.6 → 314.66" in flash
        assert not driver.find_elements(By.CSS_SELECTOR, '#doubts li.fail[data-reason="ungrounded"]')
        shot("04d-proposal-taken")

        # 4. the sibling left the queue on its own
        driver.get(f"{url}/queue?kind=income_summary")
        listed = [e.get_attribute("data-key") for e in driver.find_elements(By.CSS_SELECTOR, ".group h3")]
        assert "收入总计" not in listed and "本年收入" not in listed
        driver.get(f"{url}/queue")
        left_after = int(
            wait_for(lambda: driver.find_element(By.ID, "fields-left").text, what="the queue count")
        )
        assert left_after <= left_before - 2
        shot("05-queue-after")

        # 5. the other doubted fields are confirmed through the operator API (the keyboard path is shown above)
        with ApiClient(url, "ann", "ann-password") as api:
            while (claim := api.post("/api/queue/next", params={"document": doc_id})).status_code == 200:
                item = claim.json()
                answer = api.post(
                    f"/api/fields/{item['field_id']}/submit",
                    json={"action": "confirm", "version": item["version"]},
                )
                assert answer.status_code in (200, 409), answer.text
            assert claim.status_code == 204
            assert api.get(f"/api/documents/{doc_id}").json()["needs_review"] == 0

        # 6. export to the reviewed gold set from the documents page
        driver.get(f"{url}/documents")
        driver.find_element(By.ID, f"gold-{doc_id}").send_keys(Keys.ENTER)
        wait_for(lambda: "已导出到审核金标准集" in driver.page_source, what="the export")
        shot("06-gold-exported")
        gold_file = gold_dir / f"{SEED.stem}.jsonl"
        header, *records = (json.loads(line) for line in gold_file.read_text(encoding="utf-8").splitlines())
        assert header["review"]["reviewers"] == ["ann"]
        fixed = next(r for r in records if r["kind"] == "income_summary" and r["key"] == "本年收入")
        assert fixed["fields"]["amount"]["value"] == 314.66

        # 7. run the eval on the reviewed set and see its report
        driver.get(f"{url}/eval")
        driver.find_element(By.ID, "run-eval").send_keys(Keys.ENTER)
        wait_for(
            lambda: driver.find_elements(By.ID, "latest-report") or "flash fail" in driver.page_source,
            timeout=240,
            what="the eval report",
        )
        assert "flash fail" not in driver.page_source, driver.find_element(
            By.CSS_SELECTOR, ".flash.fail"
        ).text
        assert driver.find_elements(By.CSS_SELECTOR, "article.report table"), (
            "the report is HTML, not Markdown"
        )
        images = driver.find_elements(By.CSS_SELECTOR, "figure img")
        assert images and all(img.get_attribute("naturalWidth") not in (None, "0") for img in images)
        shot("07-eval-report")
    assert (reports / "report.md").is_file()
    assert sorted(p.name for p in SHOTS.glob("*.png")) == [
        "01-login.png",
        "02-queue.png",
        "03-review-314.6.png",
        "04-corrected-sum-green.png",
        "04b-question.png",
        "04c-undone-from-the-next-field.png",
        "04d-proposal-taken.png",
        "05-queue-after.png",
        "06-gold-exported.png",
        "07-eval-report.png",
    ]
