"""Sums of the tables read by their header (`parsers.grid`): a row is the sum of the rows its outline puts
under it. The outline comes from the labels' numbering (一、 over （一） over 1. over unnumbered items); a
table whose rows carry no numbering is flat, its total the sum of every row. Rates are not summed: a
完成% is checked against its own row (决算 / 调整预算, or / 年初预算 where no 调整预算 is printed)."""

from __future__ import annotations

import re
from itertools import groupby

from extractor.model import Finding, Record
from extractor.validate.constraints import Constraint
from extractor.validate.index import RecordIndex
from schemas.coded import TOTAL_KEY
from schemas.grid import RATE_FIELDS, VOCABULARY, level_of

_CODE = re.compile(r"\d{3}(?:\d{2}){0,2}")


def _side(record: Record) -> str:
    return record.key.split(":", 1)[0] if ":" in record.key else ""


def _levels(rows: list[Record]) -> list[int]:
    if any(_CODE.fullmatch(r.key) for r in rows):
        # a coded table: 类 (3 digits) over 款 (5) over 项 (7); an uncoded row sits under the last code
        coded: list[int] = []
        depth = 0
        for r in rows:
            if r.key == TOTAL_KEY:
                coded.append(0)
            elif _CODE.fullmatch(r.key):
                depth = (len(r.key) - 1) // 2
                coded.append(depth)
            else:
                coded.append(depth + 1)
        return coded
    if not any(level_of(_name(r)) is not None for r in rows) and any(_name(r).endswith("小计") for r in rows):
        # an unnumbered table of groups: each 小计 heads the items printed under it (Jiangsu 收入预算总表)
        return [0 if r.key == TOTAL_KEY else 1 if _name(r).endswith("小计") else 2 for r in rows]
    numbered = any(level_of(_name(r)) is not None for r in rows if r.key != TOTAL_KEY)
    out: list[int] = []
    last = 0
    for r in rows:
        if r.key == TOTAL_KEY or _is_side_total(r):
            out.append(0)
            continue
        lv = level_of(_name(r))
        if lv is None:
            lv = last + 1 if numbered else 1
        else:
            last = lv
        out.append(lv)
    return out


def _children_of(levels: list[int], i: int) -> list[int]:
    kids: list[int] = []
    for j in range(i + 1, len(levels)):
        if levels[j] <= levels[i]:
            break
        if levels[j] == levels[i] + 1 or levels[i] == 0 and levels[j] == min(levels[i + 1 :] or [1]):
            kids.append(j)
    return kids


def _adds_up(total: float | None, parts: list[float | None]) -> bool:
    return total is not None and all(p is not None for p in parts) and abs(total - sum(parts)) < 0.005  # type: ignore[arg-type]


def _nest_runs(rows: list[Record], levels: list[int], column: str) -> list[int]:
    """Unnumbered items printed flush under their head lose the indent that nested them (定州: 专项收入 and
    its six items, all under 二、非税收入). Where a parent's sum fails, a child followed by a run of its
    siblings that adds up to it exactly, and without which the parent's sum holds, heads that run."""
    levels = list(levels)
    for i in range(len(rows)):
        kids = _children_of(levels, i)
        amounts = [_num(rows[k], column) for k in kids]
        if len(kids) < 3 or _adds_up(_num(rows[i], column), amounts):
            continue
        for a, head in enumerate(kids[:-1]):
            total = _num(rows[head], column)
            for b in range(a + 2, len(kids) + 1):
                run = amounts[a + 1 : b]
                if not _adds_up(total, run):
                    continue
                rest = amounts[: a + 1] + amounts[b:]
                if _adds_up(_num(rows[i], column), rest):
                    for k in kids[a + 1 : b]:
                        levels[k] += 1
                    return _nest_runs(rows, levels, column)
                break
    return levels


def _name(r: Record) -> str:
    """The row's label with the numbering the table prints for it (its own, or in a 序号 column)."""
    fv, seq = r.fields.get("name"), r.fields.get("seq")
    name = str(fv.value) if fv is not None else ""
    if seq is not None and isinstance(seq.value, str) and level_of(name) is None:
        number = seq.value
        if re.fullmatch(r"[一二三四五六七八九十]+", number):
            number += "、"  # 一 → 一、
        elif number.isdigit():
            number += "."  # 1 → 1.
        return number + name
    return name


def _is_side_total(r: Record) -> bool:
    label = r.key.split(":", 1)[-1]
    return ":" in r.key and label.endswith(("总计", "合计"))


def _amount_columns(rows: list[Record]) -> list[str]:
    cols: dict[str, None] = {}
    for r in rows:
        for name in r.fields:
            if name != "name" and name not in RATE_FIELDS:
                cols[name] = None
    return list(cols)


def outline_constraints(index: RecordIndex) -> list[Constraint]:
    out: list[Constraint] = []
    grid_records = [r for r in index.records if r.kind in VOCABULARY]
    keyed = sorted(grid_records, key=lambda r: (r.segment_index or -1, _side(r)))
    for (seg, side), group in groupby(keyed, key=lambda r: (r.segment_index or -1, _side(r))):
        # an "of which" line (其中：…) is part of the row above, not a term of any sum
        rows = [r for r in group if not _name(r).startswith("其中")]
        columns = _amount_columns(rows)
        levels = _nest_runs(rows, _levels(rows), columns[0]) if columns else _levels(rows)
        for i, parent in enumerate(rows):
            kids = [rows[j] for j in _children_of(levels, i)]
            if not kids:
                continue
            for col in columns:
                if col not in parent.fields and not any(col in k.fields for k in kids):
                    continue
                name = f"{parent.kind}:{parent.scope}:{seg}:{side}:outline:{parent.key}:{col}"
                out.append(
                    Constraint(
                        "sum",
                        name,
                        f"Σ{parent.key.split(':', 1)[-1]}",
                        [(parent, col)],
                        [(k, col) for k in kids],
                    )
                )
    return out


def _num(record: Record, name: str) -> float | None:
    fv = record.fields.get(name)
    if fv is None or isinstance(fv.value, bool) or not isinstance(fv.value, int | float):
        return None
    return float(fv.value)


def rate_findings(index: RecordIndex, text: str) -> list[Finding]:
    """完成% = 100 × 决算 / 调整预算 (or / 年初预算 where the table prints no 调整预算), to its printed digits."""
    out: list[Finding] = []
    for r in index.records:
        if r.kind not in VOCABULARY or "completion_rate" not in r.fields:
            continue
        rate, actual = _num(r, "completion_rate"), _num(r, "actual")
        base_name = "adjusted_budget" if "adjusted_budget" in r.fields else "budget"
        base = _num(r, base_name)
        if rate is None or actual is None or not base:
            continue
        fv = r.fields["completion_rate"]
        printed = text[fv.span[0] : fv.span[1]] if fv.span else f"{rate}"
        # trailing zeros give no precision (a spreadsheet's 93.30 is its 93.3)
        places = len(printed.split(".")[1].rstrip("%％ ").rstrip("0")) if "." in printed else 0
        exact = 100 * actual / base
        ok = abs(exact - rate) <= 0.5 * 10 ** (-places) + 1e-9
        out.append(
            Finding(
                "format",
                f"completion_rate:{r.kind}:{r.scope}:{r.key}",
                ok,
                [r.address("completion_rate"), r.address("actual"), r.address(base_name)],
                f"完成% {rate:g} vs 决算/预算 = {exact:.{places}f}",
            )
        )
    return out
