from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from corpus_dev import require_corpus_dev

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "eval" / "datasets" / "seeds" / "docs"


@pytest.fixture(autouse=True)
def _fresh_breakers() -> Iterator[None]:
    """Circuit breakers live for the process, keyed by endpoint: a fake server's port may be reused by
    a later test, which must not find the breaker an earlier test opened."""
    from extractor.llm.breaker import reset_breakers

    reset_breakers()
    yield
    reset_breakers()


@pytest.fixture(scope="session")
def seed_paths() -> dict[str, Path]:
    return {p.name[:3]: p for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def corpus_dev() -> Path:
    """../shared/corpus-dev: a failure under CI=1, a skip elsewhere (see `corpus_dev.require_corpus_dev`)."""
    return require_corpus_dev()


DATABASES = ("sqlite", "postgresql")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=DATABASES,
        default=os.environ.get("EXTRACTOR_TEST_DB", "sqlite"),
        help="the database of the tests that store: a SQLite file per test (default), or a database per test "
        "on a real PostgreSQL server (EXTRACTOR_TEST_PG_URL, else a cluster started for the session)",
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"database: {config.getoption('--db')}"


@pytest.fixture(scope="session")
def db_kind(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--db"))


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[Any]:
    """A PostgreSQL server for the session (`pg_server.running_server`) and its fresh databases."""
    from pg_server import Databases, running_server

    with running_server() as url:
        yield Databases(url)


@contextmanager
def _fresh_database(request: pytest.FixtureRequest, sqlite_path: Path) -> Iterator[str]:
    if request.config.getoption("--db") == "sqlite":
        yield f"sqlite:///{sqlite_path}"
        return
    databases = request.getfixturevalue("pg_databases")
    url = databases.make()
    try:
        yield url
    finally:
        databases.drop(url)


@pytest.fixture()
def db_urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Make a fresh, empty database and return its URL, as often as a test needs one."""
    with ExitStack() as stack:
        counter = iter(range(1_000))
        yield lambda: stack.enter_context(_fresh_database(request, tmp_path / f"db{next(counter)}.sqlite"))


@pytest.fixture()
def db_url(db_urls: Callable[[], str]) -> str:
    """The URL of a fresh, empty database for this test: a SQLite file or a PostgreSQL database (`--db`)."""
    return db_urls()


@pytest.fixture(scope="module")
def module_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh database shared by the tests of one module."""
    with _fresh_database(request, tmp_path_factory.mktemp("db") / "db.sqlite") as url:
        yield url
