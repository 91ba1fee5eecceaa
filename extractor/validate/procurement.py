"""The sums of a 政府采购预算表's outline: 合计 = Σ groups (品目大类, or a unit's 小计), a group = Σ the rows
under it, a project = Σ its items, all in the 总计 column. The keys carry the outline
(`parsers/procurement`): a row's parent is its key without the last part."""

from __future__ import annotations

from extractor.model import Record
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
