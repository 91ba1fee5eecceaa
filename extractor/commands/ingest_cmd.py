"""`extractor ingest FILE...`: extract files and store them, each document once, with a true summary.

Exit codes (also in `--help` and docs/cli.md):

- 0: every file is stored: new, or already stored (same sha256);
- 1: some files could not be read or extracted (each said why); the others are stored;
- 3: the database refused to store some documents (disk full, read-only, locked, ...); the batch went on;
- 4: the database could not be opened or migrated (bad URL, missing driver, unreachable, read-only,
  locked): nothing was ingested.

When files failed for both reasons, 3 wins: the database needs the operator first.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from extractor.errors import ExtractorError
from extractor.settings import Settings, get_settings

if TYPE_CHECKING:
    from extractor.model import ExtractionResult
    from extractor.storage.intake import Outcome

EXIT_OK, EXIT_BAD_FILES, EXIT_STORAGE, EXIT_NO_DATABASE = 0, 1, 3, 4

EPILOG = """Exit codes: 0 every file stored (new or already stored); 1 some files unreadable, the rest stored;
3 the database refused some documents (disk full, read-only, locked), the batch went on; 4 the database
could not be opened or migrated, nothing ingested; 2 a usage error."""


def _settings(db: str | None) -> Settings:
    settings = get_settings()
    if db:
        settings = settings.model_copy(update={"database_url": db})
    return settings


@click.command(epilog=EPILOG)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--backend",
    type=click.Choice(("rules", "llm", "hybrid")),
    default=None,
    help="rules | llm | hybrid (default: settings, hybrid)",
)
@click.option("--db", default=None, help="SQLAlchemy URL (default: the SQLite file of the settings)")
@click.option(
    "--enqueue",
    is_flag=True,
    help="PostgreSQL: queue one job per file for `extractor worker` instead of ingesting here",
)
def ingest_command(files: tuple[Path, ...], backend: str | None, db: str | None, enqueue: bool) -> None:
    """Extract FILES (or directories of them) and store them; the same file twice is stored once.

    A file whose sha256 is already stored is not extracted again (no parsing, no LLM call)."""
    from rich.console import Console

    from extractor.ingest.paths import expand_paths

    err, out = Console(stderr=True, soft_wrap=True), Console()
    settings = _settings(db)
    engine = _open(settings, err)
    inputs, skipped = expand_paths(files)
    for note in skipped:
        err.print(f"[yellow]skipped[/yellow] {note}", highlight=False)
    if enqueue:
        _enqueue(settings, engine, inputs, backend, err, out)
    outcomes = _run(engine, inputs, backend, settings, err)
    _report(outcomes, settings, err, out)
    failed = [o for o in outcomes if o.status == "failed"]
    if any(o.storage_fault for o in failed):
        sys.exit(EXIT_STORAGE)
    if fell_back(outcomes, backend, settings):
        err.print("[red]error[/red] the llm backend was asked for and did not run on some documents")
        sys.exit(EXIT_BAD_FILES)
    sys.exit(EXIT_BAD_FILES if failed else EXIT_OK)


def _enqueue(
    settings: Settings, engine: Any, inputs: list[Path], backend: str | None, err: Any, out: Any
) -> None:
    import asyncio

    from rich.markup import escape

    from extractor.jobs import enqueue

    try:
        queued = asyncio.run(enqueue(settings, engine, inputs, backend))
    except ExtractorError as exc:
        err.print(f"[red]error[/red] {escape(exc.user_message())}", highlight=False)
        sys.exit(EXIT_NO_DATABASE)
    except Exception as exc:  # the job engine's own errors (connection lost, schema): one line, the cause
        from extractor.storage.faults import cause_of

        err.print(f"[red]error[/red] cannot queue the files: {escape(cause_of(exc))}", highlight=False)
        sys.exit(EXIT_STORAGE)
    failed = [q for q in queued if q.job_id is None]
    for q in failed:
        err.print(f"[red]error[/red] {escape(q.message)}", highlight=False)
    out.print(
        f"queued {len(queued) - len(failed)} files as ingest jobs; run `extractor worker` to process them"
    )
    sys.exit(EXIT_BAD_FILES if failed else EXIT_OK)


def open_database(settings: Settings, err: Any) -> Any:
    """The engine of the settings' database, migrated to head; exit 4 with the cause when it cannot be."""
    return _open(settings, err)


def _open(settings: Settings, err: Any) -> Any:
    """The engine of the settings' database, migrated to head; exit 4 with the cause when it cannot be."""
    from rich.markup import escape

    from extractor.storage import init_db, make_engine

    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.effective_database_url, busy_timeout_s=settings.database_busy_timeout_s)
        init_db(engine)
    except ExtractorError as exc:
        err.print(f"[red]error[/red] {escape(exc.user_message())}", highlight=False)
        sys.exit(EXIT_NO_DATABASE)
    except OSError as exc:  # the data directory
        err.print(f"[red]error[/red] cannot create {settings.data_dir}: {exc.strerror or exc}")
        sys.exit(EXIT_NO_DATABASE)
    return engine


def _run(engine: Any, inputs: list[Path], backend: str | None, settings: Settings, err: Any) -> list[Outcome]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from extractor.storage.intake import ingest_file

    outcomes: list[Outcome] = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("ingesting", total=len(inputs))
        for f in inputs:
            progress.update(task, description=f"ingesting {f.name}")
            outcomes.append(ingest_file(engine, f, backend=backend, settings=settings))
            progress.advance(task)
    return outcomes


def _report(outcomes: list[Outcome], settings: Settings, err: Any, out: Any) -> None:
    from rich.markup import escape

    from extractor.export import llm_report

    stats: Counter[str] = Counter(o.status for o in outcomes)
    kinds: Counter[str] = Counter()
    llm_reasons: Counter[str] = Counter()
    for o in outcomes:
        # records and fields of new documents only
        if o.result is not None and (unread := _count(o.result, stats, kinds, llm_reasons)):
            err.print(f"[cyan]note[/cyan] {escape(Path(o.source).name)}: {escape(unread)}", highlight=False)
    for o in outcomes:
        for w in o.warnings:
            err.print(f"[yellow]warning[/yellow] {escape(Path(o.source).name)}: {escape(w)}", highlight=False)
    for o in outcomes:
        if o.status == "failed":
            err.print(f"[red]error[/red] {escape(o.message)}", highlight=False)
    for o in outcomes:
        if o.result is not None:
            for line in llm_report(o.result):
                err.print(
                    f"[magenta]llm[/magenta] {escape(Path(o.source).name)}: {escape(line)}", highlight=False
                )
    _print_summary(stats, kinds, llm_reasons, settings, out)


def fell_back(outcomes: list[Outcome], backend: str | None, settings: Settings) -> bool:
    """Whether the llm backend was asked for and answered nothing on some new document."""
    asked = (backend or settings.backend) == "llm"
    return asked and any(o.result is not None and o.result.backend != "llm" for o in outcomes)


def _count(result: ExtractionResult, stats: Counter[str], kinds: Counter[str], llm: Counter[str]) -> str:
    """Add one new document to the counts; its inventory line when some table it prints was not read."""
    from extractor.inventory import UNKNOWN, inventory_line, table_inventory

    stats["records"] += len(result.records)
    tables = table_inventory(result)
    unread = [t for t in tables if not t.records]
    stats["tables printed"] += len(tables)
    stats["tables read"] += len(tables) - len(unread)
    stats["tables unknown"] += sum(1 for t in unread if t.kind == UNKNOWN)
    stats["tables not read"] += sum(1 for t in unread if t.kind != UNKNOWN)
    for seg in result.segments:
        if seg.kind:
            kinds[seg.kind] += 1
    for _r, _n, fv in result.fields():
        stats["fields"] += 1
        stats[fv.status] += 1
    stats["warnings"] += len(result.warnings)
    stats["llm_calls"] += result.usage.llm_calls
    stats["llm_tokens"] += result.usage.prompt_tokens + result.usage.completion_tokens
    stats["llm_replayed_calls"] += result.usage.replayed_calls
    stats["llm_replayed_tokens"] += result.usage.replayed_tokens
    stats["llm_failed_calls"] += result.usage.failed_calls
    stats["llm_failed_ms"] += round(1000 * result.usage.failed_seconds)
    stats["llm_failed_tokens"] += result.usage.failed_tokens
    stats["llm_skipped"] += len(result.usage.skipped)
    stats["llm backend did not run"] += result.backend != result.backend_requested
    llm.update(result.usage.reasons)
    return inventory_line(tables) if unread else ""


_LABELS = {
    "new": "new documents",
    "already stored": "already stored (not extracted again)",
    "failed": "failed documents",
    "records": "records (new documents)",
    "llm_calls": "llm calls made",
    "llm_tokens": "llm tokens spent",
    "llm_replayed_calls": "llm answers replayed (cache, recordings)",
    "llm_replayed_tokens": "llm tokens they cost when recorded",
    "llm_failed_calls": "llm calls failed",
    "llm_failed_ms": "llm milliseconds lost to failures",
    "llm_failed_tokens": "llm tokens lost to failures",
    "llm_skipped": "llm questions skipped (budget, breaker)",
    "llm backend did not run": "documents where the llm answered nothing (→ rules)",
}
_ROWS = (
    "new",
    "already stored",
    "failed",
    "records",
    "fields",
    "auto_accepted",
    "needs_review",
    "tables printed",
    "tables read",
    "tables unknown",
    "tables not read",
    "llm_calls",
    "llm_tokens",
    "llm_replayed_calls",
    "llm_replayed_tokens",
    "llm_failed_calls",
    "llm_failed_ms",
    "llm_failed_tokens",
    "llm_skipped",
    "llm backend did not run",
    "warnings",
)


def _print_summary(
    stats: Counter[str], kinds: Counter[str], llm: Counter[str], settings: Settings, out: Any
) -> None:
    from rich.table import Table

    from extractor.storage.faults import shown_url

    table = Table(title="ingest summary", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    for label in _ROWS:
        table.add_row(_LABELS.get(label, label.replace("_", " ")), str(stats[label]))
    out.print(table)
    by_kind = Table(title="tables by kind (new documents)")
    by_kind.add_column("kind")
    by_kind.add_column("tables", justify="right")
    for kind, n in sorted(kinds.items()):
        by_kind.add_row(kind, str(n))
    out.print(by_kind)
    if llm:
        # segments:<why> is how many segments went to the LLM and why; the rest count calls and rows
        out.print("LLM, why and what: " + ", ".join(f"{k} {v}" for k, v in sorted(llm.items())))
    out.print(f"database: {shown_url(settings.effective_database_url)}", markup=False, highlight=False)
