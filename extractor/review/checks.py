"""The checks a field takes part in, with their numbers, read from the findings the validators stored on
its document: "子项之和 260.41，本行 277.66，差 17.25", a tie with the other field's value and a link to it.

Texts are catalog message ids with `%(name)s` parameters; the review pages translate them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractor.review.labels import field_label
from extractor.review.reasons import N_
from extractor.storage.tables import DocumentRow, FieldRow, RecordRow

_SIDES = re.compile(r"^\s*(-?[\d.]+)\s+vs\s+(-?[\d.]+)\s*$")
CHECKS = ("sum", "tie")


@dataclass(frozen=True)
class Other:
    field_id: int
    label: str
    value: Any


@dataclass(frozen=True)
class Check:
    check: str  # sum | tie
    state: str  # fail | rounding | ok
    message: str  # catalog id
    params: dict[str, str]
    others: list[Other] = field(default_factory=list)

    @property
    def failing(self) -> bool:
        return self.state == "fail"


def _num(x: float) -> str:
    return f"{x:,.2f}".replace(",", "") if abs(x - round(x, 2)) < 1e-9 else f"{x:g}"


@dataclass(frozen=True)
class _Field:
    field_id: int
    label: str
    value: Any


def _document_fields(session: Session, document_id: int, wanted: set[str]) -> dict[str, _Field]:
    rows = session.execute(
        select(
            FieldRow.id,
            FieldRow.name,
            FieldRow.value,
            RecordRow.id,
            RecordRow.kind,
            RecordRow.key,
            RecordRow.table_title,
        )
        .join(RecordRow, RecordRow.id == FieldRow.record_id)
        .where(FieldRow.document_id == document_id)
    ).all()
    names = {r[3]: r[2] for r in rows if r[1] in ("name", "project_name")}
    out: dict[str, _Field] = {}
    for fid, name, value, rec_id, kind, key, title in rows:
        address = f"{kind}/{key}/{name}"
        if address in wanted:
            out[address] = _Field(fid, field_label(title, kind, key, name, names.get(rec_id)), value)
    return out


def field_checks(session: Session, *, document_id: int, address: str, value: Any) -> list[Check]:
    """Every sum and tie over the field, failing ones first."""
    findings: list[dict[str, Any]] = (
        session.scalar(select(DocumentRow.findings).where(DocumentRow.id == document_id)) or []
    )
    mine = [f for f in findings if f.get("check") in CHECKS and address in (f.get("addresses") or [])]
    if not mine:
        return []
    wanted = {a for f in mine for a in f["addresses"]}
    fields = _document_fields(session, document_id, wanted)
    out: list[Check] = []
    for f in mine:
        m = _SIDES.match(str(f.get("message", "")))
        if m is None:
            continue
        left, right = float(m.group(1)), float(m.group(2))
        addresses: list[str] = list(f["addresses"])
        state = "ok" if f.get("ok") and f.get("severity") != "rounding" else "fail"
        if f.get("ok") and f.get("severity") == "rounding":
            state = "rounding"
        diff = _num(abs(left - right))
        is_lhs = addresses[0] == address
        others = [
            Other(fields[a].field_id, fields[a].label, fields[a].value)
            for a in addresses
            if a != address and a in fields
        ]
        if f["check"] == "sum":
            if is_lhs:
                msg = N_("sum of the items %(items)s, this row %(this)s, difference %(diff)s")
                params = {"items": _num(right), "this": _num(left), "diff": diff}
                others = []  # the items are the rest of the table
            else:
                msg = N_(
                    "total %(total)s, sum of the items %(items)s (this one %(this)s), difference %(diff)s"
                )
                this = value if isinstance(value, int | float) else "—"
                params = {"total": _num(left), "items": _num(right), "this": str(this), "diff": diff}
                others = others[:1]  # the total row
        else:
            this_side, other_side = (left, right) if is_lhs else (right, left)
            msg = N_("here %(this)s, elsewhere %(other)s, difference %(diff)s")
            params = {"this": _num(this_side), "other": _num(other_side), "diff": diff}
        out.append(Check(f["check"], state, msg, params, others[:4]))
    order = {"fail": 0, "rounding": 1, "ok": 2}
    return sorted(out, key=lambda c: order[c.state])


def address_labels(session: Session, *, document_id: int, addresses: list[str]) -> list[tuple[str, str]]:
    """(address, printed label) of fields of a document, in the order given."""
    fields = _document_fields(session, document_id, set(addresses))
    return [(a, fields[a].label if a in fields else a) for a in addresses]
