"""Storage faults in `extractor ingest`, each in a real subprocess: a one-line message naming the cause, no
traceback, the documented exit code, and the batch going on with the next file where the database still
takes writes. The databases are real SQLite files; disk full is a real tmpfs (as root) and SQLite's own
SQLITE_FULL (the page limit of the file, set on each connection by a `sitecustomize` in the subprocess)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

EXTRACTOR = str(Path(sys.executable).with_name("extractor"))
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def run_ingest(
    tmp_path: Path, url: str, *files: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {
        **os.environ,
        "EXTRACTOR_DATA_DIR": str(tmp_path / "var"),
        "EXTRACTOR_LLM_OFFLINE": "1",
        **(env or {}),
    }
    return subprocess.run(
        [EXTRACTOR, "ingest", "--backend", "rules", "--db", url, *map(str, files)],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
    )


def error_lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    return [line for line in done.stderr.splitlines() if line.startswith("error ")]


def documents_in(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as conn:
        return [r[0] for r in conn.execute("select source from documents order by id")]


def count(done: subprocess.CompletedProcess[str], label: str) -> int:
    (line,) = [line for line in done.stdout.splitlines() if f" {label} " in line]
    return int(line.strip("│ ").split("│")[-1])


@pytest.fixture()
def seeds(tmp_path: Path, seed_paths: dict[str, Path]) -> dict[str, Path]:
    out = tmp_path / "in"
    out.mkdir()
    return {k: Path(shutil.copy(p, out / p.name)) for k, p in seed_paths.items()}


def test_bad_url_is_one_line_and_exit_4(tmp_path: Path, seeds: dict[str, Path]) -> None:
    done = run_ingest(tmp_path, "not a url", seeds["002"])
    assert done.returncode == 4
    (line,) = error_lines(done)
    assert "invalid database URL" in line and "not a url" in line


def test_database_path_under_a_regular_file(tmp_path: Path, seeds: dict[str, Path]) -> None:
    (tmp_path / "afile").write_text("not a directory")
    done = run_ingest(tmp_path, f"sqlite:///{tmp_path / 'afile' / 'db' / 'x.sqlite'}", seeds["002"])
    assert done.returncode == 4
    (line,) = error_lines(done)
    assert "cannot create the database directory" in line and "regular file" in line


def test_unknown_driver_names_the_module_and_the_fix(tmp_path: Path, seeds: dict[str, Path]) -> None:
    done = run_ingest(tmp_path, "postgresql+pg8000://u@localhost/x", seeds["002"])
    assert done.returncode == 4
    (line,) = error_lines(done)
    assert "no database driver for postgresql+pg8000" in line and "pg8000" in line
    assert "disclosure-extractor[postgres]" in line


def test_postgresql_url_without_its_driver(tmp_path: Path, seeds: dict[str, Path]) -> None:
    """psycopg (3) and psycopg2 both missing: a sitecustomize makes them unimportable in the subprocess."""
    hide = tmp_path / "hide"
    for name in ("psycopg", "psycopg2"):
        (hide / name).mkdir(parents=True)
        (hide / name / "__init__.py").write_text(
            f'raise ModuleNotFoundError("No module named {name}", name="{name}")\n'
        )
    done = run_ingest(
        tmp_path, "postgresql://team@db.example/budgets", seeds["002"], env={"PYTHONPATH": str(hide)}
    )
    assert done.returncode == 4
    (line,) = error_lines(done)
    assert "no database driver for postgresql" in line and "psycopg" in line


def _stored_db(tmp_path: Path, *files: Path) -> Path:
    db = tmp_path / "db" / "x.sqlite"
    done = run_ingest(tmp_path, f"sqlite:///{db}", *files)
    assert done.returncode == 0, done.stderr
    return db


def test_read_only_database_fails_each_write_and_goes_on(tmp_path: Path, seeds: dict[str, Path]) -> None:
    """The file opened read-only (SQLite's mode=ro): the new file fails naming the cause, the unreadable one
    is reported without writing its failure to the database, the stored one is still "already stored"."""
    db = _stored_db(tmp_path, seeds["004"])
    empty = tmp_path / "in" / "empty.txt"
    empty.write_bytes(b"")
    done = run_ingest(tmp_path, f"sqlite:///file:{db}?mode=ro&uri=true", seeds["001"], empty, seeds["004"])
    assert done.returncode == 3
    lines = error_lines(done)
    assert len(lines) == 2
    assert "001_" in lines[0] and "read-only" in lines[0]
    assert "empty.txt" in lines[1] and "empty" in lines[1]
    assert "the failure was not noted in the database: " in done.stderr
    assert (count(done, "new documents"), count(done, "already stored"), count(done, "failed documents")) == (
        0,
        1,
        2,
    )
    assert documents_in(db) == [seeds["004"].name]


@contextmanager
def read_only_dir(path: Path) -> Iterator[None]:
    """`path` read-only for this process: a read-only bind mount as root (root ignores modes), else modes."""
    if IS_ROOT:
        subprocess.run(["mount", "--bind", str(path), str(path)], check=True)
        try:
            subprocess.run(["mount", "-o", "remount,ro,bind", str(path)], check=True)
            yield
        finally:
            subprocess.run(["umount", str(path)], check=True)
        return
    modes = {p: p.stat().st_mode for p in [path, *path.iterdir()]}
    for p in modes:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        yield
    finally:
        for p, mode in modes.items():
            p.chmod(mode)


def test_read_only_directory_is_exit_4(tmp_path: Path, seeds: dict[str, Path]) -> None:
    db = _stored_db(tmp_path, seeds["004"])
    for extra in db.parent.glob("x.sqlite-*"):
        extra.unlink()  # closed cleanly: the WAL is checkpointed, its files can go
    with read_only_dir(db.parent):
        done = run_ingest(tmp_path, f"sqlite:///{db}", seeds["001"])
    assert done.returncode in (3, 4), done.stderr
    (line,) = error_lines(done)
    assert "read-only" in line or "cannot open the database" in line
    assert documents_in(db) == [seeds["004"].name]


SITE_PAGE_LIMIT = """
import os
from sqlalchemy import event
from sqlalchemy.engine import Engine

@event.listens_for(Engine, "connect")
def _limit(dbapi_connection, _record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.execute("PRAGMA max_page_count = " + os.environ["TEST_MAX_PAGES"])
"""


def test_disk_full_sqlite_page_limit_fails_one_document_and_stores_the_next(
    tmp_path: Path, seeds: dict[str, Path]
) -> None:
    """SQLITE_FULL: the file may not grow past 200 pages (schema ~50, 002 ~80, 000 ~440)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(textwrap.dedent(SITE_PAGE_LIMIT))
    db = tmp_path / "db" / "x.sqlite"
    env = {"PYTHONPATH": str(site), "TEST_MAX_PAGES": "200"}
    done = run_ingest(tmp_path, f"sqlite:///{db}", seeds["000"], seeds["002"], env=env)
    assert done.returncode == 3, done.stderr
    (line,) = error_lines(done)
    assert "000_" in line and "disk full" in line
    assert documents_in(db) == [seeds["002"].name]
    assert count(done, "new documents") == 1 and count(done, "failed documents") == 1
    with closing(
        sqlite3.connect(db)
    ) as conn:  # nothing of the failed document stayed, and no failure row either
        assert conn.execute("select count(*) from ingest_failures").fetchone() == (0,)


@pytest.mark.skipif(not IS_ROOT, reason="mounting a tmpfs needs root")
def test_disk_full_on_a_small_tmpfs(tmp_path: Path, seeds: dict[str, Path]) -> None:
    mnt = tmp_path / "full"
    mnt.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=900k", "tmpfs", str(mnt)], check=False)
    if mounted.returncode != 0:
        pytest.skip("this machine does not allow mounting a tmpfs")
    try:
        db = mnt / "x.sqlite"
        done = run_ingest(tmp_path, f"sqlite:///{db}", seeds["000"], seeds["002"])
        assert done.returncode == 3, done.stderr
        (line,) = error_lines(done)
        assert "000_" in line and "disk full" in line
        assert documents_in(db) == [seeds["002"].name]
    finally:
        subprocess.run(["umount", str(mnt)], check=True)


def test_locked_during_migration(tmp_path: Path, seeds: dict[str, Path]) -> None:
    """Another process holds the write lock of a fresh file longer than the busy timeout."""
    db = tmp_path / "db" / "x.sqlite"
    db.parent.mkdir()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("create table held (x)")
    try:
        done = run_ingest(
            tmp_path, f"sqlite:///{db}", seeds["002"], env={"EXTRACTOR_DATABASE_BUSY_TIMEOUT_S": "1"}
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 4
    (line,) = error_lines(done)
    assert "cannot open the database" in line and "locked" in line


def test_four_first_time_ingests_in_parallel_on_a_fresh_file(tmp_path: Path, seeds: dict[str, Path]) -> None:
    db = tmp_path / "db" / "x.sqlite"
    env = {**os.environ, "EXTRACTOR_DATA_DIR": str(tmp_path / "var"), "EXTRACTOR_LLM_OFFLINE": "1"}
    names = ["001", "002", "003", "004"]
    procs = [
        subprocess.Popen(
            [EXTRACTOR, "ingest", "--backend", "rules", "--db", f"sqlite:///{db}", str(seeds[n])],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in names
    ]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    for rc, _stdout, stderr in results:
        assert rc == 0, stderr
        assert "locked" not in stderr and "Traceback" not in stderr
    assert sorted(documents_in(db)) == sorted(seeds[n].name for n in names)
