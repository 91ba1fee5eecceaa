"""The one atomic writer every file output goes through (exports, gold, the LLM cache, page images, eval)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.files import write_atomically


def test_writes_text_and_bytes_and_replaces_an_old_file(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "out.json"
    assert write_atomically(path, "{'甲': 1}") == path
    assert path.read_text(encoding="utf-8") == "{'甲': 1}"
    write_atomically(path, b"\x89PNG")
    assert path.read_bytes() == b"\x89PNG"
    assert sorted(p.name for p in path.parent.iterdir()) == ["out.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.json"
    path.write_text("old", encoding="utf-8")

    def full_disk(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("extractor.files.os.replace", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
