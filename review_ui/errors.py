"""The HTTP edge: domain exceptions become status codes and one-line messages (JSON for the API and
htmx, a small page otherwise)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from extractor.errors import ExtractorError, StorageError
from extractor.review.errors import (
    Forbidden,
    InvalidSubmit,
    LeaseHeld,
    NotFound,
    ReadOnlyDocument,
    StaleVersion,
)
from extractor.storage.errors import AmbiguousDocument, DocumentNotFound
from review_ui.deps import CsrfRefused, NotAuthenticated
from review_ui.templating import render


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def status_of(exc: ExtractorError) -> int:
    if isinstance(exc, Forbidden):
        return 403
    if isinstance(exc, NotFound | DocumentNotFound):
        return 404
    if isinstance(exc, StaleVersion | LeaseHeld | ReadOnlyDocument | AmbiguousDocument):
        return 409
    if isinstance(exc, InvalidSubmit):
        return 422
    if isinstance(exc, StorageError):
        return 503
    return 400


def body_of(exc: ExtractorError) -> dict[str, object]:
    body: dict[str, object] = {"detail": exc.user_message()}
    if isinstance(exc, StaleVersion):
        body |= {
            "field_id": exc.field_id,
            "current_value": exc.current_value,
            "current_version": exc.current_version,
            "current_status": exc.current_status,
        }
    if isinstance(exc, LeaseHeld):
        body |= {"holder": exc.holder, "expires_at": exc.expires_at.isoformat()}
    if isinstance(exc, AmbiguousDocument):
        body |= {"matches": exc.matches}
    return body


def error_response(
    request: Request, status: int, message: str, body: dict[str, object] | None = None
) -> Response:
    if wants_json(request) or request.headers.get("hx-request") == "true":
        return JSONResponse(body or {"detail": message}, status_code=status)
    return render(request, "error.html", {"status": status, "message": message, "auth": None}, status=status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, exc: NotAuthenticated) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": "log in first"}, status_code=401)
        target = "/login?next=" + quote(
            request.url.path + (f"?{request.url.query}" if request.url.query else "")
        )
        if request.headers.get("hx-request") == "true":
            return Response(status_code=401, headers={"HX-Redirect": target})
        if request.method in ("GET", "HEAD"):
            return RedirectResponse(target, status_code=303)
        return error_response(request, 401, "your session has ended; log in again")

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, exc: CsrfRefused) -> Response:
        return error_response(request, 403, "missing or wrong CSRF token; reload the page")

    @app.exception_handler(ExtractorError)
    async def extractor_error(request: Request, exc: ExtractorError) -> Response:
        return error_response(request, status_of(exc), exc.user_message(), body_of(exc))
