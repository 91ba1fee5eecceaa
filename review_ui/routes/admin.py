"""Admin pages: accounts (add, disable, reset a password, set the role) and per-reviewer counts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from extractor.review.accounts import ROLES, create_user, list_accounts, set_account, set_password
from extractor.review.reviewer_stats import reviewer_counts
from review_ui.deps import Auth, AuthDep, CurrentAdmin, SessionDep, WriteSessionDep
from review_ui.i18n import language_of
from review_ui.templating import render

router = APIRouter(include_in_schema=False)


def _page(request: Request, auth: Auth, session: SessionDep, flash: dict[str, str] | None) -> HTMLResponse:
    zone = language_of(auth.user).zone
    context = {
        "auth": auth,
        "accounts": list_accounts(session),
        "counts": {c.username: c for c in reviewer_counts(session, zone=zone, now=datetime.now(UTC))},
        "roles": ROLES,
        "flash": flash,
    }
    return render(request, "admin_users.html", context)


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(
    request: Request, auth: AuthDep, admin: CurrentAdmin, session: SessionDep, done: str | None = None
) -> HTMLResponse:
    flash = {"kind": "ok", "text": language_of(auth.user).gettext("Saved.")} if done else None
    return _page(request, auth, session, flash)


@router.post("/admin/users")
def users_add(
    admin: CurrentAdmin,
    session: WriteSessionDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    role: Annotated[str, Form()] = "reviewer",
) -> RedirectResponse:
    create_user(session, username=username, password=password, role=role)
    return RedirectResponse("/admin/users?done=1", status_code=303)


@router.post("/admin/users/{username}")
def users_change(
    username: str,
    admin: CurrentAdmin,
    session: WriteSessionDep,
    change: Annotated[str, Form()],
    role: Annotated[str | None, Form()] = None,
    password: Annotated[str | None, Form()] = None,
) -> RedirectResponse:
    """change: role | disable | enable | password."""
    if change == "role" and role:
        set_account(session, username=username, role=role)
    elif change in ("disable", "enable"):
        set_account(session, username=username, active=change == "enable")
    elif change == "password" and password is not None:
        set_password(session, username=username, password=password)
    return RedirectResponse("/admin/users?done=1", status_code=303)
