"""The ingestion jobs of the team database (procrastinate's table, on PostgreSQL) as the documents page
shows them. On SQLite, or before any job was queued, there are none."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

# procrastinate's job statuses in the words of the page's own job states
STATE_OF = {"todo": "queued", "doing": "running", "succeeded": "done", "failed": "failed"}


@dataclass(frozen=True)
class IngestJob:
    id: int
    file: str
    state: str  # queued | running | done | failed | cancelled | aborted
    attempts: int


def recent_ingest_jobs(session: Session, *, limit: int = 20) -> list[IngestJob]:
    """The newest ingestion jobs, running and waiting ones first."""
    if session.get_bind().dialect.name != "postgresql":
        return []
    if session.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is None:
        return []
    rows = session.execute(
        text(
            "SELECT id, args->>'path' AS path, status::text AS status, attempts FROM procrastinate_jobs "
            "WHERE queue_name = 'ingest' "
            "ORDER BY (status IN ('doing', 'todo')) DESC, id DESC LIMIT :limit"
        ),
        {"limit": limit},
    ).all()
    return [
        IngestJob(r.id, Path(r.path or "").name, STATE_OF.get(r.status, r.status), int(r.attempts))
        for r in rows
    ]
