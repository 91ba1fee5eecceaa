"""The schema's migrations: `init_db` brings a database to the newest Alembic revision."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from extractor.errors import StorageError
from extractor.storage.db import SQLITE_BEGIN_OPTION
from extractor.storage.faults import cause_of

_ALEMBIC_INI = Path(__file__).with_name("alembic.ini")


def alembic_config() -> Config:
    return Config(str(_ALEMBIC_INI))


# any constant: the key of the PostgreSQL advisory lock that serialises migrations across processes
MIGRATION_LOCK = 0x65787472


def init_db(engine: Engine) -> None:
    """Create or update the schema to the newest migration (`alembic upgrade head`).

    Processes starting together on a fresh database migrate one after the other: on SQLite the migration
    takes the write lock up front (`BEGIN IMMEDIATE`, waiting up to the busy timeout) instead of failing
    with "database is locked" when it turns from reading the version to writing; on PostgreSQL a
    transaction-scoped advisory lock does the same. The second one finds the schema at head.
    """
    config = alembic_config()
    bind = engine
    if engine.dialect.name == "sqlite":
        bind = engine.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
    try:
        with bind.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except (SQLAlchemyError, OSError) as exc:
        shown = engine.url.render_as_string(hide_password=True)
        raise StorageError(f"cannot open the database: {cause_of(exc)}", source=shown) from exc
