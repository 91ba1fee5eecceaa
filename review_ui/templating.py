"""Jinja2 rendering: one handler serves a page and, for htmx, only the named block of that page."""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from extractor.review.labels import DOC_TYPES, kind_name
from extractor.review.reasons import describe, verdict
from review_ui import i18n
from review_ui.labels import state_name

TEMPLATES = Path(__file__).parent / "templates"


def fmt_value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return i18n.gettext("yes") if value else i18n.gettext("no")
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def fmt_time(value: datetime | None) -> str:
    """In the reader's time zone, with the zone's abbreviation (CST for Asia/Shanghai)."""
    if value is None:
        return ""
    return value.astimezone(i18n.current().zone).strftime("%Y-%m-%d %H:%M:%S %Z")


def data_params(params: dict[str, str] | None) -> dict[str, Markup]:
    """Parameters that are document data (check and row labels), marked as not to be translated."""
    return {k: Markup('<span translate="no">%s</span>') % v for k, v in (params or {}).items()}


def why(reasons: list[str]) -> Markup:
    """A queue row's reasons in words: the failing ones each once (red), and how many checks pass (green)."""
    return _why(i18n.current().locale, tuple(reasons))


@lru_cache(maxsize=4096)
def _why(locale: str, reasons: tuple[str, ...]) -> Markup:
    language = i18n.Language(locale)
    failing: list[Markup] = []
    passing = 0
    for r in dict.fromkeys(reasons):
        state = verdict(r)
        if state == "fail":
            message, params = describe(r)
            text = Markup(escape(language.gettext(message))) % data_params(params)
            failing.append(Markup('<span class="fail">%s</span>') % text)
        elif state == "ok":
            passing += 1
    html = Markup("；").join(failing)
    if passing:
        ok = language.gettext("%(n)s checks pass") % {"n": passing}
        html += Markup(' <span class="ok">%s</span>') % ok
    return html


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    auto_reload=False,
    extensions=["jinja2.ext.i18n"],
)
env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
env.filters["value"] = fmt_value
env.filters["time"] = fmt_time
env.filters["json"] = to_json
env.filters["state"] = state_name
env.filters["kind_name"] = kind_name
env.filters["why"] = why
env.filters["data"] = data_params
env.globals["language_names"] = i18n.LANGUAGE_NAMES
env.globals["doc_types"] = DOC_TYPES


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-boosted") != "true"


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    block: str | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """The whole page, or only `block` of it when htmx asks (the partial is a named block of the page)."""
    template = env.get_template(name)
    auth = context.get("auth")
    language = i18n.language_of(getattr(auth, "user", None))
    ctx = {"request": request, "lang": language, **context}
    with i18n.speaking(language):
        if block is not None and is_htmx(request):
            html = "".join(template.blocks[block](template.new_context(ctx)))
        else:
            html = template.render(ctx)
    return HTMLResponse(html, status_code=status, headers=headers)
