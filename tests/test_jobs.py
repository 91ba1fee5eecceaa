"""Ingestion jobs on a real PostgreSQL server (procrastinate): workers killed with SIGKILL mid-document, and
four workers on 200 documents. Every document is stored exactly once and whole. Needs `--db postgresql`
(`EXTRACTOR_TEST_DB=postgresql scripts/test.sh`, which CI runs)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

EXTRACTOR = str(Path(sys.executable).with_name("extractor"))


@pytest.fixture()
def pg_url(db_kind: str, db_url: str) -> str:
    if db_kind != "postgresql":
        pytest.skip("ingestion jobs run on PostgreSQL: run with --db postgresql")
    return db_url


def variants(seed: Path, out: Path, n: int) -> list[Path]:
    """n documents that differ from the seed (and from each other) by one line: n sha256s."""
    out.mkdir(parents=True, exist_ok=True)
    base = seed.read_text(encoding="utf-8")
    files = []
    for i in range(n):
        f = out / f"{seed.stem}-v{i:04d}.txt"
        f.write_text(base + f"\n附注：变体 {i}\n", encoding="utf-8")
        files.append(f)
    return files


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "EXTRACTOR_DATA_DIR": str(tmp_path / "var"),
        "EXTRACTOR_LLM_OFFLINE": "1",
        "EXTRACTOR_JOB_STALLED_AFTER_S": "2",
        **extra,
    }


def cli(url: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXTRACTOR, *args, "--db", url], capture_output=True, text=True, env=env, timeout=900
    )


def worker(url: str, env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [EXTRACTOR, "worker", "--db", url, *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def check_stored_once_and_whole(url: str, files: list[Path]) -> None:
    engine = create_engine(url)
    with engine.connect() as conn:
        docs = conn.execute(text("select source, sha256, record_count, field_count, id from documents")).all()
        records = dict(
            conn.execute(text("select document_id, count(*) from records group by document_id")).all()
        )
        fields = dict(
            conn.execute(text("select document_id, count(*) from fields group by document_id")).all()
        )
        jobs = conn.execute(text("select status, count(*) from procrastinate_jobs group by status")).all()
    engine.dispose()
    assert sorted(d.source for d in docs) == sorted(f.name for f in files)  # each once: 0 duplicates
    assert len({d.sha256 for d in docs}) == len(files)
    half = [
        d.source
        for d in docs
        if (records.get(d.id, 0), fields.get(d.id, 0)) != (d.record_count, d.field_count)
    ]
    assert half == []  # 0 half documents
    assert dict(jobs) == {"succeeded": dict(jobs).get("succeeded", -1)}, jobs  # every job done, none failed


def test_sigkill_mid_document_ten_times_retries_without_duplicates_or_halves(
    pg_url: str, tmp_path: Path, seed_paths: dict[str, Path]
) -> None:
    files = variants(seed_paths["000"], tmp_path / "docs", 6) + variants(
        seed_paths["001"], tmp_path / "docs", 6
    )
    env = env_for(tmp_path, EXTRACTOR_JOB_MAX_ATTEMPTS="30")
    queued = cli(pg_url, "ingest", "--enqueue", "--backend", "rules", *map(str, files), env=env)
    assert queued.returncode == 0, queued.stderr
    engine = create_engine(pg_url)
    hit = 0
    try:
        for moment in range(10):
            w = worker(pg_url, env, "--concurrency", "2")
            deadline = time.monotonic() + 60
            # wait for the worker to hold a job, then kill it some way into its document
            while time.monotonic() < deadline:
                with engine.connect() as conn:
                    doing = conn.execute(
                        text("select count(*) from procrastinate_jobs where status = 'doing'")
                    ).scalar_one()
                if doing or w.poll() is not None:
                    break
                time.sleep(0.05)
            time.sleep(0.15 * moment)  # 0 .. 1.35 s into the document(s) it holds
            hit += 1 if doing else 0
            w.send_signal(signal.SIGKILL)
            w.wait(timeout=30)
        with engine.connect() as conn:
            retried = conn.execute(
                text("select count(*) from procrastinate_jobs where attempts > 0 or status = 'doing'")
            ).scalar_one()
    finally:
        engine.dispose()
    assert hit >= 5, f"only {hit} of 10 kills found a job running"
    assert retried >= 1
    drain = worker(pg_url, env, "--exit-when-empty", "--concurrency", "2")
    assert drain.wait(timeout=900) == 0, drain.stderr.read() if drain.stderr else ""
    check_stored_once_and_whole(pg_url, files)
    print(f"10 SIGKILLs, {hit} mid-document; {len(files)} documents stored once each")


def test_four_workers_on_two_hundred_documents_store_each_once(
    pg_url: str, tmp_path: Path, seed_paths: dict[str, Path]
) -> None:
    files = variants(seed_paths["002"], tmp_path / "docs", 200)
    env = env_for(tmp_path)
    # every file queued twice: two jobs of one content never run at once (their lock), the second finds it
    for _ in range(2):
        queued = cli(pg_url, "ingest", "--enqueue", "--backend", "rules", str(tmp_path / "docs"), env=env)
        assert queued.returncode == 0, queued.stderr
    started = time.monotonic()
    workers = [worker(pg_url, env, "--exit-when-empty", "--name", f"w{i}") for i in range(4)]
    codes = [w.wait(timeout=1800) for w in workers]
    elapsed = time.monotonic() - started
    assert codes == [0, 0, 0, 0], [w.stderr.read() if w.stderr else "" for w in workers]
    check_stored_once_and_whole(pg_url, files)
    print(f"4 workers, 400 jobs, 200 documents: {elapsed:.1f} s ({200 / elapsed:.2f} documents/s)")


def test_the_documents_page_shows_each_ingest_jobs_state(
    pg_url: str, tmp_path: Path, seed_paths: dict[str, Path]
) -> None:
    import re

    from fastapi.testclient import TestClient

    from extractor.review.accounts import create_user
    from extractor.settings import Settings
    from extractor.storage import init_db, make_engine, session_scope
    from review_ui import create_app

    files = variants(seed_paths["002"], tmp_path / "docs", 2)
    env = env_for(tmp_path)
    assert cli(pg_url, "ingest", "--enqueue", "--backend", "rules", *map(str, files), env=env).returncode == 0
    settings = Settings(data_dir=tmp_path / "var", database_url=pg_url, allowed_hosts=["testserver"])
    engine = make_engine(pg_url)
    init_db(engine)
    with session_scope(engine) as s:
        create_user(s, username="ann", password="ann-password")
    app = create_app(settings, engine=engine)
    try:
        client = TestClient(app)
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token is not None
        data = {"username": "ann", "password": "ann-password", "csrf_token": token.group(1), "next": "/queue"}
        assert client.post("/login", data=data, follow_redirects=False).status_code == 303

        def rows() -> list[tuple[str, str]]:
            page = client.get("/documents").text
            section = page.split('<section id="ingest-jobs">', 1)[1].split("</section>", 1)[0]
            return re.findall(r'<td translate="no">([^<]+)</td><td>([^<]+)</td>', section)

        waiting = rows()
        assert sorted(f for f, _ in waiting) == sorted(f.name for f in files)
        assert {state for _, state in waiting} == {"排队中"}  # queued, in the default language
        assert worker(pg_url, env, "--exit-when-empty").wait(timeout=600) == 0
        assert {state for _, state in rows()} == {"完成"}  # done
    finally:
        app.state.jobs.shutdown()
        engine.dispose()
