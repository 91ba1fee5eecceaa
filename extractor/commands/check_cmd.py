"""`extractor check FILE... [--json OUT] [--format md|html]`: the disclosure report of each file.

Exit 0 when every file is clean, 1 when some file has an error finding, 2 when some file could not be read."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from extractor.errors import ExtractorError
from extractor.export import write_json
from extractor.findings import check_result, counts, extract_for_check
from extractor.findings.report import report_html, report_json, report_markdown
from extractor.ingest import ingest_path
from extractor.settings import get_settings


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--json",
    "json_out",
    type=click.Path(path_type=Path),
    default=None,
    help="write the JSON report: a .json file (one input) or a directory (one per input)",
)
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", help="the printed report")
def check_command(files: tuple[Path, ...], json_out: Path | None, fmt: str) -> None:
    """Check FILES as a 财政 reviewer would: required tables, placeholders, the 说明 against the tables, …"""
    settings = get_settings()
    unreadable = errors = 0
    single = len(files) == 1 and json_out is not None and json_out.suffix == ".json"
    for f in files:
        try:
            doc = ingest_path(f)
            result, _seconds = extract_for_check(doc, settings)
        except ExtractorError as exc:
            click.echo(f"error: {exc.user_message()}", err=True)
            unreadable += 1
            continue
        findings = check_result(result)
        errors += counts(findings)["error"] > 0
        click.echo(report_html(result, findings) if fmt == "html" else report_markdown(result, findings))
        if json_out is not None:
            target = json_out if single else json_out / f"{f.stem}.json"
            write_json(report_json(result, findings), target)
    sys.exit(2 if unreadable else 1 if errors else 0)
