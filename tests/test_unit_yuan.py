"""元 as well as 万元: seed tables re-printed in 元 (every amount × 10,000, with thousands separators, the
unit line saying 元) extract to the same records, in 元. (Their sums are not compared: a 万元 table's
0.01 rounding gaps become 100-元 gaps when scaled, which a table printed in 元 would not have.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.ingest import ingest_bytes
from extractor.pipeline import extract_document
from tests.seed_kinds import PUBLIC_TABLES

SEEDS = Path(__file__).resolve().parents[1] / "eval" / "datasets" / "seeds"
BUDGET_KINDS = PUBLIC_TABLES


def _in_yuan(stem: str) -> tuple[str, dict[tuple[str, str, str], float]]:
    text = (SEEDS / "docs" / f"{stem}.txt").read_text(encoding="utf-8")
    gold = [
        json.loads(line) for line in (SEEDS / f"{stem}.jsonl").read_text(encoding="utf-8").splitlines()[1:]
    ]
    edits: list[tuple[int, int, str]] = []
    expected: dict[tuple[str, str, str], float] = {}
    for rec in gold:
        if rec["kind"] not in BUDGET_KINDS or rec.get("unit") != "万元":
            continue
        for name, entry in rec["fields"].items():
            value, span = entry.get("value"), entry.get("span")
            if isinstance(value, bool) or not isinstance(value, int | float) or not span:
                continue
            yuan = round(value * 10000, 2)
            edits.append((span[0], span[1], f"{yuan:,.2f}"))
            expected[(rec["kind"], rec["key"], name)] = yuan
    starts = sorted(edits)
    assert all(a[1] <= b[0] for a, b in zip(starts, starts[1:], strict=False)), "overlapping spans"
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    # the tables' unit lines (the 说明's prose keeps its 万元 figures, which are not table values)
    return text.replace("单位：万元", "单位：元").replace("单位:万元", "单位:元"), expected


@pytest.mark.parametrize("stem", ["000_335c3f7f451f52b5", "004_7078add5d4f01a7a"])
def test_tables_in_yuan_extract_to_the_same_records(stem: str) -> None:
    text, expected = _in_yuan(stem)
    result = extract_document(ingest_bytes(text.encode("utf-8"), f"{stem}-yuan.txt"), backend="rules")
    got = {(r.kind, r.key, n): (fv.value, r.unit) for r in result.records for n, fv in r.fields.items()}
    wrong = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k, (None,))[0] != pytest.approx(v)}
    assert not wrong, list(wrong.items())[:10]
    units = {got[k][1] for k in expected}
    assert units == {"元"}
