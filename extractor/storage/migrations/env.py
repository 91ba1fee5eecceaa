"""Alembic environment. Uses the connection handed over by `init_db` when there is one, otherwise an
engine built from the project settings (the settings object is the only reader of the environment)."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from extractor.storage.tables import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from extractor.settings import get_settings
    from extractor.storage.db import make_engine

    engine = make_engine(get_settings().effective_database_url)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run them against a database")
run_migrations_online()
