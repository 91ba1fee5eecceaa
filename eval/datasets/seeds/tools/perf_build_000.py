"""Build the performance gold of seed 000 (昌吉州市场监督管理局 2023 单位预算): its 项目支出绩效目标表.

Word export, one cell per line: each table is
    项目支出绩效目标表 / (2023年) / 预算单位 X / 项目名称 X 项目负责人 X /
    项目资金（万元） 年度预算总额： X 其中：财政拨款 X 其他资金： X / 项目总体目标 X /
    一级指标 二级指标 三级指标 指标值 指标值设置依据 上年完成值 指标分值权重 指标赋分规则 佐证资料 /
    one row of 9 cells per indicator (一级/二级 printed on the first row of a merged cell, blank below).

The reader asserts the shape of every row, so a table that does not fit stops the build instead of
producing silent gold. Every value is then read by a person against the text (see README).

    .venv/bin/python eval/datasets/seeds/tools/perf_build_000.py
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import perf_grid  # noqa: E402
from perf_common import number_field, parse_target, read_doc, record, text_field, unique_keys, write_gold  # noqa: E402

STEM = "000_335c3f7f451f52b5"
TITLE = "项目支出绩效目标表"
HEADER = ["一级指标", "二级指标", "三级指标", "指标值", "指标值设置依据", "上年完成值", "指标分值权重", "指标赋分规则", "佐证资料"]


# Places where the document contradicts itself and does not say what is meant: a note only.
# (record key, field) → note.
NOTES: dict[tuple[str, str], str] = {
    ("执法办案及其他业务保障经费", "overall_goal"):
        "copy of 自治区药品抽检经费's goal (药品知识竞赛): this table's indicators and the 说明 "
        "(执法办案21.00万元 + 网络交易平台与短视频直播平台监管45.00万元) describe another project",
    ("知识产权管理与综合执法经费/知识产权侵权案件结案率", "target"):
        "contradiction: the table's 项目总体目标 says 结案率达到85%以上; the row prints >=90%",
}


def split_tables(rows: list[list[perf_grid.Cell]]) -> list[list[list[perf_grid.Cell]]]:
    tables: list[list[list[perf_grid.Cell]]] = []
    for row in rows:
        if len(row) == 1 and row[0].compact == TITLE:
            tables.append([])
        elif tables:
            tables[-1].append(row)
    return tables


def build() -> list[dict[str, Any]]:
    text = read_doc(STEM)
    start = text.index("项  目  支  出  绩  效  目  标  表")
    end = text.index("（五）其他需说明的事项")
    records: list[dict[str, Any]] = []
    for rows in split_tables(perf_grid.rows(text, start, end)):
        assert [c.compact for c in rows[0]] == ["(2023年)"], rows[0]
        unit_row, name_row, money_row, goal_row, head_row = rows[1:6]
        assert [c.compact for c in unit_row][0] == "预算单位" and len(unit_row) == 2
        assert [c.compact for c in name_row][::2] == ["项目名称", "项目负责人"] and len(name_row) == 4
        assert [c.compact for c in money_row][::2] == ["项目资金（万元）", "其中：财政拨款"] or True
        labels = [c.compact for c in money_row]
        assert labels[0] == "项目资金（万元）" and labels[1] == "年度预算总额：" and labels[3] == "其中：财政拨款" and labels[5] == "其他资金：", labels
        assert goal_row[0].compact == "项目总体目标" and len(goal_row) == 2
        assert [c.compact for c in head_row] == HEADER, head_row
        name_cell = name_row[1]
        key = name_cell.compact
        head = {
            "project_name": text_field(text, (name_cell.start, name_cell.end)),
            "owner": text_field(text, (unit_row[1].start, unit_row[1].end)),
            "budget_total": number_field(text, (money_row[2].start, money_row[2].end)),
            "budget_fiscal": number_field(text, (money_row[4].start, money_row[4].end)),
            "budget_other": number_field(text, (money_row[6].start, money_row[6].end)),
            "overall_goal": text_field(text, (goal_row[1].start, goal_row[1].end)),
        }
        records.append(record("performance_target", key, TITLE, "万元", head))
        level1: perf_grid.Cell | None = None
        level2: perf_grid.Cell | None = None
        for row in rows[6:]:
            if not any(c.compact for c in row):
                continue  # an empty paragraph between tables
            assert len(row) == 9, [c.text for c in row]
            if row[0].compact:
                level1 = row[0]
            if row[1].compact:
                level2 = row[1]
            assert level1 is not None and level2 is not None
            name, target, basis, last, weight, rule, evidence = row[2:]
            f: dict[str, Any] = {
                "project_name": text_field(text, (name_cell.start, name_cell.end)),
                "level1": text_field(text, (level1.start, level1.end)),
                "level2": text_field(text, (level2.start, level2.end)),
                "name": text_field(text, (name.start, name.end)),
            }
            f.update(parse_target(text, (target.start, target.end)))
            f["basis"] = text_field(text, (basis.start, basis.end))
            f["last_year"] = text_field(text, (last.start, last.end))
            f["weight"] = number_field(text, (weight.start, weight.end))
            f["scoring_rule"] = text_field(text, (rule.start, rule.end))
            f["evidence"] = text_field(text, (evidence.start, evidence.end))
            records.append(record("performance_indicator", f"{key}/{name.compact}", TITLE, "万元", f))
    unique_keys(records)
    by_key = {r["key"]: r for r in records}
    for (k, field), note in NOTES.items():
        by_key[k]["fields"][field]["note"] = note
    return records


if __name__ == "__main__":
    recs = build()
    print(write_gold(STEM, recs), len(recs), "records")
