"""The one client path: `instructor` over the `openai` client, with the cache, the budget and our own
retry loop around it.

- The openai SDK's own retries are off (`max_retries=0`); every HTTP request goes through a counting
  transport, so the attempts the server sees are exactly those counted here, across our retries of
  transport faults (429, 5xx, timeouts) and instructor's re-asks of schema-invalid replies, and never
  more than the cap `1 + settings.llm_max_retries`.
- Each attempt's timeout is the per-call timeout cut to what is left of the document's deadline, and
  it bounds the whole reply (`transport.py`), not only each read.
- A circuit breaker per endpoint (`breaker.py`) skips calls at once while the endpoint is failing.
- Only usable replies are cached; failures are counted in the document's `Usage` with their cost.
- The embedded llama.cpp server is asked for grammar-constrained JSON (`json_object` with a `schema`
  key); other endpoints get instructor's plain JSON mode.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx2
import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, ValidationError

from extractor.errors import LLMError
from extractor.llm import embedded
from extractor.llm.breaker import CircuitBreaker, CircuitOpenError, breaker_for
from extractor.llm.budget import CallBudget, parse_retry_after
from extractor.llm.cache import CacheEntry, ResponseCache, cache_key, request_digest
from extractor.llm.errors import LLMBudgetError, LLMReplyError, LLMUnavailableError
from extractor.llm.prompts import PROMPT_VERSION
from extractor.llm.replies import (
    EmptyReply,
    describe,
    first_line,
    raw_of,
    retryable,
    transport_cause,
    usage_of,
)
from extractor.llm.transport import BudgetTransport
from extractor.model import Usage
from extractor.settings import Settings

MODE = instructor.Mode.JSON
TEMPERATURE = 0.0


# Observers of every call's cache key (`extractor llm record` uses this to know which recordings
# a run used): called with (key, answered_from_cache).
KEY_OBSERVERS: list[Callable[[str, bool], None]] = []


def offline(settings: Settings) -> bool:
    """Replay only: a call the cache cannot answer fails at once (`EXTRACTOR_LLM_OFFLINE=1`)."""
    return settings.llm_offline


@dataclass
class Reply:
    data: BaseModel
    raw: str
    prompt_tokens: int
    completion_tokens: int
    attempts: int
    seconds: float
    cached: bool


# ---------------------------------------------------------------------------------------------
# Endpoint: the configured base_url, or the embedded server started on first need.


class _Embedded:
    lock = threading.Lock()
    server: embedded.RunningServer | None = None
    owner: Settings | None = None


@dataclass
class Endpoint:
    base_url: str
    embedded: bool


def endpoint_id(settings: Settings) -> str:
    """The endpoint's identity in cache keys and breakers: the configured base URL, or the embedded
    model file (its loopback port changes from run to run). Starts nothing."""
    if settings.llm_base_url:
        return settings.llm_base_url.rstrip("/")
    return f"embedded:{embedded.MODEL_SHA256}"


def _endpoint(settings: Settings) -> Endpoint:
    if settings.llm_base_url:
        return Endpoint(settings.llm_base_url.rstrip("/"), embedded=False)
    with _Embedded.lock:
        server = _Embedded.server
        if server is None or server.process.poll() is not None:
            server = embedded.start_server(settings)
            _Embedded.server = server
            import atexit

            atexit.register(embedded.stop_server, server)
        return Endpoint(server.base_url, embedded=True)


def stop_embedded() -> None:
    """Stop the embedded server if this process started one."""
    with _Embedded.lock:
        if _Embedded.server is not None:
            embedded.stop_server(_Embedded.server)
            _Embedded.server = None


@contextmanager
def llm_session(settings: Settings) -> Iterator[None]:
    """Scope for a batch of calls: an embedded server started inside is stopped at the end."""
    try:
        yield
    finally:
        if not settings.llm_base_url:
            stop_embedded()


def default_cache(settings: Settings) -> ResponseCache:
    return ResponseCache(settings.effective_cache_dir, read_only=settings.recordings)


def complete(
    messages: list[dict[str, Any]],
    response_model: type[BaseModel],
    *,
    settings: Settings,
    usage: Usage,
    reason: str,
    label: str = "",
    cache: ResponseCache | None = None,
) -> Reply:
    """One structured call: from the cache when possible, else through instructor with retries.

    Raises an `LLMError` subclass (with attempts and the last raw reply) when no valid reply came;
    the failure and its cost are in `usage` (`failed_*`, `failures`, `skipped`)."""
    cache = cache if cache is not None else default_cache(settings)
    schema = response_model.model_json_schema()
    ident = endpoint_id(settings)
    request = request_digest(model=settings.llm_model, mode=MODE.value, messages=messages, schema=schema)
    key = cache_key(
        endpoint=ident,
        model=settings.llm_model,
        prompt_version=PROMPT_VERSION,
        mode=MODE.value,
        messages=messages,
        schema=schema,
    )
    hit = cache.get(key)
    if hit is not None:
        try:
            data = response_model.model_validate_json(hit.raw)
        except ValidationError:
            data = None
        if data is not None:
            usage.replayed_calls += 1
            usage.replayed_tokens += hit.prompt_tokens + hit.completion_tokens
            usage.replayed_seconds += hit.seconds
            for observe in KEY_OBSERVERS:
                observe(key, True)
            usage.count("cache_hit")
            return Reply(data, hit.raw, hit.prompt_tokens, hit.completion_tokens, 0, 0.0, cached=True)

    for observe in KEY_OBSERVERS:
        observe(key, False)
    if offline(settings):
        usage.count("error:offline_miss")
        raise LLMUnavailableError(
            "offline: no cached or recorded reply for this call (run `extractor llm record`)"
        )
    breaker = breaker_for(ident, settings)
    try:
        CallBudget.for_call(settings, usage).check()
        probe = breaker.admit()
    except (LLMBudgetError, CircuitOpenError) as exc:
        usage.count("skipped_over_budget" if isinstance(exc, LLMBudgetError) else "skipped_breaker_open")
        usage.skipped.append(f"{label or reason}: {exc.message}")
        raise
    try:
        return _complete_live(
            messages,
            response_model,
            schema,
            key,
            request,
            breaker,
            probe,
            settings,
            usage,
            reason,
            label,
            cache,
        )
    finally:
        if probe:
            breaker.released()


def _complete_live(
    messages: list[dict[str, Any]],
    response_model: type[BaseModel],
    schema: dict[str, Any],
    key: str,
    request: str,
    breaker: CircuitBreaker,
    probe: bool,
    settings: Settings,
    usage: Usage,
    reason: str,
    label: str,
    cache: ResponseCache,
) -> Reply:
    usage.count(reason)
    t0 = time.monotonic()
    try:
        endpoint = _endpoint(settings)
    except Exception as exc:  # model install errors etc. are LLMErrors already; others wrapped
        usage.count("error:unavailable")
        err = exc if isinstance(exc, LLMUnavailableError) else None
        message = err.message if err else f"the embedded model could not be started: {exc}"
        _failed(usage, label or reason, message, 0, 0, time.monotonic() - t0)
        breaker.failed("unavailable")
        if err is not None:
            raise
        raise LLMUnavailableError(message) from exc
    finally:
        usage.seconds += time.monotonic() - t0  # starting the embedded server counts too

    transport = BudgetTransport(breaker)
    http = httpx2.Client(transport=transport)
    oai = openai.OpenAI(
        base_url=endpoint.base_url,
        api_key=settings.llm_api_key,
        max_retries=0,
        timeout=settings.llm_timeout_s,
        http_client=http,
    )
    client = instructor.from_openai(oai, mode=MODE)
    budget = CallBudget.for_call(settings, usage)
    if probe:  # a half-open breaker lets one attempt through
        budget.max_attempts = 1
    transport.budget = budget
    started = time.monotonic()
    try:
        reply = _call(client, messages, response_model, schema, endpoint, budget, settings, breaker)
    except Exception as exc:
        seconds = time.monotonic() - started
        usage.llm_calls += budget.attempts
        usage.prompt_tokens += budget.prompt_tokens
        usage.completion_tokens += budget.completion_tokens
        usage.seconds += seconds
        usage.count(f"error:{type(exc).__name__}")
        message = exc.message if isinstance(exc, LLMError) else f"{type(exc).__name__}: {exc}"
        tokens = budget.prompt_tokens + budget.completion_tokens
        _failed(usage, label or reason, message, budget.attempts, tokens, seconds)
        raise  # never cached: the next run asks again
    finally:
        http.close()
    usage.llm_calls += reply.attempts
    usage.prompt_tokens += reply.prompt_tokens
    usage.completion_tokens += reply.completion_tokens
    usage.seconds += reply.seconds
    cache.put(
        CacheEntry(
            key=key,
            model=settings.llm_model,
            raw=reply.raw,
            prompt_tokens=reply.prompt_tokens,
            completion_tokens=reply.completion_tokens,
            seconds=reply.seconds,
            label=label,
            request=request,
        )
    )
    return reply


def _failed(usage: Usage, what: str, message: str, attempts: int, tokens: int, seconds: float) -> None:
    usage.failed_calls += 1
    usage.failed_attempts += attempts
    usage.failed_tokens += tokens
    usage.failed_seconds += seconds
    usage.failures.append(f"{what}: {message} ({attempts} attempt(s), {seconds:.1f} s, {tokens} tokens)")


def _call(
    client: instructor.Instructor,
    messages: list[dict[str, Any]],
    response_model: type[BaseModel],
    schema: dict[str, Any],
    endpoint: Endpoint,
    budget: CallBudget,
    settings: Settings,
    breaker: CircuitBreaker,
) -> Reply:
    responses: list[Any] = []
    client.on("completion:response", responses.append)
    extra: dict[str, Any] = {}
    if endpoint.embedded:
        extra["extra_body"] = {"response_format": {"type": "json_object", "schema": schema}}
    last_raw: str | None = None
    last_error = "no attempt was made"
    retry_number = 0
    started = time.monotonic()
    while True:
        try:
            budget.check()
        except LLMBudgetError as exc:
            raise LLMBudgetError(
                f"{exc.message}; last error: {last_error}", attempts=budget.attempts, raw=last_raw
            ) from None
        if retry_number > 0 and breaker.state == "open":
            raise LLMUnavailableError(
                f"{last_error}; the endpoint's circuit breaker opened after {budget.attempts} attempt(s)",
                attempts=budget.attempts,
                raw=last_raw,
            )
        try:
            data, completion = client.chat.completions.create_with_completion(
                model=settings.llm_model,
                messages=messages,  # type: ignore[arg-type]
                response_model=response_model,
                max_retries=budget.attempts_left() - 1,
                temperature=TEMPERATURE,
                max_tokens=budget.max_tokens(),
                **extra,
            )
        except IncompleteOutputException as exc:
            last_raw = raw_of(responses[-1]) if responses else None
            raise LLMReplyError(
                f"the reply was cut off at the token limit ({budget.max_tokens()})",
                attempts=budget.attempts,
                raw=last_raw,
            ) from exc
        except InstructorRetryException as exc:
            budget.spend(*usage_of(exc))
            if responses:
                last_raw = raw_of(responses[-1])
            cause = transport_cause(exc)
            if cause is None and responses and not getattr(responses[-1], "choices", None):
                cause = EmptyReply("the LLM endpoint replied with no choices")
            if cause is None:  # the replies never fitted the schema
                raise LLMReplyError(
                    f"no schema-valid reply after {budget.attempts} attempt(s): {first_line(exc)}",
                    attempts=budget.attempts,
                    raw=last_raw,
                ) from None
            last_error = describe(cause)
            if isinstance(cause, LLMBudgetError):
                raise LLMBudgetError(
                    f"{cause.message}; last error: {last_error}", attempts=budget.attempts, raw=last_raw
                ) from None
            timed_out = isinstance(cause, openai.APITimeoutError | httpx2.TimeoutException)
            if not retryable(cause) or (timed_out and endpoint.embedded) or budget.attempts_left() <= 0:
                raise LLMUnavailableError(
                    f"{last_error}; gave up after {budget.attempts} attempt(s)",
                    attempts=budget.attempts,
                    raw=last_raw,
                ) from None
            retry_number += 1
            retry_after = None
            if isinstance(cause, openai.APIStatusError):
                retry_after = parse_retry_after(cause.response.headers.get("retry-after"))
            try:
                wait = budget.backoff(retry_number, retry_after)
            except LLMBudgetError as budget_exc:
                raise LLMBudgetError(
                    f"{last_error}; {budget_exc.message}", attempts=budget.attempts, raw=last_raw
                ) from None
            time.sleep(wait)
            continue
        budget.spend(*usage_of(completion))
        raw = raw_of(completion) or json.dumps(data.model_dump(mode="json"), ensure_ascii=False)
        return Reply(
            data=data,
            raw=raw,
            prompt_tokens=budget.prompt_tokens,
            completion_tokens=budget.completion_tokens,
            attempts=budget.attempts,
            seconds=time.monotonic() - started,
            cached=False,
        )
