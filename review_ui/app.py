"""The review server's app factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.middleware.trustedhost import TrustedHostMiddleware

from extractor.settings import Settings, get_settings
from extractor.storage import init_db, make_engine
from review_ui.config import AppConfig, Extract, pipeline_extract
from review_ui.deps import CurrentReviewer
from review_ui.errors import install_error_handlers
from review_ui.evaluation import EvalRunner
from review_ui.jobs import JobRunner
from review_ui.login_limits import LoginLimiter
from review_ui.routes import account, admin, api, auth, documents, evaluation, findings, pages, queue, review
from review_ui.security import SecurityHeaders, UploadLimit

STATIC = Path(__file__).parent / "static"
DEV_SECRET = "dev-only-change-me"


class ConfigurationError(ValueError):
    """The server cannot start safely with these settings."""


def check_settings(settings: Settings) -> None:
    """Refuse settings the server cannot run safely with (`ConfigurationError`)."""
    if not settings.is_development and settings.secret_key == DEV_SECRET:
        raise ConfigurationError(
            "set EXTRACTOR_SECRET_KEY: the development secret key is refused outside development mode"
            f" (EXTRACTOR_ENVIRONMENT={settings.environment})"
        )


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    extract: Extract | None = None,
    gold_dir: Path | None = None,
    reports_dir: Path | None = None,
    session_ttl: timedelta = timedelta(hours=12),
    secure_cookies: bool = False,
    migrate: bool = True,
) -> FastAPI:
    """Build the app. Everything it needs is given here (tests pass their own engine and pipeline)."""
    settings = settings or get_settings()
    check_settings(settings)
    engine = engine or make_engine(settings.effective_database_url)
    if migrate:
        init_db(engine)
    config = AppConfig(
        settings=settings,
        engine=engine,
        extract=extract or pipeline_extract(settings),
        gold_dir=gold_dir or settings.effective_reviewed_gold_dir,
        reports_dir=reports_dir or settings.data_dir / "eval-report",
        session_ttl=session_ttl,
        secure_cookies=secure_cookies,
    )
    jobs = JobRunner(config)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()

    app = FastAPI(
        title="extractor review",
        summary="Review queue and operator API for extracted budget disclosures",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.jobs = jobs
    app.state.evals = EvalRunner(config)
    app.state.login_limiter = LoginLimiter(
        engine, settings.login_max_failures, settings.login_lockout_seconds
    )
    app.add_middleware(UploadLimit, limit=config.max_upload_bytes, paths=config.upload_paths)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # routes are matched in order, one by one: the reviewers' hot paths first (the queue, a field, the
    # API's claims and submits); no two routers share a path, so the order changes nothing else
    for module in (queue, review, api, auth, documents, pages, findings, evaluation, account, admin):
        app.include_router(module.router)

    @app.get("/api/openapi.json", include_in_schema=False)
    def openapi(user: CurrentReviewer) -> dict[str, Any]:
        """The API schema (served only to logged-in users; no third-party docs page is loaded)."""
        return app.openapi()

    return app
