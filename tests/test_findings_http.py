"""The findings page over HTTP: document text escaped, a dismissal needs a reason and the CSRF token, an
unknown finding is 404, a confirmation is shown."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from extractor.pipeline import extract_path
from extractor.review.accounts import create_user
from extractor.settings import Settings
from extractor.storage import init_db, make_engine, session_scope, store_result
from extractor.storage.tables import FindingRow
from review_ui import create_app
from tests.test_review_http import PASSWORDS, login

SEED = (
    Path(__file__).resolve().parents[1] / "eval" / "datasets" / "seeds" / "docs" / "001_bf78897304f03bf2.txt"
)


def test_findings_page_and_decisions(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var", backend="rules", allowed_hosts=["testserver"])
    engine = make_engine(settings.effective_database_url)
    init_db(engine)
    doc = tmp_path / "hostile.txt"
    doc.write_text(
        SEED.read_text(encoding="utf-8").replace("请填写本单位", "{<img src=x>}本单位"), encoding="utf-8"
    )
    with session_scope(engine) as s:
        create_user(s, username="ann", password=PASSWORDS["ann"])
        doc_id, _ = store_result(s, result=extract_path(doc, backend="rules", settings=settings))
        fid = s.scalar(select(FindingRow.finding_id).where(FindingRow.rule == "placeholder"))
    assert fid is not None
    app = create_app(settings, engine=engine)
    client, csrf = login(app, "ann")
    page = client.get(f"/documents/{doc_id}/findings")
    assert page.status_code == 200
    assert "<img src=x>" not in page.text and "{&lt;img src=x&gt;}" in page.text
    url = f"/documents/{doc_id}/findings/{fid}"
    assert client.post(url, data={"decision": "dismissed", "reason": "x"}).status_code == 403  # no CSRF
    no_reason = client.post(url, data={"decision": "dismissed", "reason": " ", "csrf_token": csrf})
    assert no_reason.status_code == 422
    unknown = client.post(
        f"/documents/{doc_id}/findings/nope", data={"decision": "confirmed", "csrf_token": csrf}
    )
    assert unknown.status_code == 404
    done = client.post(url, data={"decision": "confirmed", "csrf_token": csrf}, follow_redirects=False)
    assert done.status_code == 303
    row = re.search(
        rf'<tr id="f-{fid}"[^>]*>.*?</tr>', client.get(f"/documents/{doc_id}/findings").text, re.S
    )
    assert row is not None and "已确认" in row.group(0) and "ann" in row.group(0)
    app.state.jobs.shutdown()
