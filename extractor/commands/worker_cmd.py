"""`extractor worker --concurrency N [--exit-when-empty]`: run the ingestion jobs queued by
`extractor ingest --enqueue` (PostgreSQL, procrastinate). Any number of workers, on any machines, share the
database; each document is stored once. Exit 0 when stopped or drained, 4 when the database cannot be used."""

from __future__ import annotations

import asyncio
import logging
import sys

import click

from extractor.commands.ingest_cmd import EXIT_NO_DATABASE, EXIT_STORAGE, _settings, open_database
from extractor.errors import ExtractorError


@click.command()
@click.option("--concurrency", type=click.IntRange(1, 64), default=1, show_default=True, help="jobs at once")
@click.option(
    "--exit-when-empty", is_flag=True, help="stop once no job is waiting or running (scripts, tests)"
)
@click.option("--db", default=None, help="SQLAlchemy URL of the team database (postgresql://...)")
@click.option("--name", default=None, help="the worker's name in the job logs (default: worker)")
def worker_command(concurrency: int, exit_when_empty: bool, db: str | None, name: str | None) -> None:
    """Run queued ingestion jobs (PostgreSQL); SIGINT/SIGTERM lets the running jobs finish first."""
    from rich.console import Console
    from rich.markup import escape

    from extractor.jobs import libpq_url, run_worker
    from extractor.storage.faults import cause_of

    err = Console(stderr=True, soft_wrap=True)
    settings = _settings(db)
    try:
        libpq_url(settings.effective_database_url)
    except ExtractorError as exc:
        err.print(f"[red]error[/red] {escape(exc.user_message())}", highlight=False)
        sys.exit(EXIT_NO_DATABASE)
    engine = open_database(settings, err)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        asyncio.run(
            run_worker(settings, engine, concurrency=concurrency, exit_when_empty=exit_when_empty, name=name)
        )
    except KeyboardInterrupt:
        pass
    except Exception as exc:  # the job engine lost its database: one line, the cause
        err.print(f"[red]error[/red] the worker stopped: {escape(cause_of(exc))}", highlight=False)
        sys.exit(EXIT_STORAGE)
