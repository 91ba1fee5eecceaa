"""The `extractor` command line: extract, ingest, export, documents, and the subcommands of
`extractor.commands`. Errors become one-line messages here and nowhere else."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

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
    """The files to read (`expand_paths`); each file skipped in a directory is said so."""
    from extractor.ingest.paths import expand_paths

    files, skipped = expand_paths(paths)
    for note in skipped:
        err.print(f"[yellow]skipped[/yellow] {note}")
    return files


def _database_failed(exc: Exception) -> NoReturn:
    """A store that cannot be read (a damaged file, a server that refuses): one line, exit 1; anything
    else is a bug and keeps its traceback."""
    from extractor.storage.faults import store_failure

    message = store_failure(exc)
    if message is None:
        raise exc
    err.print(f"[red]error[/red] {message}", highlight=False)
    sys.exit(1)


def cannot_write(target: Path, exc: OSError) -> str:
    """One line for an output file that could not be written (its old version, if any, is intact)."""
    return f"cannot write {target}: {exc.strerror or exc}"


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
        "ingest": "extractor.commands.ingest_cmd:ingest_command",
        "worker": "extractor.commands.worker_cmd:worker_command",
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
        try:
            write_json(result_to_json(result, time.perf_counter() - started), target)
        except OSError as exc:  # a full disk, a read-only or missing directory: this file, not the batch
            err.print(f"[red]error[/red] {f.name}: {cannot_write(target, exc)}", highlight=False)
            failures += 1
            continue
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
    try:
        engine = make_engine(settings.effective_database_url)
        init_db(engine)
        with session_scope(engine) as session:
            names = documents or tuple(str(d.id) for d in reversed(list_documents(session)))
            payloads = [result_to_json(load_result(session, document=name)) for name in names]
    except Exception as exc:  # noqa: BLE001 - the store's failures become one line, others re-raise
        _database_failed(exc)
    try:
        if fmt == "json":
            write_json(payloads[0] if len(payloads) == 1 and not every else payloads, out_path)
        else:
            from extractor.export_sheets import write_csv, write_xlsx

            (write_xlsx if fmt == "xlsx" else write_csv)(payloads, out_path)
    except OSError as exc:
        err.print(f"[red]error[/red] {cannot_write(out_path, exc)}", highlight=False)
        sys.exit(1)
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
    try:
        engine = make_engine(settings.effective_database_url)
        init_db(engine)
        with session_scope(engine) as session:
            rows = list_documents(session)
    except Exception as exc:  # noqa: BLE001 - the store's failures become one line, others re-raise
        _database_failed(exc)
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
