"""Budget gold of 000_335c3f7f451f52b5 (昌吉州市场监督管理局, 2023 单位预算, Word export).

The Word export keeps empty cells (one tab-prefixed line per cell), so a number's column is its cell's
position in the row. The column maps below were read off each table's header rows; every data row of
every table was read against them (a row with no printed amount is a template row, not a record).

    .venv/bin/python eval/datasets/seeds/tools/make_000.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from goldlib import (  # noqa: E402
    Cell,
    GoldBuildError,
    Record,
    amend,
    cell_field,
    enumeration,
    fv,
    grid_rows,
    load_text,
    number_after,
    numbered_items,
    sha256,
    squeeze,
    text_span,
    write,
)

STEM = "000_335c3f7f451f52b5"
UNIT = "万元"
UNIT_NAME = "昌吉州市场监督管理局"

# income labels of 表1 / 表4 → gold keys (label without numbering; a repeated label with its section)
INCOME_KEYS = {
    "一、本年收入": "本年收入",
    "1.一般公共预算拨款": "一般公共预算拨款",
    "其中：一般财力": "一般财力",
    "其他收入": "其他收入",
    "二、上年结转结余": "上年结转结余",
    "1.财政拨款结转": "财政拨款结转",
    "其中：一般公共预算拨款": "上年结转结余/一般公共预算拨款",
    "2.非财政拨款结转结余": "非财政拨款结转结余",
    "收入总计": "收入总计",
}
FISCAL_INCOME_KEYS = {
    "一、财政拨款（补助）": "income:财政拨款（补助）",
    "一般公共预算": "income:一般公共预算",
    "收入总计": "income:收入总计",
}


def table_span(t: str, title: str, next_title: str) -> tuple[int, int]:
    a = t.find(title)
    b = t.find(next_title, a + len(title))
    if a < 0 or b < 0:
        raise GoldBuildError(f"table {title!r} .. {next_title!r} not found")
    return a, b


def numeric(cell: Cell) -> bool:
    return cell.span is not None and re.fullmatch(r"-?[\d,]+(?:\.\d+)?", cell.text) is not None


def code_of(cells: list[Cell], n: int = 3) -> str | None:
    """The joined function code of a row whose first `n` cells are 类/款/项 (econ: n = 2)."""
    parts = [c.text for c in cells[:n]]
    if not re.fullmatch(r"\d{3}", parts[0]):
        return None
    code: str = parts[0]
    for p in parts[1:]:
        if p:
            if not re.fullmatch(r"\d{1,2}", p):
                raise GoldBuildError(f"odd code cell {p!r} in {parts}")
            code += p.zfill(2)
    return code


def code_name(cell: Cell) -> tuple[str, str, list[int]]:
    """`201 一般公共服务支出` (or `210卫生健康支出`) → code, name, span of the name."""
    m = re.fullmatch(r"(\d{3})\s*(.+)", cell.text, re.S)
    if not m or cell.span is None:
        raise GoldBuildError(f"not a code + name cell: {cell.text!r}")
    return m.group(1), squeeze(m.group(2)), [cell.span[0] + m.start(2), cell.span[0] + m.end(2)]


def coded_table(
    t: str,
    kind: str,
    title: str,
    span: tuple[int, int],
    columns: dict[int, str],
    *,
    name_col: int,
    code_cells: int = 3,
    project_col: int | None = None,
) -> list[Record]:
    out: list[Record] = []
    for cells in grid_rows(t, *span):
        amounts = {col: cells[col] for col in columns if col < len(cells) and numeric(cells[col])}
        if not amounts:
            continue  # a header or a template row
        odd = [cells[c].text for c in columns if c < len(cells) and cells[c].span and not numeric(cells[c])]
        if odd:
            raise GoldBuildError(f"{title}: non-numeric text in an amount column: {odd}")
        code = code_of(cells, code_cells)
        label_col = project_col if code is None and project_col is not None else name_col
        label = cells[label_col]
        if code is None:
            if squeeze(label.text) not in ("合计", "总计"):
                raise GoldBuildError(f"{title}: a row with amounts but no code: {[c.text for c in cells]}")
            key = "total"
            fields = {"name": fv(squeeze(label.text), label.span)}
        else:
            key = code
            fields = {"name": fv(squeeze(cells[name_col].text), cells[name_col].span)}
            if project_col is not None and cells[project_col].span:
                key = f"{code}/{squeeze(cells[project_col].text)}"
                fields["project_name"] = fv(squeeze(cells[project_col].text), cells[project_col].span)
        for col, fname in columns.items():
            if col in amounts:
                fields[fname] = cell_field(amounts[col])
        out.append(Record(kind, key, title, UNIT, fields))
    return out


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
        "fiscal_year": fv(
            2023, text_span(t, "2023", start=t.find("第二部分")), "第二部分  2023年单位预算公开表"
        ),
        "doc_type": fv("budget", None, "derived: 2023年单位预算公开表"),
        "money_unit": fv(
            UNIT, text_span(t, "万元", start=t.find("单位：万元", t1)), "单位：万元 on every table"
        ),
    }
    recs.append(doc)

    # ---- 概况 ------------------------------------------------------------------------------------
    p0, p1 = t.find("一、主要职能"), t.find("二、机构设置及人员情况")
    functions, fspan = numbered_items(t, p0, p1, r"（[一二三四五六七八九十]+）")
    assert len(functions) == 22, len(functions)
    lst = t.find("分别是：", p1) + 4
    units, uspan = enumeration(t, lst, t.find("。", lst))
    assert len(units) == 21, len(units)
    prof = Record("department_profile", "", "概况", None)
    prof.fields = {
        "functions": fv(
            functions,
            fspan,
            "（一）…（二十二）; the opening paragraph (the bureau's status) is not a numbered duty",
        ),
        "internal_units": fv(
            units,
            uspan,
            "the 21 科室; the 派出机构 准东经济技术开发区分局 and the 事业机构 "
            "机关服务中心 listed after them are not 内设科室",
        ),
        "internal_unit_count": fv(21, number_after(t, "下设", "21", start=p1)),
        "staffing_quota": fv(116, number_after(t, "编制数", "116", start=p1)),
        "actual_staff": fv(250, number_after(t, "实有人数", "250", start=p1)),
        "in_service": fv(119, number_after(t, "在职", "119", start=p1)),
        "retired": fv(129, number_after(t, "退休", "129", start=p1)),
        "retired_cadres": fv(2, number_after(t, "离休", "2", start=p1)),
    }
    recs.append(prof)

    # ---- 表1 单位收支总体情况表: [income label, amount, `code name`, amount] ----------------------------------
    title = "单位收支总体情况表"
    for cells in grid_rows(t, *table_span(t, title, "单位收入总体情况表")):
        if len(cells) < 4:
            continue
        label, amount, spend, spend_amount = cells[:4]
        if numeric(amount) and label.text:
            key = INCOME_KEYS[squeeze(label.text)]
            recs.append(
                Record(
                    "income_summary",
                    key,
                    title,
                    UNIT,
                    {"name": fv(squeeze(label.text), label.span), "amount": cell_field(amount)},
                )
            )
        if numeric(spend_amount):
            if squeeze(spend.text) == "支出总计":
                key, name, nspan = "total", "支出总计", spend.span
            else:
                key, name, nspan = code_name(spend)
            recs.append(
                Record(
                    "expenditure_summary",
                    key,
                    title,
                    UNIT,
                    {"name": fv(name, nspan), "amount": cell_field(spend_amount)},
                )
            )

    # ---- 表2 单位收入总体情况表 (16 cells: 类 款 项 名称 总计 小计 一般 上级一般 基金 上级基金 国有 上级国有 专户 单位 结转 非财政结转)
    t2 = coded_table(
        t,
        "income_by_function",
        "单位收入总体情况表",
        table_span(t, "单位收入总体情况表", "单位支出总体情况表"),
        {
            4: "total",
            5: "fiscal_subtotal",
            6: "general_budget",
            7: "general_budget_transfer",
            8: "gov_fund",
            9: "gov_fund_transfer",
            10: "state_capital",
            11: "state_capital_transfer",
            12: "special_account",
            13: "unit_funds",
            14: "fiscal_carryover",
            15: "nonfiscal_carryover",
        },
        name_col=3,
    )
    recs += t2
    for key in ("201", "20138"):
        next(r for r in t2 if r.key == key).note = (
            "the row prints only 财政拨款(补助)小计 and 一般公共预算; its 总计 (3157.89 by its 项 rows) and its "
            "单位资金/结转 cells are blank, so they are not gold fields"
        )

    # ---- 表3 单位支出总体情况表 (类 款 项 名称 合计 基本支出 项目支出) --------------------------------------------
    split = {4: "total", 5: "basic", 6: "project"}
    recs += coded_table(
        t,
        "expenditure_by_function",
        "单位支出总体情况表",
        table_span(t, "单位支出总体情况表", "财政拨款收支预算总体情况表"),
        split,
        name_col=3,
    )

    # ---- 表4 财政拨款收支预算总体情况表: [income label, 合计, `code name`, 合计, 一般公共预算, 基金, 国有] ---------------
    title = "财政拨款收支预算总体情况表"
    for cells in grid_rows(t, *table_span(t, title, "一般公共预算支出情况表")):
        if len(cells) < 7:
            continue
        label, amount, spend = cells[0], cells[1], cells[2]
        if numeric(amount) and label.text:
            key = FISCAL_INCOME_KEYS[squeeze(label.text)]
            recs.append(
                Record(
                    "fiscal_appropriation_summary",
                    key,
                    title,
                    UNIT,
                    {"name": fv(squeeze(label.text), label.span), "total": cell_field(amount)},
                )
            )
        values = {c: cells[c] for c in (3, 4, 5, 6) if numeric(cells[c])}
        if values:
            if squeeze(spend.text) == "支出总计":
                key, name, nspan = "total", "支出总计", spend.span
            else:
                key, name, nspan = code_name(spend)
            fields = {"name": fv(name, nspan)}
            for c, fname in ((3, "total"), (4, "general_budget"), (5, "gov_fund"), (6, "state_capital")):
                if c in values:
                    fields[fname] = cell_field(values[c])
            recs.append(Record("fiscal_appropriation_summary", key, title, UNIT, fields))

    # ---- 表5 一般公共预算支出情况表 --------------------------------------------------------------------
    recs += coded_table(
        t,
        "general_budget_expenditure",
        "一般公共预算支出情况表",
        table_span(t, "一般公共预算支出情况表", "一般公共预算基本支出情况表"),
        split,
        name_col=3,
    )

    # ---- 表6 一般公共预算基本支出情况表 (类 款 名称 合计 人员经费 公用经费) ---------------------------------------------
    recs += coded_table(
        t,
        "basic_expenditure_by_economic",
        "一般公共预算基本支出情况表",
        table_span(t, "一般公共预算基本支出情况表", "一般公共预算项目支出情况表"),
        {3: "total", 4: "personnel", 5: "public"},
        name_col=2,
        code_cells=2,
    )

    # ---- 表7 一般公共预算项目支出情况表 (类 款 项 科目名称 项目名称 合计 then the ten economic classes) -------------------
    econ = (
        "wages",
        "goods_services",
        "family_subsidies",
        "debt_interest",
        "capital_construction",
        "capital",
        "enterprise_construction",
        "enterprise_subsidies",
        "social_security_fund",
        "other",
    )
    columns = {5: "total"} | {6 + i: name for i, name in enumerate(econ)}
    recs += coded_table(
        t,
        "project_expenditure",
        "一般公共预算项目支出情况表",
        table_span(t, "一般公共预算项目支出情况表", "政府性基金预算支出情况表"),
        columns,
        name_col=3,
        project_col=4,
    )

    # ---- 表8, 表9: declared empty ----------------------------------------------------------------------
    for kind, title, statement in (
        ("gov_fund_expenditure", "政府性基金预算支出情况表", "政府性基金预算支出情况表为空表"),
        ("state_capital_expenditure", "国有资本经营预算支出情况表", "国有资本经营预算支出情况表为空表"),
    ):
        a, b = table_span(t, title, "为空表")
        rows = grid_rows(t, a, b)
        assert not any(c.span and re.search(r"\d", c.text) for r in rows for c in r), title  # no amounts
        assert statement in squeeze(t), statement
        r = Record(kind, "", title, UNIT)
        r.fields["empty"] = fv(
            True, None, f"the table states it is empty (…{statement}); its grid prints no amount"
        )
        recs.append(r)

    # ---- 表10 财政拨款“三公”经费支出情况表 (内容, 合计, 一般公共预算, 基金, 国有) ---------------------------------------
    title = "财政拨款“三公”经费支出情况表"
    a, b = table_span(t, title, "第三部分")
    rows = grid_rows(t, a, b)
    tp = Record("three_public_expenses", "", title, UNIT)
    names = {
        "合计": "total",
        "因公出国（境）费": "overseas_travel",
        "公务接待费": "reception",
        "其中：公务用车购置费": "vehicle_purchase",
        "公务用车运行费": "vehicle_operation",
    }
    for i, cells in enumerate(rows):
        label = squeeze(cells[0].text)
        if label in names and len(cells) > 1 and numeric(cells[1]):
            tp.fields[names[label]] = cell_field(cells[1])
        elif label == "公务用车购置及运行费":
            # the label breaks over a non-cell line `（小计）`, which ends the row; its amounts follow as the
            # next row, whose first cell is the 合计 column
            nxt = rows[i + 1]
            assert t[cells[0].span[1] : nxt[0].span[0]].count("（小计）") == 1
            tp.fields["vehicles_total"] = fv(
                parse := cell_field(nxt[0])["value"],
                nxt[0].span,
                "label 公务用车购置及运行费（小计） broken over two lines; 合计 column",
            )
            assert parse == 30.86
    for name, e in tp.fields.items():
        if name != "vehicles_total":
            e["note"] = "合计 column (the next cell is 一般公共预算)"
    recs.append(tp)

    # ---- 情况说明 ------------------------------------------------------------------------------------
    s0 = t.find("第三部分  2023年单位预算情况说明")
    s3 = t.find("年支出预算情况说明", s0)
    nf = Record("narrative_facts", "", "情况说明", UNIT)
    nf.fields["total_budget"] = fv(
        3842.37,
        number_after(t, "收支总预算", "3842.37", start=s0),
        "printed 3842.37 in 说明一 where 表1/表2/表3 and 说明二/三 say 3867.57",
        intended=3867.57,
    )
    nf.fields["basic_expenditure"] = fv(2396.43, number_after(t, "基本支出", "2396.43", start=s3))
    nf.fields["basic_expenditure_share"] = fv(
        61.97,
        number_after(t, "占", "61.97", start=t.find("2396.43", s3)),
        "percent of 支出预算 (说明三; not a NarrativeFactsRow field); 2396.43 / 3867.57 = 61.96 %, the printed "
        "shares were made to add up to 100",
        intended=61.96,
    )
    nf.fields["project_expenditure"] = fv(1471.14, number_after(t, "项目支出", "1471.14", start=s3))
    nf.fields["project_expenditure_share"] = fv(
        38.03,
        number_after(t, "占", "38.03", start=t.find("1471.14", s3)),
        "percent of 支出预算 (说明三; not a NarrativeFactsRow field); 1471.14 / 3867.57 = 38.04 %",
        intended=38.04,
    )
    nf.fields["operating_expenses"] = fv(276.24, number_after(t, "机关运行经费财政拨款预算", "276.24"))
    nf.fields["three_public_total"] = fv(33.86, number_after(t, "“三公”经费数为", "33.86"))
    nf.fields["procurement_total"] = fv(1124.91, number_after(t, "政府采购预算", "1124.91"))
    nf.fields["procurement_goods"] = fv(143.58, number_after(t, "政府采购货物预算", "143.58"))
    nf.fields["procurement_works"] = fv(0, number_after(t, "政府采购工程预算", "0"))
    nf.fields["procurement_services"] = fv(981.33, number_after(t, "政府采购服务预算", "981.33"))
    nf.fields["sme_reserved"] = fv(
        819.80,
        number_after(t, "面向中小企业预留政府采购项目预算金额", "819.80"),
        "面向中小企业预留 819.80 万元, of which 面向小微企业 320.10 万元",
    )
    nf.fields["vehicles"] = fv(16, number_after(t, "2.车辆", "16"))
    pp = t.find("（四）预算绩效情况")
    nf.fields["performance_projects"] = fv(
        18,
        number_after(t, "财政拨款项目", "18", start=pp),
        "财政拨款项目 18 个 (plus 非财政拨款项目 2 个, 66.00 万元)",
    )
    nf.fields["performance_amount"] = fv(
        1365.00,
        number_after(t, "涉及预算金额", "1365.00", start=pp),
        "涉及预算金额 of the 18 财政拨款 projects",
    )
    recs.append(nf)

    # ---- the document's own contradictions -------------------------------------------------------------
    for col in ("fiscal_subtotal", "general_budget"):
        amend(
            recs,
            f"income_by_function/total/{col}",
            intended=3615.23,
            note="合计 printed 3615.22; the 类 rows sum to 3615.23, as 表1/表4/表5 print",
        )
    for col in ("total", "basic"):
        amend(
            recs,
            f"general_budget_expenditure/2101102/{col}",
            intended=10.66,
            note="表5 prints 10.65 (so does 说明五); 表2/表3 print 10.66 and 21011's 115.62 needs 10.66",
        )
    gap = "rounding gap of 0.01: the rows under {k} sum to {s} (each rounded on its own)"
    for kind, cols in (
        ("income_by_function", ("total", "fiscal_subtotal", "general_budget")),
        ("expenditure_by_function", ("total", "basic")),
        ("general_budget_expenditure", ("total", "basic")),
    ):
        for col in cols:
            amend(
                recs, f"{kind}/20805/{col}", note=gap.format(k="20805", s="363.28 (41.04 + 214.83 + 107.41)")
            )
    for key, col, kids in (
        ("301", "total", "1971.68"),
        ("301", "personnel", "1971.68"),
        ("302", "total", "276.25"),
        ("302", "public", "276.25"),
    ):
        amend(recs, f"basic_expenditure_by_economic/{key}/{col}", note=gap.format(k=key, s=kids))
    amend(
        recs,
        "basic_expenditure_by_economic/total/personnel",
        note="rounding gap of 0.01: 301 + 303 = 1971.69 + 143.30 = 2114.99; the 合计 row prints 2114.98 "
        "(说明六 too) while its 合计 2391.23 = 2114.99 + 276.24",
    )

    document = {
        "sha256": sha256(STEM),
        "source": f"{STEM}.txt",
        "unit_name": UNIT_NAME,
        "fiscal_year": 2023,
        "doc_type": "budget",
        "money_unit": UNIT,
    }
    return document, recs


if __name__ == "__main__":
    document, records = build()
    write(STEM, document, records)
    print(f"{STEM}: {len(records)} records")
