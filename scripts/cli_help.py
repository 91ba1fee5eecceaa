"""The help of every `extractor` command, as markdown sections: what `docs/cli.md` is generated from (cog)."""

from __future__ import annotations

from collections.abc import Iterator

import click
from click.testing import CliRunner

from extractor.cli import main

WIDTH = 100


def commands(group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from commands(command, click.Context(command, parent=ctx, info_name=name), (*path, name))


def help_sections() -> str:
    runner = CliRunner()
    root = click.Context(main, info_name="extractor")
    out: list[str] = []
    for path in [(), *commands(main, root)]:
        result = runner.invoke(main, [*path, "--help"], prog_name="extractor", terminal_width=WIDTH)
        if result.exit_code != 0:
            raise RuntimeError(f"extractor {' '.join(path)} --help failed: {result.output}")
        title = " ".join(("extractor", *path))
        level = "#" * min(2 + len(path), 4)
        out.append(f"{level} {title}\n\n```\n{result.output.rstrip()}\n```\n")
    return "\n".join(out)


if __name__ == "__main__":
    print(help_sections())
