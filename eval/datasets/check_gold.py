"""Check hand-typed gold sources against the sums and ties a budget table must hold.

    .venv/bin/python eval/datasets/check_gold.py [-v] [dataset …]      (default: dev)

Checks, per table: 类 = Σ款 = Σ项 and 合计 = Σ类 (function and economic codes, every amount column);
`total = basic + project (+ reserve + carry_forward + …)`; `total = personnel + public`; 三公 total =
its parts and 车辆 = 购置 + 运行; 收入 total = Σ its source columns; 政府采购 each line = Σ the lines under
it. Then the `@check` lines of the source (ties between tables, income = expenditure, …).

A check holds when both sides agree within 0.005 (0.5 in a table of whole numbers). A failing check
is the document's own when the source says `@breaks <id> <why>` (a `why` starting "rounding gap" only
covers a gap of the printed rounding); any other failure, or a `@breaks` whose check holds, is an error
in the gold and makes the exit status 1.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE.parents[1]) not in sys.path:
    sys.path.insert(0, str(HERE.parents[1]))

from eval.datasets.goldsrc import GoldSource, read_source  # noqa: E402
from schemas.regional import gold_numeric_fields  # noqa: E402

EXPENDITURE_PARTS = (
    "basic",
    "project",
    "reserve",
    "carry_forward",
    "remit_to_superior",
    "operating",
    "subsidy_to_subordinates",
)
INCOME_PARTS = (
    "superior_subsidy",
    "business_income",
    "operating_income",
    "affiliated_income",
    "other_income",
    "special_account",
    "unit_funds",
    "fiscal_carryover",
    "nonfiscal_carryover",
)
NOT_SUMMED = {"completion_rate", "growth_rate", "quantity", "unit_price"}  # rates and unit figures


@dataclass
class Result:
    ident: str
    left: float
    right: float
    holds: bool
    rounding: bool


def _num(record: dict[str, Any], name: str) -> float | None:
    entry = record["fields"].get(name)
    if entry is None or isinstance(entry["value"], bool):
        return None
    value = entry["value"]
    return float(value) if isinstance(value, (int, float)) else None


def _compare(ident: str, left: list[float], right: list[float]) -> Result:
    lsum, rsum = sum(left), sum(right)
    whole = all(float(v).is_integer() for v in left + right)
    tol = 0.5 if whole else 0.005
    unit = 1.0 if whole else 0.01
    gap = abs(lsum - rsum)
    return Result(
        ident,
        round(lsum, 6),
        round(rsum, 6),
        gap <= tol,
        gap > tol and gap <= unit * (len(left) + len(right)) / 2 + 1e-9,
    )


def _code_checks(kind: str, title: str, records: list[dict[str, Any]]) -> list[Result]:
    # a code printed twice in one table is keyed <code>#2 (38's 30399): it sums like its code
    coded = {r["key"]: r for r in records if r["key"].split("#")[0].isdigit()}
    if not coded:
        return []
    out: list[Result] = []
    fields = sorted({f for r in records for f in r["fields"]} & gold_numeric_fields(kind) - NOT_SUMMED)

    def size(key: str) -> int:
        return len(key.split("#")[0])

    lengths = sorted({size(k) for k in coded})
    below = dict(zip(lengths, lengths[1:], strict=False))

    def children(code: str) -> list[str]:
        step = below.get(size(code))
        return [k for k in coded if step is not None and size(k) == step and k.startswith(code.split("#")[0])]

    def value(code: str, name: str) -> float | None:
        """The printed amount; a blank subtotal stands for the items under it (000's 20138)."""
        own = _num(coded[code], name)
        if own is not None:
            return own
        parts = [v for v in (value(c, name) for c in children(code)) if v is not None]
        return sum(parts) if parts else None

    total = next((r for r in records if r["key"] == "total"), None)
    for name in fields:
        for code in coded:
            mine = _num(coded[code], name)
            values = [v for v in (value(c, name) for c in children(code)) if v is not None]
            if mine is None or not values:
                continue
            out.append(_compare(f"{kind}[{title}]/{code}/{name}=Σ", [mine], values))
        # a 收支总表's 总计 also holds carry-overs: its ties are @check lines of the source
        if total is not None and _num(total, name) is not None and not kind.endswith("_summary"):
            tops = [v for k in coded if size(k) == lengths[0] and (v := value(k, name)) is not None]
            out.append(_compare(f"{kind}[{title}]/total/{name}=Σ", [_num(total, name) or 0.0], tops))
    return out


def _part_checks(kind: str, title: str, records: list[dict[str, Any]]) -> list[Result]:
    out: list[Result] = []
    fields = gold_numeric_fields(kind)
    rules: list[tuple[str, tuple[str, ...]]] = []
    if "basic" in fields and "project" in fields:
        rules.append(("total", tuple(p for p in EXPENDITURE_PARTS if p in fields)))
    if "personnel" in fields:
        rules.append(("total", ("personnel", "public")))
    if kind == "three_public_expenses":
        rules += [
            ("total", ("overseas_travel", "reception", "vehicles_total")),
            ("vehicles_total", ("vehicle_purchase", "vehicle_operation")),
        ]
    if kind == "fiscal_appropriation_summary":
        rules.append(("total", ("general_budget", "gov_fund", "state_capital")))
    if kind == "income_by_function":
        rules.append(("total", ("fiscal_subtotal", *INCOME_PARTS)))
    for record in records:
        for whole, parts in rules:
            total = _num(record, whole)
            values = [v for v in (_num(record, p) for p in parts) if v is not None]
            if total is None or not values:
                continue
            out.append(_compare(f"{kind}[{title}]/{record['key']}/{whole}=parts", [total], values))
    return out


def _tree_checks(kind: str, title: str, records: list[dict[str, Any]]) -> list[Result]:
    if kind != "procurement_budget":
        return []
    by_key = {r["key"]: r for r in records}
    out: list[Result] = []
    for key, record in by_key.items():
        depth = 0 if key == "total" else key.count("/") + 1
        children = [
            r
            for k, r in by_key.items()
            if k != "total" and k.count("/") + 1 == depth + 1 and (depth == 0 or k.startswith(key + "/"))
        ]
        values = [v for v in (_num(r, "total") for r in children) if v is not None]
        if values and _num(record, "total") is not None:
            out.append(_compare(f"{kind}[{title}]/{key}/total=Σ", [_num(record, "total") or 0.0], values))
    return out


def _resolve(src: GoldSource, address: str) -> float:
    if "/" not in address:
        return float(address)  # a constant, e.g. the 100 of a share check
    kind, rest = address.split("/", 1)
    key, _, name = rest.rpartition("/")
    for record in src.records:
        if record["kind"] == kind and record["key"] == key:
            value = _num(record, name)
            if value is None:
                raise KeyError(f"{address}: no amount")
            return value
    raise KeyError(f"{address}: no such record")


def table_checks(records: list[dict[str, Any]]) -> list[Result]:
    """The sums every table must hold, over gold records grouped by (kind, table title)."""
    results: list[Result] = []
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        groups[(record["kind"], record["table_title"])].append(record)
    for (kind, title), group in groups.items():
        results += _code_checks(kind, title, group)
        results += _part_checks(kind, title, group)
        results += _tree_checks(kind, title, group)
    return results


def intended_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records with each field's `intended` value in place of the printed one (what was meant)."""
    out = []
    for record in records:
        fields = {
            name: {**entry, "value": entry.get("intended", entry["value"])}
            for name, entry in record["fields"].items()
        }
        out.append({**record, "fields": fields})
    return out


def check_source(src: GoldSource) -> tuple[list[Result], list[str]]:
    errors: list[str] = []
    results = table_checks(src.records)
    for check in src.checks:
        try:
            left = [sign * _resolve(src, a) for sign, a in check.left]
            right = [sign * _resolve(src, a) for sign, a in check.right]
        except KeyError as exc:
            errors.append(f"{src.path.name}:{check.line}: @check {check.ident}: {exc}")
            continue
        results.append(_compare(check.ident, left, right))
    for check in src.rates:
        try:
            num, den = (_resolve(src, a) for _, a in check.left)
            rate = _resolve(src, check.right[0][1])
        except KeyError as exc:
            errors.append(f"{src.path.name}:{check.line}: @rate {check.ident}: {exc}")
            continue
        decimals = len(repr(rate).split(".")[1]) if "." in repr(rate) else 0
        computed = 100 * num / den if den else float("inf")
        holds = abs(computed - rate) <= 0.5 * 10**-decimals + 1e-9
        results.append(Result(check.ident, round(computed, 6), rate, holds, False))
    failing = {r.ident for r in results if not r.holds}
    for r in results:
        if not r.holds and r.ident not in src.breaks:
            errors.append(f"{src.path.name}: {r.ident}: {r.left} ≠ {r.right} (not marked @breaks)")
    for r in results:
        why = src.breaks.get(r.ident, "")
        if not r.holds and why.startswith("rounding gap") and not r.rounding:
            errors.append(f"{src.path.name}: {r.ident}: {r.left} ≠ {r.right} is more than a rounding gap")
    for ident in src.breaks:
        if ident not in failing:
            errors.append(f"{src.path.name}: @breaks {ident}: the check holds or does not exist")
    return results, errors


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    names = [a for a in argv if a != "-v"] or ["dev"]
    status = 0
    for name in names:
        for path in sorted((HERE / name / "src").glob("*.gold.tsv")):
            src = read_source(path)
            results, errors = check_source(src)
            fields = sum(len(r["fields"]) for r in src.records)
            broken = [r for r in results if not r.holds]
            print(
                f"{src.file}: {len(src.records)} records, {fields} fields, {len(results)} checks, "
                f"{len(broken)} broken by the document"
            )
            for r in broken:
                kind = "rounding gap" if r.rounding else "break"
                print(f"    {kind}: {r.ident}: {r.left} vs {r.right} — {src.breaks.get(r.ident, '')}")
            if verbose:
                for r in results:
                    if r.holds:
                        print(f"    ok {r.ident}: {r.left}")
            for error in errors:
                print(f"  ERROR {error}")
                status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
