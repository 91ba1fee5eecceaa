"""Request dependencies: the app config, a database session per request, the logged-in reviewer (with CSRF
checked on every unsafe request), the admin."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from extractor.review.accounts import Reviewer, session_user
from extractor.review.errors import Forbidden
from extractor.storage import session_scope
from extractor.storage.db import end_session, new_session
from extractor.storage.tables import MAX_INT
from review_ui.config import AppConfig

# A row id in a path (a field, a document, a job): one past the `Integer` columns is a 422, not an overflow
RowId = Annotated[int, Path(ge=1, le=MAX_INT)]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_COOKIE = "xr_session"
LOGIN_CSRF_COOKIE = "xr_login_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"


class NotAuthenticated(Exception):
    """No live session: pages redirect to the login, the API answers 401."""


class CsrfRefused(Exception):
    """An unsafe request without the session's CSRF token."""


@dataclass(frozen=True)
class Auth:
    user: Reviewer
    csrf_token: str
    token: str


# The dependencies that only read what the request already has are `async def`: a plain `def` would be
# run on the thread pool, one hand-over to a worker thread and back for nothing, on every request.


async def get_config(request: Request) -> AppConfig:
    config: AppConfig = request.app.state.config
    return config


ConfigDep = Annotated[AppConfig, Depends(get_config)]


async def db_session(request: Request, config: ConfigDep) -> AsyncIterator[Session]:
    """Reads share the database; an unsafe request writes in one transaction committed before the answer.

    Made on the event loop (a session connects at its first statement, in the endpoint's thread) and
    ended on the thread pool: one hand-over per request instead of two."""
    readonly = request.method in SAFE_METHODS
    session = new_session(config.engine, readonly=readonly)
    try:
        yield session
    except BaseException:
        await run_in_threadpool(end_session, session, readonly=readonly, failed=True)
        raise
    await run_in_threadpool(end_session, session, readonly=readonly, failed=False)


SessionDep = Annotated[Session, Depends(db_session, scope="function")]


def write_session(config: ConfigDep) -> Iterator[Session]:
    """For the few GETs that write (claiming a lease when a field is opened)."""
    with session_scope(config.engine) as session:
        yield session


WriteSessionDep = Annotated[Session, Depends(write_session, scope="function")]


def request_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.cookies.get(SESSION_COOKIE)


async def sent_csrf_token(request: Request) -> str | None:
    """The CSRF token of a request: the header htmx and API clients send, or the field of a plain form."""
    token = request.headers.get(CSRF_HEADER)
    if token:
        return token
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


def _lookup(config: AppConfig, token: str) -> tuple[Reviewer, str] | None:
    with session_scope(config.engine, readonly=True) as session:
        return session_user(session, token=token)


async def authenticate(request: Request, config: ConfigDep) -> Auth:
    token = request_token(request)
    found = await run_in_threadpool(_lookup, config, token) if token else None
    if token is None or found is None:
        raise NotAuthenticated()
    user, csrf = found
    if request.method not in SAFE_METHODS:
        sent = await sent_csrf_token(request)
        if not sent or not hmac.compare_digest(sent, csrf):
            raise CsrfRefused()
    return Auth(user=user, csrf_token=csrf, token=token)


AuthDep = Annotated[Auth, Depends(authenticate)]


async def current_reviewer(auth: AuthDep) -> Reviewer:
    return auth.user


CurrentReviewer = Annotated[Reviewer, Depends(current_reviewer)]


async def current_admin(user: CurrentReviewer) -> Reviewer:
    if not user.is_admin:
        raise Forbidden("this needs an admin")
    return user


CurrentAdmin = Annotated[Reviewer, Depends(current_admin)]
