"""Tables under a title no rule knows: the header words and codes may name the kind, but they are a guess.

The content rules cannot tell every pair of like tables apart (支出总表 / 一般公共预算支出表 share their
header), so a kind they give is held for review unless a sum or tie holds (`kind_by_content`), and a kind a
title in the same document already names for the same scope is not taken at all."""

from __future__ import annotations

from pathlib import Path

from gold_sets import gold_set

from eval.renamed import renamed_document, run_renamed
from extractor import reasons
from extractor.ingest import ingest_bytes
from extractor.pipeline import extract_document
from extractor.score import blocking_reasons
from extractor.settings import Settings

UNKNOWN = "用款计划汇总表"  # a title no rule knows (a stand-in for the titles of documents neither set holds)


def _rules_with(name: str, stem_prefix: str, title: str, settings: Settings):  # type: ignore[no-untyped-def]
    """The rules' reading of one gold document with its table `title` (printed once) renamed UNKNOWN."""
    (gold,) = gold_set(name, stem_prefix).documents
    assert gold.doc_path is not None
    doc = ingest_bytes(gold.doc_path.read_bytes(), gold.doc_path.name)
    assert doc.text.count(title) == 1
    return extract_document(
        renamed_document(doc, doc.text.replace(title, UNKNOWN)), backend="rules", settings=settings
    )


def test_a_kind_only_the_header_gives_is_held_unless_a_check_holds(tmp_path: Path) -> None:
    """004's 三公 table under an unknown title: its header (因公出国 / 公务接待) names the kind, every field says
    so, and a field is auto-accepted only where a sum or tie holds with it (here the 三公 parts do)."""
    result = _rules_with("seeds", "004", "财政拨款“三公”经费支出情况表", Settings(data_dir=tmp_path))
    (seg,) = [s for s in result.segments if s.title == UNKNOWN]
    assert (seg.kind, seg.classified_by) == ("three_public_expenses", ["content"])
    fields = [fv for r in result.records if r.segment_index == seg.index for fv in r.fields.values()]
    assert fields and all("kind_by_content" in fv.reasons for fv in fields)
    for fv in fields:
        assert (fv.status == "auto_accepted") <= reasons.confirms_llm(fv.reasons)
    assert "kind_by_content" in blocking_reasons(["kind_by_content"])
    assert "kind_by_content" not in blocking_reasons(["kind_by_content", "sum:201"])


def test_a_kind_a_title_already_names_is_not_guessed_again(tmp_path: Path) -> None:
    """Corpus-dev 38's 部门预算一般公共预算财政拨款支出表 under an unknown title reads, by its header (本年支出合计 |
    基本支出 | 项目支出 by function code), like its 部门预算支出总表, whose own title names that kind: the table
    stays unknown rather than a second 支出总表."""
    result = _rules_with("dev", "38_", "部门预算一般公共预算财政拨款支出表", Settings(data_dir=tmp_path))
    (seg,) = [s for s in result.segments if s.title == UNKNOWN]
    assert seg.kind is None
    assert seg.classified_by == ["content_taken:expenditure_by_function"]
    assert not [r for r in result.records if r.segment_index == seg.index]


def test_unknown_titles_cost_no_wrong_auto_accepted_field_on_dingzhou(tmp_path: Path) -> None:
    """Corpus-dev 38 (定州民政局, Excel): its 一般公共预算财政拨款支出表 under an unknown title was read as a second
    支出总表, and 149 of its fields were auto-accepted, 131 of them wrong. Now nothing wrong is auto-accepted."""
    one = gold_set("dev", "38_")
    kind = "general_budget_expenditure"
    (rename,) = run_renamed(
        one,
        backends=["rules"],
        settings=Settings(data_dir=tmp_path),
        kinds={kind},
        table_synonyms={kind: [UNKNOWN]},
    )
    assert rename.lost > 0
    assert rename.wrong_accepted["rules"] == []


def test_a_procurement_plan_and_an_operating_expenses_table_are_known_by_their_columns(
    tmp_path: Path,
) -> None:
    """Columns only these tables print name them under any title: a procurement plan's 采购物品名称 / 采购品目 /
    政府采购目录, and 机关运行经费支出 over economic codes. Corpus-dev 06 (Jiangsu) under an unknown title
    loses neither table; their fields wait unless a check holds, like any kind the content gave."""
    one = gold_set("dev", "06_")
    kinds = {"procurement_budget", "operating_expenses_by_economic"}
    renames = run_renamed(
        one,
        backends=["rules"],
        settings=Settings(data_dir=tmp_path),
        kinds=kinds,
        table_synonyms={k: [UNKNOWN] for k in kinds},
        every=True,
    )
    assert {r.kind for r in renames} == kinds
    assert all(r.lost == 0 and r.wrong_accepted["rules"] == [] for r in renames)
