"""Reading the national template wherever it is printed: titles with qualifiers and without 表, contents
lists that are not tables, a title repeated on a continued page, a government's own tables read by their
header, a coded table whose columns come from its printed header, 三公 with 会议费/培训费, the inventory.

Synthetic documents (built here) pin each mechanism; the corpus-dev checks show it on the real files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from extractor.classify import classify_title, title_core
from extractor.inventory import inventory_line, table_inventory
from extractor.model import IngestedDocument
from extractor.pipeline import extract_bytes, extract_document, extract_path
from extractor.segment import segment_document
from extractor.settings import Settings
from tests.helpers_docs import xlsx_from_rows

CORPUS_DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus-dev"


def _settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, backend="rules")


def _text_doc(text: str) -> IngestedDocument:
    return IngestedDocument(sha256="0" * 64, source="t.txt", text=text, format="txt")


def _corpus(prefix: str) -> Path:
    found = sorted(CORPUS_DEV.glob(f"{prefix}_*"))
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"{CORPUS_DEV} is missing in CI")
        pytest.skip("../shared/corpus-dev is not beside this checkout")
    return found[0]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("财政拨款支出预算表（功能科目）", "fiscal_expenditure_by_function"),
        ("财政拨款基本支出预算表（经济科目）", "fiscal_basic_expenditure_by_economic"),
        ("一般公共预算支出预算表（功能科目）", "general_budget_expenditure"),
        ("一般公共预算机关运行经费支出预算表", "operating_expenses_by_economic"),
        ("2019年政府采购预算表", "procurement_budget"),
        ("部门政府采购预算", "procurement_budget"),
        ("“三公”经费、会议费、培训费支出预算表", "three_public_expenses"),
        ("公开表九 “三公”经费支出预算表", "three_public_expenses"),
        ("部门职责-工作活动绩效目标", "activity_performance_target"),
    ],
)
def test_regional_titles(title: str, kind: str) -> None:
    assert classify_title(title) == kind


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("2O23年哈尔滨市一般公共预算收入决算表", "gov_revenue"),
        ("2O23年哈尔滨市本级一般公共预算支出决算表（功能分类）", "gov_expenditure_by_function"),
        ("2023年哈尔滨市政府性基金预算收支决算总表", "gov_balance_summary"),
        ("2024年上半年全市一般公共预算收入执行情况表", "gov_execution"),
        ("哈尔滨市本级2023年末政府债务余额情况表", "gov_debt"),
        ("2023年哈尔滨市本级对下专项转移支付补助决算表（分项目、分地区）", "gov_transfer"),
        ("2O23年哈尔滨市本级“三公”经费支出决算表", "three_public_expenses"),
    ],
)
def test_government_titles(title: str, kind: str) -> None:
    assert classify_title(title, government=True) == kind


def test_title_core_drops_numbering_and_keeps_the_qualifier() -> None:
    assert title_core("公开表五 财政拨款支出预算表（功能科目）") == ("财政拨款支出预算表", "功能科目")
    assert title_core("（四）高等学校财政拨款支出决算表")[0] == "高等学校财政拨款支出决算表"


_TABLE = "\t科目编码\n\t科目名称\n\t合计\n\n\t201\n\t一般公共服务支出\n\t10.00\n\n\t合计\n\t\n\t10.00\n"


def test_a_contents_list_is_no_table() -> None:
    text = (
        "目录\n一、部门收支总体情况表\n二、部门支出总体情况表\n三、情况说明\n本部门收支预算总额为10.00万元。\n\f\n"
        "部门支出总体情况表\n单位：万元\n" + _TABLE
    )
    segments = [s for s in segment_document(_text_doc(text)) if s.kind not in ("department_profile",)]
    titles = [(s.title, s.kind) for s in segments]
    assert titles == [("部门支出总体情况表", "expenditure_by_function")]


def test_a_title_repeated_on_the_next_page_continues_the_table() -> None:
    page2 = "\t20101\n\t人大事务\n\t10.00\n"
    text = "部门支出总体情况表\n单位：万元\n" + _TABLE + "\n\f\n部门支出总体情况表\n单位：万元\n" + page2
    tables = [s for s in segment_document(_text_doc(text)) if s.kind == "expenditure_by_function"]
    assert len(tables) == 1 and tables[0].end == len(text)


def test_a_title_wrapped_onto_two_lines_is_one_title() -> None:
    """公开09表：一般公共预算“三公”经费、会议费、培训费 / 支出预算表 (Jiangsu 2018): the second line alone would
    read as a 支出预算表; a heading line above a short title, or a line with a colon, is not joined."""
    body = "部门： 某某院 单位：万元\n\n\t合计\n\t“三公”经费\n\t会议费\n\t培训费\n\n\t10.00\n\t6.00\n\t2.00\n\t2.00\n"
    wrapped = "公开09表：一般公共预算“三公”经费、会议费、培训费\n支出预算表\n" + body
    [seg] = [s for s in segment_document(_text_doc(wrapped)) if s.kind not in ("department_profile",)]
    assert (seg.kind, seg.title) == (
        "three_public_expenses",
        "一般公共预算“三公”经费、会议费、培训费支出预算表",
    )
    assert seg.start == 0
    # wrapped inside a word (Jiangsu 2017: …培训费支出预 / 算表)
    mid = "十一、一般公共预算“三公”经费、会议费、培训费支出预\n算表\n" + body
    [seg] = [s for s in segment_document(_text_doc(mid)) if s.kind not in ("department_profile",)]
    assert (seg.kind, seg.title) == (
        "three_public_expenses",
        "一般公共预算“三公”经费、会议费、培训费支出预算表",
    )
    for above in ("（二）2019年支出情况", "部门：某某院"):
        text = f"{above}\n部门支出总体情况表\n单位：万元\n" + _TABLE
        titles = [s.title for s in segment_document(_text_doc(text)) if s.kind == "expenditure_by_function"]
        assert titles == ["部门支出总体情况表"], above


def test_a_table_printed_without_amounts_is_empty() -> None:
    text = (
        "财政拨款政府性基金支出预算表\n公开表十\n部门：某某厅 单位：万元\n\n\t功能科目编码\n\t功能科目名称\n\t金额\n\n"
        "\t合计\n\t\n\n注：本部门无该项目\n\n公开11表\n"
    )
    seg = next(s for s in segment_document(_text_doc(text)) if s.kind == "gov_fund_expenditure")
    assert seg.empty
    # Jiangsu 2017: no statement, only the header, the 合计 row and the page number under it
    bare = "七、政府性基金支出预算表\n部门： 某某院 单位：万元\n\n\t功能科目代码\n\t功能科目名称\n\t金额\n\n\t\n\t合计\n\t\n\n13\n\n"
    seg = next(s for s in segment_document(_text_doc(bare)) if s.kind == "gov_fund_expenditure")
    assert seg.empty
    # a one-cell amount is an amount (a cell starts with a tab), not a page number
    one = bare.replace("\t合计\n\t\n", "\t合计\n\t12\n")
    assert not next(s for s in segment_document(_text_doc(one)) if s.kind == "gov_fund_expenditure").empty


def test_a_government_table_is_read_by_its_header(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["项目", "年初预算", "调整预算", "决算", "完成调整预算%", "增长%"],
        ["一般公共预算支出", 300, 400, 380, 95.0, 2.0],
        ["一般公共服务支出", 100, 150, 140, 93.3, 1.0],
        ["教育支出", 200, 250, 240, 96.0, 3.0],
    ]
    data = xlsx_from_rows("2023年某市本级一般公共预算支出决算表", rows)
    result = extract_bytes(data, "gov.xlsx", backend="rules", settings=_settings(tmp_path))
    recs = {r.key: r for r in result.records if r.kind == "gov_expenditure"}
    assert set(recs) == {"total", "一般公共服务支出", "教育支出"}
    assert recs["total"].scope == "市本级"
    edu = recs["教育支出"].fields
    assert (edu["budget"].value, edu["adjusted_budget"].value, edu["actual"].value) == (200, 250, 240)
    # 合计 = Σ rows holds and 完成% = 决算 / 调整预算: the amounts are auto-accepted
    assert all(recs[k].fields["actual"].status == "auto_accepted" for k in recs)
    assert any(r.startswith("sum:") for r in edu["actual"].reasons)
    # a growth rate no check can confirm is a header-read value nobody vouched for: it goes to review
    assert edu["growth_rate"].status == "needs_review"


def test_a_wrong_total_keeps_the_table_in_review(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["项目", "年初预算", "决算"],
        ["一般公共预算收入", 300, 390],  # the parts add up to 380
        ["税收收入", 100, 140],
        ["非税收入", 200, 240],
    ]
    data = xlsx_from_rows("2023年某市一般公共预算收入决算表", rows)
    result = extract_bytes(data, "gov.xlsx", backend="rules", settings=_settings(tmp_path))
    total = next(r for r in result.records if r.kind == "gov_revenue" and r.key == "total")
    assert total.fields["actual"].status == "needs_review"
    assert any(r.startswith("sum_fails:") for r in total.fields["actual"].reasons)
    assert total.fields["budget"].status == "auto_accepted"


def test_coded_columns_come_from_the_printed_header(tmp_path: Path) -> None:
    # 定州's order: 合计 | 财政拨款收入 | 上级补助收入; the solver alone would call the second number 一般公共预算
    rows: list[list[object]] = [
        ["功能分类科目编码", "科目名称", "本年收入合计", "财政拨款收入", "上级补助收入"],
        ["", "合计", 25, 20, 5],
        ["201", "一般公共服务支出", 25, 20, 5],
        ["20103", "政府办公厅（室）及相关机构事务", 25, 20, 5],
        ["2010301", "行政运行", 25, 20, 5],
    ]
    data = xlsx_from_rows("部门预算收入总表", rows)
    result = extract_bytes(data, "income.xlsx", backend="rules", settings=_settings(tmp_path))
    row = next(r for r in result.records if r.kind == "income_by_function" and r.key == "2010301")
    assert {n: fv.value for n, fv in row.fields.items() if n != "name"} == {
        "total": 25,
        "fiscal_subtotal": 20,
        "superior_subsidy": 5,
    }
    assert all(
        "column:header" in row.fields[n].reasons for n in ("total", "fiscal_subtotal", "superior_subsidy")
    )
    # total = 财政拨款 + 上级补助 holds, so the row's values are accepted
    assert row.fields["superior_subsidy"].status == "auto_accepted"


def test_jiangsu_three_public_with_meeting_and_training() -> None:
    result = extract_path(_corpus("06"), backend="rules", settings=Settings(backend="rules"))
    three = next(r for r in result.records if r.kind == "three_public_expenses")
    meeting = next(r for r in result.records if r.kind == "meeting_training_expenses")
    assert three.fields["total"].value == 767.60 and three.fields["reception"].value == 384.75
    assert (meeting.fields["meeting"].value, meeting.fields["training"].value) == (1469.73, 363.38)
    assert meeting.fields["grand_total"].value == 2600.71
    assert all(fv.status == "auto_accepted" for fv in meeting.fields.values())


def test_three_public_reads_yunwei_as_operation(tmp_path: Path) -> None:
    """定州 shortens 运行维护 to 运维: 公务用车购置及运维费 is the vehicles' total, not their purchase."""
    rows: list[list[object]] = [
        ["支出内容", "合计", "一般公共预算拨款"],
        ["合计", 1.8, 1.8],
        ["“三公”经费小计", 1.8, 1.8],
        ["一、因公出国（境）费", "", ""],
        ["二、公务用车购置及运维费", 1.8, 1.8],
        ["其中：公务用车购置费", "", ""],
        ["公务用车运行维护费", 1.8, 1.8],
        ["三、公务接待费", "", ""],
    ]
    data = xlsx_from_rows("“三公”及会议培训经费预算", rows)
    result = extract_bytes(data, "t.xlsx", backend="rules", settings=_settings(tmp_path))
    three = next(r for r in result.records if r.kind == "three_public_expenses")
    got = {k: v.value for k, v in three.fields.items()}
    assert got.get("vehicles_total") == 1.8 and got.get("vehicle_operation") == 1.8, got
    assert "vehicle_purchase" not in got or got["vehicle_purchase"] in (None, 0.0), got


def test_the_inventory_lists_every_table_with_page_and_records() -> None:
    result = extract_path(_corpus("06"), backend="rules", settings=Settings(backend="rules"))
    entries = table_inventory(result)
    assert len(entries) == 12  # 公开表一 … 十二
    assert [e.page for e in entries] == list(range(1, 13))
    assert entries[4].title == "财政拨款支出预算表（功能科目）"
    assert entries[4].kind == "fiscal_expenditure_by_function" and entries[4].records == 21
    line = inventory_line(entries)
    assert line.startswith("tables: 12 printed, ")
    # what is not read is named, never dropped
    unread = [e for e in entries if not e.records]
    for e in unread:
        assert e.title in line


def test_an_unknown_table_is_listed_by_its_title(tmp_path: Path) -> None:
    text = "部门基本情况表\n单位：人\n\n\t项目\n\t人数\n\n\t在职人员\n\t12\n\n\t退休人员\n\t3\n"
    result = extract_document(_text_doc(text), backend="rules", settings=_settings(tmp_path))
    entries = table_inventory(result)
    assert [(e.title, e.kind, e.records) for e in entries] == [("部门基本情况表", "unknown", 0)]
    assert "1 unknown (部门基本情况表 p1)" in inventory_line(entries)


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("一、教育支出", "205"),
        ("十三、农林水支出", "213"),
        ("七、医疗卫生与计划生育支出", "210"),  # an earlier edition's name
        ("卫生健康支出", "210"),
        ("二十、其他支出", "229"),
        ("一、财政拨款", None),
    ],
)
def test_a_class_printed_by_name_takes_the_national_code(printed: str, code: str | None) -> None:
    """The 类 of the national function classification are known whether or not a document read so far
    printed them (extractor/data/function_classes.toml); a name that is no 类 has no code."""
    from extractor.codes import class_code_by_name, load_catalogue

    assert class_code_by_name(printed) == code
    if code is not None:
        assert code in load_catalogue()


def test_a_code_printed_on_two_rows_counts_both_in_its_parent(tmp_path: Path) -> None:
    """定州 prints 30399 twice (精神文明奖, 其他对个人和家庭的补助支出): both rows are children of 303."""
    rows: list[list[object]] = [
        ["经济分类科目编码", "科目名称", "合计", "人员经费", "公用经费"],
        ["", "合计", 30.0, 30.0, ""],
        ["303", "对个人和家庭的补助", 30.0, 30.0, ""],
        ["30302", "退休费", 10.0, 10.0, ""],
        ["30399", "精神文明奖", 8.0, 8.0, ""],
        ["30399", "其他对个人和家庭的补助支出", 12.0, 12.0, ""],
    ]
    data = xlsx_from_rows("部门预算一般公共预算财政拨款基本支出表", rows)
    result = extract_bytes(data, "t.xlsx", backend="rules", settings=_settings(tmp_path))
    keys = [r.key for r in result.records if r.kind == "basic_expenditure_by_economic"]
    assert "30399#2" in keys, keys
    sums = [f for f in result.findings if f.name.endswith("children:303:total")]
    assert sums and all(f.ok for f in sums), sums


def test_items_printed_flush_under_their_head_are_nested_by_their_sum() -> None:
    """定州's 一般公共预算收入表 prints 专项收入 and its six items at one indent under 二、非税收入: the run that adds
    up to 专项收入 exactly, and without which 非税收入's sum holds, is nested under it; every sum holds."""
    result = extract_path(_corpus("43"), backend="rules", settings=Settings(backend="rules"))
    outline = [f for f in result.findings if ":outline:" in f.name and f.name.startswith("gov_revenue")]
    names = {f.name.split(":outline:", 1)[1]: f.ok for f in outline}
    assert names.get("非税收入:budget") is True and names.get("专项收入:budget") is True, names
    assert all(names.values()), names


def test_government_debt_and_transfers_by_region_are_read() -> None:
    """Harbin's 政府债务余额/限额 tables label their rows by 行政级次 and its transfer tables by 区、县（市）别: both
    are label columns, so the tables yield records (余额 1674.6 = 一般 798.5 + 专项 876.1 亿元)."""
    result = extract_path(_corpus("32"), backend="rules", settings=Settings(backend="rules"))
    debt = [r for r in result.records if r.kind == "gov_debt" and "余额" in r.table_title]
    assert [{k: v.value for k, v in r.fields.items() if k != "name"} for r in debt] == [
        {"total": 1674.6, "general": 798.5, "special": 876.1}
    ]
    by_region = [r for r in result.records if r.kind == "gov_transfer" and "国有资本经营" in r.table_title]
    assert len(by_region) > 10 and by_region[0].fields["actual"].value == 6271.0


def test_a_summary_carried_to_next_year_and_its_last_row_on_the_next_page() -> None:
    """西南大学 2021 prints 结转下年 on the expenditure side and its 收入总计/支出总计 row on the next page as one run
    of text: both are read, and 表3 ties with this year's spending (本年支出合计), not with 支出总计."""
    result = extract_path(_corpus("25"), backend="rules", settings=Settings(backend="rules"))
    got = {
        (r.kind, r.key): r.fields["amount"].value
        for r in result.records
        if r.kind in ("income_summary", "expenditure_summary") and "amount" in r.fields
    }
    assert got[("income_summary", "收入总计")] == 490808.40
    assert got[("expenditure_summary", "total")] == 490808.40
    assert got[("expenditure_summary", "结转下年")] == 75000.00
    ties = {f.name: f.ok for f in result.findings if f.check == "tie" and "表3" in f.name}
    assert ties == {"tie:表1本年支出=表3": True}, ties


def test_the_expenditure_side_by_purpose_is_read_and_summed() -> None:
    """Jiangsu's 收支预算总表 prints its expenditure by 功能分类 and by 支出用途 side by side, and 表4 by 支出用途
    only: 基本支出 + 项目支出 + 单位预留机动经费 = this year's spending, in both tables."""
    result = extract_path(_corpus("06"), backend="rules", settings=Settings(backend="rules"))
    purpose = {r.key: r.fields["amount"].value for r in result.records if r.kind == "expenditure_by_purpose"}
    assert purpose == {"基本支出": 9312.9, "项目支出": 6459.58, "单位预留机动经费": 2557.89}
    fiscal = {
        r.key: r.fields["total"].value for r in result.records if r.kind == "fiscal_appropriation_summary"
    }
    assert fiscal["基本支出"] == 9312.9 and fiscal["单位预留机动经费"] == 2557.89
    sums = {f.name: f.ok for f in result.findings if "purpose" in f.name}
    assert sums == {"expenditure_by_purpose:total": True, "fiscal_appropriation_summary:purposes": True}


def test_fiscal_summary_classes_by_name_with_their_columns_by_position() -> None:
    """定州's 财政拨款收支总表 prints its classes by name (八、社会保障和就业支出) at the table's full width: each class
    takes its national code, and each amount the column it is printed in (其他支出 1373 is 政府性基金, not 一般)."""
    result = extract_path(_corpus("38"), backend="rules", settings=Settings(backend="rules"))
    rows = {
        r.key: {k: v.value for k, v in r.fields.items() if k != "name"}
        for r in result.records
        if r.kind == "fiscal_appropriation_summary" and r.key.isdigit()
    }
    assert rows["208"] == {"total": 19815.48, "general_budget": 19815.48}
    assert rows["229"] == {"total": 1373.0, "gov_fund": 1373.0}
    assert not [f for f in result.findings if not f.ok and f.name.startswith("fiscal_appropriation_summary")]


GRID_THEN_PROSE = (
    "某单位财政拨款支出预算表\n单位：万元\n\n"
    "\t科目编码\n\t科目名称\n\t合 计\n\t基本支出\n\t项目支出\n\t备注\n\n"
    "\t205\n\t教育支出\n\t207.00\n\t178.00\n\t29.00\n\t\n\n"
    "\t20502\n\t普通教育\n\t207.00\n\t178.00\n\t29.00\n\t\n\n"
    "\t2050205\n\t高等教育\n\t207.00\n\t178.00\n\t29.00\n\t\n\n"
    "\t\n\t合计\n\t207.00\n\t178.00\n\t29.00\n\t\n\n"
    + "".join(
        f"（{i}）高等教育：反映教育部门举办的高等学校的支出，第{i}行说明文字，没有制表符。\n"
        for i in range(1, 60)
    )
)


def test_a_grid_that_runs_on_into_prose_is_read_as_its_grid() -> None:
    """A table whose region runs on into the 说明 of its codes (more prose lines than cells) is still a
    `cells` grid up to where its cells end: every column is read, not only the first number of a row."""
    from extractor.layout import detect_layout, grid_end, region_lines

    text = GRID_THEN_PROSE
    assert detect_layout(text) == "flow"  # the prose outnumbers the cells: the mechanism under test
    cut = grid_end(text, 0, len(text))
    assert cut is not None and text[cut:].lstrip().startswith("（1）") and "\t" not in text[cut:]
    layout, _lines = region_lines(text, 0, len(text))
    assert layout == "cells"
    result = extract_document(_text_doc(text), backend="rules", settings=Settings(backend="rules"))
    rec = {r.key: r for r in result.records if r.kind == "fiscal_expenditure_by_function"}
    assert {n: fv.value for n, fv in rec["2050205"].fields.items() if n != "name"} == {
        "total": 207.0,
        "basic": 178.0,
        "project": 29.0,
    }
    # a region that is one layout throughout is left whole
    grid_only = text[: text.index("（1）")]
    assert grid_end(grid_only, 0, len(grid_only)) is None


def test_southwest_university_fiscal_table_reads_its_basic_and_project_columns() -> None:
    """corpus-dev 25: the 财政拨款支出预算表 is followed on its page by the 说明 of its codes."""
    path = _corpus("25")
    result = extract_path(path, backend="rules", settings=Settings(backend="rules"))
    rec = {r.key: r for r in result.records if r.kind == "fiscal_expenditure_by_function"}
    assert rec["205"].fields["basic"].value == 178467.95
    assert rec["205"].fields["project"].value == 29328.23
    assert rec["total"].fields["basic"].value == 186524.3
