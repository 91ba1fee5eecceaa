"""Schemathesis against the operator API's own OpenAPI schema, over HTTP on a loopback port, on a real
database (`--db`) with stored documents, logged in as an admin so that every operation is reachable.

Every generated request (valid and invalid ones) must get: no 5xx, a status code the operation declares,
the content type it declares for that status, and a body that conforms to the declared schema.

EXTRACTOR_FUZZ_CASES is the fuzzing budget, shared by the operations that take input (default 400: the
run takes well under a minute); Schemathesis' coverage phase adds a few fixed cases per operation (edge
values, other methods). `EXTRACTOR_FUZZ_CASES=10000` is the long run (review_ui/README.md); a run with the
variable set prints the cases and statuses per operation. Decisions:
- half of the generated path ids and refs are replaced by ones that exist, and half of the submits and
  undos of those are sent at the field's current version, so that the fuzzer gets past the lookups and
  the version check to what is behind them (value coercion, revalidation, leases, approval);
- POST /api/logout is sent with a session made for that one case, not the fuzzing session's token;
- POST /api/login gets a valid pre-login CSRF token, and the login limiter is set high, so that each
  case reaches the password check; the 429 of a locked account is declared and checked on its own below;
- uploads run, with a 4 KiB body limit (larger bodies get the declared 413) and a stand-in pipeline (the
  bytes make a synthetic document), so that they are quick; the real pipeline has its own fuzz tests
  (test_readers_fuzz.py).
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import delete, select

from extractor.errors import IngestError
from extractor.model import ExtractionResult
from extractor.review.accounts import Reviewer, create_user, open_session
from extractor.review.approval import approve
from extractor.review.service import submit_and_revalidate
from extractor.review.submit import Submit
from extractor.review.synthetic import synthetic_result
from extractor.settings import Settings
from extractor.storage import init_db, make_engine, session_scope, store_result
from extractor.storage.tables import DocumentRow, FieldRow, JobRow, LoginFailureRow
from review_ui import create_app
from review_ui.login_limits import LoginLimiter
from review_ui.loopback import running_server

CASES = int(os.environ.get("EXTRACTOR_FUZZ_CASES", "400"))
REPORT = "EXTRACTOR_FUZZ_CASES" in os.environ  # a chosen run prints its cases and statuses per operation
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ADMIN = ("root", "root-password-for-fuzzing")


def fake_extract(data: bytes, filename: str) -> ExtractionResult:
    if not data.strip():
        raise IngestError("empty file", source=filename)
    return synthetic_result(rows=2, seed=zlib.crc32(data), source=filename)


def _settings(data_dir: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        max_upload_bytes=4096,
        lease_seconds=60,
        allowed_hosts=["127.0.0.1"],
        login_max_failures=1_000_000,
    )


def _schema() -> dict[str, Any]:
    """The schema the server serves, from an app whose database is never opened."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = _settings(Path(tmp), f"sqlite:///{tmp}/unused.sqlite")
        app = create_app(
            settings, engine=make_engine(settings.effective_database_url), extract=fake_extract, migrate=False
        )
        return app.openapi()


RAW_SCHEMA = _schema()
SCHEMA = schemathesis.openapi.from_dict(RAW_SCHEMA)
# the budget is shared by the operations that take input; one without any is exhausted after a few cases
TAKE_INPUT = sum(
    1
    for methods in RAW_SCHEMA["paths"].values()
    for operation in methods.values()
    if operation.get("parameters") or operation.get("requestBody")
)
PER_OPERATION = max(1, math.ceil(CASES / TAKE_INPUT))


@dataclass
class Known:
    """What exists in the fuzzed database, for the hooks below."""

    values: dict[str, list[Any]] = field(default_factory=dict)
    engine: Any = None

    def version(self, field_id: int) -> int | None:
        with session_scope(self.engine, readonly=True) as s:
            return s.scalar(select(FieldRow.version).where(FieldRow.id == field_id))


KNOWN = Known()


@SCHEMA.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> st.SearchStrategy[Any]:
    names = [name for name in path_parameters or {} if name in KNOWN.values]
    if not names:
        return st.just(path_parameters)

    def pick(i: int) -> dict[str, Any]:
        out = dict(path_parameters or {})
        for name in names:
            known = KNOWN.values[name]
            out[name] = known[i % len(known)]
        return out

    return st.one_of(st.just(path_parameters), st.integers(min_value=0, max_value=1_000).map(pick))


@SCHEMA.hook
def flatmap_case(context: Any, case: Any) -> st.SearchStrategy[Any]:
    """Half of the submits and undos of a field that exists are sent at its current version: past the
    version check to what the value does (coercion, revalidation, the audit)."""
    field_id = (case.path_parameters or {}).get("field_id")
    body = case.body
    if not (isinstance(body, dict) and "version" in body and isinstance(field_id, int)):
        return st.just(case)
    if field_id not in KNOWN.values.get("field_id", []):
        return st.just(case)
    known = field_id

    def current(yes: bool) -> Any:
        version = KNOWN.version(known) if yes else None
        if version is not None:
            case.body = {**body, "version": version}
        return case

    return st.booleans().map(current)


@dataclass
class FuzzEnv:
    app: FastAPI
    base_url: str
    http: requests.Session
    headers: dict[str, str]
    login_csrf: str
    engine: Any
    admin: Reviewer
    statuses: dict[str, Counter[int]]


def _seed(engine: Any, settings: Settings) -> Reviewer:
    """Three documents with queued fields (the last one approved, the first with a correction to undo),
    a reviewer besides the admin, a job."""
    with session_scope(engine) as s:
        admin = create_user(s, username=ADMIN[0], password=ADMIN[1], role="admin")
        create_user(s, username="ann", password="ann-password")
        ids = [
            store_result(s, result=synthetic_result(rows=rows, review_share=0.5, seed=n, source=f"{n}.txt"))[
                0
            ]
            for n, rows in enumerate((8, 3, 5))
        ]
        s.add(JobRow(filename="seeded.txt", user_id=admin.id, state="done", message="seeded"))
    first, last = ids[0], ids[-1]
    with session_scope(engine, readonly=True) as s:
        queued = s.execute(
            select(FieldRow.id, FieldRow.version, FieldRow.document_id)
            .where(FieldRow.document_id.in_([first, last]), FieldRow.status == "needs_review")
            .order_by(FieldRow.id)
        ).all()
    decisions = [Submit(f.id, "confirm", f.version) for f in queued if f.document_id == last]
    decisions += [Submit(f.id, "correct", f.version, "12.5") for f in queued if f.document_id == first][:1]
    for request in decisions:
        submit_and_revalidate(engine, user=admin, request=request, settings=settings)
    with session_scope(engine) as s:
        approve(s, user=admin, document_id=last)
    return admin


def _known(engine: Any) -> dict[str, list[Any]]:
    with session_scope(engine, readonly=True) as s:
        docs = list(s.execute(select(DocumentRow.id, DocumentRow.sha256, DocumentRow.source)))
        fields = list(s.scalars(select(FieldRow.id).order_by(FieldRow.id)))
        jobs = list(s.scalars(select(JobRow.id)))
    refs = [str(d.id) for d in docs] + [d.sha256[:12] for d in docs] + [d.source for d in docs]
    return {"field_id": fields, "ref": refs, "job_id": jobs}


@pytest.fixture(scope="module")
def tally(request: pytest.FixtureRequest) -> Iterator[dict[str, Counter[int]]]:
    """The statuses answered, per operation, for the report of a chosen run."""
    counts: dict[str, Counter[int]] = {}
    started = time.monotonic()
    yield counts
    if REPORT:
        lines = [f"{sum(c.values()):6d}  {label}  {dict(sorted(c.items()))}" for label, c in counts.items()]
        total = sum(sum(c.values()) for c in counts.values())
        lines.append(f"{total:6d}  cases in {time.monotonic() - started:.0f} s")
        with request.config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
            print("\n" + "\n".join(lines), file=sys.stderr)


@pytest.fixture(scope="module")
def fuzz_env(
    tmp_path_factory: pytest.TempPathFactory, module_db_url: str, tally: dict[str, Counter[int]]
) -> Iterator[FuzzEnv]:
    """One seeded database and one server for the module: the operations run one after another on it, each
    finding what the ones before it left (uploaded documents, approvals, corrections)."""
    tmp_path = tmp_path_factory.mktemp("fuzz")
    settings = _settings(tmp_path / "var", module_db_url)
    engine = make_engine(settings.effective_database_url)
    init_db(engine)
    admin = _seed(engine, settings)
    KNOWN.values, KNOWN.engine = _known(engine), engine
    app = create_app(
        settings,
        engine=engine,
        extract=fake_extract,
        gold_dir=tmp_path / "reviewed",
        reports_dir=tmp_path / "reports",
        session_ttl=timedelta(hours=1),
    )
    with running_server(app) as base_url, requests.Session() as http:
        login_csrf = http.get(f"{base_url}/api/login/csrf").json()["csrf_token"]
        answer = http.post(
            f"{base_url}/api/login",
            json={"username": ADMIN[0], "password": ADMIN[1]},
            headers={"X-CSRF-Token": login_csrf},
        )
        assert answer.status_code == 200, answer.text
        login = answer.json()
        headers = {"Authorization": f"Bearer {login['token']}", "X-CSRF-Token": login["csrf_token"]}
        served = http.get(f"{base_url}/api/openapi.json", headers=headers)
        # the schema fuzzed is the one served
        assert served.status_code == 200 and served.json() == RAW_SCHEMA
        yield FuzzEnv(app, base_url, http, headers, login_csrf, engine, admin, tally)
    app.state.jobs.shutdown()
    KNOWN.values, KNOWN.engine = {}, None
    engine.dispose()


def _extra(env: FuzzEnv, case: Any) -> tuple[dict[str, str], dict[str, str]]:
    """Headers and cookies to send with a case besides what Schemathesis generated."""
    path, method = case.operation.path, case.method.upper()
    if (method, path) == ("POST", "/api/logout"):
        with session_scope(env.engine) as s:
            own = open_session(s, user=env.admin, ttl=timedelta(minutes=5))
        return {"Authorization": f"Bearer {own.token}", "X-CSRF-Token": own.csrf_token}, {}
    if (method, path) == ("POST", "/api/login"):
        return {"X-CSRF-Token": env.login_csrf}, {"xr_login_csrf": env.login_csrf}
    return dict(env.headers), {}


@SCHEMA.parametrize()
@settings(
    max_examples=PER_OPERATION,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_operation_conforms_to_its_schema(case: Any, fuzz_env: FuzzEnv) -> None:
    headers, cookies = _extra(fuzz_env, case)
    fuzz_env.http.cookies.clear()
    response = case.call(base_url=fuzz_env.base_url, session=fuzz_env.http, headers=headers, cookies=cookies)
    fuzz_env.statuses.setdefault(case.operation.label, Counter())[response.status_code] += 1
    case.validate_response(response, checks=CHECKS)


def test_a_locked_login_answers_as_declared(fuzz_env: FuzzEnv) -> None:
    """What the fuzzing cannot reach with its limiter set high: the 429 of a locked account."""
    state = fuzz_env.app.state
    engine = state.config.engine
    with session_scope(engine) as session:  # the failures the fuzzing logged count no more
        session.execute(delete(LoginFailureRow))
    high, state.login_limiter = state.login_limiter, LoginLimiter(engine, max_failures=2, window_seconds=60)
    operation = SCHEMA["/api/login"]["POST"]
    answers = []
    try:
        for password in ("wrong-password-1", "wrong-password-2", ADMIN[1]):
            case = operation.Case(
                body={"username": ADMIN[0], "password": password}, media_type="application/json"
            )
            headers, cookies = _extra(fuzz_env, case)
            response = case.call(
                base_url=fuzz_env.base_url, session=fuzz_env.http, headers=headers, cookies=cookies
            )
            case.validate_response(response, checks=CHECKS)
            answers.append((response.status_code, response.headers.get("retry-after") is not None))
    finally:
        state.login_limiter = high
    assert answers == [(401, False), (401, False), (429, True)]
