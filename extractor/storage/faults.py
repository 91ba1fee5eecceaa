"""What went wrong with the database, in one line an operator can act on.

The drivers' exceptions carry the SQL statement, its parameters and a link to SQLAlchemy's error page;
`cause_of` keeps only the cause (disk full, read-only, locked, cannot open, cannot connect, ...).
"""

from __future__ import annotations

import errno

_MAX = 240

# (words in the driver's message, the cause said to the operator); the first match wins
_CAUSES: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("database or disk is full", "no space left", "disk full", "diskfull"),
        "disk full: no space left for the database",
    ),
    (
        ("readonly database", "read-only file system", "read-only transaction", "readonly"),
        "the database is read-only (its file, directory or mount refuses writes)",
    ),
    (("database is locked",), "the database is locked by another process (the busy timeout ran out)"),
    (
        ("unable to open database file",),
        "cannot open the database file (its directory is missing or not writable, or the path runs "
        "through a regular file)",
    ),
    (("disk i/o error",), "disk I/O error on the database file"),
    (("file is not a database", "malformed"), "the database file is not a SQLite database or is damaged"),
    (
        ("connection refused", "could not connect", "connection failed"),
        "cannot connect to the database server",
    ),
    (("password authentication failed",), "the database server refused the login (password authentication)"),
    (("does not exist",), ""),  # the server's own words name what is missing (database, role)
)
_ERRNO = {
    errno.ENOSPC: "disk full: no space left for the database",
    errno.EROFS: "the database is read-only (its file, directory or mount refuses writes)",
    errno.EACCES: "permission denied on the database file or its directory",
    errno.ENOTDIR: "the database path runs through a regular file",
    errno.EEXIST: "the database path runs through a regular file",
}


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop(0)
        if e is None or any(e is s for s in seen):
            continue
        seen.append(e)
        todo.extend([getattr(e, "orig", None), e.__cause__, e.__context__])
    return seen


def _first_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    # SQLAlchemy appends "[SQL: ...]", "(Background on this error at: ...)"
    for marker in ("[SQL:", "(Background on this error"):
        text = text.split(marker, 1)[0].strip()
    return text[:_MAX] or type(exc).__name__


def cause_of(exc: BaseException) -> str:
    """The cause of a storage failure in one line, without SQL or parameters."""
    chain = _chain(exc)
    for e in chain:
        if isinstance(e, OSError) and e.errno in _ERRNO:
            return _ERRNO[e.errno]
    for e in chain:
        text = str(e).lower()
        for words, cause in _CAUSES:
            if any(w in text for w in words):
                return cause or _first_line(getattr(e, "orig", None) or e)
    innermost = chain[1] if len(chain) > 1 else chain[0]
    return _first_line(innermost)


def shown_url(url: str) -> str:
    """The database URL as it may be printed: the password masked; an unparseable URL as given."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # the URL is printed to say which one failed, whatever it is
        return url


def store_failure(exc: BaseException) -> str | None:
    """The one-line message for a command whose store failed (cannot open, damaged, full, refused), or
    None when `exc` is not the store's fault (a bug keeps its traceback)."""
    from sqlalchemy.exc import SQLAlchemyError

    from extractor.errors import ExtractorError

    if isinstance(exc, ExtractorError):
        return exc.user_message()
    if isinstance(exc, SQLAlchemyError | OSError):
        return f"cannot use the database: {cause_of(exc)}"
    return None
