"""Deterministic parser of 绩效目标表 (项目支出绩效目标表, 部门/单位整体绩效目标表) — backend `rules`.

``parse_performance_targets(text, start, end)`` returns, for every target table found in
``text[start:end]``:

* one ``performance_target`` record: key = the project name as printed (whitespace removed); for a
  部门/单位整体 table the unit's name (``部门整体`` if none is printed). Fields ``project_name``,
  ``owner`` (预算单位/预算部门/主管部门/实施单位; not set on 整体 tables, whose subject is the unit
  itself), ``budget_total``, ``budget_fiscal``, ``budget_other``, ``overall_goal``.
  Where a 整体 table prints its funds by source only (财政资金: 上级安排 + 本级安排, 其他资金), the
  fiscal amount and the total are derived (span None, reason ``derived:...``).
* for a 部门整体 table listing 年度主要任务 with their own budgets (seed 002): one more
  ``performance_target`` record per task, key ``<unit>/<task name>``, with the task's 总额/财政拨款/
  其他资金 and its 主要内容 as ``overall_goal``; the table-level record's budget fields are then the
  sums of the tasks (derived: the table prints no total). Keeping the tasks as records of the same kind
  lets the validators tie each task to the project tables and the sums to the table total.
* one ``performance_indicator`` record per indicator row: key ``<project key>/<三级指标>`` (``#2``,
  ``#3`` appended when a name repeats in a table). level1/level2 printed once for a merged cell are
  carried down (reason ``carried_down``); a merged label spilled onto a line of its own in the middle
  of its rows (002) is spread over the rows it spans (``merged_cell_spilled``).

Layouts: cell-per-line Word exports and tab-separated rows are read as grids (`perf_grid`); PDF text
is read as a fragment stream (`perf_stream`). Values whose place in the table could not be decided
carry ``uncertain_layout``. Spans are absolute offsets into `text`.
"""

from __future__ import annotations

from extractor.model import FieldValue, Record
from extractor.parsers import perf_grid, perf_stream
from extractor.parsers.perf_grid_rows import grid_indicator_rows
from extractor.parsers.perf_tables import TableSpan, find_tables, money_unit, read_label_block, split_untitled
from extractor.parsers.perf_text import (
    Compact,
    clean_text,
    copy_field,
    derived_field,
    indicator_header_at,
    joined_field,
    number_field,
    parse_target,
    text_field,
)
from schemas.kinds import kind_field_names

_BUDGET = ("budget_total", "budget_fiscal", "budget_other")


def parse_performance_targets(
    text: str, start: int, end: int, *, title: str = "项目支出绩效目标表"
) -> list[Record]:
    start, end = max(0, start), min(len(text), end)
    if start >= end:
        return []
    tables = region_tables(text, start, end, title)
    records: list[Record] = []
    for t in tables:
        if not t.is_self_evaluation:
            records.extend(parse_target_table(text, t))
    return unique_keys(records)


def region_tables(text: str, start: int, end: int, title: str) -> list[TableSpan]:
    """The tables of a region; text before the first title that looks like a table (the caller's
    region may begin below the title) is a table of the caller's `title`."""
    tables = find_tables(text, start, end)
    head_end = tables[0].start if tables else end
    if head_end > start:
        head = Compact.of(text, start, head_end).text
        if "一级指标" in head or ("年初预算数" in head and "项目名称" in head):
            name = clean_text(title).replace(" ", "")
            tables[:0] = split_untitled(
                text, TableSpan(title=name, title_start=start, start=start, end=head_end)
            )
    return tables


def unique_keys(records: list[Record]) -> list[Record]:
    seen: dict[tuple[str, str], int] = {}
    for r in records:
        k = (r.kind, r.key)
        if k in seen:
            seen[k] += 1
            r.key = f"{r.key}#{seen[k]}"
        else:
            seen[k] = 1
    return records


def parse_target_table(text: str, t: TableSpan) -> list[Record]:
    compact = Compact.of(text, t.start, t.end)
    ind_at = indicator_header_at(compact.text)
    block_end = ind_at if ind_at >= 0 else len(compact.text)
    task_at = compact.text.find("任务名称", 0, block_end)
    # a task table (任务名称 | 主要内容 | 总额 | 财政拨款 | 其他资金) prints budget words as column
    # headers: labels are read above it, the goal below it
    labels = read_label_block(text, compact, 0, task_at if task_at >= 0 else block_end)
    if task_at >= 0 and "overall_goal" not in labels:
        below = read_label_block(text, compact, task_at, block_end)
        if "overall_goal" in below:
            labels["overall_goal"] = below["overall_goal"]
    unit = money_unit(compact.text[:block_end])
    layout = perf_grid.detect_layout(text, t.start, t.end)

    fields: dict[str, FieldValue] = {}
    if t.is_unit_level:
        name = labels.get("unit_name") or labels.get("project_name")
        key = str(name.value).replace(" ", "") if name is not None else "部门整体"
    else:
        name = labels.get("project_name")
        key = str(name.value).replace(" ", "") if name is not None else ""
        owner = labels.get("owner") or labels.get("implementer")
        if owner is not None:
            fields["owner"] = owner
    if name is not None:
        fields["project_name"] = name
    for f in _BUDGET:
        if f in labels:
            fields[f] = labels[f]
    _derive_funds(fields, labels)
    if "overall_goal" in labels:
        fields["overall_goal"] = labels["overall_goal"]

    records: list[Record] = []
    if task_at >= 0 and layout != "stream":
        tasks = _task_records(text, t, layout, key, unit)
        records.extend(tasks)
        _sum_tasks(fields, tasks)

    if ind_at >= 0:
        indicators = (
            _grid_indicators(text, t, layout)
            if layout != "stream"
            else _stream_indicators(text, t, compact, ind_at)
        )
    else:
        indicators = []
    if not key and not indicators:
        return []
    indicators = [ordered("performance_indicator", r) for r in indicators]
    if not key:
        key = "未命名项目"
        fields.setdefault("project_name", FieldValue(value=None, span=None, reasons=["uncertain_layout"]))
    head = Record(
        kind="performance_target",
        key=key,
        table_title=t.title,
        unit=unit,
        fields=ordered("performance_target", fields),
    )
    return [head, *records, *indicator_records("performance_indicator", key, t, unit, name, indicators)]


def indicator_records(
    kind: str,
    key: str,
    t: TableSpan,
    unit: str | None,
    name: FieldValue | None,
    indicators: list[dict[str, FieldValue]],
) -> list[Record]:
    """One record per indicator row that has a name, keyed `<project>/<indicator>`, carrying the project
    name of the table's header block."""
    out = []
    for row in indicators:
        row_name = row.get("name")
        if row_name is None:
            continue
        pn = copy_field(name, "from_table_header")
        fields = ordered(kind, {"project_name": pn, **row} if pn is not None else row)
        indicator_key = f"{key}/{str(row_name.value).replace(' ', '')}"
        out.append(Record(kind=kind, key=indicator_key, table_title=t.title, unit=unit, fields=fields))
    return out


def ordered(kind: str, fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """`fields` in the order of the kind's schema (fields the schema does not know are dropped)."""
    return {f: fields[f] for f in kind_field_names(kind) if f in fields}


def _derive_funds(fields: dict[str, FieldValue], labels: dict[str, FieldValue]) -> None:
    """整体 tables printing 财政资金 as 上级安排 + 本级安排 and no total."""
    up, loc = labels.get("fiscal_upper"), labels.get("fiscal_local")
    if "budget_fiscal" not in fields and up is not None and loc is not None:
        assert isinstance(up.value, float) and isinstance(loc.value, float)
        fv = derived_field(up.value + loc.value, "derived:上级安排+本级安排")
        if fv is not None:
            fields["budget_fiscal"] = fv
    fis, oth = fields.get("budget_fiscal"), fields.get("budget_other")
    if (
        "budget_total" not in fields
        and fis is not None
        and oth is not None
        and isinstance(fis.value, float)
        and isinstance(oth.value, float)
    ):
        fv = derived_field(fis.value + oth.value, "derived:budget_fiscal+budget_other")
        if fv is not None:
            fields["budget_total"] = fv


# ---------------------------------------------------------------------------------------------- tasks


def _task_records(
    text: str, t: TableSpan, layout: perf_grid.Layout, unit_key: str, unit: str
) -> list[Record]:
    """年度主要任务 rows: 任务名称 | 主要内容 | 总额 | 财政拨款 | 其他资金 (no owner: the unit is the
    table's subject, as on 整体 tables)."""
    rows = perf_grid.grid_rows(layout, text, t.start, t.end)
    out: list[Record] = []
    started = False
    for row in rows:
        texts = [c.text for c in row]
        if not started:
            started = any(x.startswith("任务名称") for x in texts)
            continue
        joined = "".join(texts)
        if "年度总体目标" in joined or "一级指标" in joined or "年度绩效目标" in joined:
            break
        if len(row) < 5 or any(x in ("总额", "财政拨款", "其他资金") for x in texts):
            continue
        cells = row[-5:]
        name = text_field(text, cells[0].start, cells[0].end)
        if name is None:
            continue
        amounts = [number_field(text, c.start, c.end) for c in cells[2:]]
        bad = [c for c, a in zip(cells[2:], amounts, strict=True) if not c.blank and a is None]
        fields: dict[str, FieldValue] = {"project_name": name}
        for f, a in zip(_BUDGET, amounts, strict=True):
            if a is not None:
                if bad:
                    a.add_reason("uncertain_layout")
                fields[f] = a
        goal = text_field(text, cells[1].start, cells[1].end, "from:主要内容")
        if goal is not None:
            fields["overall_goal"] = goal
        out.append(
            Record(
                kind="performance_target",
                key=f"{unit_key}/{name.value}",
                table_title=t.title,
                unit=unit,
                fields=ordered("performance_target", fields),
            )
        )
    return out


def _sum_tasks(fields: dict[str, FieldValue], tasks: list[Record]) -> None:
    if not tasks:
        return
    for f in _BUDGET:
        if f in fields:
            continue
        vals = [r.fields[f].value for r in tasks if f in r.fields]
        nums = [v for v in vals if isinstance(v, float)]
        if nums or f == "budget_other":
            fv = derived_field(float(sum(nums)), "derived:sum_of_tasks")
            if fv is not None:
                fields[f] = fv


# ---------------------------------------------------------------------------------------------- grid


def _grid_indicators(text: str, t: TableSpan, layout: perf_grid.Layout) -> list[dict[str, FieldValue]]:
    rows = perf_grid.grid_rows(layout, text, t.start, t.end)
    return grid_indicator_rows(text, rows, unit_table=t.is_unit_level)


# ---------------------------------------------------------------------------------------------- stream


def _stream_indicators(text: str, t: TableSpan, compact: Compact, ind_at: int) -> list[dict[str, FieldValue]]:
    header = perf_stream.find_header(text, compact, ind_at)
    if header is None:
        return []
    rows = perf_stream.parse_rows(text, header, t.end, unit_table=t.is_unit_level)
    out: list[dict[str, FieldValue]] = []
    for r in rows:
        fields: dict[str, FieldValue] = {}
        for role, frag, carried in (
            ("level1", r.level1, r.level1_carried),
            ("level2", r.level2, r.level2_carried),
        ):
            if frag is None:
                continue
            reason = "carried_down" if carried else ""
            if role == "level1" and "level1_spilled" in r.uncertain:
                reason = "merged_cell_spilled"
            fv = joined_field(text, frag.pieces, *((reason,) if reason else ()))
            if fv is not None:
                fields[role] = fv
        name = _frags_field(text, r.name, "name" in r.uncertain)
        if name is None:
            continue
        fields["name"] = name
        if r.target:
            pieces = [p for f in r.target for p in f.pieces]
            extra = ("uncertain_layout",) if "target" in r.uncertain else ()
            fields.update(parse_target(text, pieces, *extra))
        for role, frs in (
            ("basis", r.basis),
            ("last_year", r.last_year),
            ("scoring_rule", r.scoring_rule),
            ("evidence", r.evidence),
        ):
            fv = _frags_field(text, frs, role in r.uncertain)
            if fv is not None:
                fields[role] = fv
        if r.weight is not None:
            w = number_field(text, r.weight.start, r.weight.pieces[-1][1])
            if w is not None:
                fields["weight"] = w
        out.append(fields)
    return out


def _frags_field(text: str, frags: list[perf_stream.Frag], uncertain: bool) -> FieldValue | None:
    if not frags:
        return None
    fv = joined_field(
        text, [p for f in frags for p in f.pieces], *(("uncertain_layout",) if uncertain else ())
    )
    return fv
