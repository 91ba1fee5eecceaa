"""The eval page: the latest report on the reviewed gold set with its plots, and a button to re-run it."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from markdown_it import MarkdownIt
from markupsafe import Markup

from extractor.review.errors import NotFound
from review_ui.deps import AuthDep, ConfigDep, CurrentReviewer
from review_ui.evaluation import IMAGE_SUFFIXES, EvalRunner, report_files
from review_ui.templating import render

router = APIRouter(include_in_schema=False)


def _runner(request: Request) -> EvalRunner:
    runner: EvalRunner = request.app.state.evals
    return runner


@router.get("/eval", response_class=HTMLResponse)
def eval_page(request: Request, auth: AuthDep, config: ConfigDep) -> HTMLResponse:
    state = _runner(request).state
    report, mtime, images = report_files(config.reports_dir)
    gold = sorted(p.stem for p in config.gold_dir.glob("*.jsonl")) if config.gold_dir.is_dir() else []
    context = {
        "auth": auth,
        "gold_dir": str(config.gold_dir),
        "gold_files": gold,
        "running": state.running,
        "last_error": state.last_error,
        "report": report,
        "report_html": Markup(MarkdownIt("commonmark", {"html": False}).enable("table").render(report))
        if report
        else None,
        "report_time": datetime.fromtimestamp(mtime, UTC) if mtime else None,
        "images": images,
    }
    return render(request, "eval.html", context, block="eval_state")


@router.post("/eval/run")
def eval_run(request: Request, user: CurrentReviewer) -> RedirectResponse:
    _runner(request).start()
    return RedirectResponse("/eval", status_code=303)


@router.get("/eval/files/{name}")
def eval_file(name: str, auth: AuthDep, config: ConfigDep) -> FileResponse:
    path = (config.reports_dir / name).resolve()
    if path.parent != config.reports_dir.resolve() or path.suffix not in IMAGE_SUFFIXES or not path.is_file():
        raise NotFound("no such report file", source=name)
    return FileResponse(path)
