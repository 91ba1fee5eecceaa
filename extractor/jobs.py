"""Ingestion as jobs on procrastinate (PostgreSQL-native: the jobs live in the team database, no other server).

`extractor ingest --enqueue PATH...` queues one job per file (its path; workers on other machines need the
same path, e.g. a shared mount); `extractor worker --concurrency N` runs them with
`extractor.storage.intake.ingest_file`, the in-process path's own step: sha256 looked up first, the document
stored in one transaction, the sha256 unique. A worker killed mid-document leaves no half document (its
transaction dies with it) and its job "doing": live workers send heartbeats, and every worker puts the jobs
of a worker silent for `job_stalled_after_s` back in the queue, up to `job_max_attempts` attempts in all.
A storage fault (the database refused the write) is retried the same way; a file that cannot be read fails
its job at once (retrying would not help) and is noted in `ingest_failures`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from extractor.errors import ExtractorError, StorageError
from extractor.ingest.readers import sha256_of
from extractor.settings import Settings

QUEUE = "ingest"
TASK = "extractor_ingest_file"
log = logging.getLogger("extractor.jobs")


class JobsUnavailable(ExtractorError):
    """Jobs need PostgreSQL (and procrastinate); the message says what to do instead."""


class StorageFaultRetry(StorageError):
    """Raised inside a job so that procrastinate retries it: the database refused the document."""


def libpq_url(database_url: str) -> str:
    """The libpq connection string of a `postgresql[+driver]://` URL (what procrastinate's psycopg takes)."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise JobsUnavailable(
            "ingestion jobs need PostgreSQL (EXTRACTOR_DATABASE_URL=postgresql://...); on SQLite run "
            "`extractor ingest` without --enqueue",
            source=url.render_as_string(hide_password=True),
        )
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def make_app(settings: Settings) -> Any:
    """The procrastinate App of the settings' database, with the ingest task registered."""
    try:
        import procrastinate
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise JobsUnavailable("procrastinate is not installed: pip install procrastinate") from exc
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=libpq_url(settings.effective_database_url))
    )
    retry = procrastinate.RetryStrategy(
        max_attempts=max(settings.job_max_attempts - 1, 0), wait=1, retry_exceptions={StorageFaultRetry}
    )
    app.task(name=TASK, queue=QUEUE, retry=retry, pass_context=True)(_run_ingest_job)
    return app


def _run_ingest_job(context: Any, *, path: str, backend: str | None = None) -> dict[str, Any]:
    from extractor.storage.intake import ingest_file

    ctx = context.additional_context
    outcome = ingest_file(ctx["engine"], Path(path), backend=backend, settings=ctx["settings"])
    if outcome.storage_fault:
        raise StorageFaultRetry(outcome.message, source=path)
    if outcome.status == "failed":
        raise ExtractorError(outcome.message, source=path)  # the job fails, without a retry
    return {"status": outcome.status, "document_id": outcome.document_id, "sha256": outcome.sha256}


async def ensure_schema(app: Any, engine: Engine) -> None:
    """procrastinate's tables, created once (under the migrations' advisory lock) when they are missing."""
    from sqlalchemy import text

    from extractor.storage.schema import MIGRATION_LOCK

    def _missing() -> bool:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            if conn.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is None:
                cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
                cursor.execute(app.schema_manager.get_schema())  # no parameters: its % stay as they are
                return True
        return False

    await asyncio.to_thread(_missing)


@dataclass(frozen=True)
class Enqueued:
    path: str
    job_id: int | None
    message: str = ""


async def enqueue(
    settings: Settings, engine: Engine, paths: list[Path], backend: str | None
) -> list[Enqueued]:
    """One job per readable file; a file that cannot be read is reported, not queued."""
    app = make_app(settings)
    out: list[Enqueued] = []
    async with app.open_async():
        await ensure_schema(app, engine)
        task = app.tasks[TASK]
        for p in paths:
            try:
                sha = sha256_of(p.read_bytes())
            except OSError as exc:
                out.append(Enqueued(str(p), None, f"{p}: cannot read file: {exc.strerror or exc}"))
                continue
            # one lock per content: two jobs of the same bytes never run at once
            job_id = await task.configure(lock=sha).defer_async(path=str(p.resolve()), backend=backend)
            out.append(Enqueued(str(p), job_id))
    return out


async def _retry_stalled(app: Any, settings: Settings) -> int:
    """Put the jobs of silent workers back in the queue (or fail them after their last attempt)."""
    from procrastinate.jobs import Status

    stalled = await app.job_manager.get_stalled_jobs(
        queue=QUEUE, seconds_since_heartbeat=settings.job_stalled_after_s
    )
    n = 0
    for job in stalled:
        if job.attempts + 1 >= settings.job_max_attempts:
            await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=False)
            log.warning(
                "job %s (%s) failed: its workers died %s times", job.id, job.task_kwargs, job.attempts + 1
            )
        else:
            await app.job_manager.retry_job(job)
            n += 1
    return n


async def _unfinished(app: Any) -> int:
    counts = await app.job_manager.list_queues_async(queue=QUEUE)
    return sum(int(q.get("todo", 0)) + int(q.get("doing", 0)) for q in counts)


async def run_worker(
    settings: Settings, engine: Engine, *, concurrency: int, exit_when_empty: bool, name: str | None = None
) -> None:
    """Run jobs until stopped (SIGINT/SIGTERM: the jobs running finish first), or until none is left."""
    app = make_app(settings)
    heartbeat = max(settings.job_stalled_after_s / 3, 0.5)
    options: dict[str, Any] = {
        "queues": [QUEUE],
        "concurrency": concurrency,
        "name": name,
        "additional_context": {"engine": engine, "settings": settings},
        "update_heartbeat_interval": heartbeat,
        "stalled_worker_timeout": settings.job_stalled_after_s,
        "fetch_job_polling_interval": heartbeat,
    }
    async with app.open_async():
        await ensure_schema(app, engine)
        if not exit_when_empty:
            sweeper = asyncio.create_task(_sweep(app, settings, heartbeat))
            try:
                await app.run_worker_async(wait=True, **options)
            finally:
                sweeper.cancel()
            return
        while True:
            await _retry_stalled(app, settings)
            await app.run_worker_async(wait=False, **options)
            await _retry_stalled(app, settings)
            if await _unfinished(app) == 0:
                return
            await asyncio.sleep(heartbeat)  # others' jobs still running: wait for them, or for them to stall


async def _sweep(app: Any, settings: Settings, every: float) -> None:
    while True:
        await _retry_stalled(app, settings)
        await asyncio.sleep(every)


async def job_states(settings: Settings) -> dict[str, str]:
    """The state of the newest job of each queued path (todo, doing, succeeded, failed, ...)."""
    app = make_app(settings)
    states: dict[str, str] = {}
    async with app.open_async():
        for job in await app.job_manager.list_jobs_async(queue=QUEUE):
            states[str(job.task_kwargs.get("path", ""))] = str(job.status)
    return states
