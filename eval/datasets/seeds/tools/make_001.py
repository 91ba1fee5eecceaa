"""Budget gold of 001_bf78897304f03bf2 (乌鲁木齐市市场监督管理局, 2024 单位预算, PDF text).

Every row below was read in the text by a person; the numbers are typed as printed and in the order
printed, so `goldlib` finds each one right after its row label (no printed number of a row is
skipped). The PDF text drops empty cells, so the column of every number after a row's first is a
decision; the notes say how it was made.

    .venv/bin/python eval/datasets/seeds/tools/make_001.py
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from goldlib import (  # noqa: E402
    Record,
    amend,
    enumeration,
    fv,
    load_text,
    number_after,
    numbered_items,
    read_rows,
    region,
    sha256,
    squeeze,
    text_span,
    write,
)

STEM = "001_bf78897304f03bf2"
UNIT = "万元"
UNIT_NAME = "乌鲁木齐市市场监督管理局"


def note_fields(records: list[Record], notes: dict[str, str], *, skip_total: bool = False) -> None:
    for r in records:
        if skip_total and r.key == "total":
            continue
        for name, text in notes.items():
            if name in r.fields and "note" not in r.fields[name]:
                r.fields[name]["note"] = text


def build() -> tuple[dict[str, Any], list[Record]]:
    t = load_text(STEM)
    recs: list[Record] = []

    # ---- document ------------------------------------------------------------------------------
    t1 = t.find("单位收支总体情况表")
    doc = Record("document", "", "", None)
    doc.fields = {
        "unit_name": fv(
            UNIT_NAME, text_span(t, UNIT_NAME, start=t.find("编制单位：", t1)), "编制单位 of 表1"
        ),
        "fiscal_year": fv(2024, [6, 10], "title: 第一部分 2024 年…单位概况"),
        "doc_type": fv("budget", None, "derived: 第二部分 2024 年单位预算公开表"),
        "money_unit": fv(
            UNIT, text_span(t, "万元", start=t.find("单位：万元", t1)), "单位：万元 on every table"
        ),
    }
    recs.append(doc)

    # ---- 概况 ------------------------------------------------------------------------------------
    p0, p1 = t.find("一、 主要职能"), t.find("二、 机构设置及人员情况")
    functions, fspan = numbered_items(t, p0, p1, r"\(\d+\)")
    assert len(functions) == 20, len(functions)
    lst = t.find("分别是：", p1) + 4
    units, uspan = enumeration(t, lst, t.find("。", lst))
    assert len(units) == 21, len(units)
    prof = Record("department_profile", "", "概况", None)
    prof.fields = {
        "functions": fv(functions, fspan, "(1)…(20); (19) 职能转变 and (20) 职责分工 keep their sub-items"),
        "internal_units": fv(units, uspan),
        "internal_unit_count": fv(21, number_after(t, "下设", "21", start=p1)),
        "staffing_quota": fv(148, number_after(t, "编制数", "148", start=p1)),
        "actual_staff": fv(393, number_after(t, "实有人数", "393", start=p1)),
        "in_service": fv(137, number_after(t, "在职", "137", start=p1)),
        "retired": fv(255, number_after(t, "退休", "255", start=p1)),
        "retired_cadres": fv(1, number_after(t, "离休", "1", start=p1)),
    }
    recs.append(prof)

    # ---- 表1 单位收支总体情况表 -------------------------------------------------------------------------
    cur = region(t, "单位收支总体情况表", "单位收入总体情况表")
    rows = read_rows(
        cur,
        "income_summary",
        "单位收支总体情况表",
        UNIT,
        """
        @income_summary 本年收入 | 一、本年收入 | amount=3,984.50
        @expenditure_summary 201 | 一般公共服务支出 | amount=3,734.27
        @income_summary 一般公共预算拨款 | 1.一般公共预算拨款 | amount=3,984.50
        @income_summary 一般财力 | 其中：一般财力 | amount=3,961.50
        @income_summary 上级一般公共预算安排转移支付 | 上级一般公共预算安排转移支付 | amount=23.00
        @expenditure_summary 206 | 科学技术支出 | amount=156.44
        @expenditure_summary 208 | 社会保障和就业支出 | amount=512.12
        @income_summary 上年结转结余 | 二、上年结转结余 | amount=418.33
        @income_summary 财政拨款结转 | 1、财政拨款结转 | amount=418.33
        @income_summary 上年结转结余/一般公共预算拨款 | 其中：一般公共预算拨款 | amount=418.33
        @income_summary 收入总计 | 收入总计 | amount=4,402.83
        @expenditure_summary total | 支出总计 | amount=4,402.83
        """,
    )
    recs += rows
    amend(
        recs,
        "expenditure_summary/206/amount",
        note="printed on the line of 其中：政府性基金收入 but it is 206's amount (表2/表3 206 = 156.44; "
        "no 政府性基金 income anywhere)",
    )

    # ---- 表2 单位收入总体情况表 -------------------------------------------------------------------------
    cur = region(t, "单位收入总体情况表", "单位支出总体情况表")
    cur.seek("※ ※ ※ ※ 1 2 3 4 5 6 7 8 9 10 11 12")  # past the header, which also says 总计
    t2 = read_rows(
        cur,
        "income_by_function",
        "单位收入总体情况表",
        UNIT,
        """
        total | 总计 | total=4,402.83 fiscal_subtotal=3,984.50 general_budget=3,961.50 general_budget_transfer=23.00 fiscal_carryover=418.33
        201 | 一般公共服务支出 | total=3,734.27 fiscal_subtotal=3,341.84 general_budget=3,318.84 general_budget_transfer=23.00 fiscal_carryover=392.43
        20138 | 市场监督管理事务 | total=3,734.27 fiscal_subtotal=3,341.84 general_budget=3,318.84 general_budget_transfer=23.00 fiscal_carryover=392.43
        2013801 | 行政运行 | total=2,606.36 fiscal_subtotal=2,606.36 general_budget=2,606.36
        2013802 | 一般行政管理事务 | total=196.85 fiscal_subtotal=166.10 general_budget=166.10 fiscal_carryover=30.75
        2013805 | 市场秩序执法 | total=226.38 fiscal_subtotal=206.38 general_budget=206.38 fiscal_carryover=20.00
        2013810 | 质量基础 | total=325.00 fiscal_subtotal=15.00 general_budget=15.00 fiscal_carryover=310.00
        2013812 | 药品事务 | total=13.68 fiscal_carryover=13.68
        2013815 | 质量安全监管 | total=325.00 fiscal_subtotal=325.00 general_budget=325.00
        2013816 | 食品安全监管 | total=18.00 fiscal_carryover=18.00
        2013899 | 其他市场监督管理事务 | total=23.00 fiscal_subtotal=23.00 general_budget_transfer=23.00
        206 | 科学技术支出 | total=156.44 fiscal_subtotal=130.54 general_budget=130.54 fiscal_carryover=25.90
        20604 | 技术研究与开发 | total=130.54 fiscal_subtotal=130.54 general_budget=130.54
        2060499 | 其他技术研究与开发支出 | total=130.54 fiscal_subtotal=130.54 general_budget=130.54
        20699 | 其他科学技术支出 | total=25.90 fiscal_carryover=25.90
        2069999 | 其他科学技术支出 | total=25.90 fiscal_carryover=25.90
        208 | 社会保障和就业支出 | total=512.12 fiscal_subtotal=512.12 general_budget=512.12
        20805 | 行政事业单位养老支出 | total=512.12 fiscal_subtotal=512.12 general_budget=512.12
        2080501 | 行政单位离退休 | total=240.42 fiscal_subtotal=240.42 general_budget=240.42
        2080505 | 机关事业单位基本养老保险缴费支出 | total=271.70 fiscal_subtotal=271.70 general_budget=271.70
        """,
    )
    note_fields(
        t2,
        {
            "fiscal_subtotal": "column order: the first amount after 总计 is 财政拨款(补助)小计 = the fiscal columns "
            "that follow it",
            "general_budget": "一般公共预算 vs 上级转移支付 by the column totals: 总计 row 3,961.50 + 23.00 "
            "(表1 一般财力 3,961.50, 上级一般公共预算安排转移支付 23.00); 201's 3,318.84 is the sum "
            "of its 项 without 2013899",
            "general_budget_transfer": "23.00 is the 上级一般公共预算安排转移支付 of 表1; 说明 calls 2013899's 23.00 "
            "中央转移支付 (表7: 提前下达2024年中央食品药品监管补助资金)",
            "fiscal_carryover": "column from 表1: 上年结转结余 418.33 is all 财政拨款结转 (非财政拨款 and 单位资金 "
            "blank); 表11 lists the same carry-over items; a row with no 一般公共预算 money is "
            "absent from 表5",
        },
    )
    recs += t2

    # ---- 表3 单位支出总体情况表 -------------------------------------------------------------------------
    cur = region(t, "单位支出总体情况表", "财政拨款收支预算总体情况表")
    cur.seek("※ ※ ※ ※ 1 2 3")
    t3 = read_rows(
        cur,
        "expenditure_by_function",
        "单位支出总体情况表",
        UNIT,
        """
        total | 总计 | total=4,402.83 basic=3,118.48 project=1,284.35
        201 | 一般公共服务支出 | total=3,734.27 basic=2,606.36 project=1,127.91
        20138 | 市场监督管理事务 | total=3,734.27 basic=2,606.36 project=1,127.91
        2013801 | 行政运行 | total=2,606.36 basic=2,606.36
        2013802 | 一般行政管理事务 | total=196.85 project=196.85
        2013805 | 市场秩序执法 | total=226.38 project=226.38
        2013810 | 质量基础 | total=325.00 project=325.00
        2013812 | 药品事务 | total=13.68 project=13.68
        2013815 | 质量安全监管 | total=325.00 project=325.00
        2013816 | 食品安全监管 | total=18.00 project=18.00
        2013899 | 其他市场监督管理事务 | total=23.00 project=23.00
        206 | 科学技术支出 | total=156.44 project=156.44
        20604 | 技术研究与开发 | total=130.54 project=130.54
        2060499 | 其他技术研究与开发支出 | total=130.54 project=130.54
        20699 | 其他科学技术支出 | total=25.90 project=25.90
        2069999 | 其他科学技术支出 | total=25.90 project=25.90
        208 | 社会保障和就业支出 | total=512.12 basic=512.12
        20805 | 行政事业单位养老支出 | total=512.12 basic=512.12
        2080501 | 行政单位离退休 | total=240.42 basic=240.42
        2080505 | 机关事业单位基本养老保险缴费支出 | total=271.70 basic=271.70
        """,
    )
    split_note = (
        "column by the column totals: 基本支出 3,118.48 = 行政运行 2,606.36 + 208's 512.12, the other "
        "rows make 项目支出 1,284.35 (= 表5's 866.02 + the 418.33 carried over); 表5/表7 agree"
    )
    note_fields(t3, {"basic": split_note, "project": split_note}, skip_total=True)
    recs += t3

    # ---- 表4 财政拨款收支预算总体情况表 ----------------------------------------------------------------------
    cur = region(t, "财政拨款收支预算总体情况表", "一般公共预算支出情况表")
    t4 = read_rows(
        cur,
        "fiscal_appropriation_summary",
        "财政拨款收支预算总体情况表",
        UNIT,
        """
        income:财政拨款（补助） | 一、财政拨款（补助） | total=3,984.50
        201 | 一般公共服务支出 | total=3,341.84 general_budget=3,341.84
        income:一般公共预算 | 一般公共预算 | total=3,984.50
        206 | 科学技术支出 | total=130.54 general_budget=130.54
        208 | 社会保障和就业支出 | total=512.12 general_budget=512.12
        income:收入总计 | 收入总计 | total=3,984.50
        total | 支出总计 | total=3,984.50 general_budget=3,984.50
        """,
    )
    note_fields(
        t4,
        {
            "general_budget": "second number placed under 一般公共预算: the income side has only "
            "一般公共预算 and 说明: 收入全部为一般公共预算拨款"
        },
    )
    recs += t4

    # ---- 表5 一般公共预算支出情况表 -----------------------------------------------------------------------
    cur = region(t, "一般公共预算支出情况表", "一般公共预算基本支出情况表")
    cur.seek("※ ※ ※ ※ 1 2 3")
    t5 = read_rows(
        cur,
        "general_budget_expenditure",
        "一般公共预算支出情况表",
        UNIT,
        """
        total | 总计 | total=3,984.50 basic=3,118.48 project=866.02
        201 | 一般公共服务支出 | total=3,341.84 basic=2,606.36 project=735.48
        20138 | 市场监督管理事务 | total=3,341.84 basic=2,606.36 project=735.48
        2013801 | 行政运行 | total=2,606.36 basic=2,606.36
        2013802 | 一般行政管理事务 | total=166.10 project=166.10
        2013805 | 市场秩序执法 | total=206.38 project=206.38
        2013810 | 质量基础 | total=15.00 project=15.00
        2013815 | 质量安全监管 | total=325.00 project=325.00
        2013899 | 其他市场监督管理事务 | total=23.00 project=23.00
        206 | 科学技术支出 | total=130.54 project=130.54
        20604 | 技术研究与开发 | total=130.54 project=130.54
        2060499 | 其他技术研究与开发支出 | total=130.54 project=130.54
        208 | 社会保障和就业支出 | total=512.12 basic=512.12
        20805 | 行政事业单位养老支出 | total=512.12 basic=512.12
        2080501 | 行政单位离退休 | total=240.42 basic=240.42
        2080505 | 机关事业单位基本养老保险缴费支出 | total=271.70 basic=271.70
        """,
    )
    split_note5 = (
        "column by the column totals: 基本支出 3,118.48 = 行政运行 + 208, 项目支出 866.02 = the rest; "
        "表7 lists exactly these 项目 rows"
    )
    note_fields(t5, {"basic": split_note5, "project": split_note5}, skip_total=True)
    recs += t5

    # ---- 表6 一般公共预算基本支出情况表 ----------------------------------------------------------------------
    cur = region(t, "一般公共预算基本支出情况表", "一般公共预算项目支出情况表")
    cur.seek("※ ※ ※ 1 2 3")
    t6 = read_rows(
        cur,
        "basic_expenditure_by_economic",
        "一般公共预算基本支出情况表",
        UNIT,
        """
        total | 总计 | total=3,118.48 personnel=2,783.10 public=335.38
        301 | 工资福利支出 | total=2,534.93 personnel=2,534.93
        30101 | 基本工资 | total=690.59 personnel=690.59
        30102 | 津贴补贴 | total=637.74 personnel=637.74
        30103 | 奖金 | total=383.24 personnel=383.24
        30108 | 机关事业单位基本养老保险缴费 | total=271.70 personnel=271.70
        30110 | 职工基本医疗保险缴费 | total=263.14 personnel=263.14
        30111 | 公务员医疗补助缴费 | total=67.24 personnel=67.24
        30112 | 其他社会保障缴费 | total=2.74 personnel=2.74
        30113 | 住房公积金 | total=218.53 personnel=218.53
        302 | 商品和服务支出 | total=335.38 public=335.38
        30201 | 办公费 | total=135.69 public=135.69
        30205 | 水费 | total=14.40 public=14.40
        30206 | 电费 | total=27.60 public=27.60
        30208 | 取暖费 | total=33.13 public=33.13
        30228 | 工会经费 | total=27.45 public=27.45
        30229 | 福利费 | total=37.96 public=37.96
        30231 | 公务用车运行维护费 | total=9.36 public=9.36
        30239 | 其他交通费用 | total=34.50 public=34.50
        30299 | 其他商品和服务支出 | total=15.29 public=15.29
        303 | 对个人和家庭的补助 | total=248.17 personnel=248.17
        30301 | 离休费 | total=21.96 personnel=21.96
        30302 | 退休费 | total=218.45 personnel=218.45
        30305 | 生活补助 | total=1.15 personnel=1.15
        30307 | 医疗费补助 | total=6.60 personnel=6.60
        """,
    )
    def6 = (
        "column by definition (人员经费 = 工资福利支出 + 对个人和家庭的补助, 公用经费 = 商品和服务支出) "
        "and the column totals 2,783.10 / 335.38"
    )
    note_fields(t6, {"personnel": def6, "public": def6}, skip_total=True)
    recs += t6
    for key, kids in (("301", "2,534.92"), ("303", "248.16")):
        for col in ("total", "personnel"):
            amend(
                recs,
                f"basic_expenditure_by_economic/{key}/{col}",
                note=f"rounding gap of 0.01: the 款 rows under {key} sum to {kids} "
                f"(each rounded on its own); the column total agrees with {key}",
            )

    # ---- 表7 一般公共预算项目支出情况表 ----------------------------------------------------------------------
    cur = region(t, "一般公共预算项目支出情况表", "政府性基金预算支出情况表")
    cur.seek("※ ※ ※ ※ ※ 1 2 3 4 5 6 7 8 9 10 11")
    t7 = read_rows(
        cur,
        "project_expenditure",
        "一般公共预算项目支出情况表",
        UNIT,
        """
        total | 总计 | total=866.02 goods_services=866.02
        201 | 一般公共服务支出 | total=735.48 goods_services=735.48
        20138 | 市场监督管理事务 | total=735.48 goods_services=735.48
        2013802/为民办实事工作经费 | 一般行政管理事务 | project_name="为民办实事工作经费" total=17.00 goods_services=17.00
        2013802/物业管理费项目 | 一般行政管理事务 | project_name="物业管理费项目" total=149.10 goods_services=149.10
        2013805/市场秩序执法 | 市场秩序执法 | project_name="市场秩序执法" total=206.38 goods_services=206.38
        2013810/质量提升项目经费 | 质量基础 | project_name="质量提升项目经费" total=15.00 goods_services=15.00
        2013815/质量安全监管 | 质量安全监管 | project_name="质量安全监管" total=325.00 goods_services=325.00
        2013899/关于提前下达2024年中央食品药品监管补助资金 | 其他市场监督管理事务 | project_name="关于提前下达2024年中央食品药品监管补助资金" total=23.00 goods_services=23.00
        206 | 科学技术支出 | total=130.54 goods_services=130.54
        20604 | 技术研究与开发 | total=130.54 goods_services=130.54
        2060499/信息化运维项目经费 | 其他技术研究与开发支出 | project_name="信息化运维项目经费" total=130.54 goods_services=130.54
        """,
    )
    note_fields(
        t7,
        {
            "goods_services": (
                "economic column not printed: the 总计 row prints one economic amount (866.02 866.02), so every "
                "project is in that one column; 说明七's 资金分配 (办公费, 印刷费, 培训费, 劳务费, 委托业务费, 物业管理费, "
                "抽样费用) are 商品和服务支出 items"
            )
        },
    )
    recs += t7

    # ---- 表8, 表9: declared empty ----------------------------------------------------------------------
    for kind, title, statement in (
        ("gov_fund_expenditure", "政府性基金预算支出情况表", "政府性基金预算支出情况表为空表"),
        ("state_capital_expenditure", "国有资本经营预算支出情况表", "国有资本经营预算支出情况表为空表"),
    ):
        assert statement in squeeze(t), statement
        r = Record(kind, "", title, UNIT)
        r.fields["empty"] = fv(True, None, f"the table states it is empty (…{statement})")
        recs.append(r)

    # ---- 表10 财政拨款“三公”经费支出情况表 --------------------------------------------------------------------
    cur = region(t, "财政拨款“三公”经费支出情况表", "上年结转结余情况明细表")
    cur.seek("※ 1 2 3 4")
    tp = Record("three_public_expenses", "", "财政拨款“三公”经费支出情况表", UNIT)
    first = "合计 column; the second number of the row is 一般公共预算"
    for label, name in (
        ("合计", "total"),
        ("公务用车购置及运行费（小计）", "vehicles_total"),
        ("公务用车运行费", "vehicle_operation"),
    ):
        cur.find_text(label)
        tp.fields[name] = fv(9.36, cur.find_number("9.36"), first)
        cur.find_number("9.36")
    recs.append(tp)

    # ---- 表11 上年结转结余情况明细表 ------------------------------------------------------------------------
    cur = region(t, "上年结转结余情况明细表", "第三部分")
    cur.seek("※ 1 2 3 4 5 6 7 8 9")
    items = [
        ("total", "总计", "418.33"),
        (UNIT_NAME, UNIT_NAME, "418.33"),
        ("2023年食品药品监管补助资金", "2023 年食品药品监管补助资金", "3.68"),
        ("2022年度“忠诚担当好班子”奖金项目", "2022 年度“忠诚担当好班子”奖金项目", "10.00"),
        ("2023年下半年工作经费", "2023 年下半年工作经费", "8.50"),
        ("2023年食品药品中央补助资金", "2023 年食品药品中央补助资金", "18.00"),
        ("2023年自治区药品专项补助资金", "2023 年自治区药品专项补助资金", "10.00"),
        ("2023年宣传文化事业费（新时代文明建设）", "2023 年宣传文化事业费（新时代文明建设）", "10.00"),
        ("2023年替代工作经费", "2023 年替代工作经费", "25.90"),
        ("市场秩序执法", "市场秩序执法", "20.00"),
        ("质量安全监管", "质量安全监管", "310.00"),
        ("物业管理费项目", "物业管理费项目", "2.25"),
    ]
    block = "\n".join(f"{k} | {n} | total={v} fiscal_total={v} fiscal_project={v}" for k, n, v in items)
    t11 = read_rows(cur, "carryover", "上年结转结余情况明细表", UNIT, block)
    cnote = (
        "three equal numbers: 总计, 财政拨款 合计 and 财政拨款 项目支出 — 表1's 上年结转结余 is all 财政拨款结转, "
        "说明十一 lists these items as projects, and 表3 项目支出 1,284.35 = 表5's 866.02 + 418.33"
    )
    note_fields(t11, {"fiscal_total": cnote, "fiscal_project": cnote})
    recs += t11

    # ---- 情况说明 ------------------------------------------------------------------------------------
    s0 = t.find("第三部分 2024 年单位预算情况说明")
    s3 = t.find("年支出预算情况说明", s0)
    nf = Record("narrative_facts", "", "情况说明", UNIT)
    nf.fields["total_budget"] = fv(4402.83, number_after(t, "收支总预算", "4,402.83", start=s0))
    nf.fields["basic_expenditure"] = fv(3118.48, number_after(t, "基本支出", "3,118.48", start=s3))
    nf.fields["basic_expenditure_share"] = fv(
        70.83,
        number_after(t, "占", "70.83", start=t.find("3,118.48", s3)),
        "percent of 支出预算, 说明三 (not a NarrativeFactsRow field)",
    )
    nf.fields["project_expenditure"] = fv(1284.35, number_after(t, "项目支出", "1,284.35", start=s3))
    nf.fields["project_expenditure_share"] = fv(
        29.17,
        number_after(t, "占", "29.17", start=t.find("1,284.35", s3)),
        "percent of 支出预算, 说明三 (not a NarrativeFactsRow field)",
    )
    nf.fields["operating_expenses"] = fv(335.38, number_after(t, "机关运行经费财政拨款预算", "335.38"))
    nf.fields["three_public_total"] = fv(9.36, number_after(t, "“三公”经费预算数为", "9.36"))
    nf.fields["procurement_total"] = fv(840.31, number_after(t, "政府采购预算", "840.31"))
    nf.fields["procurement_goods"] = fv(35.20, number_after(t, "政府采购货物预算", "35.20"))
    nf.fields["procurement_works"] = fv(0.00, number_after(t, "政府采购工程预算", "0.00"))
    nf.fields["procurement_services"] = fv(805.11, number_after(t, "政府采购服务", "805.11"))
    nf.fields["sme_reserved"] = fv(
        637.72,
        number_after(t, "小企业预留政府采购项目预算", "637.72"),
        "面向中小企业预留 637.72 万元 (小微企业 637.72 万元)",
    )
    nf.fields["vehicles"] = fv(27, number_after(t, "2.车辆", "27"))
    pp = t.find("当年财政拨款项目")
    nf.fields["performance_projects"] = fv(
        6,
        number_after(t, "当年财政拨款项目", "6"),
        "当年财政拨款项目 6 个 (plus 单位整体 1 个 3,836.96 万元; 非财政拨款项目 3 个 30.00 万元)",
    )
    nf.fields["performance_amount"] = fv(
        3167.09,
        number_after(t, "涉及预算金额", "3,167.09", start=pp),
        "涉及预算金额 of the 6 财政拨款 projects as printed (no table states this figure; 表7 totals 866.02)",
    )
    recs.append(nf)

    document = {
        "sha256": sha256(STEM),
        "source": f"{STEM}.txt",
        "unit_name": UNIT_NAME,
        "fiscal_year": 2024,
        "doc_type": "budget",
        "money_unit": UNIT,
    }
    return document, recs


if __name__ == "__main__":
    document, records = build()
    write(STEM, document, records)
    print(f"{STEM}: {len(records)} records")
