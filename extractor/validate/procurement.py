"""The sums of a 政府采购预算表's outline: 合计 = Σ groups (品目大类, or a unit's 小计), a group = Σ the rows
under it, a project = Σ its items, all in the 总计 column. The keys carry the outline
(`parsers/procurement`): a row's parent is its key without the last part."""

from __future__ import annotations

from extractor.model import FieldValue, Finding, Record
from extractor.validate.constraints import Constraint
from extractor.validate.index import RecordIndex

KIND = "procurement_budget"
COLUMN = "total"


def _base(key: str) -> str:
    return key.split("#", 1)[0]


def procurement_sums(index: RecordIndex) -> list[Constraint]:
    rows = [r for r in index.of_kind(KIND) if COLUMN in r.fields and not r.fields.get("empty")]
    children: dict[str, list[Record]] = {}
    for r in rows:
        key = _base(r.key)
        if key == "total":
            continue
        parent = key.rsplit("/", 1)[0] if "/" in key else "total"
        children.setdefault(parent, []).append(r)
    out: list[Constraint] = []
    by_key = {r.key: r for r in rows}
    for parent, kids in children.items():
        rec = by_key.get(parent)
        if rec is None:
            continue
        label = "Σ采购合计" if parent == "total" else f"Σ采购{parent}"
        out.append(
            Constraint("sum", f"sum:{KIND}:{parent}", label, [(rec, COLUMN)], [(k, COLUMN) for k in kids])
        )
    return out


def price_findings(index: RecordIndex, text: str) -> list[Finding]:
    """An item's 总计 = 数量 × 单价, to the rounding of the printed figures (a unit price printed to two
    places may be off by half a unit in its last digit, times the quantity)."""
    out: list[Finding] = []
    for r in index.of_kind(KIND):
        q, p, t = (r.fields.get(n) for n in ("quantity", "unit_price", COLUMN))
        if q is None or p is None or t is None:
            continue
        values = [f.value for f in (q, p, t)]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            continue
        qty, price, total = (float(v) for v in values)  # type: ignore[arg-type]
        slack = 0.5 * 10 ** (-_places(p, text)) * abs(qty) + 0.5 * 10 ** (-_places(t, text)) + 1e-9
        out.append(
            Finding(
                "format",
                f"price:{r.scope}:{r.key}",
                abs(qty * price - total) <= slack,
                [r.address("quantity"), r.address("unit_price"), r.address(COLUMN)],
                f"数量 {qty:g} × 单价 {price:g} = {qty * price:.2f} vs 总计 {total:g}",
            )
        )
    return out


def _places(fv: FieldValue, text: str) -> int:
    printed = text[fv.span[0] : fv.span[1]] if fv.span else str(fv.value)
    return len(printed.split(".", 1)[1].strip()) if "." in printed else 0
