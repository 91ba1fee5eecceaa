"""A broken LLM module is a bug to see, not an "LLM unavailable" note on the document."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from extractor.ingest import ingest_path
from extractor.pipeline import extract_document
from extractor.settings import Settings


def test_an_llm_module_that_does_not_import_raises(
    seed_paths: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = ingest_path(seed_paths["004"])
    monkeypatch.setitem(sys.modules, "extractor.llm_backend", None)  # importing it raises ImportError
    with pytest.raises(ImportError):
        extract_document(doc, backend="hybrid", settings=Settings(data_dir=tmp_path))
    rules = extract_document(doc, backend="rules", settings=Settings(data_dir=tmp_path))
    assert rules.records and "llm_unavailable" not in rules.usage.reasons
