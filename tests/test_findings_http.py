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


def test_findings_page_and_decisions(tmp_path: Path, db_url: str) -> None:
    settings = Settings(
        data_dir=tmp_path / "var", database_url=db_url, backend="rules", allowed_hosts=["testserver"]
    )
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


def test_the_findings_page_lists_every_printed_table(tmp_path: Path, db_url: str) -> None:
    from extractor.inventory import table_inventory

    settings = Settings(
        data_dir=tmp_path / "var", database_url=db_url, backend="rules", allowed_hosts=["testserver"]
    )
    engine = make_engine(settings.effective_database_url)
    init_db(engine)
    doc = tmp_path / "doc.txt"
    # a table the product does not know, its title carrying markup: listed, escaped, marked 无法识别
    extra = "\n\n附表99 单位<b>资产</b>配置情况明细表\n单位：万元\n项目 金额\n合计 12.00\n办公设备 12.00\n"
    doc.write_text(SEED.read_text(encoding="utf-8") + extra, encoding="utf-8")
    result = extract_path(doc, backend="rules", settings=settings)
    entries = table_inventory(result)
    assert len(entries) > 5
    with session_scope(engine) as s:
        create_user(s, username="ann", password=PASSWORDS["ann"])
        doc_id, _ = store_result(s, result=result)
    app = create_app(settings, engine=engine)
    client, _csrf = login(app, "ann")
    page = client.get(f"/documents/{doc_id}/findings").text
    rows = re.findall(r'<tr class="table-entry[^"]*">(.*?)</tr>', page, re.S)
    assert len(rows) == len(entries)
    for entry, row in zip(entries, rows, strict=True):
        state = re.search(r'<td class="state">(.*?)</td>', row)
        assert state is not None
        expected = (
            "无法识别"
            if entry.kind == "unknown"
            else "空表"
            if entry.empty
            else "已读取"
            if entry.records
            else "未读取"
        )
        assert state.group(1) == expected, (entry, row)
    assert "<b>资产</b>" not in page
    unknown = [e for e in entries if e.kind == "unknown"]
    assert unknown and "&lt;b&gt;资产&lt;/b&gt;" in page, [e.title for e in entries][-3:]
    app.state.jobs.shutdown()
