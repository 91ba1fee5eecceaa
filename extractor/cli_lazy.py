"""What keeps `extractor --help` fast: subcommands imported when they are run (click's lazy group
pattern), and a console created on first use (rich is not imported by `--help`)."""

from __future__ import annotations

import importlib
from typing import Any

import click


class LazyGroup(click.Group):
    def __init__(self, *args: Any, lazy_commands: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands:
            module_name, attr = self.lazy_commands[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attr)
            if not isinstance(command, click.Command):
                raise TypeError(f"{self.lazy_commands[cmd_name]} is not a click command")
            return command
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list without importing the lazy ones: their help line comes from the table."""
        rows = []
        for name in self.list_commands(ctx):
            if name in self.lazy_commands:
                rows.append((name, LAZY_HELP.get(name, "")))
                continue
            cmd = super().get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(formatter.width - 6 - len(name))))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


LAZY_HELP = {
    "eval": "Score the pipeline against a gold dataset (the CI gate).",
    "calibrate": "Refit the confidence calibration on the gold sets.",
    "ingest": "Extract FILES (or directories of them) and store them, each document once.",
    "worker": "Run queued ingestion jobs (PostgreSQL).",
    "check": "Disclosure checks of FILES: the report a reviewer reads.",
    "llm": "The embedded local model: serve, install check, record answers.",
    "serve": "Run the review server.",
    "users": "Reviewer accounts.",
    "gold": "Gold sets grown from reviewed documents.",
}


class LazyConsole:
    """A rich Console made on first use."""

    def __init__(self, **kwargs: Any) -> None:
        self._kwargs = kwargs
        self._console: Any = None

    def real(self) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._kwargs)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)
