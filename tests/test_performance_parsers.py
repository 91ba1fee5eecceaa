"""The rules parsers of the performance tables (绩效目标表, 绩效自评表) on the five seed documents.

Spot values were read off the seed texts by hand. Counts are per seed and kind; where a count
differs from the corpus README (000 prints 20 目标表, not 18: 18 财政拨款 projects + 2 others, as
its 说明 says), the text wins.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.model import Record
from extractor.parsers.performance import parse_performance_targets
from extractor.parsers.self_evaluation import parse_self_evaluations
from schemas.kinds import KIND_MODELS, NUMERIC_FIELDS

DOCS = Path(__file__).resolve().parent.parent / "eval" / "datasets" / "seeds" / "docs"
SEEDS = ["000", "001", "002", "003", "004"]


@cache
def seed_text(prefix: str) -> str:
    (path,) = DOCS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def region(text: str) -> tuple[int, int]:
    """From the first 绩效目标表/绩效自评表 title (letter-spaced or not) to the end."""
    m = re.search(r"绩\s*效\s*(?:目\s*标|自\s*评)\s*表", text)
    assert m is not None
    line_start = text.rfind("\n", 0, m.start()) + 1
    return line_start, len(text)


@cache
def parsed(prefix: str) -> tuple[Record, ...]:
    text = seed_text(prefix)
    start, end = region(text)
    return tuple(parse_performance_targets(text, start, end) + parse_self_evaluations(text, start, end))


def by_key(prefix: str, kind: str) -> dict[str, Record]:
    return {r.key: r for r in parsed(prefix) if r.kind == kind}


def value(r: Record, field: str) -> object:
    return r.fields[field].value


# ---------------------------------------------------------------------------------------------- counts

EXPECTED_COUNTS = {
    "000": {"performance_target": 20, "performance_indicator": 221},
    "001": {"performance_target": 10, "performance_indicator": 97},
    "002": {"performance_target": 9, "performance_indicator": 72},
    "003": {"performance_self_evaluation": 23, "self_evaluation_indicator": 245},
    "004": {"performance_target": 5, "performance_indicator": 45},
}


@pytest.mark.parametrize("prefix", SEEDS)
def test_record_counts_per_seed(prefix: str) -> None:
    assert dict(Counter(r.kind for r in parsed(prefix))) == EXPECTED_COUNTS[prefix]


@pytest.mark.parametrize("prefix", SEEDS)
def test_keys_are_unique_and_fields_known(prefix: str) -> None:
    keys = [(r.kind, r.key) for r in parsed(prefix)]
    assert len(keys) == len(set(keys))
    for r in parsed(prefix):
        known = set(KIND_MODELS[r.kind].model_fields)
        assert set(r.fields) <= known, (r.key, set(r.fields) - known)
        assert r.unit == "万元"


def test_table_titles() -> None:
    titles = Counter(r.table_title for p in SEEDS for r in parsed(p) if r.kind.startswith("performance_"))
    assert set(titles) == {
        "项目支出绩效目标表",
        "单位整体绩效目标表",
        "部门（单位）整体支出绩效目标表",
        "部门整体绩效目标表",
        "项目支出绩效自评表",
    }
    heads = [r for p in SEEDS for r in parsed(p) if r.kind == "performance_target" and "/" not in r.key]
    assert Counter(r.table_title for r in heads) == {
        "项目支出绩效目标表": 33,  # 20 + 9 + 4
        "单位整体绩效目标表": 1,
        "部门（单位）整体支出绩效目标表": 1,
        "部门整体绩效目标表": 1,
    }


def test_weights_of_every_project_table_sum_to_90() -> None:
    """Each 项目支出绩效目标表 of 000/001/004 gives its indicators 90 points (预算执行 has the other
    10): a structural check that every weight was read and put in its row."""
    for prefix in ("000", "001", "004"):
        sums: dict[str, float] = defaultdict(float)
        for r in parsed(prefix):
            if r.kind == "performance_indicator" and "weight" in r.fields:
                sums[str(value(r, "project_name"))] += float(value(r, "weight"))  # type: ignore[arg-type]
        heads = [
            r
            for r in parsed(prefix)
            if r.kind == "performance_target" and r.table_title == "项目支出绩效目标表"
        ]
        assert heads
        for h in heads:
            assert sums[h.key] == pytest.approx(90), (prefix, h.key)


# ---------------------------------------------------------------------------------------------- spans


@pytest.mark.parametrize("prefix", SEEDS)
def test_every_span_reads_as_its_value(prefix: str) -> None:
    text = seed_text(prefix)
    numeric = {k: v for k, v in NUMERIC_FIELDS.items()}
    for r in parsed(prefix):
        for name, fv in r.fields.items():
            if fv.span is None:
                assert any(x.startswith(("derived:", "unreadable:")) for x in fv.reasons), (r.key, name)
                continue
            s, e = fv.span
            assert 0 <= s < e <= len(text)
            printed = text[s:e]
            compact = re.sub(r"\s+", "", printed)
            if name in numeric[r.kind]:
                assert float(compact.replace(",", "")) == pytest.approx(fv.value), (r.key, name, printed)
                if compact != printed:
                    assert "joined" in fv.reasons
            elif name == "target_operator" and "interleaved" in fv.reasons:
                assert compact[0] in "<>=≥≤＞＜" and compact[-1] in "<>=≥≤＞＜", (r.key, printed)
            elif name == "target_operator":
                canon = {
                    ">=": "≥",
                    "＞=": "≥",
                    "≥": "≥",
                    "<=": "≤",
                    "＜=": "≤",
                    "≤": "≤",
                    "=": "=",
                    "＞": ">",
                    ">": ">",
                }
                assert canon.get(compact, compact) == fv.value
            elif name in ("level1", "level2") and any(x.startswith("points_suffix") for x in fv.reasons):
                assert compact == fv.value
            elif "interleaved" in fv.reasons:
                # the value's pieces, in order, with another cell's text printed between them
                assert _is_subsequence(str(fv.value).replace(" ", ""), compact), (r.key, name, printed)
                assert "joined" in fv.reasons
            else:
                assert compact == str(fv.value).replace(" ", ""), (r.key, name, printed)
                if printed != fv.value:
                    assert "joined" in fv.reasons, (r.key, name)


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


def test_derived_values_say_how() -> None:
    head = by_key("001", "performance_target")["乌鲁木齐市市场监督管理局"]
    assert head.fields["budget_fiscal"].span is None
    assert head.fields["budget_fiscal"].reasons == ["derived:上级安排+本级安排"]
    assert value(head, "budget_fiscal") == pytest.approx(3984.50)  # 23.00 + 3,961.50
    assert value(head, "budget_other") == 0.0
    assert value(head, "budget_total") == pytest.approx(3984.50)


# ---------------------------------------------------------------------------------------------- 000


def test_000_word_export_spot_values() -> None:
    heads = by_key("000", "performance_target")
    law = heads["法治宣传工作经费"]
    assert value(law, "owner") == "昌吉回族自治州市场监督管理局"
    assert (value(law, "budget_total"), value(law, "budget_fiscal"), value(law, "budget_other")) == (
        40,
        40,
        0,
    )
    assert str(value(law, "overall_goal")).startswith("开展法律法规知识宣传培训2次")
    assert value(heads["综合大楼管理经费"], "budget_fiscal") == 150.0
    assert value(heads["“阳光食品”PPP项目财政补贴资金"], "budget_total") == 182.0

    ind = by_key("000", "performance_indicator")
    first = ind["法治宣传工作经费/聘请法律顾问人数"]
    assert (value(first, "level1"), value(first, "level2")) == ("产出指标", "数量指标")
    assert (value(first, "target"), value(first, "target_operator")) == ("=1人", "=")
    assert (value(first, "target_value"), value(first, "target_unit")) == (1.0, "人")
    assert (value(first, "basis"), value(first, "last_year"), value(first, "weight")) == (
        "其他标准",
        "1人",
        5.0,
    )
    assert (value(first, "scoring_rule"), value(first, "evidence")) == ("按照正常比例赋分", "工作资料")

    second = ind["法治宣传工作经费/全年开展法律法规宣传培训"]
    assert value(second, "level1") == "产出指标"
    assert "carried_down" in second.fields["level1"].reasons
    assert value(second, "target_operator") == "≥"
    assert second.fields["target_operator"].reasons == ["normalised"]

    cost = ind["法治宣传工作经费/新闻宣传、专栏费"]
    assert (value(cost, "level1"), value(cost, "level2")) == ("成本指标", "经济成本指标")
    assert (value(cost, "target_operator"), value(cost, "target_value"), value(cost, "target_unit")) == (
        "≤",
        25.0,
        "万元",
    )
    assert (value(cost, "last_year"), value(cost, "weight")) == ("24.57万元", 12.0)

    qual = ind["法治宣传工作经费/提高全局干部职工法治意识"]
    assert value(qual, "target") == "提高"
    assert "target_value" not in qual.fields and "target_operator" not in qual.fields

    ratio = ind["知识产权管理与综合执法经费/万人有效发明专利拥有量"]
    assert (value(ratio, "target_value"), value(ratio, "target_unit")) == (2.2, "件/万人")


# ---------------------------------------------------------------------------------------------- 001


def test_001_pdf_unit_table() -> None:
    ind = by_key("001", "performance_indicator")
    unit_rows = [r for r in ind.values() if r.table_title == "单位整体绩效目标表"]
    assert len(unit_rows) == 6
    assert {str(value(r, "level1")) for r in unit_rows} == {"履职效能"}
    drug = ind["乌鲁木齐市市场监督管理局/药品、医疗器械和化妆品监督抽验批次"]
    assert (value(drug, "target_operator"), value(drug, "target_value"), value(drug, "target_unit")) == (
        "≥",
        549.0,
        "批次",
    )
    assert str(value(drug, "basis")).endswith("新疆维吾尔自治区药品监督管理局部门整体绩效目标表")
    food = ind["乌鲁木齐市市场监督管理局/食品安全监管抽查批次"]
    assert value(food, "target_unit") == "批次/千人"


def test_001_pdf_project_tables() -> None:
    heads = by_key("001", "performance_target")
    assert len(heads) == 10
    bonus = heads["2022年度“忠诚担当好班子”奖金项目（上年结转资金）"]
    assert (value(bonus, "budget_total"), value(bonus, "budget_fiscal"), value(bonus, "budget_other")) == (
        10,
        0,
        10,
    )
    ip = heads["知识产权运营服务体系建设项目"]
    assert value(ip, "budget_total") == pytest.approx(2448.61)  # printed 2,448.61
    assert heads["关于提前下达2024年中央食品药品监管补助资金预算的通知"].fields["project_name"].reasons == [
        "joined"
    ]

    ind = by_key("001", "performance_indicator")
    visit = ind[
        "2022年度“忠诚担当好班子”奖金项目（上年结转资金）/民族团结一家亲结亲走访活动（为238名结对亲戚购置走访活动纪念水杯238个）"
    ]
    assert (value(visit, "target"), value(visit, "weight")) == ("=1场", 5.0)
    # an operator, its number and its unit on three lines
    ad = ind["2022年度“忠诚担当好班子”奖金项目（上年结转资金）/宣传成本"]
    assert (value(ad, "target_operator"), value(ad, "target_value"), value(ad, "target_unit")) == (
        "≤",
        5.4,
        "万元",
    )
    assert (value(ad, "level1"), value(ad, "level2"), value(ad, "evidence")) == (
        "成本指标",
        "经济成本指标",
        "原始凭证,工作资料",
    )
    # a number broken over two lines: "=1496" / "7 平方" / "米"
    area = ind["物业管理费项目/物业管理服务面积"]
    assert (value(area, "target_value"), value(area, "target_unit")) == (14967.0, "平方米")
    assert "joined" in area.fields["target_value"].reasons
    assert value(area, "last_year") == "14967平方米"
    heat = ind["物业管理费项目/房屋建筑物供暖面积"]
    assert value(heat, "target_value") == pytest.approx(15057.62)
    # qualitative and date targets
    sat = ind["2023年宣传文化事业费-新时代文明建设（上年结转资金）/保护消费者权益，宣传食品药品安全知识"]
    assert (value(sat, "target"), value(sat, "basis"), value(sat, "weight")) == ("长期维持", "自定义", 30.0)
    due = ind["关于提前下达2024年中央食品药品监管补助资金预算的通知/任务完成时间"]
    assert (value(due, "target"), value(due, "last_year")) == ("2024年12月31日", "2023年12月31日")
    assert "target_value" not in due.fields
    fake = ind["关于提前下达2024年中央食品药品监管补助资金预算的通知/假冒伪劣产品销售行为"]
    assert (value(fake, "target"), value(fake, "last_year")) == ("不断降低", "不断降低")
    # last-year text over five lines
    cost = ind["关于提前下达2024年中央食品药品监管补助资金预算的通知/使用中央转移支付资金完成国抽任务成本"]
    assert value(cost, "last_year") == "当年指标，无上年完成值"
    # ... and the same with its last line ("成值") printed after the row's evidence
    ad2 = ind["关于提前下达2024年中央食品药品监管补助资金预算的通知/“两品一械”宣传成本"]
    assert value(ad2, "last_year") == "当年指标，无上年完成值"
    assert "interleaved" in ad2.fields["last_year"].reasons


def test_001_unreadable_rows_are_flagged_not_guessed() -> None:
    ind = by_key("001", "performance_indicator")
    # "＞" printed on the row's line, "=95%" pushed below the merged 满意度指标 cells
    odd = ind["市场秩序执法/参与执法培训人员满意度"]
    assert (value(odd, "target_operator"), value(odd, "target_value")) == ("≥", 95.0)
    assert "uncertain_layout" in odd.fields["target"].reasons
    assert value(odd, "evidence") == "工作资料"
    # a page break left "预期 效果" (the row above's last-year tail) in front of the name
    spill = ind["质量安全监管/持续保障安全生产进行"]
    assert "uncertain_layout" in spill.fields["name"].reasons
    assert value(spill, "target") == "持续保障"
    # ... given back to that cell (the next row prints the same value in the column)
    above = ind["质量安全监管/有效防范行业性风险"]
    assert value(above, "last_year") == "完全达到预期效果"


# ---------------------------------------------------------------------------------------------- 002


def test_002_tab_separated_unit_table_with_tasks() -> None:
    unit = "新疆巴州市场监督管理局"
    heads = by_key("002", "performance_target")
    head = heads[unit]
    assert value(head, "project_name") == unit
    # no total is printed: the tasks are summed, and say so
    assert value(head, "budget_total") == pytest.approx(6685.34)
    assert value(head, "budget_fiscal") == pytest.approx(6555.34)
    assert value(head, "budget_other") == pytest.approx(130.0)
    assert head.fields["budget_total"].reasons == ["derived:sum_of_tasks"]
    assert str(value(head, "overall_goal")).startswith("目标1：根据本单位承担的工作职能")
    tasks = [r for k, r in heads.items() if k.startswith(unit + "/")]
    assert len(tasks) == 8
    aid = heads[unit + "/做好市场监管系统业务保障弥补的援疆资金"]
    assert (value(aid, "budget_total"), value(aid, "budget_other")) == (130.0, 130.0)
    assert "budget_fiscal" not in aid.fields
    staff = heads[unit + "/市场监督管理业务基本人员保障"]
    assert value(staff, "budget_fiscal") == pytest.approx(4471.71)

    ind = by_key("002", "performance_indicator")
    first = ind[unit + "/市场监管系统保障在职离退休人员人数"]
    # 产出指标 is printed once, on a line of its own in the middle of its rows
    assert value(first, "level1") == "产出指标"
    assert "merged_cell_spilled" in first.fields["level1"].reasons
    assert (value(first, "target_operator"), value(first, "target_value"), value(first, "target_unit")) == (
        "≥",
        521.0,
        "人",
    )
    three_cells = ind[unit + "/市场监管系统设备购置数量"]  # "数量指标→name→≥15个"
    assert (value(three_cells, "level1"), value(three_cells, "level2")) == ("产出指标", "数量指标")
    benefit = ind[unit + "/市场监管系统专用材料利用率"]
    assert (value(benefit, "level1"), value(benefit, "level2")) == ("效益指标", "经济效益指标")
    assert value(ind[unit + "/市场监管系统培训人均支出标准"], "target_unit") == "元/人.天"
    # a row whose 指标值 is missing and whose cells are shifted: read, but flagged
    shifted = ind[unit + "/市场监管系统参训人员满意度"]
    assert (value(shifted, "level1"), value(shifted, "level2")) == ("满意度指标", "满意度指标")
    assert "target" not in shifted.fields
    assert "uncertain_layout" in shifted.fields["name"].reasons


# ---------------------------------------------------------------------------------------------- 003


def test_003_first_self_evaluation() -> None:
    se = by_key("003", "performance_self_evaluation")
    assert len(se) == 23
    r = se["宣传培训工作经费"]
    assert (value(r, "authority"), value(r, "implementer")) == (
        "昌吉州人民政府",
        "昌吉回族自治州市场监督管理局",
    )
    assert (value(r, "budget_initial"), value(r, "budget_full_year"), value(r, "executed")) == (35, 35, 34.53)
    assert (value(r, "weight"), value(r, "execution_rate"), value(r, "score")) == (10, 98.66, 9.8)
    assert value(r, "total_score") == 97.2
    assert str(value(r, "goal_planned")).startswith("1、全年开展法治宣传活动2次")
    assert "joined" in r.fields["goal_planned"].reasons  # four lines
    assert str(value(r, "goal_actual")).endswith("社会公众满意度≥90%。")

    ind = by_key("003", "self_evaluation_indicator")
    move = ind["宣传培训工作经费/电教室搬迁"]
    assert (value(move, "level1"), value(move, "level2")) == ("产出指标", "成本指标")
    assert (value(move, "target"), value(move, "actual"), value(move, "weight"), value(move, "score")) == (
        "3.7万元",
        "3.46万元",
        2.0,
        1.9,
    )
    assert str(value(move, "deviation_reason")).startswith("厉行节约")
    lvl = ind["宣传培训工作经费/聘请法律顾问人数"].fields["level1"]
    assert lvl.value == "产出指标" and "points_suffix_dropped:50分" in lvl.reasons
    sat = ind["宣传培训工作经费/社会公众满意度"]
    assert (value(sat, "level2"), value(sat, "target_operator"), value(sat, "target_value")) == (
        "服务对象满意度指标",
        "≥",
        90.0,
    )


def test_003_blank_initial_budget_stays_blank() -> None:
    r = by_key("003", "performance_self_evaluation")["2019年中央食品药品监管补助资金"]
    assert "budget_initial" not in r.fields
    assert (value(r, "budget_full_year"), value(r, "executed"), value(r, "execution_rate")) == (
        5.04,
        5.04,
        100,
    )


def test_003_total_score_against_sum_of_scores() -> None:
    """总分 printed vs 预算执行 得分 + Σ indicator 得分. All 23 agree in this document; a project
    that does not is listed here rather than hidden (a validator reports it)."""
    sums: dict[str, float] = defaultdict(float)
    for r in parsed("003"):
        if r.kind == "self_evaluation_indicator" and "score" in r.fields:
            sums[r.key.split("/")[0]] += float(value(r, "score"))  # type: ignore[arg-type]
    disagree = []
    for key, r in by_key("003", "performance_self_evaluation").items():
        assert "total_score" in r.fields, key
        total = float(value(r, "total_score"))  # type: ignore[arg-type]
        got = sums[key] + float(value(r, "score"))  # type: ignore[arg-type]
        if abs(got - total) > 0.005:
            disagree.append((key, total, round(got, 2)))
    assert disagree == []


def test_003_execution_rate_against_executed_over_budget() -> None:
    """执行率 = 全年执行数 / 全年预算数, rounded half-up to the printed decimals (1.45 / 8 = 18.125 is
    printed 18.13; 49.95 / 60 = 83.25 is printed 83%). All 23 agree."""
    off = []
    for key, r in by_key("003", "performance_self_evaluation").items():
        span = r.fields["execution_rate"].span
        assert span is not None
        printed = seed_text("003")[span[0] : span[1]]
        quotient = Decimal(str(value(r, "executed"))) * 100 / Decimal(str(value(r, "budget_full_year")))
        step = Decimal(1).scaleb(-len(printed.partition(".")[2]))
        if quotient.quantize(step, rounding=ROUND_HALF_UP) != Decimal(printed):
            off.append((key, printed, quotient))
    assert off == []


# ---------------------------------------------------------------------------------------------- 004


def test_004_korla_pdf() -> None:
    heads = by_key("004", "performance_target")
    unit = "库尔勒经济技术开发区市场监督管理局（库尔勒经济技术开发区知识产权局）"
    head = heads[unit]
    assert "joined" in head.fields["project_name"].reasons  # the name wraps onto a second line
    assert value(head, "budget_fiscal") == pytest.approx(314.66)  # 上级安排 0 + 本级安排 314.66
    assert value(head, "budget_other") == 0.0
    tools = heads["知识产权培训费"]
    assert (value(tools, "budget_total"), value(tools, "budget_fiscal"), value(tools, "budget_other")) == (
        2,
        2,
        0,
    )
    assert value(tools, "owner") == unit

    ind = by_key("004", "performance_indicator")
    lic = ind[unit + "/办理发放营业执照"]
    assert (value(lic, "level1"), value(lic, "level2")) == ("履职效能", "数量指标")
    assert (value(lic, "target_value"), value(lic, "target_unit"), value(lic, "weight")) == (
        5000.0,
        "张",
        20.0,
    )
    assert value(lic, "basis") == "2024年工作计划"
    fee = ind["知识产权培训费/每家企业培训费用"]
    assert (value(fee, "target_operator"), value(fee, "target_value"), value(fee, "target_unit")) == (
        "≤",
        1000.0,
        "元",
    )
    assert (value(fee, "level1"), value(fee, "level2")) == ("成本指标", "经济成本指标")
    assert (value(fee, "scoring_rule"), value(fee, "evidence")) == ("按照完成比例赋分", "原始凭证")
    # 效益指标's label is split around an empty 经济效益指标 group ("效 益" ... "指标")
    pub = ind["特种设备隐患排查/检查结果公开率"]
    assert (value(pub, "level1"), value(pub, "level2"), value(pub, "last_year")) == (
        "效益指标",
        "社会效益指标",
        "-",
    )
    # evidence column 2 characters wide ("工作" / "资料"), next name on its own lines
    names = [str(value(r, "name")) for r in ind.values() if value(r, "project_name") == "特种设备隐患排查"]
    assert names[:3] == ["完成特种设备隐患排查的企业数量", "检查次数", "完成检查报告数"]
    # the row's tail printed after its evidence (" 用 赋分": the last lines of the name and of the
    # scoring rule) goes back to those cells; the evidence is not read into the rule
    tail = ind["质量设施基础建设/小微企业质量管理体系认证服务费用"]
    assert (value(tail, "scoring_rule"), value(tail, "evidence")) == ("按照完成比例赋分", "原始凭证")
    assert {"interleaved", "joined"} <= set(tail.fields["name"].reasons)
    assert "质量设施基础建设/小微企业质量管理体系认证服务费" not in ind


# ---------------------------------------------------------------------------------------------- robustness


def test_numeric_columns_hold_numbers_or_say_why() -> None:
    from extractor.parsers.perf_text import numeric_cell

    src = "8 | 9.5分 | — | / | 约五分"
    cells = [(m.start(), m.end()) for m in re.finditer(r"[^|]+", src)]
    got = [numeric_cell(src, s, e) for s, e in cells]
    assert got[0] is not None and got[0].value == 8.0
    assert got[1] is not None and got[1].value == 9.5
    assert got[2] is None and got[3] is None
    assert got[4] is not None and got[4].value is None and got[4].reasons == ["unreadable:约五分"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\t\t",
        "项目支出绩效目标表",
        "一级指标 二级指标",
        "项目名称\n\t",
        "项目支出绩效自评表\n项目名称 x\n年初预算数",
    ],
)
def test_no_crash_on_degenerate_text(text: str) -> None:
    for start, end in ((0, len(text)), (0, 10**6), (5, 2), (-3, 4)):
        parse_performance_targets(text, start, end)
        parse_self_evaluations(text, start, end)


def test_region_without_tables_gives_nothing() -> None:
    text = seed_text("004")
    start = text.index("部门整体绩效目标表")
    assert parse_performance_targets(text, 0, start - 10) == []
    assert parse_self_evaluations(text, 0, len(text)) == []
    assert parse_performance_targets(seed_text("003"), 0, len(seed_text("003"))) == []


def test_region_starting_below_the_title() -> None:
    """The caller's region may leave the title out: the region is then one table of `title`."""
    text = seed_text("000")
    first = text.index("项  目  支  出  绩  效  目  标  表")
    second = text.index("项  目  支  出  绩  效  目  标  表", first + 10)
    recs = parse_performance_targets(text, first + 40, second)
    assert [r.key for r in recs if r.kind == "performance_target"] == ["法治宣传工作经费"]
    assert recs[0].table_title == "项目支出绩效目标表"


_ALPHABET = st.sampled_from(
    list("\t\n 　项目名称一级指标二级三值≥≤=<>＞＜%万元0123456789.,-产出数量分绩效目标自评表总年初预算合计*")
)


@settings(max_examples=150, deadline=None)
@given(st.text(_ALPHABET, max_size=300))
def test_no_crash_on_arbitrary_text(text: str) -> None:
    for r in parse_performance_targets(text, 0, len(text)) + parse_self_evaluations(text, 0, len(text)):
        for fv in r.fields.values():
            if fv.span is not None:
                assert 0 <= fv.span[0] < fv.span[1] <= len(text)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(SEEDS), st.integers(0, 60000), st.integers(0, 8000))
def test_no_crash_on_seed_slices(prefix: str, start: int, length: int) -> None:
    text = seed_text(prefix)
    parse_performance_targets(text, start, start + length)
    parse_self_evaluations(text, start, start + length)


# ---------------------------------------------------------------------------------------------- other layouts


def _as_tsv(text: str, start: int, end: int) -> str:
    """The Word cell-per-line tables of text[start:end] rewritten as tab-separated rows (the layout of
    002), multi-line cells put on one line."""
    from extractor.parsers.perf_grid import word_rows

    lines = []
    for row in word_rows(text, start, end):
        lines.append("\t".join(text[c.start : c.end].replace("\n", "") for c in row))
    return "\n".join(lines) + "\n"


def _values(records: list[Record]) -> list[tuple[str, str, dict[str, object]]]:
    return [
        (
            r.kind,
            r.key,
            {
                k: (str(v.value).replace(" ", "") if isinstance(v.value, str) else v.value)
                for k, v in r.fields.items()
            },
        )
        for r in records
    ]


@pytest.mark.parametrize("prefix", ["000", "003"])
def test_word_tables_read_the_same_as_tab_separated_rows(prefix: str) -> None:
    text = seed_text(prefix)
    start, end = region(text)
    tsv = _as_tsv(text, start, end)
    got = parse_performance_targets(tsv, 0, len(tsv)) + parse_self_evaluations(tsv, 0, len(tsv))
    assert _values(got) == _values(list(parsed(prefix)))


def test_title_glued_to_the_sentence_before_it() -> None:
    text = seed_text("000")
    first = text.index("项  目  支  出  绩  效  目  标  表")
    second = text.index("项  目  支  出  绩  效  目  标  表", first + 10)
    third = text.index("项  目  支  出  绩  效  目  标  表", second + 10)
    glued = (
        "具体情况见下表：" + text[first:second] + "附表二：项目支出绩效目标表\n" + text[second + 30 : third]
    )
    recs = parse_performance_targets(glued, 0, len(glued))
    assert [r.key for r in recs if r.kind == "performance_target"] == ["法治宣传工作经费", "机关运行补助"]


SHANGHAI_STYLE = (
    "2024年项目支出绩效目标表\n"
    "项目名称\t智慧监管平台运维\t\t\n"
    "主管部门及代码\t[123]某区市场监督管理局\t实施单位\t某区市场监管信息中心\n"
    "项目资金（元）\t资金总额\t120,000.00\n"
    "\t财政拨款\t100,000.00\n"
    "\t其他资金\t20,000.00\n"
    "年度目标\t完成平台全年运维，\n保障系统稳定运行。\n"
    "一级指标\t二级指标\t三级指标\t指标值\t评(扣)分标准\n"
    "产出指标\t数量指标\t巡检次数\t不少于12次\t每少一次扣1分\n"
    "\t质量指标\t系统可用率\t≥ 99.5 %\t低于目标不得分\n"
    "效益指标\t社会效益指标\t投诉数量\t明显下降\t酌情扣分\n"
)


def test_other_region_wording_and_units() -> None:
    recs = parse_performance_targets(SHANGHAI_STYLE, 0, len(SHANGHAI_STYLE))
    head = recs[0]
    assert (head.key, head.table_title, head.unit) == ("智慧监管平台运维", "2024年项目支出绩效目标表", "元")
    assert value(head, "owner") == "[123]某区市场监督管理局"
    assert (value(head, "budget_total"), value(head, "budget_fiscal"), value(head, "budget_other")) == (
        120000.0,
        100000.0,
        20000.0,
    )
    assert value(head, "overall_goal") == "完成平台全年运维，保障系统稳定运行。"
    ind = {r.key: r for r in recs[1:]}
    assert len(ind) == 3
    a = ind["智慧监管平台运维/巡检次数"]
    assert (value(a, "target_operator"), value(a, "target_value"), value(a, "target_unit")) == (
        "≥",
        12.0,
        "次",
    )
    assert value(a, "scoring_rule") == "每少一次扣1分"
    b = ind["智慧监管平台运维/系统可用率"]
    assert (value(b, "level1"), value(b, "level2"), value(b, "target_value")) == (
        "产出指标",
        "质量指标",
        99.5,
    )
    assert "carried_down" in b.fields["level1"].reasons
    c = ind["智慧监管平台运维/投诉数量"]
    assert value(c, "target") == "明显下降" and "target_value" not in c.fields


@pytest.mark.parametrize(
    ("prefix", "kind", "count"),
    [("000", "performance_target", 20), ("003", "performance_self_evaluation", 23)],
)
def test_tables_whose_titles_are_missing(prefix: str, kind: str, count: int) -> None:
    """Only the first table keeps its title (or none does, and the caller's region starts at the
    first table): each 项目名称 that opens its own table still starts a new one."""
    text = seed_text(prefix)
    start, end = region(text)
    title = re.compile(r"(?m)^[\t ]*(?:项\s*目\s*支\s*出\s*绩\s*效\s*(?:目\s*标|自\s*评)\s*表)[ \t]*$")
    first_kept = text[start : start + 40] + title.sub("", text[start + 40 : end])
    none_kept = title.sub("", text[start:end])
    for doc in (first_kept, none_kept):
        recs = parse_performance_targets(doc, 0, len(doc)) + parse_self_evaluations(doc, 0, len(doc))
        heads = [r for r in recs if r.kind == kind]
        assert [r.key for r in heads] == [r.key for r in parsed(prefix) if r.kind == kind]
        assert len(heads) == count


# ---------------------------------------------------------------------------------------------- PDF, Word


def _pdf(lines: list[str]) -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    y = A4[1] - 40
    for line in lines:
        if y < 40:
            c.showPage()
            y = A4[1] - 40
        c.setFont("STSong-Light", 9)
        c.drawString(30, y, line)
        y -= 14
    c.save()
    return buf.getvalue()


def _docx(rows: list[list[str]]) -> bytes:
    import io

    import docx

    document = docx.Document()
    table = document.add_table(rows=0, cols=max(len(r) for r in rows))
    for row in rows:
        cells = table.add_row().cells
        for j, v in enumerate(row):
            cells[j].text = v
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _first_tables(prefix: str, n: int) -> tuple[int, int]:
    text = seed_text(prefix)
    start, end = region(text)
    titles = [
        m.start()
        for m in re.finditer(
            r"(?m)^[\t ]*项\s*目\s*支\s*出\s*绩\s*效\s*(?:目\s*标|自\s*评)\s*表", text[start:end]
        )
    ]
    return start, (start + titles[n]) if len(titles) > n else end


@pytest.mark.parametrize("prefix", ["001", "004"])
def test_pdf_of_the_seed_text_reads_the_same(prefix: str) -> None:
    from extractor.ingest import ingest_bytes

    text = seed_text(prefix)
    start, end = region(text)
    doc = ingest_bytes(_pdf(text[start:end].split("\n")), f"{prefix}.pdf")
    got = parse_performance_targets(doc.text, 0, len(doc.text))
    assert _values(got) == _values([r for r in parsed(prefix) if r.kind.startswith("performance_")])


@pytest.mark.parametrize(
    ("prefix", "parse"), [("000", parse_performance_targets), ("003", parse_self_evaluations)]
)
def test_word_file_of_seed_tables_reads_the_same(prefix: str, parse: object) -> None:
    from extractor.ingest import ingest_bytes
    from extractor.parsers.perf_grid import word_rows

    text = seed_text(prefix)
    start, end = _first_tables(prefix, 3)
    rows = [[text[c.start : c.end] for c in r] for r in word_rows(text, start, end)]
    doc = ingest_bytes(_docx(rows), f"{prefix}.docx")
    assert callable(parse)
    got = parse(doc.text, 0, len(doc.text))
    assert _values(got) == _values(parse(text, start, end))
    assert len([r for r in got if "/" not in r.key]) == 3


def test_pdf_with_cells_glued_together() -> None:
    """002's tab-separated rows drawn into a PDF lose their tabs ("数量指标市场监管系统培训人数≥350人"):
    operators and leading level labels still split the cells. Rows whose 指标值 is not a quantity
    (不断提升, a date, a missing value) cannot be told from a wrapped name there and are left out."""
    from extractor.ingest import ingest_bytes

    text = seed_text("002")
    start, end = region(text)
    doc = ingest_bytes(_pdf(text[start:end].split("\n")), "002.pdf")
    got = {
        r.key: r
        for r in parse_performance_targets(doc.text, 0, len(doc.text))
        if r.kind == "performance_indicator"
    }
    want = by_key("002", "performance_indicator")
    assert len(got) == 67 and set(got) <= set(want)
    for key, r in got.items():
        for f in ("level1", "level2", "name", "target", "target_operator", "target_value", "target_unit"):
            assert (r.fields[f].value if f in r.fields else None) == (
                want[key].fields[f].value if f in want[key].fields else None
            ), (key, f)
    assert (
        "merged_cell_spilled" in got["新疆巴州市场监督管理局/市场监管系统培训人数"].fields["level1"].reasons
    )


def test_pdf_of_self_evaluations_one_cell_per_line() -> None:
    """003 drawn into a PDF: one cell per line, blank cells and row breaks gone. Rows are anchored
    on their 分值/得分 pair; the 年度资金总额 numbers on the 执行率 (flagged where cells are missing).
    The 预期目标 / 实际完成情况 texts cannot be told apart there and are not read."""
    from extractor.ingest import ingest_bytes

    text = seed_text("003")
    start, end = region(text)
    doc = ingest_bytes(_pdf(text[start:end].split("\n")), "003.pdf")
    got = parse_self_evaluations(doc.text, 0, len(doc.text))
    goals = ("goal_planned", "goal_actual")
    want = [
        (k, key, {f: v for f, v in fields.items() if f not in goals})
        for k, key, fields in _values(list(parsed("003")))
    ]
    assert _values(got) == want
    blank_initial = next(r for r in got if r.key == "2019年中央食品药品监管补助资金")
    assert "uncertain_layout" in blank_initial.fields["budget_full_year"].reasons
