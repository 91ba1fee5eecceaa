"""List every place where the extractor's export differs from the budget gold of a seed document.

    .venv/bin/python eval/datasets/seeds/tools/diff_extractor.py [--backend rules] [stem ...]
    .venv/bin/python eval/datasets/seeds/tools/diff_extractor.py --export OUT.json STEM

Only the budget kinds are compared (the performance kinds have their own gold part). Values are
compared as the eval harness compares them (eval/matching.py: numbers within 0.005, text without
whitespace). One line per difference: address, extractor value, gold value.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent
ROOT = SEEDS.parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from check_gold import BUDGET_KINDS, STEMS  # noqa: E402

from eval.matching import compare_document, document_record  # noqa: E402


def export(stem: str, backend: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        subprocess.run(
            [
                str(ROOT / ".venv/bin/extractor"),
                "extract",
                str(SEEDS / "docs" / f"{stem}.txt"),
                "--out",
                str(out),
                "--backend",
                backend,
            ],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return data


def short(v: Any) -> str:
    if isinstance(v, list):
        return f"[{len(v)} items]"
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= 60 else s[:57] + "…"


def diff(stem: str, prediction: dict[str, Any]) -> list[str]:
    gold = [
        json.loads(x) for x in (SEEDS / "gold-src" / f"{stem}.budget.jsonl").read_text("utf-8").splitlines()
    ]
    predicted = [r for r in prediction.get("records", []) if r.get("kind") in BUDGET_KINDS]
    if not any(r["kind"] == "document" for r in predicted):
        doc = document_record(prediction.get("document"))
        if doc:
            predicted.insert(0, doc)
    cmp = compare_document(stem, gold, predicted)
    lines = [f"missing record   {r.address}" for r in cmp.unmatched_gold]
    lines += [f"invented record  {r.address}" for r in cmp.unmatched_predicted]
    for o in cmp.outcomes:
        if not o.record_matched or o.outcome in ("correct", "blank"):
            continue
        what = {
            "wrong": "wrong value",
            "missing": "missing field",
            "null": "missing field",
            "spurious": "extra field",
        }[o.outcome]
        lines.append(f"{what:16s} {o.address}: extractor {short(o.predicted)}, gold {short(o.gold)}")
    return lines


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("stems", nargs="*")
    ap.add_argument("--backend", default="rules")
    ap.add_argument("--export", help="compare this export instead of running the extractor (one stem)")
    args = ap.parse_args(argv)
    stems = args.stems or list(STEMS)
    total = 0
    for stem in stems:
        pred = json.loads(Path(args.export).read_text("utf-8")) if args.export else export(stem, args.backend)
        lines = diff(stem, pred)
        total += len(lines)
        print(f"== {stem}: {len(lines)} differences")
        for line in lines:
            print("  ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
