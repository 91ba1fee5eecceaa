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


def test_labels_are_renamed_as_cells_of_their_own() -> None:
    from eval.renamed import _variants

    text = "表6\n\t公用经费\n\t日常公用经费\n\t公用经费合计\n"
    ((label, synonym, changed),) = _variants(text, 0, len(text), "", "k", 1, {}, {"公用经费": ["公用支出"]})
    assert (label, synonym) == ("公用经费", "公用支出")
    assert changed == "表6\n\t公用支出\n\t日常公用经费\n\t公用经费合计\n"


def test_label_synonyms_are_printed_in_corpus_dev() -> None:
    """Each variant is what some corpus-dev document prints (real synonyms, not invented ones)."""
    from corpus_dev import require_corpus_dev

    from eval.renamed import LABEL_SYNONYMS, label_pattern
    from extractor.ingest import ingest_bytes

    corpus = require_corpus_dev()
    texts = [ingest_bytes(p.read_bytes(), p.name).text for p in sorted(corpus.iterdir()) if p.suffix != ".md"]
    missing = [
        v for vs in LABEL_SYNONYMS.values() for v in vs if not any(label_pattern(v).search(t) for t in texts)
    ]
    assert missing == []


def test_renamed_labels_lose_no_field_of_004(tmp_path: Path) -> None:
    """Headers and row labels renamed to corpus-dev's (科目编码, 公务用车运行费, 一般公共预算财政拨款, …): the
    rules read 004 as before, a row keyed by its label being right under the label now printed."""
    from eval.renamed import LABEL_SYNONYMS

    seeds = load_dataset(ROOT / "eval" / "datasets" / "seeds", name="seeds")
    one = Dataset("seeds", seeds.root, [d for d in seeds.documents if d.stem.startswith("004")])
    renames = run_renamed(
        one, backends=["rules"], settings=Settings(data_dir=tmp_path), labels=LABEL_SYNONYMS, every=True
    )
    assert renames and {r.label for r in renames} >= {"一般公共预算拨款", "功能分类科目编码"}
    assert sum(r.lost for r in renames) == 0
    report = summary(renames, ["rules"])
    assert report["rules"]["auto_accepted_precision"] == 1.0
