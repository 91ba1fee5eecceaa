"""The `extractor` command line: extract, ingest, export, documents, and the subcommands of
`extractor.commands`. Errors become one-line messages here and nowhere else."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from extractor.cli_lazy import LazyConsole, LazyGroup
from extractor.errors import ExtractorError

if TYPE_CHECKING:
    from extractor.model import ExtractionResult
    from extractor.settings import Settings


def get_settings() -> Settings:
    from extractor.settings import get_settings as load

    return load()


BACKENDS = ("rules", "llm", "hybrid")
FULL_WIDTH = 10_000
err: Any = LazyConsole(stderr=True)
out: Any = LazyConsole()


def extract_path(path: Path, **kwargs: Any) -> ExtractionResult:
    from extractor.pipeline import extract_path as run

    return run(path, **kwargs)


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    """The files to read: each file named, and the documents under each directory named. A file in a
    directory that is not a readable format is skipped, and said so."""
    from extractor.ingest.readers import READABLE

    files: list[Path] = []
    for p in paths:
        if not p.is_dir():
            files.append(p)
            continue
        for f in sorted(f for f in p.rglob("*") if f.is_file()):
            if f.suffix.lower() in READABLE:
                files.append(f)
            elif not f.name.startswith("."):
                err.print(
                    f"[yellow]skipped[/yellow] {f}: not a document format the product reads "
                    f"({f.suffix or 'no extension'}; it reads {', '.join(READABLE)})"
                )
    return files


def _settings(db: str | None) -> Settings:
    settings = get_settings()
    if db:
        settings = settings.model_copy(update={"database_url": db})
    return settings


@click.group(
    cls=LazyGroup,
    lazy_commands={
        "eval": "extractor.commands.eval_cmd:eval_command",
        "calibrate": "extractor.commands.calibrate_cmd:calibrate_command",
        "check": "extractor.commands.check_cmd:check_command",
        "llm": "extractor.commands.llm_cmd:llm_command",
        "serve": "extractor.commands.serve_cmd:serve_command",
        "users": "extractor.commands.serve_cmd:users_group",
        "gold": "extractor.commands.serve_cmd:gold_group",
    },
)
@click.version_option(package_name="disclosure-extractor")
def main() -> None:
    """Extract budget disclosures into validated records, with a human review queue."""


backend_option = click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    default=None,
    help="rules | llm | hybrid (default: settings, hybrid)",
)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(path_type=Path),
    help="a .json file (one input) or a directory (one JSON per document)",
)
@backend_option
def extract(files: tuple[Path, ...], out_path: Path, backend: str | None) -> None:
    """Extract FILES to the JSON export, without a database."""
    from extractor.export import llm_report, result_to_json, write_json
    from extractor.inventory import inventory_line, table_inventory

    inputs = _expand(files)
    failures = 0
    fell_back = 0  # documents where the llm backend was asked for and did not run
    single = len(inputs) == 1 and out_path.suffix == ".json"
    for f in inputs:
        started = time.perf_counter()
        try:
            result = extract_path(f, backend=backend, settings=get_settings())
        except ExtractorError as exc:
            err.print(f"[red]error[/red] {exc.user_message()}")
            failures += 1
            continue
        target = out_path if single else out_path / f"{f.stem}.json"
        write_json(result_to_json(result, time.perf_counter() - started), target)
        s = result_to_json(result)["summary"]
        out.print(
            f"{f.name}: {s['records']} records, {s['fields']} fields "
            f"({s['auto_accepted']} auto-accepted, {s['needs_review']} for review) → {target}"
        )
        out.print(f"  {inventory_line(table_inventory(result))}", markup=False, highlight=False)
        for line in llm_report(result):
            out.print(f"  {line}", markup=False, highlight=False)
        fell_back += result.backend_requested == "llm" and result.backend != "llm"
    if fell_back:
        err.print(f"[red]error[/red] the llm backend did not run on {fell_back} document(s): see above")
    sys.exit(1 if failures or fell_back else 0)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@backend_option
@click.option("--db", default=None, help="SQLAlchemy URL (default: the SQLite file of the settings)")
def ingest(files: tuple[Path, ...], backend: str | None, db: str | None) -> None:
    """Extract FILES (or directories of them) and store them; the same file twice is stored once."""
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from extractor.export import llm_report
    from extractor.storage import init_db, make_engine, record_failure, session_scope, store_result

    settings = _settings(db)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    init_db(engine)
    inputs = _expand(files)
    stats: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    llm_reasons: Counter[str] = Counter()
    errors: list[str] = []
    warnings: list[str] = []
    notes: list[str] = []  # documents with tables printed but not read
    llm_lines: list[str] = []  # what the LLM cost each document and what went wrong
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err.real(),
        transient=True,
    ) as progress:
        task = progress.add_task("ingesting", total=len(inputs))
        for f in inputs:
            progress.update(task, description=f"ingesting {f.name}")
            try:
                result = extract_path(f, backend=backend, settings=settings)
                with session_scope(engine) as session:
                    _doc_id, created = store_result(session, result=result)
            except ExtractorError as exc:
                message = exc.user_message()
                errors.append(message)
                with session_scope(engine) as session:
                    record_failure(session, source=str(f), sha256=None, message=exc.message)
                stats["failed"] += 1
                progress.advance(task)
                continue
            stats["new" if created else "already stored"] += 1
            warnings.extend(f"{f.name}: {w}" for w in result.errors)
            unread = _count(result, stats, kinds, llm_reasons)
            llm_lines.extend(f"{f.name}: {line}" for line in llm_report(result))
            if unread:
                notes.append(f"{f.name}: {unread}")
            progress.advance(task)
    for message in notes:
        err.print(f"[cyan]note[/cyan] {escape(message)}", highlight=False)
    for message in warnings:
        err.print(f"[yellow]warning[/yellow] {message}")
    for message in llm_lines:
        err.print(f"[magenta]llm[/magenta] {escape(message)}", highlight=False)
    for message in errors:
        err.print(f"[red]error[/red] {message}")
    _print_summary(stats, kinds, llm_reasons, settings)
    fell_back = stats["llm backend did not run"] and (backend or settings.backend) == "llm"
    if fell_back:
        err.print("[red]error[/red] the llm backend was asked for and did not run on some documents")
    sys.exit(1 if errors or fell_back else 0)


def _count(result: ExtractionResult, stats: Counter[str], kinds: Counter[str], llm: Counter[str]) -> str:
    """Add one document to the counts; its inventory line when some table it prints was not read."""
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
    stats["warnings"] += len(result.errors)
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


def _print_summary(stats: Counter[str], kinds: Counter[str], llm: Counter[str], settings: Settings) -> None:
    from rich.table import Table

    table = Table(title="ingest summary", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    labels = {
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
    for label in (
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
    ):
        table.add_row(labels.get(label, label.replace("_", " ")), str(stats[label]))
    out.print(table)
    by_kind = Table(title="tables by kind")
    by_kind.add_column("kind")
    by_kind.add_column("tables", justify="right")
    for kind, n in sorted(kinds.items()):
        by_kind.add_row(kind, str(n))
    out.print(by_kind)
    if llm:
        # segments:<why> is how many segments went to the LLM and why; the rest count calls and rows
        out.print("LLM, why and what: " + ", ".join(f"{k} {v}" for k, v in sorted(llm.items())))
    out.print(f"database: {settings.effective_database_url}")


@main.command()
@click.argument("documents", nargs=-1)
@click.option("--all", "every", is_flag=True, help="every stored document (instead of naming them)")
@click.option("--out", "out_path", required=True, type=click.Path(path_type=Path))
@click.option("--db", default=None, help="SQLAlchemy URL (default: the SQLite file of the settings)")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "xlsx", "csv"]),
    default="json",
    show_default=True,
    help="json: the JSON export (a list for several documents); xlsx: one sheet per kind with printed "
    "headers, a row per record of every document; csv: one line per field",
)
def export(documents: tuple[str, ...], every: bool, out_path: Path, db: str | None, fmt: str) -> None:
    """Write stored DOCUMENTS (ids, sha256 prefixes or file names), or --all, as the JSON export, .xlsx or
    CSV: one file, so a batch compares in one spreadsheet."""
    from extractor.export import result_to_json, write_json
    from extractor.storage import init_db, load_result, make_engine, session_scope
    from extractor.storage.repo import list_documents

    if every == bool(documents):
        err.print("[red]error[/red] name the documents to export, or give --all")
        sys.exit(2)
    settings = _settings(db)
    engine = make_engine(settings.effective_database_url)
    init_db(engine)
    try:
        with session_scope(engine) as session:
            names = documents or tuple(str(d.id) for d in reversed(list_documents(session)))
            payloads = [result_to_json(load_result(session, document=name)) for name in names]
    except ExtractorError as exc:
        err.print(f"[red]error[/red] {exc.user_message()}")
        sys.exit(1)
    if fmt == "json":
        write_json(payloads[0] if len(payloads) == 1 and not every else payloads, out_path)
    else:
        from extractor.export_sheets import write_csv, write_xlsx

        (write_xlsx if fmt == "xlsx" else write_csv)(payloads, out_path)
    records = sum(len(p["records"]) for p in payloads)
    what = payloads[0]["document"]["source"] if len(payloads) == 1 else f"{len(payloads)} documents"
    out.print(f"{what}: {records} records → {out_path}")


@main.command()
@click.option("--db", default=None, help="SQLAlchemy URL (default: the SQLite file of the settings)")
def documents(db: str | None) -> None:
    """List stored documents with their review counts."""
    from rich.console import Console
    from rich.table import Table

    from extractor.storage import init_db, list_documents, make_engine, session_scope

    settings = _settings(db)
    engine = make_engine(settings.effective_database_url)
    init_db(engine)
    with session_scope(engine) as session:
        rows = list_documents(session)
    table = Table()
    for col in ("id", "source", "unit", "year", "status", "fields", "auto", "queued", "reviewed"):
        table.add_column(col)
    for d in rows:
        table.add_row(
            str(d.id),
            d.source,
            d.unit_name or "",
            str(d.fiscal_year or ""),
            d.status,
            str(d.fields),
            str(d.auto_accepted),
            str(d.needs_review),
            str(d.reviewed),
        )
    # off a terminal (a pipe, a file) nothing is cut: the table is as wide as its longest row
    (out if out.is_terminal else Console(width=FULL_WIDTH)).print(table)


@main.group()
def catalogue() -> None:
    """The catalogue of classification codes shipped as data."""


@catalogue.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_path", type=click.Path(path_type=Path), default=None)
def catalogue_build(paths: tuple[Path, ...], out_path: Path | None) -> None:
    """Rebuild the code catalogue from the codes and names printed in PATHS."""
    from extractor.catalogue_build import write_catalogue

    target = out_path or Path(__file__).resolve().parent / "data" / "catalogue.json"
    results = []
    for f in _expand(paths):
        try:
            results.append(extract_path(f, backend="rules", settings=get_settings()))
        except ExtractorError as exc:
            err.print(f"[yellow]skipped[/yellow] {exc.user_message()}")
    n = write_catalogue(results, target)
    out.print(f"{n} codes from {len(results)} documents → {target}")
