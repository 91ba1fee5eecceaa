"""Titles the rules do not know, printed where a known one would be: in a table cell of its own under
the table's number (表6 / a tab cell), or naming a level (市本级) on one table of a department's document.
The table still opens, its content decides the kind (or leaves it unknown for hybrid's kind question),
and one title does not turn a department's document into a government's."""

from __future__ import annotations

from pathlib import Path

import pytest
from gold_sets import gold_set

from eval.gold import Dataset
from eval.renamed import run_renamed
from extractor.classify import is_government_document
from extractor.ingest import ingest_bytes
from extractor.model import Segment
from extractor.segment import segment_document
from extractor.settings import Settings

HARBIN_THREE_PUBLIC = "2O23年哈尔滨市本级“三公”经费支出决算表"  # Harbin's title (corpus-dev 32)

PROFILE = ["第1部分  某某局概况", "一、主要职能", "某某局是市人民政府工作部门，人员编制20名。", ""]


def _basic(title: str) -> list[str]:
    """A 基本支出 table as seed 000 prints it: 表6, then the title in a tab cell, then its cells."""
    cells = ["经济分类科目编码", "经济分类科目名称", "合计", "人员经费", "公用经费", ""]
    rows = ["301", "工资福利支出", "100.00", "100.00", "", ""]
    rows += ["302", "商品和服务支出", "20.00", "", "20.00", ""]
    rows += ["合计", "", "120.00", "100.00", "20.00"]
    return ["表6", f"\t{title}", "", "\t编制单位：某某局", "\t单位：万元", ""] + [
        f"\t{c}" for c in cells + rows
    ]


def _segments(lines: list[str]) -> list[Segment]:
    doc = ingest_bytes("\n".join(lines).encode("utf-8"), "fixture.txt")
    return [s for s in segment_document(doc) if s.kind != "department_profile"]


@pytest.mark.parametrize(
    "title",
    [
        "一般公共预算基本支出情况表",  # known: opened by its title
        "部门基本支出预算（人员经费预算）",  # 定州's bare name with its qualifier: read by the words before it
        "人员和公用经费统计表",  # a plausible title no rule knows
    ],
)
def test_a_title_in_a_tab_cell_opens_its_table(title: str) -> None:
    (seg,) = _segments(PROFILE + _basic(title))
    assert seg.kind == "basic_expenditure_by_economic"
    assert seg.title == title
    assert seg.classified_by == (["content"] if title == "人员和公用经费统计表" else ["title"])


def test_an_unknown_tab_cell_title_over_unknown_content_is_an_unknown_table() -> None:
    """No title rule and no content rule: the table is kept with no kind, so hybrid asks its kind."""
    lines = ["表3", "\t用款计划汇总表", "", "\t单位：万元", "", "\t项目", "\t金额", "", "\t甲", "\t12.00", ""]
    (seg,) = _segments(PROFILE + lines + ["\t乙", "\t3.00"])
    assert seg.kind is None and seg.title == "用款计划汇总表"


def test_lone_cells_inside_a_table_open_nothing() -> None:
    """A cell alone on its line that reads like a bare name (一般公共预算, 支出预算) inside a table is no
    title: it stands under no table number and over no unit line."""
    table = _basic("一般公共预算基本支出情况表")
    table[12:12] = ["\t一般公共预算", "", "\t支出预算", ""]
    assert [s.title for s in _segments(PROFILE + table)] == ["一般公共预算基本支出情况表"]


def _department(three_public_title: str) -> list[str]:
    three = ["表10", three_public_title, "编制单位：某某局          单位：万元"]
    three += ["\t三公支出内容", "\t合计", "", "\t因公出国（境）费", "\t0", "", "\t公务接待费", "\t3", ""]
    three += ["\t公务用车购置及运行费", "\t5", ""]
    spend = ["表5", "一般公共预算支出情况表", "编制单位：某某局          单位：万元"]
    spend += ["\t科目编码", "\t科目名称", "\t合计", "", "\t201", "\t一般公共服务支出", "\t125.00", ""]
    return PROFILE + spend + [""] + _basic("一般公共预算基本支出情况表") + ["", ""] + three


def test_one_level_title_does_not_turn_a_department_document() -> None:
    """A 市本级 title on one table of a department's document (its heading names no level): the document
    stays a department's, every table keeps its department kind, and no table takes a scope."""
    plain = _segments(_department("财政拨款“三公”经费支出情况表"))
    renamed = _segments(_department(HARBIN_THREE_PUBLIC))
    assert [s.kind for s in renamed] == [s.kind for s in plain]
    assert [s.kind for s in renamed] == [
        "general_budget_expenditure",
        "basic_expenditure_by_economic",
        "three_public_expenses",
    ]
    assert {s.scope for s in renamed} == {""}


def test_a_department_heading_outweighs_level_titles() -> None:
    titles = ["2023年市本级一般公共预算支出表", "2023年市本级“三公”经费支出表"]
    assert not is_government_document("某某局2023年部门预算公开", titles)
    assert not is_government_document("第一部分 某某局单位概况", titles)


def test_government_documents_stay_governments() -> None:
    # the heading names a level's 决算草案: its tables with no level word are the government's too
    harbin = ["2O23年哈尔滨市一般公共预算收入决算表", "2O23年哈尔滨市一般公共预算支出决算表"]
    assert is_government_document("关于2023年市本级决算草案和2024年上半年预算执行情况的报告", harbin)
    # no heading (定州's revenue tables): half its titles are a government's revenue
    assert is_government_document("附表1-1 一般公共预算收入表", ["一般公共预算收入表", "一般公共预算支出表"])
    # a department's titles only
    assert not is_government_document("关于2023年市本级决算草案的报告", ["部门收支总体情况表"])


def _seed(stem: str) -> Dataset:
    return gold_set("seeds", stem)


@pytest.mark.parametrize(
    ("stem", "kind", "synonym"),
    [
        ("000", "basic_expenditure_by_economic", "部门基本支出预算（人员经费预算）"),  # in a tab cell
        ("000", "project_expenditure", "部门项目支出预算"),
        ("004", "three_public_expenses", HARBIN_THREE_PUBLIC),
    ],
)
def test_the_rules_lose_nothing_to_these_renames(tmp_path: Path, stem: str, kind: str, synonym: str) -> None:
    renames = run_renamed(
        _seed(stem),
        backends=["rules"],
        settings=Settings(data_dir=tmp_path),
        kinds={kind},
        table_synonyms={kind: [synonym]},
    )
    assert renames == []
