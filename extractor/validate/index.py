"""Looking records and amounts up by kind and key, and the code hierarchy of a coded table."""

from __future__ import annotations

from dataclasses import dataclass

from extractor.codes import parent_code
from extractor.model import FieldValue, Record

FieldRef = tuple[Record, str]


def address(ref: FieldRef) -> str:
    record, name = ref
    return record.address(name)


def amount(ref: FieldRef) -> float | None:
    """The numeric value of a field; a field the row does not print reads as 0 (a blank cell)."""
    record, name = ref
    fv = record.fields.get(name)
    if fv is None:
        return 0.0
    v = fv.value
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return float(v)


def field_of(ref: FieldRef) -> FieldValue | None:
    return ref[0].fields.get(ref[1])


@dataclass
class RecordIndex:
    records: list[Record]
    scope: str = ""  # the scope whose records answer to their plain kind (the others to `kind@scope`)

    def __post_init__(self) -> None:
        self.by_key: dict[tuple[str, str], Record] = {}
        for r in self.records:
            if r.scope:
                self.by_key.setdefault((f"{r.kind}@{r.scope}", r.key), r)
            if r.scope == self.scope:
                self.by_key.setdefault((r.kind, r.key), r)

    def get(self, kind: str, key: str) -> Record | None:
        """The record of `kind` (or `kind@scope`, as a scoped record's address prints it) and `key`."""
        return self.by_key.get((kind, key))

    def scopes(self) -> list[str]:
        return list(dict.fromkeys(r.scope for r in self.records))

    def within(self, scope: str) -> RecordIndex:
        """The records of one scope: a scoped table's sums and ties are its own (records of scope '')."""
        return RecordIndex([r for r in self.records if r.scope == scope], scope=scope)

    def of_kind(self, kind: str) -> list[Record]:
        return [r for r in self.records if r.kind == kind]

    def coded(self, kind: str) -> dict[str, Record]:
        return {r.key: r for r in self.of_kind(kind) if r.key.isdigit()}

    def children(self, kind: str) -> dict[str, list[Record]]:
        """Parent code → its printed children, in a coded table. A code printed on two rows (定州 prints
        30399 for 精神文明奖 and for 其他…补助支出; the second is keyed `30399#2`) is two children."""
        present = set(self.coded(kind))
        out: dict[str, list[Record]] = {}
        for rec in self.of_kind(kind):
            code, _, again = rec.key.partition("#")
            if not code.isdigit() or again and not again.isdigit():
                continue
            parent = parent_code(code, present)
            if parent is not None:
                out.setdefault(parent, []).append(rec)
        return out

    def top_rows(self, kind: str) -> list[Record]:
        coded = self.coded(kind)
        present = set(coded)
        return [rec for code, rec in coded.items() if parent_code(code, present) is None]

    def class_amount(self, kind: str, code: str, column: str) -> tuple[float | None, list[FieldRef]]:
        """The amount of a code in a table: its own row, else the sum of its printed descendants
        (a table that prints only 项 rows still says how much each 类 is)."""
        rec = self.get(kind, code)
        if rec is not None:
            return amount((rec, column)), [(rec, column)]
        coded = self.coded(kind)
        present = set(coded)
        leaves = [
            r
            for c, r in coded.items()
            if c.startswith(code) and c != code and parent_code(c, present) is None
        ]
        if not leaves:
            return None, []
        total = 0.0
        for r in leaves:
            v = amount((r, column))
            if v is None:
                return None, []
            total += v
        return total, [(r, column) for r in leaves]
