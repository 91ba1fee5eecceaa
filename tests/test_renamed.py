"""The renamed perturbation (eval/renamed.py): real titles of other regions make the rules lose a table;
hybrid asks the narrow question (which kind) and the rules' parser reads the table again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fakes.openai_server import Action, FakeOpenAI, Reply
from gold_sets import gold_set

from eval.gold import Dataset
from eval.renamed import run_renamed, summary, synonyms
from extractor.settings import Settings

SYNONYM = "部门基本支出预算（人员经费预算）"  # Hebei's title for 一般公共预算基本支出情况表
UNKNOWN = "用款计划汇总表"  # a title no rule knows, nor the content rules (not from the inventory)


def seed_004() -> Dataset:
    """The seeds' gold reduced to document 004."""
    return gold_set("seeds", "004")


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
    one = seed_004()
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
    """部门基本支出预算（人员经费预算） (no 表, a bracketed qualifier after 预算) is kept as a table and read by
    the words before its qualifier (基本支出): the rules lose nothing to that rename of 004's
    一般公共预算基本支出情况表."""
    one = seed_004()
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
    from eval.renamed_variants import table_variants

    text = "表6\n\t公用经费\n\t日常公用经费\n\t公用经费合计\n"
    (v,) = table_variants(text, 0, len(text), "", [], {"公用经费": ["公用支出"]}, mode="labels", per_table=1)
    assert v.labels == {"公用经费": "公用支出"}
    assert v.text == "表6\n\t公用支出\n\t日常公用经费\n\t公用经费合计\n"


def test_label_synonyms_are_printed_in_corpus_dev() -> None:
    """Each variant is what some corpus-dev document prints (real synonyms, not invented ones)."""
    from corpus_dev import require_corpus_dev

    from eval.renamed import LABEL_SYNONYMS
    from eval.renamed_variants import label_pattern
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

    one = seed_004()
    renames = run_renamed(
        one, backends=["rules"], settings=Settings(data_dir=tmp_path), labels=LABEL_SYNONYMS, every=True
    )
    assert renames and {r.label for r in renames} >= {"一般公共预算拨款", "功能分类科目编码"}
    assert sum(r.lost for r in renames) == 0
    report = summary(renames, ["rules"])
    assert report["rules"]["auto_accepted_precision"] == 1.0


def test_labels_renamed_to_each_other_swap_in_one_pass() -> None:
    from eval.renamed_variants import relabel_text

    mapping = {"公务用车运行费": "公务用车运行维护费", "公务用车运行维护费": "公务用车运行费"}
    text = "\t公务用车运行费\t公务用车运行维护费\t公务用车购置及运行费"
    assert relabel_text(text, mapping) == "\t公务用车运行维护费\t公务用车运行费\t公务用车购置及运行费"


def test_a_synonym_names_the_same_table_not_only_its_kind() -> None:
    from eval.renamed_variants import same_table

    assert same_table("income_summary", "部门收支总体情况表", "收支预算总表", doc_type="budget")
    assert not same_table("income_summary", "部门收支总体情况表", "高等学校收支决算总表", doc_type="budget")
    assert not same_table(
        "three_public_expenses", "“三公”经费支出情况表", "2O23年哈尔滨市本级“三公”经费支出决算表"
    )
    harbin = "2O23年哈尔滨市一般公共预算支出决算表"
    assert not same_table("gov_expenditure", harbin, "2023年哈尔滨市国有资本经营预算支出决算表")
    assert same_table("gov_expenditure", harbin, "2023年哈尔滨市一般公共预算支出决算表", fiscal_year=2023)
    assert not same_table(
        "procurement_budget", "2019年政府采购预算表", "2017年政府采购预算表", fiscal_year=2019
    )
    assert not same_table("income_summary", "收支预算总表", "西南大学收支预算总表", other_units=["西南大学"])


def test_combined_renames_the_title_and_every_label_at_once() -> None:
    from eval.renamed_variants import document_variants, table_variants

    text = "表6\n一般公共预算基本支出情况表\n\t科目名称\t人员经费\t公用经费\n\t301\t工资福利支出\n表7\n三公\n\t公用经费\n"
    end = text.index("表7")
    labels = {"公用经费": ["日常公用经费", "公用支出"], "经济分类科目名称": ["科目名称"]}
    titles = ["部门基本支出预算（人员经费预算）", "一般公共预算基本支出表"]
    v1, v2 = table_variants(text, 4, end, "一般公共预算基本支出情况表", titles, labels, mode="combined")
    assert (v1.synonym, v1.labels) == (titles[0], {"公用经费": "日常公用经费"})
    assert v1.text.startswith("表6\n部门基本支出预算（人员经费预算）\n\t科目名称\t人员经费\t日常公用经费\n")
    assert v1.text.endswith("表7\n三公\n\t公用经费\n"), "only the table renamed"
    assert v2.labels == {"公用经费": "公用支出"}
    (whole,) = document_variants(text, [(4, "一般公共预算基本支出情况表", titles)], labels, count=1)
    assert whole.text.count("日常公用经费") == 2 and titles[0] in whole.text


def test_the_rules_lose_nothing_to_the_combined_rename_of_004s_basic_table(tmp_path: Path) -> None:
    """Hebei's title 部门基本支出预算（人员经费预算） with 公用支出 for 公用经费, 科目名称, 公务用车运行费 at once:
    the content rule reads 人员经费 | 公用支出 and economic codes as the basic table."""
    one = seed_004()
    kind = "basic_expenditure_by_economic"
    renames = run_renamed(
        one,
        backends=["rules"],
        settings=Settings(data_dir=tmp_path),
        kinds={kind},
        mode="combined",
        every=True,
    )
    assert any(r.synonym == SYNONYM and r.labels.get("公用经费") == "公用支出" for r in renames)
    assert sum(r.lost for r in renames) == 0


def test_dev_06s_basic_table_is_read_under_hebeis_title(tmp_path: Path) -> None:
    """Corpus-dev 06 prints its basic table as 科目编码 | 科目名称 | 金额 (no 人员经费 / 公用经费 words for the
    content rule): under Hebei's 部门基本支出预算（人员经费预算） the title's words before the qualifier name it."""
    one = gold_set("dev", "06_")
    kind = "basic_expenditure_by_economic"
    renames = run_renamed(
        one,
        backends=["rules"],
        settings=Settings(data_dir=tmp_path),
        kinds={kind},
        table_synonyms={kind: [SYNONYM]},
    )
    assert renames == []


def test_dev_06s_basic_table_under_an_unknown_title_needs_the_kind_question(tmp_path: Path) -> None:
    """Under a title no rule knows, no content rule can tell dev 06's basic table (科目编码 | 科目名称 | 金额,
    economic codes) from its 财政拨款 basic table. Hybrid's kind question, answered right, has the rules
    read all of it; answered wrong (what the embedded model answered: income_summary), nothing is
    recovered and nothing read under the wrong kind is auto-accepted."""
    one = gold_set("dev", "06_")
    kind = "basic_expenditure_by_economic"
    for answer in (kind, "income_summary"):

        def model(body: dict[str, Any], answer: str = answer) -> Action:
            if "You classify" in body["messages"][0]["content"]:
                return Reply({"kind": answer})
            return Reply({"rows": []})

        with FakeOpenAI(responder=model) as fake:
            settings = Settings(
                data_dir=tmp_path / answer,
                llm_base_url=fake.url,
                llm_cache_dir=tmp_path / answer / "cache",
                llm_recordings_dir=None,
            )
            (rename,) = run_renamed(
                one,
                backends=["rules", "hybrid"],
                settings=settings,
                kinds={kind},
                table_synonyms={kind: [UNKNOWN]},
            )
        assert rename.lost == 50 and rename.recovered["rules"] == 0
        assert rename.recovered["hybrid"] == (50 if answer == kind else 0)
        assert rename.wrong_accepted["hybrid"] == []


def test_the_renamed_gate_fails_on_fields_left_lost_and_on_low_precision() -> None:
    from eval.renamed import gate_failures

    def report(lost: int, recovered: int, precision: float | None) -> dict[str, Any]:
        row = {"recovered": recovered, "auto_accepted_precision": precision}
        return {"fields the rules lose": lost, "rules": {**row, "recovered": 0}, "hybrid": row}

    assert gate_failures(report(0, 0, 1.0), ["rules", "hybrid"], max_lost=0, min_precision=0.995) == []
    assert gate_failures(report(0, 0, None), ["rules"], max_lost=0, min_precision=0.995) == []
    (lost,) = gate_failures(report(50, 50, 1.0), ["rules", "hybrid"], max_lost=0, min_precision=0.995)
    assert lost.startswith("rules: 50 fields lost")
    (low,) = gate_failures(report(0, 0, 0.99), ["hybrid"], max_lost=0, min_precision=0.995)
    assert "precision 0.9900" in low
