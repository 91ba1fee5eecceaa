"""Faults of the LLM endpoint, end to end through `extractor extract` against the fake OpenAI server:
each is bounded in wall-clock time, printed (what failed and what it cost), never cached (no cache
file; once the endpoint is fixed the next run reaches it and reads the table), and the document is
finished with the rules' records under a summary that says "rules" ran. A dead endpoint costs a
document nothing once its circuit breaker is open, and at most one probe attempt per cool-down."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fakes.openai_server import Action, Drip, FakeOpenAI, Hang, Malformed, Reply, Status
from test_llm_extract import UNKNOWN_LAYOUT, unknown_layout_model

from extractor.cli import main
from extractor.ingest import ingest_bytes
from extractor.llm.breaker import reset_breakers
from extractor.model import Usage
from extractor.pipeline import extract_document
from extractor.settings import Settings, get_settings

SLACK = 6.0  # scheduling noise on a loaded 2-core machine (an unbounded fault costs minutes: 3 × 60 s)
TIMEOUT_S = 1.0
DEADLINE_S = 4.0
CLASSIFY = {"kind": "expenditure_by_function"}

FAULTS: dict[str, tuple[Action, str]] = {
    "hang": (Hang(60), "did not answer in time"),
    "http-500": (Status(500), "HTTP 500"),
    "junk-json": (Malformed(), "no schema-valid reply"),
    "schema-invalid": (Reply({"kind": "no_such_kind"}), "no schema-valid reply"),
    "slow-drip": (Drip(CLASSIFY, interval=0.25, chunk=4), "did not answer in time"),
}


@pytest.fixture(autouse=True)
def fresh_state() -> Iterator[None]:
    reset_breakers()
    get_settings.cache_clear()
    yield
    reset_breakers()
    get_settings.cache_clear()


def env_for(tmp_path: Path, url: str, **over: str) -> dict[str, str]:
    env = {
        "EXTRACTOR_DATA_DIR": str(tmp_path / "var"),
        "EXTRACTOR_LLM_BASE_URL": url,
        "EXTRACTOR_LLM_CACHE_DIR": str(tmp_path / "cache"),
        "EXTRACTOR_LLM_RECORDINGS_DIR": str(tmp_path / "no-recordings"),
        "EXTRACTOR_LLM_TIMEOUT_S": str(TIMEOUT_S),
        "EXTRACTOR_LLM_DOCUMENT_DEADLINE_S": str(DEADLINE_S),
        "EXTRACTOR_LLM_MAX_RETRIES": "2",
        "EXTRACTOR_LLM_BREAKER_FAILURES": "3",
        "EXTRACTOR_LLM_BREAKER_COOLDOWN_S": "0.5",
    }
    env.update(over)
    return env


def run_extract(
    tmp_path: Path, env: dict[str, str], backend: str = "hybrid"
) -> tuple[Result, dict[str, Any]]:
    doc = tmp_path / "relayout.txt"
    doc.write_text(UNKNOWN_LAYOUT, encoding="utf-8")
    out = tmp_path / "out.json"
    get_settings.cache_clear()
    result = CliRunner().invoke(main, ["extract", str(doc), "--out", str(out), "--backend", backend], env=env)
    get_settings.cache_clear()
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result, json.loads(out.read_text(encoding="utf-8"))["summary"]


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_a_fault_is_bounded_printed_and_not_cached(tmp_path: Path, name: str) -> None:
    fault, words = FAULTS[name]
    with FakeOpenAI(responder=lambda _body: fault) as fake:
        env = env_for(tmp_path, fake.url)
        started = time.monotonic()
        result, summary = run_extract(tmp_path, env)
        elapsed = time.monotonic() - started
        assert elapsed < DEADLINE_S + SLACK, f"{name} took {elapsed:.1f} s"
        assert 1 <= fake.count <= 3  # the attempt cap: 1 + llm_max_retries
        # printed: that the llm did not run, what failed and what it cost
        assert "llm unavailable → rules" in result.output
        assert words in result.output and "llm failed:" in result.output
        assert f"{summary['llm_failed_calls']} failed costing" in result.output
        assert summary["backend"] == "rules" and summary["backend_requested"] == "hybrid"
        assert summary["llm_failed_calls"] == 1 and summary["llm_failed_seconds"] < DEADLINE_S + SLACK
        assert result.exit_code == 0, "hybrid falls back to the rules by design"
        # not cached: no file, and once the endpoint is fixed the next run asks it and reads the table
        assert not list((tmp_path / "cache").glob("*.json"))
        asked = fake.count
        fake.responder = unknown_layout_model
        time.sleep(0.6)  # past the breaker's cool-down, when the fault opened it
        fixed, summary = run_extract(tmp_path, env)
        assert fake.count > asked
        assert summary["backend"] == "hybrid" and summary["llm_failed_calls"] == 0, fixed.output
        assert summary["records"] > 0 and fixed.exit_code == 0


def test_llm_backend_on_an_unreachable_endpoint_exits_non_zero(tmp_path: Path) -> None:
    with FakeOpenAI() as fake:
        url = fake.url  # stopped: nothing listens there
    result, summary = run_extract(tmp_path, env_for(tmp_path, url), backend="llm")
    assert result.exit_code == 1
    assert "llm unavailable → rules (llm was asked for)" in result.output
    assert "could not connect" in result.output
    assert summary["backend"] == "rules" and summary["backend_requested"] == "llm"


def hybrid(tmp_path: Path, url: str, **over: Any) -> tuple[float, Usage, list[str], str]:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "llm_base_url": url,
        "llm_cache_dir": tmp_path / "cache",
        "llm_recordings_dir": None,
        "llm_timeout_s": TIMEOUT_S,
        "llm_document_deadline_s": DEADLINE_S,
        "llm_max_retries": 2,
        "llm_breaker_failures": 3,
    }
    values.update(over)
    doc = ingest_bytes(UNKNOWN_LAYOUT.encode("utf-8"), "relayout.txt")
    started = time.monotonic()
    result = extract_document(doc, backend="hybrid", settings=Settings(**values))
    return time.monotonic() - started, result.usage, result.warnings, result.backend


def test_a_dead_endpoint_costs_nothing_once_the_breaker_is_open(tmp_path: Path) -> None:
    with FakeOpenAI(responder=lambda _body: Hang(60)) as fake:
        opening = {"llm_breaker_cooldown_s": 600, "llm_document_deadline_s": 8.0}  # room for 3 attempts
        first, usage, _w, backend = hybrid(tmp_path, fake.url, **opening)
        assert first < 8.0 + SLACK and backend == "rules"
        assert fake.count == 3 and usage.failed_attempts == 3  # the third failure opened the breaker
        for _ in range(5):
            seconds, usage, warnings, backend = hybrid(tmp_path, fake.url, llm_breaker_cooldown_s=600)
            assert seconds < 3.0, (
                "an open breaker skips the call at once (the rules alone take under a second)"
            )
            assert usage.llm_calls == 0 and usage.reasons.get("skipped_breaker_open") == 1
            assert usage.skipped and any("circuit" in s or "skipped" in s for s in usage.skipped)
            assert backend == "rules" and any("llm unavailable → rules" in w for w in warnings)
        assert fake.count == 3


def test_half_open_probe_is_one_attempt_per_cool_down(tmp_path: Path) -> None:
    """Once open, a dead endpoint costs a document at most one probe attempt (≤ llm_timeout_s)."""
    with FakeOpenAI(responder=lambda _body: Hang(60)) as fake:
        hybrid(tmp_path, fake.url, llm_breaker_cooldown_s=0.3, llm_document_deadline_s=8.0)
        for _ in range(3):
            before = fake.count
            time.sleep(0.35)
            seconds, usage, _w, _b = hybrid(tmp_path, fake.url, llm_breaker_cooldown_s=0.3)
            assert fake.count - before == 1 and usage.llm_calls == 1
            assert seconds < TIMEOUT_S + SLACK
        fake.responder = unknown_layout_model
        time.sleep(0.35)
        _s, usage, _w, backend = hybrid(tmp_path, fake.url, llm_breaker_cooldown_s=0.3)
        assert backend == "hybrid" and usage.failed_calls == 0, "an answer closes the breaker"


def test_dead_endpoint_with_the_default_budgets(tmp_path: Path) -> None:
    """The defaults: 30 s per document, 15 s per attempt, breaker after 3 failures. A refused
    connection fails fast; the documents after the breaker opened cost no time at all."""
    with FakeOpenAI() as fake:
        url = fake.url
    defaults = Settings()
    assert defaults.llm_document_deadline_s == 30.0 and defaults.llm_timeout_s <= 15.0
    over = {"llm_timeout_s": defaults.llm_timeout_s, "llm_document_deadline_s": 30.0}
    costs = [hybrid(tmp_path, url, **over)[0] for _ in range(4)]
    assert max(costs) < 15.0 and max(costs[1:]) < 3.0, costs
