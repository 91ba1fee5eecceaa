"""The narrow question (a): a table whose title the rules do not know is classified by the LLM (an enum
of kinds), and the rules' parser then reads it with that kind. The numbers come from the cells with
their spans, never from the LLM, and the validators judge them like any other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fakes.openai_server import Action, FakeOpenAI, Reply

from extractor.ingest import ingest_bytes
from extractor.pipeline import extract_document
from extractor.settings import Settings

SEED = Path(__file__).resolve().parents[1] / "eval" / "datasets" / "seeds" / "docs"
TITLE, RENAMED = "部门收入总体情况表", "用款计划汇总表"  # a title no rule knows, nor the content rules


def settings_for(tmp_path: Path, url: str) -> Settings:
    return Settings(
        data_dir=tmp_path,
        llm_base_url=url,
        llm_cache_dir=tmp_path / "cache",
        llm_recordings_dir=None,
        llm_timeout_s=5.0,
        llm_document_deadline_s=30.0,
    )


def model(body: dict[str, Any]) -> Action:
    if "You classify" in body["messages"][0]["content"]:
        return Reply({"kind": "income_by_function"})
    return Reply({"rows": []})  # other tables of the document (the validators' second look)


def values(result: Any, kind: str) -> dict[tuple[str, str], Any]:
    return {(r.key, n): fv.value for r in result.records if r.kind == kind for n, fv in r.fields.items()}


def test_an_unknown_title_is_classified_and_read_by_the_rules(tmp_path: Path) -> None:
    text = (SEED / "004_7078add5d4f01a7a.txt").read_text(encoding="utf-8")
    renamed = text.replace(TITLE, RENAMED)
    rules = Settings(data_dir=tmp_path, backend="rules")
    clean = extract_document(ingest_bytes(text.encode("utf-8"), "clean.txt"), settings=rules)
    lost = extract_document(ingest_bytes(renamed.encode("utf-8"), "renamed.txt"), settings=rules)
    assert values(clean, "income_by_function") and not values(lost, "income_by_function")
    with FakeOpenAI(responder=model) as fake:
        doc = ingest_bytes(renamed.encode("utf-8"), "renamed.txt")
        hybrid = extract_document(doc, backend="hybrid", settings=settings_for(tmp_path, fake.url))
        about = [b for b in fake.requests if RENAMED in str(b["messages"])]
        assert len(about) == 1 and "You classify" in about[0]["messages"][0]["content"], (
            "one narrow question about the table, and the table itself never sent"
        )
    assert hybrid.backend == "hybrid" and hybrid.usage.reasons.get("llm_kind_read_by_rules") == 1
    assert values(hybrid, "income_by_function") == values(clean, "income_by_function")
    seg = next(s for s in hybrid.segments if s.title == RENAMED)
    assert seg.kind == "income_by_function" and "llm" in seg.classified_by
    fields = [fv for r in hybrid.records if r.kind == "income_by_function" for fv in r.fields.values()]
    assert all("kind_by_llm" in fv.reasons for fv in fields)
    for fv in fields:  # every number from a cell: its span prints it
        if isinstance(fv.value, float) and fv.span is not None:
            assert doc.text[fv.span[0] : fv.span[1]].replace(",", "").strip()
    assert any(r.startswith("sum") for fv in fields for r in fv.reasons), "the validators judged them"
