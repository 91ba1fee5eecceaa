"""The review desk as its users meet it: Chinese pages whose every UI string is in the catalogs, printed
labels, checks with their numbers, questioned corrections, undo across fields, login limits, the Host
allow-list, and the spreadsheet export equal to the JSON export."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from extractor.export import result_to_json
from extractor.export_sheets import csv_text, write_xlsx
from extractor.review.accounts import create_user
from extractor.settings import Settings
from extractor.storage import init_db, load_result, make_engine, session_scope, store_result
from extractor.storage.tables import FieldRow, RecordRow
from extractor.storage.tables import UserRow as UserRowT
from review_ui import create_app
from review_ui.i18n import catalog_path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "eval" / "datasets" / "seeds" / "docs" / "004_7078add5d4f01a7a.txt"
PASSWORD = "ann-password"
# words a Chinese page may show in Latin letters: file formats, units, key names
ALLOWED = {"JSON", "CSV", "Excel", "MB", "txt", "pdf", "docx", "CST", "UTC", "Enter", "Esc", "sum_fails"}  # noqa: E501
# (sum_fails: the reason filter takes reason codes, its placeholder shows one)


class VisibleText(HTMLParser):
    """Text a reader sees, outside elements marked translate="no" (document data, names, codes)."""

    SKIP = {"script", "style", "kbd", "code", "title"}
    VOID = {"input", "meta", "link", "br", "img", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        hidden = (bool(self.stack) and self.stack[-1]) or a.get("translate") == "no" or tag in self.SKIP
        for name in ("placeholder", "title", "aria-label", "alt"):
            if a.get(name) and not hidden and name != "title":
                self.texts.append(str(a[name]))
        if tag not in self.VOID:
            self.stack.append(hidden)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]) and data.strip():
            self.texts.append(data.strip())


def untranslated(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    words = {w for t in parser.texts for w in re.findall(r"[A-Za-z][A-Za-z_']+", t)}
    return sorted(words - ALLOWED)


def test_every_ui_message_has_a_chinese_translation() -> None:
    with catalog_path("zh_CN").open("rb") as fh:
        catalog = read_po(fh, locale="zh_CN")
    translated = {m.id for m in catalog if m.id and m.string and "fuzzy" not in m.flags}
    method_map = [
        ("review_ui/**.py", "python"),
        ("extractor/review/**.py", "python"),
        ("review_ui/templates/**.html", "jinja2"),
    ]
    found = {
        msg[2] if isinstance(msg[2], str) else msg[2][0]
        for msg in extract_from_dir(
            str(ROOT),
            method_map,
            options_map={"review_ui/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
            keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None},
        )
    }
    assert len(found) > 150
    missing = sorted(found - translated)
    assert not missing, f"UI strings without a zh_CN translation: {missing[:10]}"


def _login(app: FastAPI, user: str = "ann", password: str = PASSWORD) -> tuple[TestClient, str]:
    client = TestClient(app)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    data = {"username": user, "password": password, "csrf_token": token.group(1), "next": "/queue"}
    answer = client.post("/login", data=data, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/queue").text)
    assert csrf is not None
    return client, csrf.group(1)


@pytest.fixture(scope="module")
def desk(
    tmp_path_factory: pytest.TempPathFactory, module_db_url: str
) -> Iterator[tuple[FastAPI, int, dict[str, int]]]:
    from extractor.pipeline import extract_path

    tmp = tmp_path_factory.mktemp("desk")
    settings = Settings(
        data_dir=tmp / "var", database_url=module_db_url, allowed_hosts=["testserver"], login_max_failures=10
    )
    engine = make_engine(settings.effective_database_url)
    init_db(engine)
    with session_scope(engine) as s:
        create_user(s, username="ann", password=PASSWORD)
        create_user(s, username="bob", password="bob-password")
        doc_id, _ = store_result(s, result=extract_path(SEED, backend="rules", settings=settings))
        ids = {
            f"{kind}/{key}/{name}": fid
            for fid, kind, key, name in s.execute(
                select(FieldRow.id, RecordRow.kind, RecordRow.key, FieldRow.name).join(
                    RecordRow, RecordRow.id == FieldRow.record_id
                )
            )
        }
    app = create_app(settings, engine=engine, gold_dir=tmp / "reviewed", reports_dir=tmp / "report")
    yield app, doc_id, ids
    app.state.jobs.shutdown()


TARGET = "income_summary/本年收入/amount"


def test_chinese_pages_show_no_string_outside_the_catalogs(desk: tuple[FastAPI, int, dict[str, int]]) -> None:
    app, doc_id, ids = desk
    client, _csrf = _login(app, "bob", "bob-password")
    pages = [
        "/queue",
        f"/review/{ids[TARGET]}",
        "/documents",
        "/settings",
        f"/documents/{doc_id}/history",
        f"/documents/{doc_id}/findings",
        "/eval",
    ]
    login_page = TestClient(app).get("/login").text
    assert '<html lang="zh-CN">' in login_page and not untranslated(login_page)
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert '<html lang="zh-CN">' in page.text
        assert not untranslated(page.text), (url, untranslated(page.text))
    # the detector itself: an English page is caught
    assert "Queue" in untranslated("<p>Queue</p><p translate='no'>ignored</p>")


def test_review_page_names_what_the_document_prints_and_the_sums_numbers(
    desk: tuple[FastAPI, int, dict[str, int]],
) -> None:
    app, _doc_id, ids = desk
    client, _csrf = _login(app, "bob", "bob-password")
    page = client.get(f"/review/{ids[TARGET]}").text
    title = re.search(r'<h1 class="address"[^>]*>([^<]+)</h1>', page)
    assert title is not None and "本年收入" in title.group(1) and "预算数" in title.group(1)
    assert "income_summary/" not in title.group(1)
    failing = page.split('id="checks-failing"')[1].split("</ul>")[0]
    # 004 prints 314.6 where its parts sum to 314.66
    assert "本行 314.6" in failing or "本项 314.6" in failing or "本处 314.6" in failing, failing
    assert "差 0.06" in failing


def test_a_correction_that_breaks_checks_is_questioned_and_abc_is_refused(
    desk: tuple[FastAPI, int, dict[str, int]],
) -> None:
    app, _doc_id, ids = desk
    client, csrf = _login(app)
    fid = ids["income_summary/收入总计/amount"]
    page = client.get(f"/review/{fid}").text
    version = re.search(r'data-version="(\d+)"', page)
    assert version is not None
    form = {"csrf_token": csrf, "version": version.group(1), "action": "correct", "filters": ""}
    bad = client.post(f"/review/{fid}", data=form | {"value": "abc"})
    assert bad.status_code == 422 and "“abc”不是有效的值" in bad.text
    asked = client.post(f"/review/{fid}", data=form | {"value": "123.45"})
    assert asked.status_code == 200 and 'id="question"' in asked.text and "仍然保存" in asked.text
    with session_scope(app.state.config.engine, readonly=True) as s:
        row = s.get(FieldRow, fid)
        assert row is not None and row.status == "needs_review" and row.value != 123.45  # nothing saved
    forced = client.post(f"/review/{fid}", data=form | {"value": "123.45", "force": "1"})
    assert forced.status_code == 200 and "已更正" in forced.text and "校验未通过" in forced.text
    # undo from another field reaches that decision
    other = ids["income_summary/本年收入/amount"]
    undone = client.post("/undo", data={"csrf_token": csrf, "here": str(other), "filters": ""})
    assert undone.status_code == 200 and "已撤销" in undone.text
    with session_scope(app.state.config.engine, readonly=True) as s:
        row = s.get(FieldRow, fid)
        assert row is not None and row.status == "needs_review" and row.value != 123.45


def test_english_is_selectable_per_user(desk: tuple[FastAPI, int, dict[str, int]]) -> None:
    app, _doc_id, _ids = desk
    client, csrf = _login(app, "bob", "bob-password")
    saved = client.post("/settings", data={"csrf_token": csrf, "locale": "en", "timezone": "UTC"})
    assert saved.status_code == 200 and "Saved." in saved.text and '<html lang="en">' in saved.text
    ann, _ = _login(app)
    assert "审核队列" in ann.get("/queue").text  # ann still reads Chinese
    client.post("/settings", data={"csrf_token": csrf, "locale": "zh_CN", "timezone": "Asia/Shanghai"})


def test_ten_wrong_passwords_lock_the_account_and_a_foreign_host_is_refused(
    tmp_path: Path, db_url: str
) -> None:
    settings = Settings(
        data_dir=tmp_path, database_url=db_url, allowed_hosts=["testserver"], login_lockout_seconds=600
    )
    engine = make_engine(settings.effective_database_url)
    init_db(engine)
    with session_scope(engine) as s:
        create_user(s, username="ann", password=PASSWORD)
    app = create_app(settings, engine=engine)
    client = TestClient(app)
    page = client.get("/login")
    codes = []
    for i in range(11):
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        form = {"username": "ann", "csrf_token": token.group(1), "next": "/queue"}
        password = f"wrong-{i}" if i < 10 else PASSWORD  # the right one, after ten wrong ones
        page = client.post("/login", data=form | {"password": password}, follow_redirects=False)
        codes.append(page.status_code)
    assert codes == [401] * 10 + [429]
    locked = page
    assert locked.status_code == 429 and "Retry-After" in locked.headers
    assert 590 <= int(locked.headers["Retry-After"]) <= 600
    assert TestClient(app, base_url="http://evil.example").get("/login").status_code == 400
    app.state.jobs.shutdown()


def test_the_development_secret_key_is_refused_in_production(tmp_path: Path) -> None:
    from review_ui.app import ConfigurationError

    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with pytest.raises(ConfigurationError, match="EXTRACTOR_SECRET_KEY"):
        create_app(Settings(data_dir=tmp_path, environment="production"), engine=engine)
    ok = create_app(Settings(data_dir=tmp_path, environment="production", secret_key="s" * 40), engine=engine)
    ok.state.jobs.shutdown()


def test_xlsx_export_of_a_seed_equals_the_json_export(
    desk: tuple[FastAPI, int, dict[str, int]], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    app, doc_id, _ids = desk
    with session_scope(app.state.config.engine, readonly=True) as s:
        payload = result_to_json(load_result(s, document=str(doc_id)))
    out = tmp_path / "seed.xlsx"
    write_xlsx([payload], out)
    book = load_workbook(out)
    cells: dict[tuple[str, str], object] = {}
    statuses: dict[tuple[str, str], object] = {}
    for ws in book.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        header = [str(h) for h in rows[0]]
        for row in rows[1:]:
            prefix = str(row[header.index("字段地址前缀")])
            for i, h in enumerate(header[5:], start=5):
                if (i - 5) % 3 == 0:
                    cells[(prefix, h)] = row[i]
                    statuses[(prefix, h)] = row[i + 1]
    from extractor.review.labels import column_label

    compared = 0
    for r in payload["records"]:
        for name, f in r["fields"].items():
            key = (f"{r['kind']}/{r['key']}", column_label(r["kind"], name))
            want = "\n".join(map(str, f["value"])) if isinstance(f["value"], list) else f["value"]
            assert cells[key] == want, (key, cells[key], want)
            assert statuses[key] == f["status"]
            compared += 1
    assert compared == sum(len(r["fields"]) for r in payload["records"]) > 100
    import csv
    import io

    lines = list(csv.reader(io.StringIO(csv_text([payload]))))
    assert len(lines) == compared + 1


def test_admin_manages_users_and_sees_counts(desk: tuple[FastAPI, int, dict[str, int]]) -> None:
    app, _doc_id, _ids = desk
    with session_scope(app.state.config.engine) as s:
        if s.scalar(select(UserRowT.id).where(UserRowT.username == "root")) is None:
            create_user(s, username="root", password="root-password", role="admin")
    admin, csrf = _login(app, "root", "root-password")
    page = admin.get("/admin/users")
    assert page.status_code == 200 and not untranslated(page.text)
    added = admin.post(
        "/admin/users", data={"csrf_token": csrf, "username": "cat", "password": "cat-password"}
    )
    assert added.status_code == 200 and 'data-user="cat"' in added.text
    admin.post("/admin/users/cat", data={"csrf_token": csrf, "change": "disable"})
    fresh = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', fresh.get("/login").text)
    assert token is not None
    form = {"username": "cat", "password": "cat-password", "csrf_token": token.group(1), "next": "/queue"}
    assert fresh.post("/login", data=form, follow_redirects=False).status_code == 401  # disabled
    row = page.text.split('data-user="ann"')[1].split("</tr>")[0]
    assert re.search(r"<td>\d+</td>", row)


def test_auto_advance_moves_on_after_a_decision_only_when_chosen(
    desk: tuple[FastAPI, int, dict[str, int]],
) -> None:
    app, _doc_id, ids = desk
    client, csrf = _login(app, "bob", "bob-password")
    fid = ids["income_summary/一般公共预算拨款/amount"]

    def confirm() -> dict[str, str]:
        page = client.get(f"/review/{fid}").text
        version = re.search(r'data-version="(\d+)"', page)
        assert version is not None
        form = {"csrf_token": csrf, "version": version.group(1), "action": "confirm", "filters": "?kind=x"}
        answer = client.post(f"/review/{fid}", data=form, headers={"HX-Request": "true"})
        assert answer.status_code == 200, answer.text
        return dict(answer.headers)

    assert "hx-redirect" not in confirm()
    client.post("/undo", data={"csrf_token": csrf, "here": str(fid), "filters": ""})
    client.post(
        "/settings",
        data={"csrf_token": csrf, "locale": "zh_CN", "timezone": "Asia/Shanghai", "auto_advance": "on"},
    )
    assert confirm().get("hx-redirect") == "/review/next?kind=x"
    client.post("/undo", data={"csrf_token": csrf, "here": str(fid), "filters": ""})
    client.post("/settings", data={"csrf_token": csrf, "locale": "zh_CN", "timezone": "Asia/Shanghai"})


def test_cli_export_writes_xlsx_and_csv(desk: tuple[FastAPI, int, dict[str, int]], tmp_path: Path) -> None:
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from extractor.cli import main

    app, doc_id, _ids = desk
    url = app.state.config.engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    for fmt in ("xlsx", "csv"):
        out = tmp_path / f"seed.{fmt}"
        done = runner.invoke(main, ["export", str(doc_id), "--format", fmt, "--out", str(out), "--db", url])
        assert done.exit_code == 0, done.output
        assert out.stat().st_size > 1000
    book = load_workbook(tmp_path / "seed.xlsx")
    assert "收支总表（收入）" in book.sheetnames
    assert (tmp_path / "seed.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_batch_exports_in_one_file_from_the_documents_page_and_the_cli(tmp_path: Path) -> None:
    """Two documents ticked on the documents page (or none: every document), or `extractor export A B` /
    `--all`: one .xlsx with a row per record of each, one CSV with a line per field of each."""
    import csv
    import io

    from click.testing import CliRunner
    from openpyxl import load_workbook

    from extractor.cli import main
    from extractor.pipeline import extract_path

    settings = Settings(data_dir=tmp_path / "var", allowed_hosts=["testserver"])
    engine = make_engine(settings.effective_database_url)
    init_db(engine)
    other = SEED.with_name("000_335c3f7f451f52b5.txt")
    with session_scope(engine) as s:
        create_user(s, username="ann", password=PASSWORD)
        ids = [
            store_result(s, result=extract_path(p, backend="rules", settings=settings))[0]
            for p in (SEED, other)
        ]
        payloads = [result_to_json(load_result(s, document=str(i))) for i in ids]
    records = sum(len(p["records"]) for p in payloads)
    fields = sum(len(r["fields"]) for p in payloads for r in p["records"])
    app = create_app(settings, engine=engine, gold_dir=tmp_path / "gold", reports_dir=tmp_path / "report")
    try:
        client, _csrf = _login(app)
        page = client.get("/documents").text
        assert 'form="batch-export"' in page and 'id="batch-xlsx"' in page
        ticked = client.get(f"/documents/export.xlsx?document={ids[0]}&document={ids[1]}")
        assert ticked.status_code == 200 and "documents-2.xlsx" in ticked.headers["content-disposition"]
        every = client.get("/documents/export.xlsx")
        for body in (ticked.content, every.content):
            book = load_workbook(io.BytesIO(body))
            assert sum(ws.max_row - 1 for ws in book.worksheets) == records
            sources = {row[0] for ws in book.worksheets for row in ws.iter_rows(min_row=2, values_only=True)}
            assert len(sources) == 2, sources  # each document's rows are there, named by the document
        one = load_workbook(io.BytesIO(client.get(f"/documents/export.xlsx?document={ids[1]}").content))
        assert sum(ws.max_row - 1 for ws in one.worksheets) == len(payloads[1]["records"])
        lines = list(csv.reader(io.StringIO(client.get("/documents/export.csv").content.decode("utf-8-sig"))))
        assert len(lines) == fields + 1
        assert client.get("/documents/export.pdf").status_code == 404
    finally:
        app.state.jobs.shutdown()
    runner = CliRunner()
    url = str(engine.url)
    for args in (["--all"], [str(ids[0]), str(ids[1])]):
        out = tmp_path / "batch.json"
        done = runner.invoke(main, ["export", *args, "--out", str(out), "--db", url])
        assert done.exit_code == 0 and "2 documents" in done.output, done.output
        import json

        assert [p["document"]["sha256"] for p in json.loads(out.read_text(encoding="utf-8"))] == [
            p["document"]["sha256"] for p in payloads
        ]
    refused = runner.invoke(main, ["export", "--out", str(tmp_path / "x.json"), "--db", url])
    assert refused.exit_code == 2 and "--all" in refused.output
