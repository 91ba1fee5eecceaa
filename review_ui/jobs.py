"""Background pipeline runs for uploads: one worker thread, progress kept in the `jobs` table."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractor.errors import ExtractorError
from extractor.storage import record_failure, session_scope, store_result
from extractor.storage.tables import JobRow
from review_ui.config import AppConfig

log = logging.getLogger(__name__)
ACTIVE = ("queued", "running")


class JobRunner:
    def __init__(self, config: AppConfig) -> None:
        self.config = config
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pipeline")
        self._lock = threading.Lock()
        self._futures: list[Future[None]] = []

    def enqueue(self, *, filename: str, data: bytes, user_id: int | None) -> int:
        """Record a job (committed at once, so the worker sees it) and hand it to the worker."""
        with session_scope(self.config.engine) as session:
            job = JobRow(filename=filename, user_id=user_id, state="queued")
            session.add(job)
            session.flush()
            job_id = job.id
        with self._lock:
            self._futures = [f for f in self._futures if not f.done()]
            self._futures.append(self._pool.submit(self._run, job_id, data))
        return job_id

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the jobs started so far (tests, shutdown)."""
        with self._lock:
            futures = list(self._futures)
        for f in futures:
            f.result(timeout=timeout)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _set(self, job_id: int, **values: object) -> JobRow | None:
        with session_scope(self.config.engine) as session:
            job = session.get(JobRow, job_id)
            if job is not None:
                for k, v in values.items():
                    setattr(job, k, v)
            return job

    def _run(self, job_id: int, data: bytes) -> None:
        job = self._set(job_id, state="running")
        if job is None:
            return
        filename = job.filename
        try:
            result = self.config.extract(data, filename)
            with session_scope(self.config.engine) as session:
                doc_id, created = store_result(session, result=result)
            fields = len(result.fields())
            doubted = sum(1 for _, _, fv in result.fields() if fv.status == "needs_review")
            message = (
                f"{len(result.records)} records, {fields} fields, {doubted} queued for review"
                if created
                else "already stored (same sha256): nothing changed"
            )
            self._set(
                job_id, state="done", message=message, document_id=doc_id, finished_at=datetime.now(UTC)
            )
        except Exception as exc:  # the edge: any failure becomes the job's one-line message
            message = (
                exc.user_message()
                if isinstance(exc, ExtractorError)
                else f"internal error ({type(exc).__name__})"
            )
            if not isinstance(exc, ExtractorError):
                log.exception("pipeline job %s failed", job_id)
            sha = getattr(getattr(exc, "document", None), "sha256", None)
            with session_scope(self.config.engine) as session:
                record_failure(session, source=filename, sha256=sha, message=message)
            self._set(job_id, state="failed", message=message, finished_at=datetime.now(UTC))


def recent_jobs(session: Session, *, limit: int = 10) -> list[JobRow]:
    return list(session.scalars(select(JobRow).order_by(JobRow.id.desc()).limit(limit)))
