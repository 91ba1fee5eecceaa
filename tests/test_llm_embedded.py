"""The embedded model: GGUF header reading, verification of the assembled file, and (marked `live`)
one real call through the embedded llama.cpp server."""

from __future__ import annotations

import importlib.util
import os
import struct
from pathlib import Path

import pytest

from extractor.llm import embedded
from extractor.llm.errors import ModelInstallError


def gguf_bytes(name: str, *, extra_array: bool = True) -> bytes:
    def s(text: str) -> bytes:
        data = text.encode("utf-8")
        return struct.pack("<Q", len(data)) + data

    kvs = [s("general.architecture") + struct.pack("<I", 8) + s("qwen2")]
    if extra_array:  # an array of uint32 and one of strings before the name, to be skipped
        kvs.append(
            s("x.ints") + struct.pack("<I", 9) + struct.pack("<IQ", 4, 3) + struct.pack("<3I", 1, 2, 3)
        )
        kvs.append(s("x.strs") + struct.pack("<I", 9) + struct.pack("<IQ", 8, 2) + s("a") + s("bc"))
        kvs.append(s("x.f") + struct.pack("<I", 6) + struct.pack("<f", 1.5))
    kvs.append(s("general.name") + struct.pack("<I", 8) + s(name))
    return b"GGUF" + struct.pack("<IQQ", 3, 0, len(kvs)) + b"".join(kvs)


def test_gguf_header_is_read(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(gguf_bytes("Qwen2.5 Coder 0.5B Instruct"))
    meta = embedded.gguf_metadata(path)
    assert meta == {"general.architecture": "qwen2", "general.name": "Qwen2.5 Coder 0.5B Instruct"}


@pytest.mark.parametrize(
    "content,message",
    [
        (b"NOTGGUF" + b"\0" * 64, "bytes"),
        (gguf_bytes("Qwen2.5 Coder"), "bytes"),
    ],
)
def test_wrong_files_are_rejected(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(content)
    with pytest.raises(ModelInstallError, match=message):
        embedded.verify_model(path)
    with pytest.raises(ModelInstallError):
        embedded.verify_model(tmp_path / "missing.gguf")


def test_wrong_name_is_rejected_before_hashing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(gguf_bytes("Gemma 3 270M"))
    monkeypatch.setattr(embedded, "MODEL_SIZE", path.stat().st_size)
    with pytest.raises(ModelInstallError, match="general.name"):
        embedded.verify_model(path)
    path.write_bytes(gguf_bytes("Qwen2.5 but not the pinned one"))
    monkeypatch.setattr(embedded, "MODEL_SIZE", path.stat().st_size)
    with pytest.raises(ModelInstallError, match="sha256"):
        embedded.verify_model(path)


def test_server_command_binds_loopback(tmp_path: Path) -> None:
    from extractor.settings import Settings

    cmd = embedded.server_command(Settings(data_dir=tmp_path), tmp_path / "m.gguf", 8123, threads=1)
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--port") + 1] == "8123"
    assert cmd[cmd.index("--n_threads") + 1] == "1"


def _model_installed() -> bool:
    try:
        embedded.part_files()
    except ModelInstallError:
        return False
    return importlib.util.find_spec("llama_cpp") is not None


@pytest.mark.live
def test_live_embedded_call(tmp_path: Path) -> None:
    """One small real call: install + verify the model, start the server, extract a 3-row table,
    stop the server. In CI (`CI` set) a missing model is a failure, not a skip."""
    if not _model_installed():
        message = (
            "llama-cpp-python[server] or the model packages are not installed (scripts/install_model.sh)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from extractor.llm.client import _Embedded, llm_session
    from extractor.llm.extract import extract_segment
    from extractor.model import Segment, Usage
    from extractor.settings import Settings

    text = "部门支出总体情况表\n单位：万元\n科目编码 科目名称 合计 基本支出 项目支出\n201 38 01 行政运行 203.53 203.53\n221 02 01 住房公积金 17.37 17.37\n合 计 220.90 220.90\n"
    seg = Segment(0, "expenditure_by_function", "部门支出总体情况表", 0, len(text), unit="万元")
    # the path to the real model, not the budgets (tests/test_llm_faults.py): room for a cold server
    settings = Settings(data_dir=tmp_path, llm_document_deadline_s=600.0, llm_timeout_s=300.0)
    usage = Usage()
    with llm_session(settings):
        records = extract_segment(text, seg, settings=settings, usage=usage)
        server = _Embedded.server
        assert server is not None and server.process.poll() is None
    assert server.process.poll() is not None, "the server is stopped after use"
    assert usage.llm_calls == 1 and usage.completion_tokens > 0
    keys = {r.key for r in records}
    assert keys & {"2013801", "2210201", "total"}, records
    grounded = [fv for r in records for fv in r.fields.values() if "grounded" in fv.reasons]
    assert grounded, "at least one value read by the real model is found in the text"
