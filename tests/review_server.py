"""`extractor serve --workers N` in a process of its own, for the multi-process tests and the review benchmark.

    with served(db_url, data_dir, workers=4) as (url, proc):
        ...

It yields the server's base URL once its processes answer (each GET /login lands on one of them, so a few
answers per process are awaited) and the process itself (a test may signal it). On leaving, the server
gets SIGTERM and is waited for. Its output is drained into `log` (or dropped), and lines that report a
traceback or an error are echoed, so a failing server is seen in the caller's output.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

EXTRACTOR = str(Path(sys.executable).with_name("extractor"))
_LISTENING = re.compile(r"review server on (http://[\d.]+:\d+)/")


@contextmanager
def served(
    db_url: str,
    data_dir: Path,
    *,
    workers: int,
    answers_per_worker: int = 1,
    env: Mapping[str, str] | None = None,
    extra_args: Sequence[str] = (),
    log: Path | None = None,
    startup_seconds: float = 120.0,
    stop_seconds: float = 120.0,
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    environ = {**os.environ, "EXTRACTOR_DATA_DIR": str(data_dir), "EXTRACTOR_LLM_OFFLINE": "1", **(env or {})}
    cmd = [EXTRACTOR, "serve", "--port", "0", "--workers", str(workers), "--db", db_url, *extra_args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environ)
    try:
        assert proc.stdout is not None
        url = next((m.group(1) for line in proc.stdout if (m := _LISTENING.search(line))), None)
        if url is None:
            raise RuntimeError(f"the review server exited before it listened (exit {proc.wait()})")
        threading.Thread(target=_drain, args=(proc, log), daemon=True).start()
        wanted, ready = workers * answers_per_worker, 0
        deadline = time.monotonic() + startup_seconds
        while ready < wanted and time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"the review server stopped while starting (exit {proc.returncode})")
            try:
                ready += httpx.get(f"{url}/login", timeout=10).status_code == 200
            except httpx.TransportError:
                time.sleep(0.5)
        if ready < wanted:
            raise RuntimeError(f"the review server did not come up within {startup_seconds:.0f} s")
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=stop_seconds)


def _drain(proc: subprocess.Popen[str], log: Path | None) -> None:
    """Keep the server's pipe from filling: into `log` when given; errors echoed either way."""
    with open(log if log is not None else os.devnull, "w", encoding="utf-8") as out:
        for line in proc.stdout or ():
            out.write(line)
            if "Traceback" in line or "ERROR" in line:
                print(f"server: {line.rstrip()}", flush=True)
