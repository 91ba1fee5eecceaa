"""Deterministic parser of 项目支出绩效自评表 — backend `rules`.

``parse_self_evaluations(text, start, end)`` returns, for every 自评表 in ``text[start:end]``:

* one ``performance_self_evaluation`` record, key = the project name as printed (whitespace removed):
  ``project_name``, ``authority`` (主管部门), ``implementer`` (实施单位); from the 年度资金总额 row
  ``budget_initial`` (年初预算数), ``budget_full_year`` (全年预算数), ``executed`` (全年执行数),
  ``weight`` (分值), ``execution_rate`` (执行率, percent), ``score`` (得分); ``goal_planned`` /
  ``goal_actual`` (年度总体目标: 预期目标 / 实际完成情况); ``total_score`` (the 得分 of the 总分 row);
* one ``self_evaluation_indicator`` record per indicator row, key ``<project>/<三级指标>``:
  level1, level2 (carried down over merged cells; a points suffix such as ``产出指标50分`` is dropped
  from the value), name, target (+ operator, value, unit), actual, weight, score, deviation_reason.

Grids (Word cell-per-line and tab-separated exports) are read by column; in PDF text the 年度资金总额
row is read as the sequence of numbers after its label, in the header's column order (flagged
``uncertain_layout`` when the count does not match), and the indicator rows are not read.
"""

from __future__ import annotations

import re

from extractor.model import FieldValue, Record
from extractor.parsers import perf_grid
from extractor.parsers.perf_grid import Row
from extractor.parsers.perf_grid_rows import grid_indicator_rows
from extractor.parsers.perf_stream import Frag
from extractor.parsers.perf_stream_selfeval import parse_self_eval_rows
from extractor.parsers.perf_tables import TableSpan, money_unit, read_label_block
from extractor.parsers.perf_text import (
    Compact,
    joined_field,
    level_field,
    number_field,
    numeric_cell,
    parse_target,
    text_field,
)
from extractor.parsers.performance import indicator_records, ordered, region_tables, unique_keys

_MONEY_COLUMNS: list[tuple[str, str]] = [
    ("年初预算数", "budget_initial"),
    ("全年预算数", "budget_full_year"),
    ("全年执行数", "executed"),
    ("执行率", "execution_rate"),
    ("得分", "score"),
    ("分值", "weight"),
]
_TOTAL_ROW = re.compile(r"^(?:年度资金总额|资金总额|合计|总计)")
_NUMBER = re.compile(r"(?<![\d.])\d[\d,]*(?:\.\d+)?")


def parse_self_evaluations(text: str, start: int, end: int) -> list[Record]:
    start, end = max(0, start), min(len(text), end)
    if start >= end:
        return []
    records: list[Record] = []
    for t in region_tables(text, start, end, "项目支出绩效自评表"):
        if t.is_self_evaluation:
            records.extend(parse_self_evaluation_table(text, t))
    return unique_keys(records)


def _money_role(cell_text: str) -> str | None:
    for word, role in _MONEY_COLUMNS:
        if word in cell_text:
            return role
    return None


def parse_self_evaluation_table(text: str, t: TableSpan) -> list[Record]:
    compact = Compact.of(text, t.start, t.end)
    money_at = compact.text.find("年初预算数")
    if money_at < 0:
        money_at = compact.text.find("项目资金")
    block_end = money_at if money_at >= 0 else len(compact.text)
    labels = read_label_block(text, compact, 0, block_end)
    name = labels.get("project_name")
    if name is None:
        return []
    key = str(name.value).replace(" ", "")
    unit = money_unit(compact.text[:block_end])
    fields: dict[str, FieldValue] = {"project_name": name}
    if "owner" in labels:
        fields["authority"] = labels["owner"]
    if "implementer" in labels:
        fields["implementer"] = labels["implementer"]

    layout = perf_grid.detect_layout(text, t.start, t.end)
    indicators: list[dict[str, FieldValue]] = []
    if layout != "stream":
        rows = perf_grid.grid_rows(layout, text, t.start, t.end)
        fields.update(_grid_money(text, rows))
        fields.update(_grid_goals(text, rows))
        total = _grid_total(text, rows)
        if total is not None:
            fields["total_score"] = total
        indicators = grid_indicator_rows(text, rows, stop_words=("总分", "合计"))
    else:
        fields.update(_stream_money(text, compact))
        total = _stream_total(text, compact)
        if total is not None:
            fields["total_score"] = total
        indicators = _stream_indicators(text, t)

    head = Record(
        "performance_self_evaluation", key, t.title, unit, ordered("performance_self_evaluation", fields)
    )
    return [head, *indicator_records("self_evaluation_indicator", key, t, unit, name, indicators)]


def _grid_money(text: str, rows: list[Row]) -> dict[str, FieldValue]:
    """The 年度资金总额 row under the 年初预算数 | 全年预算数 | ... header."""
    h = next((i for i, r in enumerate(rows) if sum(1 for c in r if _money_role(c.text)) >= 3), None)
    if h is None:
        return {}
    header = rows[h]
    roles = [_money_role(c.text) for c in header]
    out: dict[str, FieldValue] = {}
    for row in rows[h + 1 : h + 6]:
        first = next((c.text for c in row if c.text), "")
        if not _TOTAL_ROW.match(first):
            continue
        cells, padded = perf_grid.align(row, len(header))
        for role, c in zip(roles, cells, strict=True):
            if role is None or c.blank:
                continue
            extra = ("uncertain_layout",) if padded else ()
            fv = numeric_cell(text, c.start, c.end, *extra)
            if fv is not None:
                out[role] = fv
        break
    return out


def _grid_goals(text: str, rows: list[Row]) -> dict[str, FieldValue]:
    """年度总体目标: the row under the 预期目标 | 实际完成情况 header."""
    for i, r in enumerate(rows):
        texts = [c.text for c in r]
        if not any("预期目标" in x for x in texts):
            continue
        plan = next(k for k, x in enumerate(texts) if "预期目标" in x)
        done = next((k for k, x in enumerate(texts) if "实际完成" in x), None)
        if i + 1 >= len(rows):
            return {}
        cells, _ = perf_grid.align(rows[i + 1], len(r))
        out: dict[str, FieldValue] = {}
        fv = text_field(text, cells[plan].start, cells[plan].end)
        if fv is not None:
            out["goal_planned"] = fv
        if done is not None:
            fv = text_field(text, cells[done].start, cells[done].end)
            if fv is not None:
                out["goal_actual"] = fv
        return out
    return {}


def _grid_total(text: str, rows: list[Row]) -> FieldValue | None:
    """总分 row: ``总分 | 100 | 97.2``: the 分值 total then the 得分 total (the last number)."""
    for r in rows:
        first = next((c.text for c in r if c.text), "")
        if first != "总分":
            continue
        nums = [fv for c in r if (fv := number_field(text, c.start, c.end)) is not None]
        if not nums:
            return None
        fv = nums[-1]
        if len(nums) == 1:
            fv.add_reason("uncertain_layout")
        return fv
    return None


def _stream_money(text: str, compact: Compact) -> dict[str, FieldValue]:
    """PDF text: the numbers after 年度资金总额, in the order the header prints its columns."""
    total_at = compact.text.find("年度资金总额")
    head_at = compact.text.find("年初预算数")
    if total_at < 0 or head_at < 0 or head_at > total_at:
        return {}
    head = compact.text[head_at:total_at]
    order = sorted(
        ((head.find(word), role) for word, role in _MONEY_COLUMNS if word in head),
        key=lambda x: x[0],
    )
    roles = [role for _, role in order]
    nxt = compact.text.find("其中", total_at)
    s = compact.doc_end(total_at + len("年度资金总额"))
    e = compact.doc_start(nxt) if nxt >= 0 else compact.doc_end(len(compact.text))
    tokens = list(_NUMBER.finditer(text, s, e))
    pairs: list[tuple[str, re.Match[str]]] = list(zip(roles, tokens, strict=False))
    if len(tokens) != len(roles) and "execution_rate" in roles:
        # blank cells are not printed: the 执行率 (the number followed by %) splits the row, the
        # columns on its left are right-aligned, those on its right left-aligned
        k = next((i for i, m in enumerate(tokens) if text[m.end() : m.end() + 1] in ("%", "％")), None)
        if k is not None:
            r = roles.index("execution_rate")
            left = list(zip(reversed(roles[:r]), reversed(tokens[:k]), strict=False))
            right = list(zip(roles[r + 1 :], tokens[k + 1 :], strict=False))
            pairs = [*reversed(left), (roles[r], tokens[k]), *right]
    unsure = len(tokens) != len(roles)
    out: dict[str, FieldValue] = {}
    for role, m in pairs:
        fv = number_field(text, m.start(), m.end(), *(("uncertain_layout",) if unsure else ()))
        if fv is not None:
            out[role] = fv
    return out


def _stream_total(text: str, compact: Compact) -> FieldValue | None:
    """总分 100 97.2: the last of the numbers printed right after 总分."""
    at = compact.text.rfind("总分")
    if at < 0:
        return None
    s = compact.doc_end(at + 2)
    nums = []
    for m in _NUMBER.finditer(text, s, min(len(text), s + 40)):
        if text[s : m.start()].strip(" \t\r\n\f\u3000分"):
            break
        nums.append(m)
        s = m.end()
    if not nums:
        return None
    fv = number_field(text, nums[-1].start(), nums[-1].end())
    if fv is not None and len(nums) == 1:
        fv.add_reason("uncertain_layout")
    return fv


def _stream_indicators(text: str, t: TableSpan) -> list[dict[str, FieldValue]]:
    out: list[dict[str, FieldValue]] = []
    for r in parse_self_eval_rows(text, t.start, t.end):
        core = r.core
        fields: dict[str, FieldValue] = {}
        for role, frag, carried in (
            ("level1", core.level1, core.level1_carried),
            ("level2", core.level2, core.level2_carried),
        ):
            if frag is None:
                continue
            extra = ("carried_down",) if carried else ()
            if len(frag.pieces) == 1:
                fv = level_field(text, frag.pieces[0][0], frag.pieces[0][1], *extra)
            else:
                fv = joined_field(text, frag.pieces, *extra)
            if fv is not None:
                fields[role] = fv
        name = _frags(text, core.name, "name" in core.uncertain)
        if name is None:
            continue
        fields["name"] = name
        fields.update(parse_target(text, [p for f in core.target for p in f.pieces]))
        actual = _frags(text, r.actual, False)
        if actual is not None:
            fields["actual"] = actual
        for role, frag in (("weight", core.weight), ("score", r.score)):
            if frag is not None:
                fv = number_field(text, frag.start, frag.pieces[-1][1])
                if fv is not None:
                    fields[role] = fv
        dev = _frags(text, r.deviation, "deviation_reason" in core.uncertain)
        if dev is not None:
            fields["deviation_reason"] = dev
        out.append(fields)
    return out


def _frags(text: str, frags: list[Frag], uncertain: bool) -> FieldValue | None:
    if not frags:
        return None
    return joined_field(
        text, [p for f in frags for p in f.pieces], *(("uncertain_layout",) if uncertain else ())
    )
