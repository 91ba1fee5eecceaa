"""`extractor serve`, `extractor users …` and `extractor gold export`: the review server and its helpers.

Register in `extractor.cli`: `main.add_command(serve_command)`, `main.add_command(users_group)`,
`main.add_command(gold_group)`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from extractor.errors import ExtractorError
from extractor.settings import Settings, get_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

DB_HELP = "SQLAlchemy URL (default: the SQLite file of the settings)"


def _settings(db: str | None) -> Settings:
    settings = get_settings()
    return settings.model_copy(update={"database_url": db}) if db else settings


@contextmanager
def _store() -> Iterator[None]:
    """The store's failures (cannot open, damaged, full, refused) as one line; a bug keeps its traceback."""
    from extractor.storage.faults import store_failure

    try:
        yield
    except Exception as exc:
        message = store_failure(exc)
        if message is None:
            raise
        raise click.ClickException(message) from exc


def _engine(db: str | None) -> Engine:
    from extractor.storage import init_db, make_engine

    engine = make_engine(_settings(db).effective_database_url)
    init_db(engine)
    return engine


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--db", default=None, help=DB_HELP)
@click.option(
    "--gold-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where reviewed gold cases go.  [default: the reviewed_gold_dir setting, var/reviewed-gold]",
)
@click.option("--secure-cookies", is_flag=True, help="Mark cookies Secure (behind HTTPS).")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes sharing the port (a team database: PostgreSQL). SIGTERM stops them gracefully.",
)
@click.option(
    "--graceful-seconds",
    default=30,
    show_default=True,
    type=click.IntRange(1, 3600),
    help="On SIGTERM, how long requests in flight may take to finish before the server stops anyway.",
)
def serve_command(
    host: str,
    port: int,
    db: str | None,
    gold_dir: Path | None,
    secure_cookies: bool,
    workers: int,
    graceful_seconds: int,
) -> None:
    """Run the review server (pages for reviewers, HTTP API for operators)."""
    from sqlalchemy import make_url

    from review_ui.app import ConfigurationError
    from review_ui.loopback import listening_socket
    from review_ui.serving import ServeSpec, serve

    settings = _settings(db)
    shown_url = make_url(settings.effective_database_url).render_as_string(hide_password=True)
    if settings.secret_key == "dev-only-change-me":
        click.echo("warning: EXTRACTOR_SECRET_KEY is the development default; set your own", err=True)
    if workers > 1 and settings.effective_database_url.startswith("sqlite"):
        click.echo(
            "warning: several server processes on one SQLite file share its single write lock; "
            "a team database is PostgreSQL (--db postgresql+psycopg://…)",
            err=True,
        )
    try:
        sock = listening_socket(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    processes = f"{workers} processes" if workers > 1 else "1 process"
    try:
        with _store():
            serve(
                ServeSpec(settings, gold_dir, secure_cookies, graceful_seconds),
                sock,
                workers=workers,
                announce=lambda: click.echo(
                    f"review server on http://{host}:{sock.getsockname()[1]}/ ({processes}, database {shown_url})"
                ),
            )
    except ConfigurationError as exc:
        raise click.ClickException(str(exc)) from exc
    except ExtractorError as exc:
        raise click.ClickException(exc.user_message()) from exc


@click.group("users")
def users_group() -> None:
    """Reviewer and admin accounts."""


@users_group.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(["reviewer", "admin"]), default="reviewer", show_default=True)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input (for scripts).",
)
@click.option("--db", default=None, help=DB_HELP)
def users_add(username: str, role: str, password_stdin: bool, db: str | None) -> None:
    """Create an account. The password is asked for (hidden, twice), never taken from the command line,
    where other users of the machine and the shell history would see it."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    from extractor.review.accounts import create_user
    from extractor.storage import session_scope

    with _store(), session_scope(_engine(db)) as session:
        user = create_user(session, username=username, password=password, role=role)
    click.echo(f"created {user.role} {user.username}")


@users_group.command("list")
@click.option("--db", default=None, help=DB_HELP)
def users_list(db: str | None) -> None:
    """List the accounts."""
    from extractor.review.accounts import list_users
    from extractor.storage import session_scope

    with _store(), session_scope(_engine(db), readonly=True) as session:
        users = list_users(session)
    for user in users:
        click.echo(f"{user.username}\t{user.role}")


@users_group.command("revoke")
@click.argument("username")
@click.option("--db", default=None, help=DB_HELP)
def users_revoke(username: str, db: str | None) -> None:
    """End every open session of USERNAME (e.g. after a leaked password)."""
    from extractor.review.accounts import revoke_user_sessions
    from extractor.storage import session_scope

    with _store(), session_scope(_engine(db)) as session:
        n = revoke_user_sessions(session, username=username)
    click.echo(f"revoked {n} sessions of {username}")


@click.group("gold")
def gold_group() -> None:
    """Gold sets grown from reviews."""


@gold_group.command("export")
@click.argument("document")
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The reviewed dataset directory.  [default: the reviewed_gold_dir setting, var/reviewed-gold]",
)
@click.option("--db", default=None, help=DB_HELP)
def gold_export(document: str, out_dir: Path | None, db: str | None) -> None:
    """Export reviewed DOCUMENT (id, sha256 prefix or file name) as a gold case: OUT_DIR/<doc>.jsonl."""
    from extractor.review.gold import export_gold
    from extractor.storage import session_scope

    with _store(), session_scope(_engine(db), readonly=True) as session:
        out = export_gold(
            session, document=document, out_dir=out_dir or get_settings().effective_reviewed_gold_dir
        )
    who = ", ".join(out.reviewers) or "nobody (all auto-accepted)"
    click.echo(f"{out.records} records, {out.fields} fields, reviewed by {who} → {out.path}")
