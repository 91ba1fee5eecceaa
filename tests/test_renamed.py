"""The renamed perturbation (eval/renamed.py): real titles of other regions make the rules lose a table;
hybrid asks the narrow question (which kind) and the rules' parser reads the table again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fakes.openai_server import Action, FakeOpenAI, Reply

from eval.gold import Dataset, load_dataset
from eval.renamed import run_renamed, summary, synonyms
from extractor.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SYNONYM = "部门基本支出预算（人员经费预算）"  # Hebei's title for 一般公共预算基本支出情况表
UNKNOWN = "用款计划汇总表"  # a title no rule knows, nor the content rules (not from the inventory)


def test_synonyms_are_the_inventory_titles_by_kind() -> None:
    by_kind = synonyms()
    assert SYNONYM in by_kind["basic_expenditure_by_economic"]
    assert "收支预算总表" in by_kind["income_summary"]


def model(body: dict[str, Any]) -> Action:
    if "You classify" in body["messages"][0]["content"]:
        asked = body["messages"][-1]["content"]
        return Reply({"kind": "income_by_function" if UNKNOWN in asked else None})
    return Reply({"rows": []})


def test_hybrid_recovers_what_the_rules_lose(tmp_path: Path) -> None:
    seeds = load_dataset(ROOT / "eval" / "datasets" / "seeds", name="seeds")
    one = Dataset("seeds", seeds.root, [d for d in seeds.documents if d.stem.startswith("004")])
    with FakeOpenAI(responder=model) as fake:
        settings = Settings(
            data_dir=tmp_path,
            llm_base_url=fake.url,
            llm_cache_dir=tmp_path / "cache",
            llm_recordings_dir=None,
        )
        renames = run_renamed(
            one,
            backends=["rules", "hybrid"],
            settings=settings,
            kinds={"income_by_function"},
            table_synonyms={"income_by_function": [UNKNOWN]},
        )
    (rename,) = renames
    assert rename.lost > 0 and rename.recovered["rules"] == 0
    assert rename.recovered["hybrid"] == rename.lost
    report = summary(renames, ["rules", "hybrid"])
    assert report["hybrid"]["recovered_share"] == 1.0 and report["rules"]["recovered_share"] == 0.0
    assert report["hybrid"]["llm_requests_per_document"] >= 1
    assert (
        report["hybrid"]["auto_accepted_precision"] is None
        or report["hybrid"]["auto_accepted_precision"] >= 0.995
    )


def test_an_unknown_bare_title_still_opens_its_table(tmp_path: Path) -> None:
    """部门基本支出预算（人员经费预算） (no 表, a name no rule knows) is kept as a table and its content
    decides the kind: the rules lose nothing to that rename of 004's 一般公共预算基本支出情况表."""
    seeds = load_dataset(ROOT / "eval" / "datasets" / "seeds", name="seeds")
    one = Dataset("seeds", seeds.root, [d for d in seeds.documents if d.stem.startswith("004")])
    kind = "basic_expenditure_by_economic"
    renames = run_renamed(
        one,
        backends=["rules"],
        settings=Settings(data_dir=tmp_path),
        kinds={kind},
        table_synonyms={kind: [SYNONYM]},
    )
    assert renames == []
