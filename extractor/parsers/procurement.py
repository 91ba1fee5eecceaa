"""政府采购预算表, read by its printed header: 采购品目大类 | 专项名称 | 经济科目 | 采购物品名称 | 采购组织形式 |
总计 (Jiangsu), or 政府采购项目来源 | 采购物品名称 | 政府采购目录序号 | 数量单位 | 数量 | 单价 | 总计 (定州), or any
other order of those columns.

The rows form an outline: the 合计 row; a group row (a 品目大类 such as 一、货物A, or a unit's “…小计”); a
project row (专项名称 with no item) under it; the item rows. Keys follow the outline (`total`, `货物A`,
`货物A/办公设备购置费`, `货物A/办公设备购置费/台式计算机（20万以下）`; `定州市民政局/车辆加油服务`), and a row's
text fields carry down the group and project it stands under. Every amount is known only by its header,
so it stays in review unless a sum over the outline holds with it (`validate/outline_procurement`).
"""

from __future__ import annotations

import re

from extractor.classify import compact
from extractor.layout import Line
from extractor.model import FieldValue, Record, Segment
from extractor.numbers import parse_amount
from extractor.parsers.grid import HEADER_REASON, label_key
from extractor.parsers.header_rows import cell_rows

KIND = "procurement_budget"

# header words → field, the first that matches wins (数量单位 before 数量, 采购物品 before 品目)
_ROLES: tuple[tuple[str, str], ...] = (
    ("category", r"品目大类|品目类别"),
    ("project", r"专项名称|项目名称|项目来源"),
    ("economic", r"经济科目|经济分类"),
    ("item", r"采购物品|采购品目|物品名称|品目名称"),
    ("method", r"组织形式|采购方式"),
    ("catalogue_code", r"目录序号|目录编码|品目编码"),
    ("quantity_unit", r"数量单位|计量单位|^单位$"),
    ("quantity", r"^数量$"),
    ("unit_price", r"单价"),
    ("total", r"总计|金额|合计|预算数"),
)
_NUMBERS = ("quantity", "unit_price", "total")
_TOTAL_ROW = re.compile(r"^(?:合计|总计)$")
_SUBTOTAL = re.compile(r"(?:小计|合计)$")


def _role(text: str) -> str | None:
    words = compact(text)
    return next((role for role, pattern in _ROLES if re.search(pattern, words)), None) if words else None


def _header(lines: list[Line], width: int) -> tuple[int, dict[int, str]] | None:
    """The last row at the data's width whose cells name the columns: (its index, {column: field})."""
    found: tuple[int, dict[int, str]] | None = None
    for i, line in enumerate(lines):
        if len(line.cells) != width:
            continue
        roles: dict[int, str] = {}
        for j, c in enumerate(line.cells):
            # a role named twice is the first column's: 定州 prints 总计 and then its 合计 by source of funds
            if (r := _role(c.text)) is not None and r not in roles.values():
                roles[j] = r
        if "total" in roles.values() and ("item" in roles.values() or "category" in roles.values()):
            found = (i, roles)
        elif found is not None and any(parse_amount(c.text) is not None for c in line.cells):
            break
    return found


def parse_procurement(text: str, segment: Segment) -> list[Record]:
    """Records of a 政府采购预算表 whose header is printed as cells; [] otherwise."""
    rows = cell_rows(text, segment)
    if rows is None:
        return []
    lines, width = rows
    head = _header(lines, width)
    if head is None:
        return []
    start, roles = head
    by_role = {r: j for j, r in roles.items()}
    records: list[Record] = []
    seen: dict[str, int] = {}
    group: tuple[str, dict[str, FieldValue]] | None = None  # key, the carried fields
    project: tuple[str, dict[str, FieldValue]] | None = None
    project_base = ""  # the key of the row that printed the current project's name
    for line in lines[start + 1 :]:
        if len(line.cells) != width or _role(line.cells[by_role["total"]].text) == "total":
            continue  # another width, or the header printed again on the next page
        cells = {r: line.cells[j] for r, j in by_role.items() if not line.cells[j].blank}
        total = cells.get("total")
        if total is None or parse_amount(total.text) is None:
            continue
        printed = {r: c for r, c in cells.items() if r not in _NUMBERS}
        label = next((printed[r] for r in ("category", "project", "item") if r in printed), None)
        further = label is None and project is not None and "economic" in printed
        if label is None and not further:
            continue
        words = label_key(compact(label.text)) if label is not None else ""
        fields = {r: FieldValue(compact(c.text), (c.start, c.end), ["printed"]) for r, c in printed.items()}
        for r in _NUMBERS:
            if r in cells and (v := parse_amount(cells[r].text)) is not None:
                fields[r] = FieldValue(v, (cells[r].start, cells[r].end), ["printed", HEADER_REASON])
        if further and project is not None:
            # the project above goes on under another 经济科目 (its name cell merged over both rows): a
            # project row of its own, keyed by the project and that 经济科目
            key = f"{project_base}（{label_key(compact(printed['economic'].text))}）"
            fields = {**_carried(group), **_carried(project), **fields}
            project = (key, {r: f for r, f in fields.items() if r not in _NUMBERS})
        elif _TOTAL_ROW.match(words) and "item" not in printed:
            key, group, project = "total", None, None
        elif "category" in printed or ("item" not in printed and _SUBTOTAL.search(words)):
            key = _SUBTOTAL.sub("", words) or words
            group, project = (key, {r: f for r, f in fields.items() if r not in _NUMBERS}), None
        elif "item" not in printed:
            key = f"{group[0]}/{words}" if group else words
            carried = _carried(group)
            fields = {**carried, **fields}
            project = (key, {r: f for r, f in fields.items() if r not in _NUMBERS})
            project_base = key
        else:
            parent = project or group
            key = f"{parent[0]}/{label_key(compact(printed['item'].text))}" if parent else words
            fields = {**_carried(group), **_carried(project), **fields}
        n = seen.get(key, 0) + 1
        seen[key] = n
        records.append(
            Record(KIND, key if n == 1 else f"{key}#{n}", segment.title, segment.unit, fields, segment.index)
        )
    return records if len(records) > 1 else []


def _carried(level: tuple[str, dict[str, FieldValue]] | None) -> dict[str, FieldValue]:
    if level is None:
        return {}
    return {r: FieldValue(f.value, f.span, ["carried_down"]) for r, f in level[1].items()}
