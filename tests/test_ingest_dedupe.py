"""Dedupe by sha256 before extraction, and a summary that counts what happened in this run only."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import extractor.storage.intake as intake
from extractor.cli import main
from extractor.model import ExtractionResult


def _summary(output: str) -> dict[str, int]:
    rows: dict[str, int] = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        if len(cells) == 2 and cells[1].isdigit():
            rows[cells[0]] = int(cells[1])
    return rows


def test_rerun_extracts_nothing_and_counts_new_documents_only(
    tmp_path: Path, seed_paths: dict[str, Path], monkeypatch: pytest.MonkeyPatch, db_urls: Callable[[], str]
) -> None:
    files = [Path(shutil.copy(seed_paths[k], tmp_path / seed_paths[k].name)) for k in ("002", "004")]
    url = db_urls()
    extracted: list[str] = []
    real = intake.extract_document

    def counting(doc, **kwargs):  # type: ignore[no-untyped-def]
        extracted.append(doc.source)
        result: ExtractionResult = real(doc, **kwargs)
        return result

    monkeypatch.setattr(intake, "extract_document", counting)
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", "--backend", "rules", "--db", url, str(files[0])])
    assert first.exit_code == 0, first.output
    records_002 = _summary(first.output)["records (new documents)"]
    assert records_002 > 0 and extracted == [files[0].name]

    second = runner.invoke(main, ["ingest", "--backend", "rules", "--db", url, str(files[0]), str(files[1])])
    assert second.exit_code == 0, second.output
    assert extracted == [files[0].name, files[1].name]  # 002 was not extracted again
    s = _summary(second.output)
    assert (s["new documents"], s["already stored (not extracted again)"], s["failed documents"]) == (1, 1, 0)
    only_004 = runner.invoke(main, ["ingest", "--backend", "rules", "--db", db_urls(), str(files[1])])
    assert s["records (new documents)"] == _summary(only_004.output)["records (new documents)"]

    third = runner.invoke(main, ["ingest", "--backend", "hybrid", "--db", url, *map(str, files)])
    assert third.exit_code == 0, third.output
    assert len(extracted) == 3  # the hybrid rerun made no extraction and so no LLM call
    t = _summary(third.output)
    assert (t["new documents"], t["already stored (not extracted again)"], t["records (new documents)"]) == (
        0,
        2,
        0,
    )
    assert t["llm calls made"] == 0
