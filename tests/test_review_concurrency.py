"""Concurrency over real HTTP on loopback (uvicorn in a thread, SQLite file): conflicting submits, many
reviewers pulling "next", 10,000 randomized concurrent submissions, expiring leases, early 413."""

from __future__ import annotations

import random
import socket
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Engine, func, select

from extractor.review.accounts import create_user
from extractor.review.synthetic import synthetic_result
from extractor.settings import Settings
from extractor.storage import init_db, make_engine, session_scope, store_result
from extractor.storage.queue_counts import drift
from extractor.storage.tables import AuditRow, FieldRow
from review_ui import create_app
from review_ui.loopback import ApiClient, running_server

REVIEWERS = 20


@dataclass
class Server:
    url: str
    engine: Engine
    settings: Settings


def password(i: int) -> str:
    return f"password-{i:02d}"


def add_document(engine: Engine, *, rows: int, seed: int) -> tuple[int, list[int]]:
    with session_scope(engine) as s:
        doc_id, _ = store_result(s, result=synthetic_result(rows=rows, review_share=1.0, seed=seed))
        ids = list(s.scalars(select(FieldRow.id).where(FieldRow.document_id == doc_id).order_by(FieldRow.id)))
    return doc_id, ids


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, module_db_url: str) -> Iterator[Server]:
    tmp: Path = tmp_path_factory.mktemp("concurrency")
    settings = Settings(data_dir=tmp, database_url=module_db_url, lease_seconds=300, max_upload_bytes=1024)
    engine = make_engine(settings.effective_database_url)
    init_db(engine)
    with session_scope(engine) as s:
        for i in range(REVIEWERS):
            create_user(s, username=f"r{i:02d}", password=password(i))
    app = create_app(settings, engine=engine, gold_dir=tmp / "reviewed")
    with running_server(app) as url:
        yield Server(url, engine, settings)


@pytest.fixture(scope="module")
def clients(server: Server) -> Iterator[list[ApiClient]]:
    with ThreadPoolExecutor(8) as pool:
        made = list(pool.map(lambda i: ApiClient(server.url, f"r{i:02d}", password(i)), range(REVIEWERS)))
    yield made
    for c in made:
        c.close()


def test_two_reviewers_same_version_exactly_one_wins(server: Server, clients: list[ApiClient]) -> None:
    _, ids = add_document(server.engine, rows=2, seed=101)
    for attempt in range(5):  # repeat the race a few times on fresh fields
        barrier = threading.Barrier(2)

        def send(i: int, target: int = ids[attempt], gate: threading.Barrier = barrier) -> Any:
            gate.wait()
            body = {"action": "correct", "version": 1, "value": 100 + i}
            return clients[i].post(f"/api/fields/{target}/submit", json=body)

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(send, [0, 1]))
        codes = sorted(a.status_code for a in answers)
        assert codes == [200, 409], codes
        winner = next(a for a in answers if a.status_code == 200).json()["field"]
        loser = next(a for a in answers if a.status_code == 409).json()
        assert loser["current_value"] == winner["value"] and loser["current_version"] == 2


def test_twenty_clients_pulling_next_never_share_a_live_item(
    server: Server, clients: list[ApiClient]
) -> None:
    doc_id, ids = add_document(server.engine, rows=250, seed=202)
    assert len(ids) == 1000

    def pull(client: ApiClient) -> list[int]:
        got: list[int] = []
        while True:
            answer = client.post("/api/queue/next", params={"document": doc_id})
            if answer.status_code == 204:
                return got
            assert answer.status_code == 200, answer.text
            got.append(answer.json()["field_id"])

    with ThreadPoolExecutor(REVIEWERS) as pool:
        handed = [fid for batch in pool.map(pull, clients) for fid in batch]
    assert len(handed) == len(set(handed)) == 1000
    assert set(handed) == set(ids)


def test_ten_thousand_random_submissions_lose_nothing(server: Server, clients: list[ApiClient]) -> None:
    # 50 small documents (each correction re-runs its document's validators), 800 fields in all
    docs = [add_document(server.engine, rows=4, seed=3000 + i) for i in range(50)]
    doc_ids = [d for d, _ in docs]
    ids = [f for _, fs in docs for f in fs]
    per_client = 10_000 // REVIEWERS
    statuses: Counter[int] = Counter()
    wins: dict[int, list[tuple[int, Any, str]]] = defaultdict(list)
    lock = threading.Lock()

    def work(index: int) -> None:
        rnd = random.Random(index)
        known = dict.fromkeys(ids, 1)  # the version this reviewer last saw of each field
        for n in range(per_client):
            fid = rnd.choice(ids)
            action = rnd.choice(["correct", "correct", "confirm"])
            value = round(rnd.uniform(0, 1000), 2) if action == "correct" else None
            body = {
                "action": action,
                "version": known[fid],
                "value": value,
                "idempotency_key": f"{index}-{n}",
            }
            answer = clients[index].post(f"/api/fields/{fid}/submit", json=body)
            with lock:
                statuses[answer.status_code] += 1
            if answer.status_code == 200:
                state = answer.json()["field"]
                known[fid] = state["version"]
                with lock:
                    wins[fid].append((state["version"], state["value"], state["status"]))
            elif answer.status_code == 409:
                known[fid] = answer.json()["current_version"]

    started = time.monotonic()
    with ThreadPoolExecutor(REVIEWERS) as pool:
        list(pool.map(work, range(REVIEWERS)))
    elapsed = time.monotonic() - started
    assert sum(statuses.values()) == 10_000
    assert set(statuses) <= {200, 409}, statuses  # no 5xx, nothing else
    with session_scope(server.engine, readonly=True) as s:
        rows = {f.id: f for f in s.scalars(select(FieldRow).where(FieldRow.document_id.in_(doc_ids)))}
        audited = s.scalar(
            select(func.count())
            .select_from(AuditRow)
            .where(AuditRow.document_id.in_(doc_ids), AuditRow.user_id.is_not(None))
        )
        counts_off = drift(s)
    assert audited == statuses[200]
    assert counts_off == []  # the queue's kept totals still equal a fresh count, after 10,000 races
    for fid, row in rows.items():
        accepted = sorted(wins.get(fid, []))
        versions = [v for v, _, _ in accepted]
        assert len(set(versions)) == len(versions), fid  # no two accepted submits from the same version
        if accepted:
            # the last accepted change is what is stored (the validators may bump versions, never values)
            assert row.version >= versions[-1] and (row.value, row.status) == accepted[-1][1:], fid
    print(f"10,000 submissions: {statuses[200]} accepted, {statuses[409]} stale, {elapsed:.1f} s")


def test_an_expired_lease_returns_the_item(server: Server, clients: list[ApiClient]) -> None:
    doc_id, ids = add_document(server.engine, rows=1, seed=404)
    short = Settings(
        data_dir=server.settings.data_dir, database_url=server.settings.database_url, lease_seconds=1
    )
    app = create_app(short, engine=server.engine, migrate=False)
    with running_server(app) as url:
        a = ApiClient(url, "r00", password(0))
        b = ApiClient(url, "r01", password(1))
        claimed = {a.post("/api/queue/next", params={"document": doc_id}).json()["field_id"] for _ in ids}
        assert claimed <= set(ids)
        for _ in range(len(ids) - len(claimed)):
            a.post("/api/queue/next", params={"document": doc_id})
        assert b.post("/api/queue/next", params={"document": doc_id}).status_code == 204
        time.sleep(1.2)
        again = b.post("/api/queue/next", params={"document": doc_id})
        assert again.status_code == 200 and again.json()["field_id"] in ids
        a.close()
        b.close()


def test_an_oversized_upload_is_refused_before_its_body_is_sent(
    server: Server, clients: list[ApiClient]
) -> None:
    token = clients[0].http.headers["Authorization"]
    csrf = clients[0].http.headers["X-CSRF-Token"]
    parts = urlsplit(server.url)
    with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=10) as sock:
        head = (
            "POST /api/documents?filename=huge.pdf HTTP/1.1\r\n"
            f"Host: {parts.netloc}\r\nAuthorization: {token}\r\nX-CSRF-Token: {csrf}\r\n"
            "Content-Type: application/octet-stream\r\nContent-Length: 1000000000\r\n\r\n"
        )
        sock.sendall(head.encode())  # and no body at all: the answer must come anyway
        answer = sock.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
