"""A reviewer's own settings: the pages' language, the time zone times are shown in, auto-advance."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from extractor.review.accounts import set_preferences
from review_ui.deps import AuthDep, SessionDep
from review_ui.i18n import LOCALES
from review_ui.templating import render

router = APIRouter(include_in_schema=False)
ZONES = ("Asia/Shanghai", "Asia/Urumqi", "Asia/Hong_Kong", "UTC", "Europe/Berlin", "America/New_York")


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, auth: AuthDep, saved: int = 0) -> HTMLResponse:
    context = {"auth": auth, "locales": LOCALES, "zones": ZONES, "saved": bool(saved)}
    return render(request, "settings.html", context)


@router.post("/settings")
def settings_save(
    auth: AuthDep,
    session: SessionDep,
    locale: Annotated[str, Form()],
    timezone: Annotated[str, Form()],
    auto_advance: Annotated[str | None, Form()] = None,
) -> RedirectResponse:
    set_preferences(
        session, user_id=auth.user.id, locale=locale, timezone=timezone, auto_advance=auto_advance == "on"
    )
    return RedirectResponse("/settings?saved=1", status_code=303)
