"""The review server in process: security (routes × roles, CSRF, escaping, upload limit), pages, API."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from extractor.errors import IngestError
from extractor.model import ExtractionResult
from extractor.review.accounts import create_user
from extractor.review.synthetic import synthetic_result
from extractor.settings import Settings
from extractor.storage import init_db, make_engine, session_scope, store_result
from extractor.storage.tables import FieldRow
from review_ui import create_app

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)><div hx-get="/logout" hx-trigger="load">boo</div>\n'
PASSWORDS = {"ann": "ann-password", "bob": "bob-password", "root": "root-password"}


def fake_extract(data: bytes, filename: str) -> ExtractionResult:
    if not data.strip():
        raise IngestError("empty file", source=filename)
    return synthetic_result(rows=3, seed=len(data), source=filename)


@dataclass
class Env:
    app: FastAPI
    engine: Engine
    doc_id: int
    field_id: int
    tmp: Path


@pytest.fixture()
def env(tmp_path: Path, db_url: str) -> Iterator[Env]:
    settings = Settings(
        data_dir=tmp_path / "var",
        database_url=db_url,
        max_upload_bytes=4096,
        lease_seconds=60,
        allowed_hosts=["testserver"],
    )
    engine = make_engine(settings.effective_database_url)
    init_db(engine)
    with session_scope(engine) as s:
        create_user(s, username="ann", password=PASSWORDS["ann"])
        create_user(s, username="bob", password=PASSWORDS["bob"])
        create_user(s, username="root", password=PASSWORDS["root"], role="admin")
        doc_id, _ = store_result(s, result=synthetic_result(rows=8, review_share=0.5, extra_text=HOSTILE))
        field_id = s.scalar(
            select(FieldRow.id)
            .where(FieldRow.status == "needs_review", FieldRow.name != "name")
            .order_by(FieldRow.id)
        )
    assert field_id is not None
    app = create_app(settings, engine=engine, extract=fake_extract, gold_dir=tmp_path / "reviewed")
    yield Env(app, engine, doc_id, field_id, tmp_path)
    app.state.jobs.shutdown()


def login(app: FastAPI, user: str) -> tuple[TestClient, str]:
    client = TestClient(app)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    answer = client.post(
        "/login",
        data={"username": user, "password": PASSWORDS[user], "csrf_token": token.group(1), "next": "/queue"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    queue = client.get("/queue")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', queue.text)
    assert csrf is not None
    return client, csrf.group(1)


def all_routes(app: FastAPI) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    stack: list[Any] = list(app.routes)
    while stack:
        route = stack.pop()
        if hasattr(route, "original_router"):
            stack.extend(route.original_router.routes)
        elif isinstance(route, APIRoute):
            out += [(m, route.path) for m in sorted(route.methods or ())]
    out += [("GET", "/api/openapi.json")] if ("GET", "/api/openapi.json") not in out else []
    return sorted(set(out))


PUBLIC = {("GET", "/login"), ("POST", "/login"), ("GET", "/api/login/csrf"), ("POST", "/api/login")}
ADMIN_ONLY = {
    ("POST", "/documents/{document_id}/reopen"),
    ("POST", "/api/documents/{ref}/reopen"),
    ("GET", "/admin/users"),
    ("POST", "/admin/users"),
    ("POST", "/admin/users/{username}"),
}
# Every route of the app, each with who may use it. A new route fails this test until it is listed here.
ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/"): "reviewer",
    ("GET", "/queue"): "reviewer",
    ("GET", "/queue/documents"): "reviewer",
    ("GET", "/review/next"): "reviewer",
    ("GET", "/review/{field_id}"): "reviewer",
    ("POST", "/review/{field_id}"): "reviewer",
    ("POST", "/review/{field_id}/undo"): "reviewer",
    ("POST", "/review/{field_id}/lease"): "reviewer",
    ("POST", "/logout"): "reviewer",
    ("GET", "/documents"): "reviewer",
    ("GET", "/documents/jobs"): "reviewer",
    ("POST", "/documents/upload"): "reviewer",
    ("GET", "/documents/{document_id}/history"): "reviewer",
    ("GET", "/documents/{document_id}/findings"): "reviewer",
    ("POST", "/documents/{document_id}/findings/{finding_id}"): "reviewer",
    ("POST", "/documents/{document_id}/gold"): "reviewer",
    ("POST", "/documents/{document_id}/approve"): "reviewer",
    ("POST", "/documents/{document_id}/reopen"): "admin",
    ("GET", "/eval"): "reviewer",
    ("POST", "/eval/run"): "reviewer",
    ("GET", "/eval/files/{name}"): "reviewer",
    ("GET", "/api/openapi.json"): "reviewer",
    ("POST", "/api/logout"): "reviewer",
    ("GET", "/api/documents"): "reviewer",
    ("POST", "/api/documents"): "reviewer",
    ("GET", "/api/jobs/{job_id}"): "reviewer",
    ("GET", "/api/documents/{ref}"): "reviewer",
    ("GET", "/api/documents/{ref}/export"): "reviewer",
    ("GET", "/api/documents/{ref}/history"): "reviewer",
    ("POST", "/api/documents/{ref}/gold"): "reviewer",
    ("POST", "/api/documents/{ref}/approve"): "reviewer",
    ("POST", "/api/documents/{ref}/reopen"): "admin",
    ("GET", "/api/queue"): "reviewer",
    ("POST", "/api/queue/next"): "reviewer",
    ("GET", "/api/fields/{field_id}"): "reviewer",
    ("POST", "/api/fields/{field_id}/lease"): "reviewer",
    ("DELETE", "/api/fields/{field_id}/lease"): "reviewer",
    ("POST", "/api/fields/{field_id}/submit"): "reviewer",
    ("POST", "/api/fields/{field_id}/undo"): "reviewer",
    ("POST", "/undo"): "reviewer",
    ("GET", "/settings"): "reviewer",
    ("POST", "/settings"): "reviewer",
    ("GET", "/documents/{document_id}/export.{fmt}"): "reviewer",
    ("GET", "/documents/export.{fmt}"): "reviewer",
    ("GET", "/documents/{document_id}/pages/{page}.png"): "reviewer",
    ("GET", "/admin/users"): "admin",
    ("POST", "/admin/users"): "admin",
    ("POST", "/admin/users/{username}"): "admin",
} | {route: "public" for route in PUBLIC}


def concrete(path: str, env: Env) -> str:
    return (
        path.replace("{field_id}", str(env.field_id))
        .replace("{document_id}", str(env.doc_id))
        .replace("{ref}", str(env.doc_id))
        .replace("{job_id}", "1")
        .replace("{finding_id}", "0" * 24)
        .replace("{name}", "plot.png")
        .replace("{fmt}", "xlsx")
        .replace("{username}", "bob")
        .replace("{page}", "1")
    )


def test_the_route_table_lists_every_route(env: Env) -> None:
    assert set(all_routes(env.app)) == set(ROUTES)


def test_every_route_refuses_a_request_without_a_session(env: Env) -> None:
    client = TestClient(env.app)
    for (method, path), who in ROUTES.items():
        if who == "public":
            continue
        answer = client.request(method, concrete(path, env), follow_redirects=False)
        if answer.status_code == 303:
            assert answer.headers["location"].startswith("/login"), (method, path)
        else:
            assert answer.status_code == 401, (method, path, answer.status_code)


@pytest.mark.parametrize("role", ["ann", "root"])
def test_every_unsafe_request_without_csrf_is_refused(env: Env, role: str) -> None:
    client, _ = login(env.app, role)
    for (method, path), who in ROUTES.items():
        if method in ("GET", "HEAD") or who == "public":
            continue
        answer = client.request(method, concrete(path, env), data={"version": "1", "action": "confirm"})
        assert answer.status_code == 403, (method, path, answer.status_code)
        wrong = client.request(method, concrete(path, env), headers={"X-CSRF-Token": "forged"})
        assert wrong.status_code == 403, (method, path, wrong.status_code)
    # the login forms need their own token too
    fresh = TestClient(env.app)
    answer = fresh.post(
        "/login", data={"username": "ann", "password": PASSWORDS["ann"]}, follow_redirects=False
    )
    assert answer.status_code == 403
    api = fresh.post("/api/login", json={"username": "ann", "password": PASSWORDS["ann"]})
    assert api.status_code == 403


def test_admin_only_routes_refuse_reviewers(env: Env) -> None:
    client, csrf = login(env.app, "ann")
    for method, path in ADMIN_ONLY:
        headers = {"X-CSRF-Token": csrf}
        if path.startswith("/api"):
            answer = client.request(method, concrete(path, env), headers=headers, json={"reason": "x"})
        else:
            answer = client.request(method, concrete(path, env), headers=headers, data={"reason": "x"})
        assert answer.status_code == 403, (method, path)
    admin, admin_csrf = login(env.app, "root")
    answer = admin.post(
        f"/api/documents/{env.doc_id}/reopen", json={"reason": "x"}, headers={"X-CSRF-Token": admin_csrf}
    )
    assert answer.status_code == 422  # allowed, but the document is not approved


def test_document_text_is_shown_inert(env: Env) -> None:
    client, _ = login(env.app, "ann")
    page = client.get(f"/review/{env.field_id}")
    assert page.status_code == 200
    source = page.text[page.text.index('<pre class="source" hx-disable') :]
    source = source[: source.index("</pre>")]
    assert "<script" not in source and "<img" not in source and "<div" not in source
    assert "&lt;script&gt;" in source and "hx-get=&#34;/logout&#34;" in source
    assert page.text.count("<script") == 2  # only the app's own two files
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"


def test_upload_over_the_limit_is_refused_with_413(env: Env) -> None:
    client, csrf = login(env.app, "ann")
    headers = {"X-CSRF-Token": csrf}
    big = client.post("/api/documents", params={"filename": "big.txt"}, content=b"x" * 5000, headers=headers)
    assert big.status_code == 413

    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b"y" * 1000

    chunked = client.post("/api/documents", params={"filename": "c.txt"}, content=chunks(), headers=headers)
    assert chunked.status_code == 413
    form = client.post("/documents/upload", files={"file": ("f.txt", b"z" * 5000)}, headers=headers)
    assert form.status_code == 413


def test_upload_runs_the_pipeline_in_the_background(env: Env) -> None:
    client, csrf = login(env.app, "ann")
    headers = {"X-CSRF-Token": csrf}
    job = client.post("/api/documents", params={"filename": "new.txt"}, content=b"some text", headers=headers)
    assert job.status_code == 202 and job.json()["state"] == "queued"
    bad = client.post("/documents/upload", files={"file": ("blank.txt", b"   ")}, headers=headers)
    assert bad.status_code == 200  # redirected to the documents page
    env.app.state.jobs.wait(timeout=30)
    done = client.get(f"/api/jobs/{job.json()['id']}").json()
    assert done["state"] == "done" and "records" in done["message"]
    doc = client.get("/api/documents/new.txt").json()
    assert doc["id"] == done["document_id"] and doc["records"] == 3
    page = client.get("/documents")
    assert "new.txt" in page.text and "blank.txt: empty file" in page.text
    jobs = client.get("/documents/jobs", headers={"HX-Request": "true"})
    assert jobs.text.lstrip().startswith('<section id="jobs"') and "failed" in jobs.text


def test_review_form_submit_and_stale_version(env: Env) -> None:
    ann, ann_csrf = login(env.app, "ann")
    bob, bob_csrf = login(env.app, "bob")
    page = ann.get(f"/review/{env.field_id}")
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version is not None
    form = {"csrf_token": ann_csrf, "version": version.group(1), "action": "correct", "value": "1,234.5"}
    asked = ann.post(f"/review/{env.field_id}", data=form, headers={"HX-Request": "true"})
    assert asked.status_code == 200 and 'id="question"' in asked.text  # it breaks the row's sum: asked first
    form["force"] = "1"
    saved = ann.post(f"/review/{env.field_id}", data=form, headers={"HX-Request": "true"})
    assert saved.status_code == 200 and saved.text.lstrip().startswith('<section id="review-panel"')
    assert "已更正" in saved.text and 'value="1234.5"' in saved.text
    stale = {"csrf_token": bob_csrf, "version": version.group(1), "action": "confirm"}
    conflict = bob.post(f"/review/{env.field_id}", data=stale, headers={"HX-Request": "true"})
    assert conflict.status_code == 409 and "现在为 1234.5" in conflict.text
    history = ann.get(f"/documents/{env.doc_id}/history")
    assert "ann" in history.text and "1234.5" in history.text


def test_queue_page_and_partial(env: Env) -> None:
    client, _ = login(env.app, "ann")
    page = client.get("/queue")
    assert "<html" in page.text and 'id="fields-left"' in page.text
    partial = client.get("/queue", params={"kind": "expenditure_by_function"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.text and partial.text.lstrip().startswith('<section id="queue-list"')
    empty = client.get("/queue", params={"kind": "nothing"}, headers={"HX-Request": "true"})
    assert "没有待审核内容" in empty.text


def test_the_document_filter_fetches_its_choices(env: Env) -> None:
    client, _ = login(env.app, "ann")
    page = client.get("/queue").text
    select = page[page.index('<select name="document"') : page.index("</select>")]
    # the page carries only "all"; the choices come when the filter is opened, with their waiting counts
    assert 'hx-get="/queue/documents"' in select and select.count("<option") == 1
    choices = client.get("/queue/documents", headers={"HX-Request": "true"}).text
    assert choices.count("<option") == 2 and f'value="{env.doc_id}"' in choices and " selected" not in choices
    waiting = client.get("/api/queue", params={"limit": 200}).json()["fields_left"]
    assert f"({waiting})</option>" in choices
    chosen = client.get("/queue", params={"document": env.doc_id}).text
    select = chosen[chosen.index('<select name="document"') : chosen.index("</select>")]
    assert select.count("<option") == 2 and f'value="{env.doc_id}" selected' in select
    again = client.get("/queue/documents", params={"document": env.doc_id}).text
    assert f'value="{env.doc_id}" selected' in again
    odd = client.get("/queue/documents", params={"document": "x"})  # read as no choice, as /queue reads it
    assert odd.status_code == 200 and " selected" not in odd.text


def test_api_submit_conflict_and_idempotency(env: Env) -> None:
    client, csrf = login(env.app, "ann")
    headers = {"X-CSRF-Token": csrf, "Idempotency-Key": "abc-1"}
    body = {"action": "correct", "version": 1, "value": 42}
    first = client.post(f"/api/fields/{env.field_id}/submit", json=body, headers=headers)
    again = client.post(f"/api/fields/{env.field_id}/submit", json=body, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json()["replayed"] and again.json()["field"] == first.json()["field"]
    stale = client.post(f"/api/fields/{env.field_id}/submit", json=body, headers={"X-CSRF-Token": csrf})
    assert stale.status_code == 409 and stale.json()["current_value"] == 42.0
    history = client.get(f"/api/documents/{env.doc_id}/history").json()
    assert [(h["action"], h["new"]) for h in history if h["who"] == "ann"] == [("correct", 42.0)]


def test_logout_revokes_the_session(env: Env) -> None:
    client, csrf = login(env.app, "ann")
    cookie = client.cookies.get("xr_session")
    assert client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    replay = TestClient(env.app, cookies={"xr_session": cookie or ""})
    assert replay.get("/api/documents").status_code == 401
    wrong = TestClient(env.app).get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', wrong.text)
    assert token is not None
    started = time.monotonic()
    refused = TestClient(env.app, cookies=wrong.cookies).post(
        "/login", data={"username": "ann", "password": "nope-nope", "csrf_token": token.group(1)}
    )
    assert refused.status_code == 401 and "用户名或密码错误" in refused.text
    assert time.monotonic() - started < 5


def test_openapi_schema_documents_the_api(env: Env) -> None:
    client, _ = login(env.app, "ann")
    schema = client.get("/api/openapi.json").json()
    assert "/api/documents" in schema["paths"] and "/api/fields/{field_id}/submit" in schema["paths"]
    assert "413" in schema["paths"]["/api/documents"]["post"]["responses"]
    assert not any(p.startswith("/review") for p in schema["paths"])
