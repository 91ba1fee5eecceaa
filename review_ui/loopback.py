"""Serving the app: the listening socket `extractor serve` uses, a server on a loopback port in a background
thread, and a logged-in API client (those two for the concurrency tests, the browser test and the benchmark)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound TCP socket with TCP_NODELAY, which accepted connections inherit: without it a response
    written in two parts waits for the client's delayed ACK (about 40 ms on every keep-alive request)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    return sock


@contextmanager
def running_server(app: FastAPI, *, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve `app` on a free loopback port; yields the base URL and stops the server afterwards."""
    sock = listening_socket(host, 0)
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", timeout_keep_alive=30)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


class ApiClient:
    """An httpx client logged in through the API: bearer token and CSRF header on every request."""

    def __init__(self, base_url: str, username: str, password: str, *, timeout: float = 60.0) -> None:
        # TCP_NODELAY: without it the client's small writes wait on delayed ACKs (~40 ms a request)
        transport = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        self.http = httpx.Client(base_url=base_url, timeout=timeout, transport=transport)
        csrf = self.http.get("/api/login/csrf").json()["csrf_token"]
        answer = self.http.post(
            "/api/login", json={"username": username, "password": password}, headers={"X-CSRF-Token": csrf}
        )
        answer.raise_for_status()
        data = answer.json()
        self.http.cookies.clear()  # authenticate by the bearer token alone
        self.http.headers.update(
            {"Authorization": f"Bearer {data['token']}", "X-CSRF-Token": data["csrf_token"]}
        )

    def get(self, url: str, **kw: Any) -> httpx.Response:
        return self.http.get(url, **kw)

    def post(self, url: str, **kw: Any) -> httpx.Response:
        return self.http.post(url, **kw)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
