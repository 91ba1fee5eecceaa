"""Build the performance gold of seed 002 (巴州市场监督管理局 2022 部门（单位）整体支出绩效目标表).

Tab-separated rows. The document is one 整体 table:
    部门（单位）名称 | 新疆巴州市场监督管理局
    任务名称 | 主要内容 | 预算金额（万元）: 总额 | 财政拨款 | 其他资金      (8 task rows; the merged
        label 年度主要任务 spilled as "年" on a line of its own and "度 主 要 任 务" in the first
        cell of the fifth task row)
    **年度总体目标**  目标1 … 目标5 (paragraphs)
    一级指标 | 二级指标 | 三级指标 | 指标值       (72 rows; 一级 "产出指标" spilled on a line of its
        own in the middle of its rows, "年 / 度绩效指标" likewise)

Records (conventions of extractor/parsers/performance.py): the table record, key = the unit name,
budget fields = sums of the tasks (the table prints no total: span null, noted); one
`performance_target` per task, key `<unit>/<task name>`; one `performance_indicator` per row.

    .venv/bin/python eval/datasets/seeds/tools/perf_build_002.py
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from perf_common import (  # noqa: E402
    DOCS,
    GOLD_SRC,
    compact,
    fv,
    number_field,
    parse_target,
    read_doc,
    record,
    text_field,
    unique_keys,
    write_gold,
)

STEM = "002_36c23adddff5d972"
TITLE = "部门（单位）整体支出绩效目标表"


def lines_with_offsets(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def cells(offset: int, line: str) -> list[tuple[str, int, int]]:
    """Tab-separated cells of a line: (text stripped, start, end)."""
    out, pos = [], offset
    for part in line.split("\t"):
        lead = len(part) - len(part.lstrip())
        s = part.strip()
        start = pos + lead if s else pos
        out.append((s, start, start + len(s)))
        pos += len(part) + 1
    return out


def build() -> list[dict[str, Any]]:
    text = read_doc(STEM)
    lines = lines_with_offsets(text)
    by_no = {i + 1: item for i, item in enumerate(lines)}  # 1-based line numbers

    unit_cells = cells(*by_no[6])
    assert unit_cells[0][0] == "部门（单位）名称" and unit_cells[2][0] == "新疆巴州市场监督管理局"
    unit_name, us, ue = unit_cells[2]
    records: list[dict[str, Any]] = []

    # tasks: lines 9-12 (5 cells) and 16-19 (first cell: spilled label or blank)
    tasks: list[dict[str, Any]] = []
    for no in (9, 10, 11, 12, 16, 17, 18, 19):
        c = cells(*by_no[no])
        if no >= 16:
            assert c[0][0] in ("", "度 主 要 任 务"), c[0]
            c = c[1:]
        assert len(c) == 5, (no, c)
        name, content, total, fiscal, other = c
        f: dict[str, Any] = {
            "project_name": text_field(text, name[1:]),
            "budget_total": number_field(text, total[1:]),
        }
        if fiscal[0]:
            f["budget_fiscal"] = number_field(text, fiscal[1:])
        if other[0]:
            f["budget_other"] = number_field(text, other[1:])
        f["overall_goal"] = text_field(text, content[1:])
        tasks.append(record("performance_target", f"{unit_name}/{compact(name[0])}", TITLE, "万元", f))

    # 年度总体目标: lines 23..31 (目标1 … 目标5)
    g_start = by_no[23][0]
    g_end = by_no[31][0] + len(by_no[31][1].rstrip())
    assert by_no[21][1].strip() == "**年度总体目标**" and by_no[23][1].startswith("目标1") and by_no[31][1].startswith("目标5")

    def total_of(name: str) -> float:
        return round(sum(t["fields"].get(name, {}).get("value") or 0 for t in tasks), 2)

    derived = "derived: sum over the 8 tasks; the table prints no total"
    head = {
        "project_name": fv(unit_name, (us, ue)),
        "budget_total": fv(total_of("budget_total"), None, note=derived),
        "budget_fiscal": fv(total_of("budget_fiscal"), None, note=derived),
        "budget_other": fv(total_of("budget_other"), None, note=derived),
        "overall_goal": text_field(text, (g_start, g_end)),
    }
    records.append(record("performance_target", unit_name, TITLE, "万元", head))
    records.extend(tasks)

    # indicators
    assert [c[0] for c in cells(*by_no[33])] == ["一级指标", "二级指标", "三级指标", "指标值"]
    spilled_output = cells(*by_no[46])[0]
    assert spilled_output[0] == "产出指标"
    level1 = spilled_output  # spans rows 34-103 (lines 34-44, 48-72, 78-100, 102-103)
    level2: tuple[str, int, int] | None = None
    row_lines = [n for n in range(34, 115) if by_no[n][1].strip() and n not in (46, 74, 76)]
    for no in row_lines:
        c = cells(*by_no[no])
        note_l1 = None  # 一级 产出指标: merged cell spilled on line 46, span there (see README)
        f = {"project_name": fv(unit_name, (us, ue))}
        name_note = target_note = None
        if no <= 103:
            if len(c) == 4:
                assert c[0][0] == "", (no, c)
                c = c[1:]
            assert len(c) == 3, (no, c)
            l1, l1_note = level1, note_l1
            l2, name, target = c
        elif no == 110:
            # "⇥满意度指标⇥满意度指标⇥市场监管系统参训人员满意度": the row is shifted one cell to
            # the right and prints no 指标值
            assert [x[0] for x in c] == ["", "满意度指标", "满意度指标", "市场监管系统参训人员满意度"], c
            l1, l2, name, target = c[1], c[2], c[3], None
            l1_note = None
            target_note = "row printed shifted one cell right: no 指标值 printed for this indicator"
        else:
            assert len(c) == 4, (no, c)
            if c[0][0]:
                level1 = c[0]
            l1, l1_note = level1, None
            l2, name, target = c[1], c[2], c[3]
            if not l2[0]:
                assert level2 is not None
                l2 = level2
        level2 = l2
        f["level1"] = text_field(text, l1[1:], note=l1_note)
        f["level2"] = text_field(text, l2[1:])
        f["name"] = text_field(text, name[1:], note=name_note)
        if target is not None:
            f.update(parse_target(text, target[1:]))
        else:
            f["target"] = fv(None, None, note=target_note)
        records.append(record("performance_indicator", f"{unit_name}/{compact(name[0])}", TITLE, "万元", f))
    unique_keys(records)
    return records


def header() -> dict[str, Any]:
    raw = (DOCS / f"{STEM}.txt").read_bytes()
    return {
        "document": {
            "sha256": hashlib.sha256(raw).hexdigest(),
            "source": f"{STEM}.txt",
            "unit_name": "新疆巴州市场监督管理局",
            "fiscal_year": 2022,
            "doc_type": "performance_targets",
            "money_unit": "万元",
        },
        "doc": f"docs/{STEM}.txt",
        "note": "unit_name as printed in 部门（单位）名称; fiscal_year from (2022年) under the title",
    }


if __name__ == "__main__":
    recs = build()
    print(write_gold(STEM, recs), len(recs), "records")
    (GOLD_SRC / f"{STEM}.header.json").write_text(json.dumps(header(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
