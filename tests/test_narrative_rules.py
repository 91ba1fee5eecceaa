"""The prose parsers on small texts: numbered duty lists in every common numbering, the fiscal year
from wherever the document prints it, the 说明's shares and the 绩效目标 count with its own amount,
and the share checks of the format validator."""

from __future__ import annotations

import re

import pytest

from extractor.model import Record, Segment
from extractor.parsers.narrative import document_info, parse_narrative, parse_profile
from extractor.parsers.numbered import cn_number, numbered_items
from extractor.validate.formats import format_findings
from extractor.validate.index import RecordIndex


def _fields(records: list[Record]) -> dict[str, object]:
    assert len(records) == 1
    return {k: fv.value for k, fv in records[0].fields.items()}


def _span_text(text: str, records: list[Record], name: str) -> str:
    span = records[0].fields[name].span
    assert span is not None
    return re.sub(r"\s+", "", text[span[0] : span[1]])


@pytest.mark.parametrize(
    ("s", "n"), [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十二", 22), ("十十", None)]
)
def test_chinese_numbers(s: str, n: int | None) -> None:
    assert cn_number(s) == n


@pytest.mark.parametrize(
    "marks",
    [
        ("（一）", "（二）", "（三）"),
        ("(1)", "(2)", "(3)"),
        ("1.", "2.", "3."),
        ("1、", "2、", "3、"),
        ("①", "②", "③"),
    ],
)
def test_every_common_numbering_is_a_list(marks: tuple[str, ...]) -> None:
    text = "".join(f"{m}负责第{i}项工作。" for i, m in enumerate(marks))
    items = numbered_items(text)
    assert [t for t, _, _ in items] == ["负责第0项工作。", "负责第1项工作。", "负责第2项工作。"]
    assert all(text[a:b] == t for t, a, b in items)


def test_a_nested_list_stays_in_its_item() -> None:
    text = "(1)甲工作。(2)与有关部门职责分工。1.乙。(1)丙负责。(2)丁负责。2.戊。"
    items = [t for t, _, _ in numbered_items(text)]
    assert items == ["甲工作。", "与有关部门职责分工。1.乙。(1)丙负责。(2)丁负责。2.戊。"]


def test_export_artifacts_are_removed_and_spans_exclude_them() -> None:
    text = "（一）甲工作。[bookmark:page3]（二）乙[bookmark:_Hlk1]工作。[bookmark:page4]"
    items = numbered_items(text)
    assert [t for t, _, _ in items] == ["甲工作。", "乙工作。"]
    assert text[items[0][1] : items[0][2]] == "甲工作。"
    assert text[items[1][2] - 3 : items[1][2]] == "工作。"


def test_profile_functions_from_a_wrapped_text() -> None:
    text = (
        "一、主要职能\n某局是政府工作部门。\n(1)负责市场综合监督\n管理。\n[bookmark: page3](2)负责登记注册。\n"
        "(3)与有关部门职责分工。(1)农业局负责种植环节。\n二、机构设置及人员情况\n下设2个科室，分别是：办公室、财务科。"
    )
    records = parse_profile(text, Segment(0, "department_profile", "概况", 0, len(text)))
    functions = _fields(records)["functions"]
    assert functions == [
        "负责市场综合监督管理。",
        "负责登记注册。",
        "与有关部门职责分工。(1)农业局负责种植环节。",
    ]
    spanned = _span_text(text, records, "functions")
    assert spanned.startswith("负责市场综合监督管理。") and spanned.endswith("农业局负责种植环节。")


@pytest.mark.parametrize(
    ("text", "year", "where"),
    [
        ("第一部分 2024 年某局单位概况\n一、主要职能\n某局是工作部门，", 2024, "year:title"),
        ("部门整体支出绩效目标表\n(2022年)\n部门名称\t某局", 2022, "year:title"),
        (
            "第1部分 某局概况\n某局根据2019年机构改革方案组建，是工作部门。\n第二部分  2023年单位预算公开表\n",
            2023,
            "year:part_heading",
        ),
        (
            "某局概况\n某局根据2019年机构改革方案组建，是工作部门。"
            + "。" * 600
            + "\n关于某局2021年度部门决算的说明\n",
            2021,
            "year:budget_title",
        ),
    ],
)
def test_fiscal_year_by_priority(text: str, year: int, where: str) -> None:
    info, record = document_info(text, [])
    assert info.fiscal_year == year
    fv = record.fields["fiscal_year"]
    assert where in fv.reasons
    assert fv.span is not None and text[fv.span[0] : fv.span[1]] == str(year)


_NOTES = (
    "三、关于某局2024年支出预算情况说明\n某局2024年支出预算 4,402.83 万元，其中：\n基本支出 3,118.48 万元，占 70.83%，"
    "比上年增加。\n项 目支出 1,284.35\n万元，占 29.17 %，比上年减少。\n五、一般公共预算基本支出 3,000.00 万元，占 80.00%。\n"
    "（四）预算绩效情况\n2024 年，本单位预算绩效管理整体预算绩效目标 1 个，涉及金额 3,836.96\n万元；当年财政拨款项目 6 个，"
    "涉及预算金额 3,167.09 万元；当年非财政拨\n款项目 3个，涉及预算金额 30.00 万元。"
)


def test_shares_and_the_performance_pair() -> None:
    records = parse_narrative(_NOTES, Segment(0, "narrative_facts", "情况说明", 0, len(_NOTES)))
    values = _fields(records)
    assert values["basic_expenditure_share"] == 70.83
    assert values["project_expenditure_share"] == 29.17
    assert values["performance_projects"] == 6
    assert values["performance_amount"] == 3167.09
    for name in ("basic_expenditure_share", "project_expenditure_share", "performance_amount"):
        assert _span_text(_NOTES, records, name).replace(",", "") == f"{values[name]:g}"


def test_performance_count_written_before_the_word_project() -> None:
    text = "（四）预算绩效情况\n2023年，对18个项目实行绩效目标管理，涉及资金1365.00万元。"
    values = _fields(parse_narrative(text, Segment(0, "narrative_facts", "情况说明", 0, len(text))))
    assert (values["performance_projects"], values["performance_amount"]) == (18, 1365.0)


def _notes(basic: float, project: float, shares: tuple[str, str]) -> tuple[str, RecordIndex]:
    text = f"基本支出{basic}万元，占{shares[0]}%。项目支出{project}万元，占{shares[1]}%。"
    records = parse_narrative(text, Segment(0, "narrative_facts", "情况说明", 0, len(text)))
    return text, RecordIndex(records)


@pytest.mark.parametrize(
    ("basic", "project", "shares", "verdicts"),
    [
        (
            3118.48,
            1284.35,
            ("70.83", "29.17"),
            {
                "share:basic_expenditure_share": True,
                "share:project_expenditure_share": True,
                "share_sum": True,
            },
        ),
        # 004: 37 / 314.66 = 11.76 %, printed 11.75; the pair misses 100 and only 11.75 is in doubt
        (
            277.66,
            37,
            ("88.24", "11.75"),
            {
                "share:basic_expenditure_share": True,
                "share:project_expenditure_share": False,
                "share_sum": False,
            },
        ),
        # each rounded on its own: 33.34 + 66.67 = 100.01 is a rounding gap, not an error
        (
            33.335,
            66.665,
            ("33.34", "66.67"),
            {
                "share:basic_expenditure_share": True,
                "share:project_expenditure_share": True,
                "share_sum": True,
            },
        ),
    ],
)
def test_share_checks(
    basic: float, project: float, shares: tuple[str, str], verdicts: dict[str, bool]
) -> None:
    text, index = _notes(basic, project, shares)
    found = {f.name: f for f in format_findings(index, text) if "share" in f.name}
    assert {name: f.ok for name, f in found.items()} == verdicts
    if not verdicts["share_sum"]:
        assert found["share_sum"].addresses == ["narrative_facts//project_expenditure_share"]


def test_the_two_parts_of_basic_expenditure_in_either_wording() -> None:
    """人员经费 / 公用经费, or 人员支出 / 公用支出 as the notes define 基本支出 (corpus-dev 04, 27, 32)."""
    for personnel, public in (("人员经费", "公用经费"), ("人员支出", "公用支出")):
        text = f"基本支出300.00万元，其中：{personnel}260.41万元，{public}39.59万元。"
        values = _fields(parse_narrative(text, Segment(0, "narrative_facts", "情况说明", 0, len(text))))
        assert values["personnel_expenses"] == 260.41 and values["public_expenses"] == 39.59
