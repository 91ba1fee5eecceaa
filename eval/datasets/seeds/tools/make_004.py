"""Budget gold of 004_7078add5d4f01a7a (库尔勒经济技术开发区市场监督管理局, 2024 部门预算, PDF text).

Every row below was read in the text by a person; the numbers are typed as printed and in the order
printed, so `goldlib` finds each one right after its row label (no printed number of a row is
skipped). Column choices the text alone cannot make are explained in notes.

    .venv/bin/python eval/datasets/seeds/tools/make_004.py
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
    text_span,
    write,
)

STEM = "004_7078add5d4f01a7a"
UNIT = "万元"


def build() -> tuple[dict[str, Any], list[Record]]:
    t = load_text(STEM)
    recs: list[Record] = []

    # ---- document ------------------------------------------------------------------------------
    unit_span = text_span(t, "库尔勒经济技术开发区市场监督管理局", start=t.find("编制部门："))
    doc = Record("document", "", "", None)
    doc.fields = {
        "unit_name": fv("库尔勒经济技术开发区市场监督管理局", unit_span, "编制部门 of 表1"),
        "fiscal_year": fv(2024, [6, 10], "title: 2024 年…部门（预算）"),
        "doc_type": fv("budget", None, "derived: 第二部分 2024 年部门预算公开表"),
        "money_unit": fv(UNIT, text_span(t, "万元", start=t.find("单位：万元")), "单位：万元 on every table"),
    }
    recs.append(doc)

    # ---- 概况 ------------------------------------------------------------------------------------
    p0, p1 = t.find("一、主要职能"), t.find("二、机构设置及人员情况")
    functions, fspan = numbered_items(t, p0, p1, r"（\s*[一二三四五六七八九十]+\s*）")
    assert len(functions) == 19, len(functions)
    units, uspan = enumeration(t, t.find("分别是：", p1) + 4, t.find("。", t.find("分别是：", p1)))
    prof = Record("department_profile", "", "概况", None)
    prof.fields = {
        "functions": fv(functions, fspan, "（一）…（十九）; （十八）职能转变 keeps its sub-items 1–6"),
        "internal_units": fv(units, uspan),
        "internal_unit_count": fv(3, number_after(t, "下", "3", start=t.find("无下属预算单位"))),
        "staffing_quota": fv(14, number_after(t, "编制数", "14", start=p1)),
        "actual_staff": fv(21, number_after(t, "实有人数", "21", start=p1)),
        "in_service": fv(17, number_after(t, "在职", "17", start=p1)),
        "retired": fv(4, number_after(t, "退休", "4", start=p1)),
        "retired_cadres": fv(0, number_after(t, "离休", "0", start=p1)),
    }
    recs.append(prof)

    # ---- 表1 部门收支总体情况表 -------------------------------------------------------------------------
    cur = region(t, "部门收支总体情况表", "部门收入总体情况表")
    recs += read_rows(
        cur,
        "income_summary",
        "部门收支总体情况表",
        UNIT,
        """
        @income_summary 本年收入 | 一、本年收入 | amount=314.6
        @expenditure_summary 201 | 一般公共服务支出 | amount=240.53
        @income_summary 一般公共预算拨款 | 1.一般公共预算拨款 | amount=314.6
        @income_summary 一般财力 | 其中：一般财力 | amount=314.6
        @expenditure_summary 208 | 社会保障和就业支出 | amount=38.67
        @expenditure_summary 210 | 卫生健康支出 | amount=18.09
        @expenditure_summary 221 | 住房保障支出 | amount=17.37
        @income_summary 收入总计 | 收入总计 | amount=314.66
        @expenditure_summary total | 支出总计 | amount=314.66
        """,
    )
    amend(
        recs,
        "income_summary/本年收入/amount",
        intended=314.66,
        note="printed 314.6; 收入总计 314.66 with no carry-over, and 表2–表5 and 说明 all say 314.66",
    )
    amend(
        recs,
        "income_summary/一般公共预算拨款/amount",
        intended=314.66,
        note="printed 314.6; 表4 一般公共预算 314.66 and 说明 '一般公共预算 314.66 万元，占 100%'",
    )
    amend(
        recs,
        "income_summary/一般财力/amount",
        intended=314.66,
        note="printed 314.6 like the two cells above it (same cut-off digit); no other figure "
        "for 一般财力 is printed, 314.66 assumed as all income is 一般公共预算拨款",
    )

    # ---- 表2 部门收入总体情况表 -------------------------------------------------------------------------
    cur = region(t, "部门收入总体情况表", "部门支出总体情况表")
    t2 = read_rows(
        cur,
        "income_by_function",
        "部门收入总体情况表",
        UNIT,
        """
        2013801 | 行政运行 | total=203.53 general_budget=203.53
        2013805 | 市场秩序执法 | total=5 general_budget=5
        2013810 | 质量基础 | total=22 general_budget=22
        2013815 | 质量安全监管 | total=10 general_budget=10
        2080501 | 行政单位离退休 | total=3.92 general_budget=3.92
        2080505 | 机关事业单位基本养老保险缴费支出 | total=23.17 general_budget=23.17
        2080506 | 机关事业单位职业年金缴费支出 | total=11.58 general_budget=11.58
        2101101 | 行政单位医疗 | total=12.71 general_budget=12.71
        2101103 | 公务员医疗补助 | total=5.38 general_budget=5.38
        2210201 | 住房公积金 | total=17.37 general_budget=17.37
        total | 合计 | total=314.66 general_budget=314.66
        """,
    )
    printed_codes = {
        "2013801": "01 8",
        "2013805": "01 8",
        "2013810": "01 8 0",
        "2013815": "01 8 5",
        "2080501": "08",
        "2080505": "08",
        "2080506": "08",
        "2101101": "10 1",
        "2101103": "10 1",
        "2210201": "21",
    }
    for r in t2:
        if r.key in printed_codes:
            r.note = (
                f"code printed as '{printed_codes[r.key]}' (PDF column break); key is the code "
                "表3/表5 print for the same name"
            )
        r.fields["general_budget"]["note"] = (
            "only two numbers printed: 总计 and one funding column; column from 表1/表4/说明 "
            "(收入全部为一般公共预算拨款; 财政专户, 单位资金, 结转 blank in 表1). Whether the PDF kept "
            "it under 财政拨款(补助)小计 or 一般公共预算 is not determinable from the text"
        )
    recs += t2

    # ---- 表3 部门支出总体情况表 -------------------------------------------------------------------------
    split_rows = """
        2013801 | 行政运行 | total=203.53 basic=203.53
        2013805 | 市场秩序执法 | total=5 project=5
        2013810 | 质量基础 | total=22 project=22
        2013815 | 质量安全监管 | total=10 project=10
        2080501 | 行政单位离退休 | total=3.92 basic=3.92
        2080505 | 机关事业单位基本养老保险缴费支出 | total=23.17 basic=23.17
        2080506 | 机关事业单位职业年金缴费支出 | total=11.58 basic=11.58
        2101101 | 行政单位医疗 | total=12.71 basic=12.71
        2101103 | 公务员医疗补助 | total=5.38 basic=5.38
        2210201 | 住房公积金 | total=17.37 basic=17.37
        total | 合计 | total=314.66 basic=277.66 project=37.00
        """
    split_note = (
        "column by the column totals (基本支出 277.66 = the seven personnel-type rows; 项目支出 "
        "37.00 = 5 + 22 + 10) and 表7, which lists projects only under 2013805/10/15"
    )
    for title, kind, start, end in (
        ("部门支出总体情况表", "expenditure_by_function", "部门支出总体情况表", "财政拨款收支预算总体情况表"),
        (
            "一般公共预算支出情况表",
            "general_budget_expenditure",
            "一般公共预算支出情况表",
            "一般公共预算基本支出情况表",
        ),
    ):
        rows = read_rows(region(t, start, end), kind, title, UNIT, split_rows)
        for r in rows:
            if r.key != "total":
                col = "basic" if "basic" in r.fields else "project"
                r.fields[col]["note"] = split_note
        recs += rows

    # ---- 表4 财政拨款收支预算总体情况表 ----------------------------------------------------------------------
    cur = region(t, "财政拨款收支预算总体情况表", "一般公共预算支出情况表")
    t4 = read_rows(
        cur,
        "fiscal_appropriation_summary",
        "财政拨款收支预算总体情况表",
        UNIT,
        """
        income:财政拨款（补 | 一、财政拨款（补 | total=314.66
        201 | 一般公共服务 | total=240.53 general_budget=240.53
        income:一般公共预算 | 一般公共预算 | total=314.66
        208 | 社会保障和就 | total=38.67 general_budget=38.67
        210 | 卫生健康支出 | total=18.09 general_budget=18.09
        221 | 住房保障支出 | total=17.37 general_budget=17.37
        income:收入总计 | 收入总计 | total=314.66
        total | 支出总计 | total=314.66 general_budget=314.66
        """,
    )
    cut = "label cut off by the PDF column"
    for r in t4:
        if r.key in ("income:财政拨款（补", "201", "208"):
            r.fields["name"]["note"] = cut + (" (财政拨款（补助）)" if r.key.startswith("income") else "")
        if "general_budget" in r.fields:
            r.fields["general_budget"]["note"] = (
                "second number placed under 一般公共预算: the income side has only 一般公共预算 "
                "(政府性基金预算, 国有资本经营预算 blank) and 说明: 收入全部为一般公共预算拨款"
            )
    recs += t4

    # ---- 表6 一般公共预算基本支出情况表 ----------------------------------------------------------------------
    cur = region(t, "一般公共预算基本支出情况表", "一般公共预算项目支出情况表")
    t6 = read_rows(
        cur,
        "basic_expenditure_by_economic",
        "一般公共预算基本支出情况表",
        UNIT,
        """
        301 | 工资福利支出 | total=277.66 personnel=260.41
        30101 | 基本工资 | total=62.24 personnel=62.24
        30102 | 津贴补贴 | total=78.48 personnel=78.48
        30103 | 奖金 | total=16.41 personnel=16.41
        30108 | 机关事业单位基本养老保险缴费 | total=23.17 personnel=23.17
        30109 | 职业年金缴费 | total=11.58 personnel=11.58
        30110 | 职工基本医疗保险缴费 | total=10.52 personnel=10.52
        30111 | 公务员医疗补助缴费 | total=4.34 personnel=4.34
        30112 | 其他社会保障缴费 | total=0.29 personnel=0.29
        30113 | 住房公积金 | total=19.53 personnel=19.53
        30199 | 其他工资福利支出 | total=33.85 personnel=33.85
        302 | 商品和服务支出 | total=10.11 public=10.11
        30201 | 办公费 | total=4.25 public=4.25
        30207 | 邮电费 | total=0.13 public=0.13
        30217 | 公务接待费 | total=1.87 public=1.87
        30228 | 工会经费 | total=2.55 public=2.55
        30229 | 福利费 | total=1.31 public=1.31
        303 | 对个人和家庭的补助 | total=7.14 personnel=7.14
        30302 | 退休费 | total=3.92 personnel=3.92
        30307 | 医疗费补助 | total=3.22 personnel=3.22
        total | 合计 | total=277.66 personnel=267.55 public=10.11
        """,
    )
    for r in t6:
        if r.key == "total":
            continue
        col = "personnel" if "personnel" in r.fields else "public"
        r.fields[col]["note"] = (
            "column by definition (名词解释: 人员经费 = 工资福利支出 + 对个人和家庭的"
            "补助, the rest 公用经费) and the column totals 267.55 / 10.11"
        )
    recs += t6
    amend(
        recs,
        "basic_expenditure_by_economic/301/total",
        intended=260.41,
        note="printed 277.66 (the table's 合计) where 301's children and its 人员经费 say 260.41",
    )

    # ---- 表7 一般公共预算项目支出情况表 ----------------------------------------------------------------------
    cur = region(t, "一般公共预算项目支出情况表", "政府性基金预算支出情况表")
    t7 = read_rows(
        cur,
        "project_expenditure",
        "一般公共预算项目支出情况表",
        UNIT,
        """
        2013815/特种设备隐患排查 | 质量安全监管 | project_name="特种设备隐患排查" total=10 goods_services=10
        2013810/质量设施基础建设 | 质量基础 | project_name="质量设施基础建设" total=20 goods_services=20
        2013810/知识产权培训费 | 质量基础 | project_name="知识产权培训费" total=2 goods_services=2
        2013805/执法办案经费 | 市场秩序执法 | project_name="执法办案经费" total=5 goods_services=5
        total | 合计 | total=37 goods_services=37
        """,
    )
    for r in t7:
        r.fields["goods_services"]["note"] = (
            "economic column not printed: the 合计 row prints one economic amount (37 37), so all project "
            "money sits in one column; 说明七's 资金分配 (劳务费, 抽检经费, 培训费, 办案经费) are 商品和服务支出"
        )
    recs += t7

    # ---- 表8, 表9, 表11: declared empty ---------------------------------------------------------------
    for kind, title, statement in (
        ("gov_fund_expenditure", "政府性基金预算支出情况表", "金预算支出情况表为空表"),
        ("state_capital_expenditure", "国有资本经营预算支出情况表", "经营预算支出情况表为空表"),
        ("carryover", "上年结转结余情况明细表", "余情况明细表为空表"),
    ):
        text_span(t, statement)  # the statement is printed
        r = Record(kind, "", title, UNIT)
        r.fields["empty"] = fv(True, None, f"the table states it is empty (…{statement})")
        recs.append(r)

    # ---- 表10 财政拨款“三公”经费支出情况表 --------------------------------------------------------------------
    cur = region(t, "财政拨款“三公”经费支出情况表", "上年结转结余情况明细表")
    cur.seek("本经营预")  # past the header, whose 合\n\n计 is not the 合计 row
    tp = Record("three_public_expenses", "", "财政拨款“三公”经费支出情况表", UNIT)
    cur.find_text("合计")
    tp.fields["total"] = fv(1.87, cur.find_number("1.87"), "合计 column; the next 1.87 is 一般公共预算")
    cur.find_number("1.87")
    cur.find_text("公务接待费")
    tp.fields["reception"] = fv(1.87, cur.find_number("1.87"))
    recs.append(tp)

    # ---- 情况说明 ------------------------------------------------------------------------------------
    s0 = t.find("第三部分 2024年部门预算情况说明")
    s3 = t.find("年支出预算情况说明", s0)
    nf = Record("narrative_facts", "", "情况说明", UNIT)
    nf.fields["total_budget"] = fv(314.66, number_after(t, "支总预算", "314.66", start=s0))
    nf.fields["basic_expenditure"] = fv(277.66, number_after(t, "基本支出", "277.66", start=s3))
    nf.fields["basic_expenditure_share"] = fv(
        88.24,
        number_after(t, "占", "88.24", start=s3 + 40),
        "percent of 支出预算, 说明三 (not a NarrativeFactsRow field; kept for the 11.75 % tie)",
    )
    nf.fields["project_expenditure"] = fv(37, number_after(t, "目支出", "37", start=s3))
    nf.fields["project_expenditure_share"] = fv(
        11.75,
        number_after(t, "占", "11.75", start=t.find("目支出 37", s3)),
        "percent of 支出预算, 说明三; printed 11.75 where 37 / 314.66 = 11.76 % (and 88.24 + 11.75 ≠ 100)",
        intended=11.76,
    )
    nf.fields["operating_expenses"] = fv(10.11, number_after(t, "运行经费财政拨款预算", "10.11"))
    nf.fields["three_public_total"] = fv(1.87, number_after(t, "款“三公”经费数为", "1.87"))
    nf.fields["procurement_total"] = fv(40, number_after(t, "市场监管局政府采购预", "40"))
    nf.fields["procurement_goods"] = fv(3, number_after(t, "政府采购货物预算", "3"))
    nf.fields["procurement_services"] = fv(37, number_after(t, "政府采购服", "37"))
    nf.fields["sme_reserved"] = fv(
        40,
        number_after(t, "小企业预留政府采购项目预算金额", "40"),
        "面向中小企业预留 40 万元 (of which 小微企业 40 万元)",
    )
    nf.fields["vehicles"] = fv(0, number_after(t, "2.车辆", "0"))
    pp = t.find("当年财政拨款项目")
    nf.fields["performance_projects"] = fv(
        4,
        number_after(t, "当年财政拨款项目", "4"),
        "当年财政拨款项目 4 个 (plus 部门整体 1 个 314.66 万元; 非财政拨款项目 0 个)",
    )
    nf.fields["performance_amount"] = fv(
        37, number_after(t, "涉及预算金", "37", start=pp), "涉及预算金额 of the 4 财政拨款 projects"
    )
    recs.append(nf)

    document = {
        "sha256": sha256(STEM),
        "source": f"{STEM}.txt",
        "unit_name": "库尔勒经济技术开发区市场监督管理局",
        "fiscal_year": 2024,
        "doc_type": "budget",
        "money_unit": UNIT,
    }
    return document, recs


if __name__ == "__main__":
    document, records = build()
    write(STEM, document, records)
    print(f"{STEM}: {len(records)} records")
