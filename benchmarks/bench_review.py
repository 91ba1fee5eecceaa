"""Review server latency: N queued fields, R concurrent reviewers over loopback HTTP.

Each reviewer loops: open the queue page (HTML), claim the next field, then confirm it or correct it (a
correction re-runs the validators of its document). Prints p50 / p95 / max per operation. The reviewers
run in a separate process from the server, as browsers would.

    .venv/bin/python benchmarks/bench_review.py [--fields 10000] [--reviewers 8] [--rounds 60] [--json out.json]

By default the store is a fresh SQLite file and the server runs in a thread of this process (the figures
the earlier runs were compared on). The team setup, PostgreSQL and `extractor serve --workers N`:

    .venv/bin/python benchmarks/bench_review.py --db postgresql+psycopg://USER:PW@HOST/postgres \
        --server-workers 4 --fields 100000 --reviewers 32 --think 1

`--db` is an admin URL (a fresh database is made on that server and dropped afterwards); `--db postgresql`
starts a throwaway cluster instead (tests/pg_server.py, durability off).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from multiprocessing import get_context
from pathlib import Path

import httpx

from extractor.review.accounts import create_user
from extractor.review.synthetic import synthetic_result
from extractor.settings import Settings
from extractor.storage import init_db, make_engine, session_scope, store_result
from review_ui import create_app
from review_ui.loopback import ApiClient, running_server

ROWS_PER_DOC = 100  # 400 fields per document, about the size of a seed document's tables
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


@contextmanager
def database(db: str | None, tmp: Path) -> Iterator[str]:
    """The store's URL: a SQLite file, or a fresh database on a PostgreSQL server (dropped afterwards)."""
    if db is None:
        yield f"sqlite:///{tmp / 'bench.sqlite'}"
        return
    from pg_server import Databases, running_server

    with ExitStack() as stack:
        admin = stack.enter_context(running_server()) if db == "postgresql" else db
        dbs = Databases(admin)
        url = dbs.make()
        try:
            yield url
        finally:
            dbs.drop(url)


@contextmanager
def served(url: str, workers: int, tmp: Path) -> Iterator[str]:
    """`extractor serve --workers N` in a process of its own; its base URL once every process answers."""
    import review_server

    with review_server.served(url, tmp, workers=workers, answers_per_worker=4, log=tmp / "server.log") as (
        base,
        _p,
    ):
        yield base


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def drive(
    url: str, team: range, rounds: int, think: float, correct_share: float, warmup: int = 0
) -> tuple[dict[str, list[float]], list[str], float, int]:
    """The reviewers of `team` (their indexes): each loops queue page, claim next, confirm or correct.
    Milliseconds per op; the first `warmup` rounds of each reviewer are not counted (each server process's
    first requests compile templates and fill its pools)."""
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    clients = {i: ApiClient(url, f"r{i}", f"password-{i}") for i in team}

    counting = threading.local()

    retried: list[str] = []

    def timed(op: str, call):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            answer = call()
        except (httpx.ReadError, httpx.RemoteProtocolError):
            # the server closed the kept-alive connection as the request went out (its keep-alive ended
            # during the pause): sent again once, as a browser does, and timed from the first attempt
            # (submits carry an idempotency key, so the second is never applied twice)
            with lock:
                retried.append(op)
            answer = call()
        elapsed = time.perf_counter() - t
        with lock:
            if counting.on:
                timings[op].append(elapsed * 1000)
            if answer.status_code >= 500:
                errors.append(f"{op}: {answer.status_code}")
        return answer

    def reviewer(index: int) -> None:
        rnd = random.Random(index)
        c = clients[index]
        for n in range(warmup + rounds):
            counting.on = n >= warmup
            time.sleep(think * rnd.uniform(0.5, 1.5))
            page = timed("queue page (GET /queue)", lambda: c.get("/queue"))
            assert page.status_code == 200
            claim = timed("claim next (POST /api/queue/next)", lambda: c.post("/api/queue/next"))
            if claim.status_code != 200:
                continue
            item = claim.json()
            time.sleep(think * rnd.uniform(0.5, 1.5))
            if rnd.random() < correct_share:
                body = {
                    "action": "correct",
                    "version": item["version"],
                    "value": round(rnd.uniform(1, 999), 2),
                }
                op = "submit: correct (re-validates the document)"
            else:
                body = {"action": "confirm", "version": item["version"]}
                op = "submit: confirm"
            key = {"Idempotency-Key": f"r{index}-{n}"}
            timed(
                op,
                lambda b=body, i=item, k=key: c.post(
                    f"/api/fields/{i['field_id']}/submit", json=b, headers=k
                ),
            )

    t0 = time.perf_counter()
    with ThreadPoolExecutor(len(team)) as pool:
        list(pool.map(reviewer, team))
    wall = time.perf_counter() - t0
    for c in clients.values():
        c.close()
    return dict(timings), errors, wall, len(retried)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fields", type=int, default=10_000)
    parser.add_argument("--reviewers", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=60, help="queue/claim/submit rounds per reviewer")
    parser.add_argument("--correct-share", type=float, default=0.3)
    parser.add_argument("--think", type=float, default=0.0, help="seconds a reviewer pauses between actions")
    parser.add_argument("--warmup", type=int, default=0, help="rounds per reviewer run first and not counted")
    parser.add_argument(
        "--db", default=None, help="PostgreSQL admin URL, or `postgresql` (a throwaway cluster)"
    )
    parser.add_argument(
        "--server-workers", type=int, default=0, help="run `extractor serve --workers N` (0: a thread here)"
    )
    parser.add_argument(
        "--no-analyze",
        action="store_true",
        help="PostgreSQL: leave the statistics to autovacuum after seeding",
    )
    parser.add_argument(
        "--client-processes", type=int, default=1, help="processes the reviewers' threads are spread over"
    )
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp, database(args.db, Path(tmp)) as url:
        run(args, url, Path(tmp))


def run(args: argparse.Namespace, url: str, tmp: Path) -> None:
    settings = Settings(data_dir=tmp, database_url=url)
    engine = make_engine(settings.effective_database_url)
    init_db(engine)
    started = time.perf_counter()
    docs = max(1, args.fields // (ROWS_PER_DOC * 4))
    with session_scope(engine) as s:
        for i in range(args.reviewers):
            create_user(s, username=f"r{i}", password=f"password-{i}")
        for d in range(docs):
            store_result(s, result=synthetic_result(rows=ROWS_PER_DOC, review_share=1.0, seed=d))
    print(
        f"stored {docs} documents, {docs * ROWS_PER_DOC * 4} queued fields in {time.perf_counter() - started:.1f} s"
    )
    if engine.dialect.name == "postgresql" and not args.no_analyze:
        # PostgreSQL's advice after a bulk load: gather the planner's statistics now, not whenever autovacuum
        # gets to the new tables (a plan made on empty statistics would be measured, not the server)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")

    with ExitStack() as stack:
        if args.server_workers:
            engine.dispose()
            base = stack.enter_context(served(url, args.server_workers, tmp))
        else:
            app = create_app(settings, engine=engine, gold_dir=tmp / "reviewed")
            base = stack.enter_context(running_server(app))
        # the reviewers run in processes of their own (as a team runs in browsers of its own): in the
        # server's process, or all in one, their threads would compete for one interpreter lock and the
        # figures would measure that, not the server
        n = max(1, min(args.client_processes, args.reviewers))
        teams = [range(i, args.reviewers, n) for i in range(n)]
        clients = stack.enter_context(ProcessPoolExecutor(n, mp_context=get_context("spawn")))
        parts = [
            clients.submit(drive, base, team, args.rounds, args.think, args.correct_share, args.warmup)
            for team in teams
        ]
        timings, errors, wall, resent = defaultdict(list), [], 0.0, 0
        for part in parts:
            t, e, w, r = part.result()
            resent += r
            for op, values in t.items():
                timings[op].extend(values)
            errors.extend(e)
            wall = max(wall, w)
    engine.dispose()

    report = {
        "database": engine.dialect.name,
        "server_processes": args.server_workers or "thread",
        "fields": docs * ROWS_PER_DOC * 4,
        "reviewers": args.reviewers,
        "client_processes": args.client_processes,
        "think_seconds": args.think,
        "warmup_rounds": args.warmup,
        "wall_seconds": round(wall, 2),
        "server_errors": len(errors),
        "sent_again": resent,
        "operations": {
            op: {
                "n": len(v),
                "p50_ms": round(statistics.median(v), 1),
                "p95_ms": round(percentile(v, 0.95), 1),
                "max_ms": round(max(v), 1),
            }
            for op, v in sorted(timings.items())
        },
    }
    print(
        f"{report['database']}, server {report['server_processes']}: "
        f"{report['fields']} queued fields, {args.reviewers} reviewers (think {args.think} s), {wall:.1f} s, "
        f"{len(errors)} server errors, {resent} request(s) sent again on a closed connection"
    )
    for op, s in report["operations"].items():
        print(
            f"  {op:48s} n={s['n']:5d}  p50 {s['p50_ms']:7.1f} ms  p95 {s['p95_ms']:7.1f} ms  max {s['max_ms']:7.1f} ms"
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
