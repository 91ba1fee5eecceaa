"""Engines and transactions.

SQLite (the default) is opened with WAL, a busy timeout and foreign keys on. Python's sqlite3 driver is put
in autocommit mode and the transaction is begun explicitly, so that a writing transaction can take the
write lock up front (`BEGIN IMMEDIATE`): a transaction that reads and then writes would otherwise fail at
once with "database is locked" when another writer committed in between, whatever the busy timeout.

Writers of one process also queue on a lock of the engine before `BEGIN IMMEDIATE`: SQLite's busy handler
polls with growing sleeps (up to 100 ms), which under contention gives some writers seconds of waiting while
the lock is free; the process lock hands it over at once. Other processes still meet the busy timeout.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import NoSuchModuleError
from sqlalchemy.orm import Session

from extractor.errors import StorageError
from extractor.storage.faults import cause_of

BUSY_TIMEOUT_MS = 30_000
SQLITE_BEGIN_OPTION = "extractor_sqlite_begin"
_LOCK_HELD = "extractor_write_lock"


def make_engine(url: str, *, busy_timeout_s: float = BUSY_TIMEOUT_MS / 1000) -> Engine:
    """An engine for `url`; for a SQLite file, its directory is created and the pragmas set on connect.

    `postgresql://` without a driver means psycopg 3 when it is installed (the `postgres` extra). A URL
    that cannot be parsed, a driver that is not installed or a directory that cannot be created is a
    `StorageError` naming the cause; connecting happens later, at the first statement.
    """
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError with the bad URL in the message
        raise StorageError(f"invalid database URL: {' '.join(str(exc).split())}", source=url) from exc
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() != "sqlite":
        if parsed.drivername == "postgresql" and find_spec("psycopg") is not None:
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            return create_engine(parsed, pool_pre_ping=True)
        except (ImportError, NoSuchModuleError) as exc:
            raise StorageError(_no_driver(parsed.drivername, exc), source=shown) from exc
    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        directory = Path(database).parent
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"cannot create the database directory {directory}: {cause_of(exc)}", source=shown
            ) from exc
    engine = create_engine(
        url, connect_args={"timeout": busy_timeout_s, "check_same_thread": False}, pool_size=16
    )
    _install_sqlite_hooks(engine, busy_timeout_s)
    return engine


def _no_driver(drivername: str, exc: BaseException) -> str:
    module = getattr(exc, "name", None) or drivername
    hint = (
        "install the postgres extra (pip install 'disclosure-extractor[postgres]', psycopg 3) and use "
        "postgresql:// or postgresql+psycopg://"
        if drivername.startswith("postgresql")
        else "install it, or use sqlite:/// or postgresql+psycopg://"
    )
    return f"no database driver for {drivername} (missing module {module}): {hint}"


def _install_sqlite_hooks(engine: Engine, busy_timeout_s: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see the module docstring)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    write_lock = threading.Lock()

    def _release(conn: Connection) -> None:
        if conn.info.pop(_LOCK_HELD, False):
            write_lock.release()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
        if mode == "IMMEDIATE" and not conn.info.get(_LOCK_HELD):
            # bounded: a nested writer in one thread falls back to SQLite's own busy timeout
            conn.info[_LOCK_HELD] = write_lock.acquire(timeout=busy_timeout_s)
        try:
            conn.exec_driver_sql(f"BEGIN {mode}")
        except BaseException:
            _release(conn)
            raise

    event.listen(engine, "commit", _release)
    event.listen(engine, "rollback", _release)


def new_session(engine: Engine, *, readonly: bool = False) -> Session:
    """A session for one transaction (see `session_scope`); nothing is connected until its first statement,
    so it can be made on an event loop. End it with `end_session`."""
    bind = engine
    if engine.dialect.name == "sqlite":
        bind = engine.execution_options(**{SQLITE_BEGIN_OPTION: "DEFERRED" if readonly else "IMMEDIATE"})
    return Session(bind=bind, expire_on_commit=False)


def end_session(session: Session, *, readonly: bool, failed: bool) -> None:
    """Commit a writing session that did not fail, roll back one that did; close it either way."""
    try:
        if failed:
            session.rollback()
        elif not readonly:
            session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()  # a readonly scope's transaction ends here; loaded objects stay readable


@contextmanager
def session_scope(engine: Engine, *, readonly: bool = False) -> Iterator[Session]:
    """A session in one transaction: committed when the block ends, rolled back if it raises.

    On SQLite a writing scope (the default) takes the write lock when it begins; `readonly=True` does not,
    so readers never wait for each other.
    """
    session = new_session(engine, readonly=readonly)
    try:
        yield session
    except BaseException:
        end_session(session, readonly=readonly, failed=True)
        raise
    end_session(session, readonly=readonly, failed=False)
