"""Tables whose rows are keyed by a printed label: the two-sided summaries (表1 收支总体, 表4 财政拨款
收支总体), the 三公 table and the carry-over table."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.classify import compact
from extractor.codes import class_code_by_name, join_code
from extractor.columns import ColumnRow, Identity, solve_table
from extractor.layout import Cell, Line, region_lines
from extractor.model import FieldValue, Record, Segment
from extractor.numbers import parse_amount
from extractor.parsers.rows import JoinedText, is_cjk
from schemas.labels import BUDGET_PURPOSES, CARRY_FORWARD_LABELS, OTHER_PURPOSES

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[.、．]|[（(][一二三四五六七八九十\d]+[）)])")
_TOP_SECTION = re.compile(r"^[一二三四五六七八九十]+、")


# 提取 (a 结余分配 row's 提取…基金) is carried out of the year as well
_CARRY = re.compile(r"^(?:[一二三四五六七八九十]+、)?(?:" + "|".join((*CARRY_FORWARD_LABELS, "提取")) + ")")


def normalise_label(label: str) -> str:
    s = re.sub(r"\s+", "", label)
    s = _NUMBERING.sub("", s)
    s = re.sub(r"^其中[:：]", "", s)
    return s


def _tokens(line: Line) -> list[Cell]:
    """The non-blank cells of a row; a cell holding `201 一般公共服务支出` becomes two."""
    out: list[Cell] = []
    for c in line.cells:
        if c.blank:
            continue
        m = re.match(r"^(\d{3})\s*([\u4e00-\u9fff].*)$", c.text, re.S)
        parts = [(p.group(0), p.start()) for p in re.finditer(r"\S+", c.text)]
        if m and is_cjk(m.group(2)):
            out.append(Cell(m.group(1), c.start, c.start + 3))
            out.append(Cell(m.group(2), c.start + m.start(2), c.end))
        elif (
            len(parts) > 1
            and any(parse_amount(p) is not None for p, _ in parts)
            and any(is_cjk(p) for p, _ in parts)
        ):
            # a row the PDF printed as one run of text (收入总计 490,808.40 支出总计 490,808.40, carried over
            # to the next page): its words and amounts are the cells
            out.extend(Cell(p, c.start + at, c.start + at + len(p)) for p, at in parts)
        else:
            out.append(c)
    return out


@dataclass
class Side:
    label: list[Cell]
    code: Cell | None
    values: list[Cell]


def _is_code(tok: Cell, nxt: Cell | None) -> bool:
    return bool(re.fullmatch(r"2\d\d", tok.text)) and nxt is not None and is_cjk(nxt.text)


def split_sides(tokens: list[Cell]) -> tuple[Side | None, Side | None]:
    """A two-sided row: [income label, amounts] [function code, name, amounts] (either may be absent)."""
    i = 0
    while i < len(tokens) and re.fullmatch(r"\d{4}", tokens[i].text):  # stray year tokens of broken PDFs
        i += 1
    left: Side | None = None
    right: Side | None = None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if i < len(tokens) and not _is_code(tokens[i], nxt):
        label: list[Cell] = []
        while i < len(tokens) and parse_amount(tokens[i].text) is None:
            label.append(tokens[i])
            i += 1
        values: list[Cell] = []
        while i < len(tokens) and parse_amount(tokens[i].text) is not None:
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if _is_code(tokens[i], nxt):
                break
            values.append(tokens[i])
            i += 1
        left = Side(label, None, values)
    if i < len(tokens):
        code: Cell | None = None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if _is_code(tokens[i], nxt):
            code = tokens[i]
            i += 1
        label = []
        while i < len(tokens) and parse_amount(tokens[i].text) is None:
            label.append(tokens[i])
            i += 1
        values = [t for t in tokens[i:] if parse_amount(t.text) is not None]
        right = Side(label, code, values)
    return left, right


def _label_field(text: str, cells: list[Cell]) -> tuple[str, FieldValue]:
    joined = JoinedText()
    for c in cells:
        joined.add(c, text)
    fv = FieldValue(joined.text, joined.span(), ["printed"])
    if len(cells) > 1:
        fv.add_reason("joined")
    return joined.text, fv


def _amount_field(cell: Cell, reason: str) -> FieldValue:
    return FieldValue(parse_amount(cell.text), (cell.start, cell.end), ["printed", reason])


_RIGHT_COLS = ("total", "general_budget", "gov_fund", "state_capital")
# a 决算 table's row of column numbers (栏次 1 2 3 …) is no item
_COLUMN_NUMBERS = ("栏次", "栏 次", "行次")
_SUBTOTAL = re.compile(r"^(?:本年|当年)支出[合小]计$|^支出小计$")
_RIGHT_IDENTITY: list[Identity] = [(0, (1, 2, 3))]


def _text_of(cells: list[Cell]) -> str:
    return "".join(c.text for c in cells)


def parse_two_sided(text: str, segment: Segment) -> list[Record]:
    """表1 (income_summary + expenditure_summary) or 表4 (fiscal_appropriation_summary)."""
    fiscal = segment.kind == "fiscal_appropriation_summary"
    income_kind = "fiscal_appropriation_summary" if fiscal else "income_summary"
    spend_kind = "fiscal_appropriation_summary" if fiscal else "expenditure_summary"
    _layout, lines = region_lines(text, segment.start, segment.end)
    records: list[Record] = []
    keys: set[tuple[str, str]] = set()
    section = ""

    def add(kind: str, key: str, fields: dict[str, FieldValue]) -> None:
        if (kind, key) in keys:
            n = 2
            while (kind, f"{key}#{n}") in keys:
                n += 1
            key = f"{key}#{n}"
        keys.add((kind, key))
        records.append(Record(kind, key, segment.title, segment.unit, fields, segment.index))

    for line in lines:
        tokens = _tokens(line)
        if not tokens or _is_table_number(tokens):
            continue
        purpose: Side | None = None
        # 表4 printed as cells at its full width (item, amount | item, 合计, 一般, 基金, 国资): every amount's
        # column is its position, blanks included
        placed = fiscal and _layout == "cells" and len(line.cells) == 3 + len(_RIGHT_COLS)
        if _layout == "cells" and len(line.cells) >= 4:
            # cell positions are known: the income side is the row's first two cells (item, amount), the
            # expenditure side the rest, whichever of them is blank
            left = split_sides(_tokens(Line(line.cells[:2], line.start, line.end)))[0]
            if _purpose_side(line, fiscal):
                # Jiangsu prints the expenditure side twice, by 功能分类 and by 支出用途 (基本支出, 项目支出, …)
                right = split_sides(_tokens(Line(line.cells[2:4], line.start, line.end)))[0]
                purpose = split_sides(_tokens(Line(line.cells[4:6], line.start, line.end)))[0]
            else:
                first, second = split_sides(_tokens(Line(line.cells[2:], line.start, line.end)))
                right = first if first is not None else second
        else:
            k = next((i for i, t in enumerate(tokens) if i and class_code_by_name(t.text)), None)
            if k is not None and all(parse_amount(t.text) is None for t in tokens[:k]):
                # an income item printed without its amount, then a function class with its amount
                tokens = tokens[k:]
            left, right = split_sides(tokens)
            if right is None and left is not None and not fiscal and class_code_by_name(_text_of(left.label)):
                # a row printing only a function class (八、社会保障和就业支出 1,509.72): the expenditure side
                left, right = None, left
        if left and left.label and left.values and _text_of(left.label).strip() not in _COLUMN_NUMBERS:
            name, name_fv = _label_field(text, left.label)
            label = normalise_label(name)
            if _TOP_SECTION.match(name):
                section = label
            key = label
            if any(k == (income_kind, (f"income:{label}" if fiscal else label)) for k in keys) and section:
                key = f"{section}/{label}"
            if fiscal:
                key = f"income:{key}"
            add(
                income_kind,
                key,
                # the fiscal table's income side prints one figure per item: its 合计
                {
                    "name": name_fv,
                    ("total" if fiscal else "amount"): _amount_field(left.values[0], "column:position"),
                },
            )
        if right and right.values and (right.code or right.label):
            name, right_fv = _label_field(text, right.label) if right.label else ("", None)
            by_name = None if right.code is not None else class_code_by_name(name)
            if right.code is not None:
                key = join_code([right.code.text]) or right.code.text
            elif _SUBTOTAL.search(compact(name)):
                key = "subtotal"  # 本年支出合计 / 当年支出小计: this year's spending, before carry-overs
            elif "总计" in name or "合计" in name:
                key = "total"
            elif by_name is not None:
                key = by_name  # a 类 printed by name only; its code from the catalogue
            elif not fiscal and _CARRY.search(compact(name)):
                key = normalise_label(name)  # 结转下年, 结余分配, 年末结转和结余: below this year's spending
            elif fiscal and _PURPOSE.search(compact(name)):
                key = normalise_label(name)  # 表4's expenditure side by purpose (基本支出, 项目支出, …)
            else:
                continue
            fields: dict[str, FieldValue] = {}
            if right_fv is not None:
                fields["name"] = right_fv
            if not fiscal:
                fields["amount"] = _amount_field(right.values[0], "column:position")
            elif placed:
                for column, cell in zip(_RIGHT_COLS, line.cells[3:], strict=True):
                    if not cell.blank and parse_amount(cell.text) is not None:
                        fields[column] = _amount_field(cell, "column:position")
            else:
                row = ColumnRow([parse_amount(v.text) or 0.0 for v in right.values])
                # most fiscal appropriation is general budget; the tie with 表5 confirms or refutes it
                solve_table(
                    [row],
                    len(_RIGHT_COLS),
                    _RIGHT_IDENTITY,
                    lambda _i, p: 1.0 if p[1:] == (1,) else 0.0,
                    definitional=False,
                )
                reason = {"unique": "column:row_identity", "identity_fails": "row_identity_fails"}.get(
                    row.how, "column_ambiguous"
                )
                if row.chosen is not None:
                    for cell, col in zip(right.values, row.chosen, strict=True):
                        # the row's 合计 comes first; only the other numbers' columns can be in doubt
                        fields[_RIGHT_COLS[col]] = _amount_field(
                            cell, "column:first_is_total" if col == 0 else reason
                        )
            add(spend_kind, key, fields)
        if purpose and purpose.label and purpose.values and _PURPOSE.search(_text_of(purpose.label)):
            name, purpose_fv = _label_field(text, purpose.label)
            add(
                "expenditure_by_purpose",
                normalise_label(name),
                {"name": purpose_fv, "amount": _amount_field(purpose.values[0], "column:position")},
            )
    return records


_PURPOSE = re.compile(
    r"^(?:[一二三四五六七八九十]+、)?(?:" + "|".join((*BUDGET_PURPOSES, *OTHER_PURPOSES)) + ")$"
)


def _purpose_side(line: Line, fiscal: bool) -> bool:
    """A 收支总表 row of six cells whose fifth is a label: income | 功能分类 | 支出用途, two cells each."""
    if fiscal or len(line.cells) != 6:
        return False
    label = line.cells[4]
    return not label.blank and parse_amount(label.text) is None and is_cjk(label.text)


# ---- label-keyed tables: 三公 and 结转结余 ----------------------------------------------------------

_THREE_PUBLIC = (
    # 运维 is how some regions shorten 运行维护 (定州: 公务用车购置及运维费)
    ("vehicle_purchase", ("购置费",), ("运行", "运维")),
    ("vehicle_purchase", ("公务用车购置", "车辆购置"), ("运行", "运维")),
    ("vehicle_operation", ("运行费", "运行维护费", "运维费"), ("购置及运行", "购置及运维")),
    ("vehicles_total", ("购置及运行", "购置及运维"), ()),
    ("overseas_travel", ("出国",), ()),
    ("reception", ("接待",), ()),
    ("total", ("合计", "总计"), ()),
)


def labelled_rows(text: str, segment: Segment) -> list[tuple[list[Cell], list[Cell]]]:
    """(label cells, value cells) per row; a row is a line (flow) or a block (cells)."""
    _layout, lines = region_lines(text, segment.start, segment.end)
    out: list[tuple[list[Cell], list[Cell]]] = []
    for line in lines:
        toks = _tokens(line)
        if not toks or _is_table_number(toks):
            continue
        label = [t for t in toks if parse_amount(t.text) is None or re.fullmatch(r"\d{4}", t.text)]
        first_value = next(
            (
                i
                for i, t in enumerate(toks)
                if parse_amount(t.text) is not None and not re.fullmatch(r"\d{4}", t.text)
            ),
            len(toks),
        )
        label = toks[:first_value]
        values = [t for t in toks[first_value:] if parse_amount(t.text) is not None]
        if label and is_cjk("".join(t.text for t in label)):
            out.append((label, values))
    return out


def _year_column(lines: list[Line]) -> tuple[int, int] | None:
    """(cell index, width) of the latest year's column when the header prints several years side by side
    (2022年决算 | 2023年决算 | 比同期增减): the report's year is the latest one."""
    for line in lines:
        texts = [compact(c.text) for c in line.cells]
        years = [
            (int(m.group(1)), i)
            for i, t in enumerate(texts)
            if (m := re.search(r"(20\d\d)年", t)) and not re.search(r"增|减|比|%", t)
        ]
        if len({y for y, _ in years}) >= 2:
            return max(years)[1], len(line.cells)
        if any(parse_amount(c.text) is not None for c in line.cells):
            return None
    return None


def parse_three_public(text: str, segment: Segment) -> list[Record]:
    fields: dict[str, FieldValue] = {}
    layout, lines = region_lines(text, segment.start, segment.end)
    year_col = _year_column(lines) if layout == "cells" else None
    rows = labelled_rows(text, segment)
    if year_col is not None:
        col, width = year_col
        rows = [
            ([c for c in line.cells[:col] if not c.blank][:1], [line.cells[col]])
            for line in lines
            if len(line.cells) == width and parse_amount(line.cells[col].text) is not None
        ]
    how = "column:first_is_total" if year_col is None else "column:header"
    for label_cells, values in rows:
        label = normalise_label("".join(c.text for c in label_cells))
        for name, words, forbidden in _THREE_PUBLIC:
            if any(w in label for w in words) and not any(f in label for f in forbidden):
                if values and name not in fields:
                    fields[name] = _amount_field(values[0], how)
                break
    if not fields:
        return []
    return [Record("three_public_expenses", "", segment.title, segment.unit, fields, segment.index)]


_CARRY_COLS = (
    "total",
    "fiscal_total",
    "fiscal_basic_personnel",
    "fiscal_basic_public",
    "fiscal_project",
    "nonfiscal_total",
    "nonfiscal_basic_personnel",
    "nonfiscal_basic_public",
    "nonfiscal_project",
)
_CARRY_IDENTITIES: list[Identity] = [(0, (1, 5)), (1, (2, 3, 4)), (5, (6, 7, 8))]


def parse_carryover(text: str, segment: Segment) -> list[Record]:
    if segment.empty:
        return [empty_record("carryover", segment)]
    rows = [(lab, vals) for lab, vals in labelled_rows(text, segment) if vals]
    crow = [ColumnRow([parse_amount(v.text) or 0.0 for v in vals]) for _lab, vals in rows]
    for r, (lab, _v) in zip(crow, rows, strict=True):
        r.is_total = normalise_label("".join(c.text for c in lab)) in ("总计", "合计")
    # named carry-overs are mostly project funds; the prior only breaks ties, the field stays flagged
    solve_table(
        crow,
        len(_CARRY_COLS),
        _CARRY_IDENTITIES,
        lambda _i, p: 1.0 if p[2:] == (4,) else 0.0,
        definitional=False,
    )
    records: list[Record] = []
    for (lab, vals), r in zip(rows, crow, strict=True):
        name, name_fv = _label_field(text, lab)
        key = "total" if r.is_total else normalise_label(name)
        fields = {"name": name_fv}
        reason = {
            "unique": "column:row_identity",
            "identity_fails": "row_identity_fails",
            "by_totals": "column:by_column_totals",
        }.get(r.how, "column_ambiguous")
        if r.chosen is not None:
            for cell, col in zip(vals, r.chosen, strict=True):
                fields[_CARRY_COLS[col]] = _amount_field(cell, reason)
        records.append(Record("carryover", key, segment.title, segment.unit, fields, segment.index))
    return records


def _is_table_number(tokens: list[Cell]) -> bool:
    return bool(re.fullmatch(r"表\s*\d*", tokens[0].text)) and len(tokens) <= 2


def empty_record(kind: str, segment: Segment) -> Record:
    """A table the document declares empty (本表为空表): one record with `empty: true`."""
    fv = FieldValue(True, None, ["derived:empty_statement"])
    return Record(kind, "", segment.title, segment.unit, {"empty": fv}, segment.index)
