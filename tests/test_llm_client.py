"""Fault tests of the LLM client against the fake OpenAI-compatible server: each scripted fault ends
within the deadline with a readable error, and the attempts counted at the server never exceed the
cap of 1 + llm_max_retries."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fakes.openai_server import EmptyChoices, FakeOpenAI, Hang, Malformed, Reply, Status
from pydantic import BaseModel

from extractor.errors import LLMError
from extractor.llm.cache import ResponseCache
from extractor.llm.client import complete
from extractor.llm.errors import LLMBudgetError, LLMReplyError, LLMUnavailableError
from extractor.model import Usage
from extractor.settings import Settings


class Rows(BaseModel):
    rows: list[dict[str, float | str | None]]


SLACK = 1.5  # scheduling noise on a loaded 2-core machine
MESSAGES = [{"role": "user", "content": "table"}]
GOOD = {"rows": [{"name": "行政运行", "total": 203.53}]}


def make_settings(tmp_path: Path, url: str, **over: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": tmp_path,
        "llm_base_url": url,
        "llm_timeout_s": 2.0,
        "llm_max_retries": 2,
        "llm_document_deadline_s": 20.0,
        "llm_document_token_budget": 10_000,
    }
    values.update(over)
    return Settings(**values)  # type: ignore[arg-type]


def call(settings: Settings, usage: Usage, tmp_path: Path) -> object:
    cache = ResponseCache(tmp_path / "cache")
    return complete(MESSAGES, Rows, settings=settings, usage=usage, reason="test", cache=cache)


def test_success_counts_usage_and_caches(tmp_path: Path) -> None:
    with FakeOpenAI([Reply(GOOD, prompt_tokens=120, completion_tokens=30)]) as fake:
        settings = make_settings(tmp_path, fake.url)
        usage = Usage()
        call(settings, usage, tmp_path)
        assert fake.count == 1
        assert (usage.llm_calls, usage.prompt_tokens, usage.completion_tokens) == (1, 120, 30)
        assert usage.reasons["test"] == 1
        # The SDK's own retries are off and nothing else is sent.
        assert fake.requests[0]["temperature"] == 0.0
        second = Usage()
        call(settings, second, tmp_path)
        assert fake.count == 1, "a cache hit makes no call"
        assert second.llm_calls == 0 and second.reasons == {"cache_hit": 1}


def test_429_retry_after_is_honoured(tmp_path: Path) -> None:
    with FakeOpenAI([Status(429, {"Retry-After": "1"}), Reply(GOOD)]) as fake:
        usage = Usage()
        call(make_settings(tmp_path, fake.url), usage, tmp_path)
        assert fake.count == 2
        assert fake.times[1] - fake.times[0] >= 0.95
        assert usage.llm_calls == 2


@pytest.mark.parametrize(
    "fault",
    [
        Status(429, {"Retry-After": "0"}),
        Status(500),
        Status(503),
    ],
    ids=["429", "500", "503"],
)
def test_persistent_http_fault_stops_at_the_cap(tmp_path: Path, fault: Status) -> None:
    with FakeOpenAI(responder=lambda _body: fault) as fake:
        usage = Usage()
        started = time.monotonic()
        with pytest.raises(LLMError) as err:
            call(make_settings(tmp_path, fake.url), usage, tmp_path)
        assert fake.count == 3
        assert err.value.attempts == 3
        assert f"HTTP {fault.code}" in err.value.user_message()
        assert time.monotonic() - started < 20
        assert usage.llm_calls == 3
        assert any(k.startswith("error:") for k in usage.reasons)


def test_hang_ends_within_the_deadline(tmp_path: Path) -> None:
    with FakeOpenAI(responder=lambda _body: Hang(60)) as fake:
        settings = make_settings(tmp_path, fake.url, llm_timeout_s=1.0, llm_document_deadline_s=4.0)
        usage = Usage()
        started = time.monotonic()
        with pytest.raises(LLMError) as err:
            call(settings, usage, tmp_path)
        elapsed = time.monotonic() - started
        assert elapsed < 4.0 + SLACK
        assert usage.seconds < 4.0 + SLACK
        assert 1 <= fake.count <= 3
        assert "did not answer in time" in err.value.user_message()


def test_deadline_cuts_the_attempt_timeout(tmp_path: Path) -> None:
    """A per-call timeout longer than what is left of the deadline is cut to the deadline."""
    with FakeOpenAI(responder=lambda _body: Hang(60)) as fake:
        settings = make_settings(tmp_path, fake.url, llm_timeout_s=30.0, llm_document_deadline_s=2.0)
        started = time.monotonic()
        with pytest.raises(LLMError):
            call(settings, Usage(), tmp_path)
        assert time.monotonic() - started < 2.0 + SLACK
        assert fake.count == 1


@pytest.mark.parametrize(
    "fault,needle",
    [
        (Malformed(), "oops"),
        (Reply({"rows": [{"total": [1, 2]}]}), "[1, 2]"),
        (Reply({"no_rows_key": 1}), "no_rows_key"),
    ],
    ids=["malformed-json", "schema-invalid", "missing-key"],
)
def test_invalid_replies_are_reasked_up_to_the_cap(
    tmp_path: Path, fault: Reply | Malformed, needle: str
) -> None:
    with FakeOpenAI(responder=lambda _body: fault) as fake:
        usage = Usage()
        with pytest.raises(LLMReplyError) as err:
            call(make_settings(tmp_path, fake.url), usage, tmp_path)
        assert fake.count == 3
        assert err.value.attempts == 3
        assert err.value.raw is not None and needle in err.value.raw.replace(" ", "").replace(
            "[1,2]", "[1, 2]"
        )
        assert "schema-valid" in err.value.user_message()
        # instructor's re-ask carries the validation error back to the model
        assert len(fake.requests[1]["messages"]) > len(fake.requests[0]["messages"])
        assert usage.llm_calls == 3
        assert usage.prompt_tokens > 0


def test_a_reask_that_succeeds(tmp_path: Path) -> None:
    with FakeOpenAI([Malformed(), Reply(GOOD, prompt_tokens=100, completion_tokens=20)]) as fake:
        usage = Usage()
        call(make_settings(tmp_path, fake.url), usage, tmp_path)
        assert fake.count == 2
        assert usage.llm_calls == 2
        assert (usage.prompt_tokens, usage.completion_tokens) == (150, 30), (
            "the failed attempt's tokens count"
        )


def test_empty_choices(tmp_path: Path) -> None:
    with FakeOpenAI(responder=lambda _body: EmptyChoices()) as fake:
        with pytest.raises(LLMError) as err:
            call(make_settings(tmp_path, fake.url), Usage(), tmp_path)
        assert fake.count == 3
        assert "no choices" in err.value.user_message()


def test_retry_after_past_the_deadline_gives_up_at_once(tmp_path: Path) -> None:
    with FakeOpenAI(responder=lambda _body: Status(429, {"Retry-After": "120"})) as fake:
        started = time.monotonic()
        with pytest.raises(LLMBudgetError) as err:
            call(make_settings(tmp_path, fake.url, llm_document_deadline_s=10.0), Usage(), tmp_path)
        assert time.monotonic() - started < 2
        assert fake.count == 1
        assert "HTTP 429" in err.value.user_message() and "deadline" in err.value.user_message()


def test_spent_budgets_make_no_call(tmp_path: Path) -> None:
    with FakeOpenAI([Reply(GOOD)]) as fake:
        settings = make_settings(tmp_path, fake.url)
        with pytest.raises(LLMBudgetError, match="token budget"):
            call(settings, Usage(prompt_tokens=9_000, completion_tokens=1_000), tmp_path)
        with pytest.raises(LLMBudgetError, match="deadline"):
            call(settings, Usage(seconds=25.0), tmp_path)
        assert fake.count == 0


def test_zero_retries_means_one_attempt(tmp_path: Path) -> None:
    with FakeOpenAI(responder=lambda _body: Status(500)) as fake:
        with pytest.raises(LLMError) as err:
            call(make_settings(tmp_path, fake.url, llm_max_retries=0), Usage(), tmp_path)
        assert fake.count == 1 and err.value.attempts == 1


def test_unreachable_endpoint(tmp_path: Path) -> None:
    with FakeOpenAI() as fake:
        url = fake.url
    with pytest.raises(LLMUnavailableError, match="connect"):
        call(make_settings(tmp_path, url, llm_max_retries=1), Usage(), tmp_path)


def test_an_unusable_reply_is_not_cached(tmp_path: Path) -> None:
    with FakeOpenAI(responder=lambda _body: Malformed()) as fake:
        settings = make_settings(tmp_path, fake.url)
        with pytest.raises(LLMReplyError):
            call(settings, Usage(), tmp_path)
        assert fake.count == 3
        assert not list((tmp_path / "cache").glob("*.json")), "an error is never cached"
        fake.responder = lambda _body: Reply(GOOD)
        usage = Usage()
        reply = call(settings, usage, tmp_path)
        assert fake.count == 4, "the same question is asked again once the endpoint answers"
        assert usage.llm_calls == 1 and getattr(reply, "cached", None) is False


def test_a_stored_error_entry_is_not_replayed(tmp_path: Path) -> None:
    with FakeOpenAI([Reply(GOOD)]) as fake:
        settings = make_settings(tmp_path, fake.url)
        call(settings, Usage(), tmp_path)
        (path,) = (tmp_path / "cache").glob("*.json")
        data = json.loads(path.read_text(encoding="utf-8"))
        data["error"] = "no schema-valid reply (written by an older version)"
        path.write_text(json.dumps(data), encoding="utf-8")
        call(settings, Usage(), tmp_path)
        assert fake.count == 2
