"""Logging in and out: pages and the API. Login forms carry a signed double-submit CSRF token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel

from extractor.review.accounts import LoginSession, authenticate, open_session, revoke_session
from extractor.storage import session_scope
from review_ui.api_models import AUTH, BAD_BODY, UNPROCESSABLE, ErrorOut, Text
from review_ui.config import AppConfig
from review_ui.deps import (
    CSRF_HEADER,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    AuthDep,
    ConfigDep,
    SessionDep,
)
from review_ui.i18n import Language
from review_ui.login_limits import LoginLimiter
from review_ui.security import login_csrf_token, login_csrf_valid
from review_ui.templating import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/queue"
    return target


def _login_page(
    request: Request, config: AppConfig, *, next_url: str, error: str | None, status: int
) -> Response:
    token = login_csrf_token(config.settings.secret_key)
    response = render(
        request,
        "login.html",
        {"auth": None, "login_csrf": token, "next": next_url, "error": error},
        status=status,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=config.secure_cookies, max_age=3600
    )
    return response


def _limiter(request: Request) -> LoginLimiter:
    limiter: LoginLimiter = request.app.state.login_limiter
    return limiter


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _log_in(request: Request, config: AppConfig, username: str, password: str) -> LoginSession | None:
    limiter = _limiter(request)
    with session_scope(config.engine, readonly=True) as session:
        user = authenticate(session, username=username, password=password)
    if user is None:
        limiter.failed(username, _address(request))
        return None
    limiter.succeeded(username)
    with session_scope(config.engine) as session:
        return open_session(session, user=user, ttl=config.session_ttl)


def _set_session_cookie(response: Response, config: AppConfig, login: LoginSession) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        login.token,
        httponly=True,
        samesite="lax",
        secure=config.secure_cookies,
        max_age=int(config.session_ttl.total_seconds()),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)


@router.get("/login", include_in_schema=False)
def login_form(request: Request, config: ConfigDep, next: str = "/queue") -> Response:
    return _login_page(request, config, next_url=_safe_next(next), error=None, status=200)


@router.post("/login", include_in_schema=False)
def login_submit(
    request: Request,
    config: ConfigDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/queue",
) -> Response:
    secret = config.settings.secret_key
    if not login_csrf_valid(secret, cookie=request.cookies.get(LOGIN_CSRF_COOKIE), sent=csrf_token):
        return _login_page(
            request,
            config,
            next_url=_safe_next(next),
            error=Language().gettext("The form expired; try again."),
            status=403,
        )
    lang = Language()
    limiter = _limiter(request)
    if limiter.locked(username, _address(request)):
        wait = limiter.retry_after(username, _address(request))
        message = lang.gettext("Too many wrong passwords. Try again in %(minutes)s minutes.") % {
            "minutes": max(1, round(wait / 60))
        }
        page = _login_page(request, config, next_url=_safe_next(next), error=message, status=429)
        page.headers["Retry-After"] = str(wait)
        return page
    login = _log_in(request, config, username, password)
    if login is None:
        error = lang.gettext("Wrong user name or password.")
        return _login_page(request, config, next_url=_safe_next(next), error=error, status=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    _set_session_cookie(response, config, login)
    return response


@router.post("/logout", include_in_schema=False)
def logout(auth: AuthDep, session: SessionDep) -> Response:
    revoke_session(session, token=auth.token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


class LoginBody(BaseModel):
    username: Text
    password: str


class LoginAnswer(BaseModel):
    token: str
    csrf_token: str
    expires_at: str


class CsrfAnswer(BaseModel):
    csrf_token: str


@router.get("/api/login/csrf", tags=["auth"], response_model=CsrfAnswer)
def api_login_csrf(config: ConfigDep) -> JSONResponse:
    """A pre-login CSRF token, also set as a cookie: send it back in the X-CSRF-Token header to log in."""
    token = login_csrf_token(config.settings.secret_key)
    response = JSONResponse(CsrfAnswer(csrf_token=token).model_dump())
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=config.secure_cookies
    )
    return response


@router.post(
    "/api/login",
    tags=["auth"],
    response_model=LoginAnswer,
    responses={
        401: {"model": ErrorOut, "description": "wrong user name or password"},
        403: {"model": ErrorOut, "description": "missing or wrong pre-login CSRF token"},
        429: {"model": ErrorOut, "description": "too many wrong passwords: wait Retry-After seconds"},
    }
    | BAD_BODY
    | UNPROCESSABLE,
)
def api_login(request: Request, body: LoginBody, config: ConfigDep) -> JSONResponse:
    """Open a session. Use the token as `Authorization: Bearer …` (or the cookie) and the csrf_token in the
    X-CSRF-Token header of every unsafe request."""
    sent = request.headers.get(CSRF_HEADER)
    if not login_csrf_valid(
        config.settings.secret_key, cookie=request.cookies.get(LOGIN_CSRF_COOKIE), sent=sent
    ):
        return JSONResponse(
            {"detail": "missing or wrong CSRF token (GET /api/login/csrf first)"}, status_code=403
        )
    limiter = _limiter(request)
    if limiter.locked(body.username, _address(request)):
        wait = limiter.retry_after(body.username, _address(request))
        return JSONResponse(
            {"detail": f"too many wrong passwords; try again in {wait} s"},
            status_code=429,
            headers={"Retry-After": str(wait)},
        )
    login = _log_in(request, config, body.username, body.password)
    if login is None:
        return JSONResponse({"detail": "wrong user name or password"}, status_code=401)
    answer = LoginAnswer(
        token=login.token, csrf_token=login.csrf_token, expires_at=login.expires_at.isoformat()
    )
    response = JSONResponse(answer.model_dump())
    _set_session_cookie(response, config, login)
    return response


@router.post("/api/logout", tags=["auth"], status_code=204, responses=AUTH)
def api_logout(auth: AuthDep, session: SessionDep) -> Response:
    revoke_session(session, token=auth.token)
    return Response(status_code=204)
