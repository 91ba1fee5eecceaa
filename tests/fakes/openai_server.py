"""A real local HTTP server speaking the OpenAI chat-completions protocol, with scripted replies and
faults, for tests that must not need a network or a model.

    with FakeOpenAI([Status(429, {"Retry-After": "1"}), Reply({"rows": []})]) as fake:
        settings = Settings(llm_base_url=fake.url, ...)
        ...
        assert fake.count == 2

Scripted actions are used in order, one per request; when the script runs out, `responder(body)`
decides (default: an empty `{"rows": []}` reply). Every request body is kept in `fake.requests`.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """A normal completion whose message content is `content` (a dict is sent as JSON text)."""

    content: str | dict[str, Any]
    prompt_tokens: int = 100
    completion_tokens: int = 20
    finish_reason: str = "stop"


@dataclass
class Status:
    """An HTTP error status (e.g. 429 with Retry-After, 500)."""

    code: int
    headers: dict[str, str] = field(default_factory=dict)
    message: str = "scripted fault"


@dataclass
class Hang:
    """Accept the request and answer nothing for `seconds` (or until the server stops)."""

    seconds: float = 30.0


@dataclass
class EmptyChoices:
    """A 200 reply whose `choices` list is empty."""


@dataclass
class Malformed:
    """A 200 reply whose message content is not JSON at all."""

    content: str = 'rows: [{"code": 201, oops'


@dataclass
class Drip:
    """A normal 200 completion whose body arrives `chunk` bytes every `interval` seconds (a slow drip:
    every read gets something well within any per-read timeout)."""

    content: str | dict[str, Any]
    interval: float = 0.2
    chunk: int = 8


Action = Reply | Status | Hang | EmptyChoices | Malformed | Drip
Responder = Callable[[dict[str, Any]], Action]


def _default_responder(_body: dict[str, Any]) -> Action:
    return Reply({"rows": []})


class FakeOpenAI:
    def __init__(self, script: list[Action] | None = None, responder: Responder | None = None) -> None:
        self.script: list[Action] = list(script or [])
        self.responder: Responder = responder or _default_responder
        self.requests: list[dict[str, Any]] = []
        self.times: list[float] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> FakeOpenAI:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def do_GET(self) -> None:  # noqa: N802
                if self.path.rstrip("/").endswith("/models"):
                    self._send(200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]})
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"_unparsed": raw.decode("utf-8", "replace")}
                action = fake._next(body)
                fake._serve(self, body, action)

            def _send(
                self,
                code: int,
                payload: Any,
                headers: dict[str, str] | None = None,
                drip: Drip | None = None,
            ) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                if drip is None:
                    self.wfile.write(data)
                    return
                try:
                    for i in range(0, len(data), drip.chunk):
                        if fake._stop.wait(drip.interval):
                            break
                        self.wfile.write(data[i : i + drip.chunk])
                        self.wfile.flush()
                except OSError:  # the client gave up
                    self.close_connection = True

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # -- inspection --------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.requests)

    def push(self, *actions: Action) -> None:
        with self._lock:
            self.script.extend(actions)

    # -- serving -----------------------------------------------------------------------------
    def _next(self, body: dict[str, Any]) -> Action:
        with self._lock:
            self.requests.append(body)
            self.times.append(time.monotonic())
            if self.script:
                return self.script.pop(0)
        return self.responder(body)

    def _serve(self, handler: Any, body: dict[str, Any], action: Action) -> None:
        if isinstance(action, Status):
            payload = {"error": {"message": action.message, "type": "scripted", "code": action.code}}
            handler._send(action.code, payload, action.headers)
            return
        if isinstance(action, Hang):
            self._stop.wait(action.seconds)
            handler.close_connection = True
            return
        completion: dict[str, Any] = {
            "id": f"chatcmpl-fake-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake-model"),
            "choices": [],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        }
        if isinstance(action, EmptyChoices):
            handler._send(200, completion)
            return
        if isinstance(action, Malformed):
            content, usage, finish = action.content, (50, 10), "stop"
        elif isinstance(action, Drip):
            content = action.content if isinstance(action.content, str) else json.dumps(action.content)
            usage, finish = (100, 20), "stop"
        else:
            content = action.content if isinstance(action.content, str) else json.dumps(action.content)
            usage, finish = (action.prompt_tokens, action.completion_tokens), action.finish_reason
        message: dict[str, Any] = {"role": "assistant", "content": content}
        tools = body.get("tools")
        if tools:
            name = tools[0].get("function", {}).get("name", "tool")
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {"id": "call_1", "type": "function", "function": {"name": name, "arguments": content}}
                ],
            }
        completion["choices"] = [{"index": 0, "message": message, "finish_reason": finish}]
        completion["usage"] = {
            "prompt_tokens": usage[0],
            "completion_tokens": usage[1],
            "total_tokens": usage[0] + usage[1],
        }
        handler._send(200, completion, drip=action if isinstance(action, Drip) else None)
