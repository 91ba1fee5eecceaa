"""Running the eval on the reviewed gold set from the UI, in a background thread, one run at a time."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from extractor.errors import ExtractorError
from review_ui.config import AppConfig

log = logging.getLogger(__name__)
IMAGE_SUFFIXES = (".png", ".svg")


@dataclass
class EvalState:
    running: bool = False
    last_error: str | None = None


class EvalRunner:
    def __init__(self, config: AppConfig) -> None:
        self.config = config
        self.state = EvalState()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> bool:
        """Start a run unless one is going; False when one already is."""
        with self._lock:
            if self.state.running:
                return False
            self.state = EvalState(running=True)
            self._thread = threading.Thread(target=self._run, name="eval", daemon=True)
            self._thread.start()
            return True

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        error: str | None = None
        try:
            from eval.gold import load_dataset
            from eval.harness import pipeline_predictor, run_eval
            from eval.report import write_json, write_report

            dataset = load_dataset(self.config.gold_dir, name=self.config.gold_dir.name)
            settings = self.config.settings
            run = run_eval(
                dataset, ["rules"], pipeline_predictor(settings), threshold_for=settings.threshold_for
            )
            out = self.config.reports_dir
            write_report(run, out)
            write_json(run, out / "eval.json")
        except ExtractorError as exc:
            error = exc.user_message()
        except Exception as exc:  # the edge of a background job: keep the message, log the trace
            log.exception("eval run failed")
            error = f"the eval failed: {type(exc).__name__}: {exc}"
        with self._lock:
            self.state = EvalState(running=False, last_error=error)


def report_files(directory: Path) -> tuple[str | None, float | None, list[str]]:
    """(report.md text, its mtime, image file names) of the latest report, if any."""
    report = directory / "report.md"
    if not report.is_file():
        return None, None, []
    images = sorted(p.name for p in directory.iterdir() if p.suffix in IMAGE_SUFFIXES)
    return report.read_text(encoding="utf-8"), report.stat().st_mtime, images
