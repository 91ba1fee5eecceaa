"""The review server as operators run it: `extractor serve --workers N` in processes of its own, on the
suite's database (SQLite, or PostgreSQL with --db postgresql).

- The login throttle counts across processes (it lives in the database).
- SIGTERM under load: every request the server took is answered in full (never a 5xx other than 503),
  later ones are refused at connect, every 200 submit is applied exactly once, and the leases held at
  the stop expire on their own time and are then claimable by someone else.
"""

from __future__ import annotations

import re
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import review_server
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from extractor.review.accounts import create_user
from extractor.review.synthetic import synthetic_result
from extractor.settings import Settings
from extractor.storage import init_db, make_engine, session_scope, store_result
from extractor.storage.tables import AuditRow, LeaseRow
from review_ui import create_app
from review_ui.loopback import ApiClient

PASSWORD = "a long password 42"
LEASE_SECONDS = 10


def _prepare(db_url: str, reviewers: int, docs: int) -> None:
    engine = make_engine(db_url)
    init_db(engine)
    with session_scope(engine) as s:
        for i in range(reviewers):
            create_user(s, username=f"r{i}", password=PASSWORD)
        for d in range(docs):
            store_result(s, result=synthetic_result(rows=30, review_share=1.0, seed=d))
    engine.dispose()


@contextmanager
def served(db_url: str, tmp_path: Path, workers: int) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`extractor serve --workers N --port 0` with this module's lease and a 20 s graceful stop."""
    with review_server.served(
        db_url,
        tmp_path / "var",
        workers=workers,
        env={"EXTRACTOR_LEASE_SECONDS": str(LEASE_SECONDS)},
        extra_args=("--graceful-seconds", "20"),
        stop_seconds=60,
    ) as running:
        yield running


def _api_login(url: str, username: str, password: str) -> int:
    """One login attempt on a fresh connection (so attempts spread over the server's processes)."""
    with httpx.Client(base_url=url, timeout=30) as http:
        csrf = http.get("/api/login/csrf").json()["csrf_token"]
        return http.post(
            "/api/login", json={"username": username, "password": password}, headers={"X-CSRF-Token": csrf}
        ).status_code


def test_two_apps_on_one_database_share_the_login_throttle(tmp_path: Path, db_url: str) -> None:
    settings = Settings(
        data_dir=tmp_path,
        database_url=db_url,
        login_max_failures=10,
        login_lockout_seconds=600,
        allowed_hosts=["testserver"],
    )
    engine = make_engine(db_url)
    init_db(engine)
    with session_scope(engine) as s:
        create_user(s, username="ann", password=PASSWORD)
    apps = [create_app(settings, engine=engine) for _ in range(2)]
    clients = [TestClient(a) for a in apps]

    def attempt(client: TestClient, password: str) -> int:
        got = client.get("/api/login/csrf")
        assert got.status_code == 200, got.text
        csrf = got.json()["csrf_token"]
        body = {"username": "ann", "password": password}
        return client.post("/api/login", json=body, headers={"X-CSRF-Token": csrf}).status_code

    codes = [attempt(clients[i % 2], f"wrong-{i}") for i in range(10)]
    assert codes == [401] * 10
    # five wrong passwords went to each app; either one now refuses, even the right password
    assert [attempt(c, PASSWORD) for c in clients] == [429, 429]
    for a in apps:
        a.state.jobs.shutdown()


def test_serve_workers_throttle_logins_across_processes(tmp_path: Path, db_url: str) -> None:
    _prepare(db_url, reviewers=1, docs=0)
    with served(db_url, tmp_path, workers=2) as (url, _proc):
        codes = [_api_login(url, "r0", f"wrong-{i}") for i in range(10)]
        assert codes == [401] * 10
        # with counts in each process's memory, half the failures would be in each and this would pass
        assert _api_login(url, "r0", PASSWORD) == 429


def test_sigterm_under_load_answers_every_request_taken_and_leases_expire_on_time(
    tmp_path: Path, db_url: str
) -> None:
    reviewers = 6
    _prepare(db_url, reviewers=reviewers + 1, docs=8)  # more than 4 s of confirms: the queue never runs dry
    outcomes: Counter[str] = Counter()
    applied: list[str] = []  # idempotency keys of submits answered 200
    lock = threading.Lock()
    stop = threading.Event()

    with served(db_url, tmp_path, workers=2) as (url, proc):
        clients = [ApiClient(url, f"r{i}", PASSWORD) for i in range(reviewers)]

        def reviewer(c: ApiClient) -> None:
            while not stop.is_set():
                try:
                    claim = c.post("/api/queue/next")
                    with lock:
                        outcomes[f"claim {claim.status_code}"] += 1
                    if claim.status_code != 200:
                        continue
                    item = claim.json()
                    key = uuid.uuid4().hex
                    body = {"action": "confirm", "version": item["version"]}
                    answer = c.post(
                        f"/api/fields/{item['field_id']}/submit", json=body, headers={"Idempotency-Key": key}
                    )
                    with lock:
                        outcomes[f"submit {answer.status_code}"] += 1
                        if answer.status_code == 200:
                            applied.append(key)
                except httpx.ConnectError:
                    with lock:
                        outcomes["refused at connect"] += 1
                    return  # the socket is closed: the server has stopped taking requests
                except httpx.TransportError as exc:  # a request the server took and did not answer
                    with lock:
                        outcomes[f"cut: {type(exc).__name__}"] += 1
                    return

        threads = [threading.Thread(target=reviewer, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        time.sleep(4)
        stopped_at = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        stop_seconds = time.monotonic() - stopped_at
        stop.set()
        for t in threads:
            t.join(timeout=60)
        for c in clients:
            c.close()

    print(f"outcomes: {dict(outcomes)}; stopped in {stop_seconds:.1f} s")
    assert sum(n for k, n in outcomes.items() if k.startswith("submit 200")) >= 5, outcomes
    bad = {
        k: n
        for k, n in outcomes.items()
        if k.startswith("cut") or re.search(r" 5\d\d$", k) and " 503" not in k
    }
    assert not bad, f"requests cut or failed at the stop: {bad}"

    engine = make_engine(db_url)
    with session_scope(engine, readonly=True) as s:
        confirms = s.execute(select(func.count()).select_from(AuditRow).where(AuditRow.action == "confirm"))
        assert confirms.scalar_one() == len(applied)  # every 200 applied once, nothing applied unanswered
        leases = s.execute(select(LeaseRow)).scalars().all()
        for lease in leases:  # claims outlive the stop, each for exactly its lease time
            assert lease.expires_at - lease.acquired_at == timedelta(seconds=LEASE_SECONDS)
        held = {lease.field_id for lease in leases}
    engine.dispose()
    assert held, "the stop found no claim in progress"

    # the reviewer who held nothing is refused a live claim and given an expired one
    settings = Settings(
        data_dir=tmp_path, database_url=db_url, lease_seconds=LEASE_SECONDS, allowed_hosts=["testserver"]
    )
    app = create_app(settings)
    with TestClient(app) as client:
        client.headers.update(_bearer(client, f"r{reviewers}"))
        now = datetime.now(UTC)
        live = [lease.field_id for lease in leases if lease.expires_at > now + timedelta(seconds=1)]
        assert all(client.post(f"/api/fields/{f}/lease").status_code == 409 for f in live)
        time.sleep(
            max(0.0, (max(lease.expires_at for lease in leases) - datetime.now(UTC)).total_seconds()) + 0.5
        )
        assert [client.post(f"/api/fields/{f}/lease").status_code for f in sorted(held)] == [200] * len(held)
    print(f"{len(held)} leases held at the stop, {len(live)} still live when checked")


def _bearer(client: TestClient, username: str) -> dict[str, str]:
    csrf = client.get("/api/login/csrf").json()["csrf_token"]
    data = client.post(
        "/api/login", json={"username": username, "password": PASSWORD}, headers={"X-CSRF-Token": csrf}
    ).json()
    return {"Authorization": f"Bearer {data['token']}", "X-CSRF-Token": data["csrf_token"]}
