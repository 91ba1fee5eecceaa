"""Review server latency: 10,000 queued fields in SQLite, 8 concurrent reviewers over loopback HTTP.

Each reviewer loops: open the queue page (HTML), claim the next field, then confirm it or correct it (a
correction re-runs the validators of its document). Prints p50 / p95 / max per operation. The reviewers
run in a separate process from the server, as browsers would.

    .venv/bin/python benchmarks/bench_review.py [--fields 10000] [--reviewers 8] [--rounds 60] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from extractor.review.accounts import create_user
from extractor.review.synthetic import synthetic_result
from extractor.settings import Settings
from extractor.storage import init_db, make_engine, session_scope, store_result
from review_ui import create_app
from review_ui.loopback import ApiClient, running_server

ROWS_PER_DOC = 100  # 400 fields per document, about the size of a seed document's tables


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def drive(
    url: str, reviewers: int, rounds: int, think: float, correct_share: float
) -> tuple[dict[str, list[float]], list[str], float]:
    """The reviewers' side: each loops queue page, claim next, confirm or correct. Milliseconds per op."""
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    clients = [ApiClient(url, f"r{i}", f"password-{i}") for i in range(reviewers)]

    def timed(op: str, call):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        answer = call()
        elapsed = time.perf_counter() - t
        with lock:
            timings[op].append(elapsed * 1000)
            if answer.status_code >= 500:
                errors.append(f"{op}: {answer.status_code}")
        return answer

    def reviewer(index: int) -> None:
        rnd = random.Random(index)
        c = clients[index]
        for _ in range(rounds):
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
            timed(op, lambda b=body, i=item: c.post(f"/api/fields/{i['field_id']}/submit", json=b))

    t0 = time.perf_counter()
    with ThreadPoolExecutor(reviewers) as pool:
        list(pool.map(reviewer, range(reviewers)))
    wall = time.perf_counter() - t0
    for c in clients:
        c.close()
    return dict(timings), errors, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fields", type=int, default=10_000)
    parser.add_argument("--reviewers", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=60, help="queue/claim/submit rounds per reviewer")
    parser.add_argument("--correct-share", type=float, default=0.3)
    parser.add_argument("--think", type=float, default=0.0, help="seconds a reviewer pauses between actions")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-review-"))
    settings = Settings(data_dir=tmp)
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

    app = create_app(settings, engine=engine, gold_dir=tmp / "reviewed")
    with running_server(app) as url, ProcessPoolExecutor(1, mp_context=get_context("spawn")) as clients:
        # the reviewers run in a process of their own: in the server's process their threads would
        # compete with it for the interpreter lock and the figures would measure that, not the server
        timings, errors, wall = clients.submit(
            drive, url, args.reviewers, args.rounds, args.think, args.correct_share
        ).result()

    report = {
        "fields": docs * ROWS_PER_DOC * 4,
        "reviewers": args.reviewers,
        "think_seconds": args.think,
        "wall_seconds": round(wall, 2),
        "server_errors": len(errors),
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
        f"{report['fields']} queued fields, {args.reviewers} reviewers (think {args.think} s), {wall:.1f} s, "
        f"{len(errors)} server errors"
    )
    for op, s in report["operations"].items():
        print(
            f"  {op:48s} n={s['n']:5d}  p50 {s['p50_ms']:7.1f} ms  p95 {s['p95_ms']:7.1f} ms  max {s['max_ms']:7.1f} ms"
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
