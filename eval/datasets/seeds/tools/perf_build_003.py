"""Build the performance gold of seed 003 (昌吉州市场监督管理局 2020 项目支出绩效自评表 ×23).

Word export, one cell per line. Each 自评表:
    项目支出绩效自评表 / （2020年度） / 项目名称 X / 主管部门 X 实施单位 X /
    项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
        年度资金总额 / 其中：当年财政拨款 / 上年结转资金 / 其他资金 (one row each)
    年度总体目标 | 预期目标 | 实际完成情况  + one row with the two texts
    绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施
    one row per indicator (一级 printed with its points, 产出指标50分; 一级/二级 blank below)
    总分 | 100 | <total> |

Records (conventions of extractor/parsers/self_evaluation.py): one `performance_self_evaluation`
per table (money from the 年度资金总额 row; `weight`/`score` are that row's 分值/得分;
`total_score` the 得分 of the 总分 row) and one `self_evaluation_indicator` per row. 一级 values
drop the points suffix (产出指标, span on those characters); the points stay in the text right
after the span, where tests/test_gold_performance.py reads them.

    .venv/bin/python eval/datasets/seeds/tools/perf_build_003.py
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent))

import perf_grid  # noqa: E402
from perf_common import (  # noqa: E402
    DOCS,
    GOLD_SRC,
    fv,
    parse_target,
    read_doc,
    record,
    text_field,
    unique_keys,
    write_gold,
)

STEM = "003_a600ae6adceb5138"
TITLE = "项目支出绩效自评表"
_NUM = re.compile(r"\d+(?:\.\d+)?")
_LEVEL1 = re.compile(r"^(?P<name>[^\d]+?)(?P<points>\d+)分$")
MONEY_HEAD = ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
IND_HEAD = ["绩效指标", "一级指标", "二级指标", "三级指标", "年度", "实际", "分值", "得分", "偏差原因分析及改进措施"]

# Corrections of a value the document prints wrong, as (record key, field) → (intended, note).
# The relation checks (tests/test_gold_performance.py) find none in this document: every 总分, 执行率,
# weight total and cost total holds as printed.
INTENDED: dict[tuple[str, str], tuple[Any, str]] = {}
# Places where two printed statements of the same quantity disagree and the document does not say
# which is meant: a note only, no `intended`. (record key, field) → note.
NOTES: dict[tuple[str, str], str] = {
    ("综合大楼管理经费/保障大楼内水电暖正常运转，开展日常维修维护次数。", "actual"):
        "contradiction: 实际完成情况 of the same table says 开展日常维修维护次数10次; the row prints 13次",
    ("知识产权管理与综合执法经费/案件办结率", "actual"):
        "contradiction: 实际完成情况 of the same table says 案件办结率达到90%; the row prints 100%",
}


def number_in(text: str, cell: perf_grid.Cell) -> dict[str, Any] | None:
    """The number printed in a cell (9.8分, 98.66%, 5万元), span on its digits; None for —/blank."""
    m = _NUM.search(text, cell.start, cell.end)
    if m is None:
        return None
    return cast(dict[str, Any], fv(float(m.group()), m.span()))


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
    records: list[dict[str, Any]] = []
    tables = split_tables(perf_grid.rows(text))
    assert len(tables) == 23, len(tables)
    for rows in tables:
        year, name_row, owner_row, money_head, total_row = rows[0:5]
        assert year[0].compact == "（2020年度）"
        assert name_row[0].compact == "项目名称" and len(name_row) == 2
        assert [c.compact for c in owner_row][::2] == ["主管部门", "实施单位"] and len(owner_row) == 4
        assert [c.compact for c in money_head] == MONEY_HEAD, money_head
        assert total_row[1].compact == "年度资金总额" and len(total_row) == 8
        i = 5
        while rows[i][0].compact != "年度总体目标":
            assert rows[i][1].compact in ("其中：当年财政拨款", "上年结转资金", "其他资金"), rows[i]
            i += 1
        assert [c.compact for c in rows[i]] == ["年度总体目标", "预期目标", "实际完成情况"]
        goals = rows[i + 1]
        assert len(goals) == 3 and goals[0].compact == ""
        assert [c.compact for c in rows[i + 2]] == IND_HEAD, rows[i + 2]
        assert [c.compact for c in rows[i + 3]][4:6] == ["指标值", "完成值"]
        name = name_row[1]
        key = name.compact
        f: dict[str, Any] = {
            "project_name": text_field(text, (name.start, name.end)),
            "authority": text_field(text, (owner_row[1].start, owner_row[1].end)),
            "implementer": text_field(text, (owner_row[3].start, owner_row[3].end)),
        }
        for field, cell in zip(
            ("budget_initial", "budget_full_year", "executed", "weight", "execution_rate", "score"),
            total_row[2:8],
            strict=True,
        ):
            v = number_in(text, cell)
            if v is not None:
                f[field] = v
        f["goal_planned"] = text_field(text, (goals[1].start, goals[1].end))
        f["goal_actual"] = text_field(text, (goals[2].start, goals[2].end))
        level1 = level2 = None
        indicators: list[dict[str, Any]] = []
        total = None
        for row in rows[i + 4 :]:
            if not any(c.compact for c in row):
                continue  # an empty paragraph between tables
            if row[0].compact == "总分":
                assert len(row) == 4 and row[1].compact == "100", row
                total = number_in(text, row[2])
                continue
            assert total is None, "a row after 总分"
            assert len(row) >= 9 and row[0].compact == "" and not any(c.compact for c in row[9:]), [c.text for c in row]
            if row[1].compact:
                level1 = row[1]
            if row[2].compact:
                level2 = row[2]
            assert level1 is not None and level2 is not None
            m = _LEVEL1.match(level1.compact)
            assert m is not None, level1.compact
            l1_span = (level1.start, level1.start + len(m.group("name")))
            assert text[l1_span[0] : l1_span[1]] == m.group("name")
            ind_name, target, actual, weight, score, reason = row[3:9]
            g: dict[str, Any] = {
                "project_name": text_field(text, (name.start, name.end)),
                "level1": text_field(text, l1_span),
                "level2": text_field(text, (level2.start, level2.end)),
                "name": text_field(text, (ind_name.start, ind_name.end)),
            }
            if target.compact:
                g.update(parse_target(text, (target.start, target.end)))
            if actual.compact:
                g["actual"] = text_field(text, (actual.start, actual.end))
            for field, cell in (("weight", weight), ("score", score)):
                v = number_in(text, cell)
                assert v is not None or not cell.compact, cell
                if v is not None:
                    g[field] = v
            if reason.compact:
                g["deviation_reason"] = text_field(text, (reason.start, reason.end))
            indicators.append(record("self_evaluation_indicator", f"{key}/{ind_name.compact}", TITLE, "万元", g))
        assert total is not None
        f["total_score"] = total
        for (k, field), (intended, note) in INTENDED.items():
            if k == key and field in f:
                f[field]["intended"] = intended
                f[field]["note"] = note
        records.append(record("performance_self_evaluation", key, TITLE, "万元", f))
        records.extend(indicators)
    unique_keys(records)
    by_key = {r["key"]: r for r in records}
    for (k, field), note in NOTES.items():
        by_key[k]["fields"][field]["note"] = note
    return records


def header() -> dict[str, Any]:
    raw = (DOCS / f"{STEM}.txt").read_bytes()
    return {
        "document": {
            "sha256": hashlib.sha256(raw).hexdigest(),
            "source": f"{STEM}.txt",
            "unit_name": "昌吉回族自治州市场监督管理局",
            "fiscal_year": 2020,
            "doc_type": "performance_self_evaluation",
            "money_unit": "万元",
        },
        "doc": f"docs/{STEM}.txt",
        "note": "no title page: unit_name is the 实施单位 printed in every table, fiscal_year the （2020年度） under each title",
    }


if __name__ == "__main__":
    recs = build()
    print(write_gold(STEM, recs), len(recs), "records")
    (GOLD_SRC / f"{STEM}.header.json").write_text(json.dumps(header(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
