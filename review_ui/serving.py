"""`extractor serve`: the review server in one process or several, on one listening socket.

With `workers > 1` the parent spawns that many server processes; each builds its own app (its own engine
and connection pool) from the same settings, and the kernel spreads the connections over them.
Everything two requests must agree on lives in the database, so it holds across processes: leases and
their 409s, idempotency keys, document locks, sessions and the login throttle. The schema is migrated
once, in the parent, before any process starts, so that no two migrate at once. A process that dies is
replaced; one that cannot start stops the server.

SIGTERM (or Ctrl-C) stops the server gracefully, in three steps:
1. the listening socket is closed (the parent's copy first, then each process's), so new connections
   are refused at once: a client can retry another server without having sent anything;
2. drain: a request that arrives on a connection already open is still served, with
   `Connection: close`, so that its client opens no further request on it; the drain lasts until every
   connection has closed or the keep-alive timeout has passed (idle connections close by then);
3. uvicorn's own shutdown: requests still running get up to `graceful_seconds` to finish.
Leases are not released: a reviewer's claim outlives a restart and expires on its own time
(`lease_seconds`).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from extractor.settings import Settings
from extractor.storage import init_db, make_engine
from review_ui.app import check_settings, create_app

log = logging.getLogger("uvicorn.error")
KEEP_ALIVE_SECONDS = 5
STARTUP_FAILURE = 3  # as uvicorn exits when its app cannot start


@dataclass(frozen=True)
class ServeSpec:
    """What each server process needs to build its app (picklable: it crosses into spawned processes)."""

    settings: Settings
    gold_dir: Path | None = None
    secure_cookies: bool = False
    graceful_seconds: int = 30


class CloseWhenDraining:
    """Once the server drains, every response says `Connection: close`."""

    def __init__(self, app: ASGIApp, draining: threading.Event) -> None:
        self.app = app
        self.draining = draining

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.draining.is_set():
            await self.app(scope, receive, send)
            return

        async def closing(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"connection", b"close")]}
            await send(message)

        await self.app(scope, receive, closing)


class DrainingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, draining: threading.Event) -> None:
        super().__init__(config)
        self.draining = draining

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        self.draining.set()
        deadline = time.monotonic() + min(self.config.timeout_graceful_shutdown or 30, KEEP_ALIVE_SECONDS + 1)
        while self.server_state.connections and not self.force_exit and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await super().shutdown(sockets)


def run_process(spec: ServeSpec, sock: socket.socket) -> None:
    """One server process: its app, served on `sock` until SIGTERM or SIGINT."""
    draining = threading.Event()
    try:
        app = create_app(
            spec.settings, gold_dir=spec.gold_dir, secure_cookies=spec.secure_cookies, migrate=False
        )
    except Exception:
        log.exception("the review app could not be built")
        sys.exit(STARTUP_FAILURE)
    config = uvicorn.Config(
        CloseWhenDraining(app, draining),
        log_level="info",
        access_log=False,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=spec.graceful_seconds,
    )
    server = DrainingServer(config, draining)
    server.run(sockets=[sock])
    if not server.started:
        sys.exit(STARTUP_FAILURE)


def serve(
    spec: ServeSpec, sock: socket.socket, *, workers: int = 1, announce: Callable[[], None] = lambda: None
) -> None:
    """Serve the review app on `sock` in `workers` processes until SIGTERM or SIGINT."""
    check_settings(spec.settings)
    engine = make_engine(spec.settings.effective_database_url)
    try:
        init_db(engine)
    finally:
        engine.dispose()
    announce()
    if workers == 1:
        run_process(spec, sock)
    else:
        _supervise(spec, sock, workers)


def _supervise(spec: ServeSpec, sock: socket.socket, workers: int) -> None:
    context = multiprocessing.get_context("spawn")
    stop = threading.Event()
    previous: dict[int, Any] = {
        sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)
    }

    def start() -> multiprocessing.process.BaseProcess:
        process = context.Process(target=run_process, args=(spec, sock), name="review-server")
        process.start()
        return process

    processes = [start() for _ in range(workers)]
    try:
        while not stop.wait(0.5):
            for i, process in enumerate(processes):
                if process.is_alive():
                    continue
                if process.exitcode == STARTUP_FAILURE:  # it would fail the same way again
                    log.error("a server process failed to start; stopping")
                    stop.set()
                    break
                log.warning(
                    "server process %s ended (exit %s); starting another", process.pid, process.exitcode
                )
                processes[i] = start()
    finally:
        sock.close()  # the parent's copy first: once the processes close theirs, connecting is refused
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: each drains and stops gracefully
        for process in processes:
            process.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
