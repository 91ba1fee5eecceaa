"""List every difference between the performance gold of a seed and the extractor's output.

    .venv/bin/python eval/datasets/seeds/tools/perf_diff.py [--spans] [--run] STEM [PRED.json]

Without PRED.json (or with --run) the rules extractor is run on the seed first. Only the performance
kinds (and the `document` record of 002/003) are compared. Values are compared as `eval` compares
them (numbers within 0.005, text after whitespace removal); `--spans` also lists span differences.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT))

from perf_common import DOCS, GOLD_SRC, load_gold  # noqa: E402

from eval.matching import normalise_text, values_equal  # noqa: E402

KINDS = (
    "performance_target",
    "performance_indicator",
    "performance_self_evaluation",
    "self_evaluation_indicator",
)


def run_extractor(stem: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "x.json"
        subprocess.run(
            [
                str(ROOT / ".venv/bin/extractor"),
                "extract",
                str(DOCS / f"{stem}.txt"),
                "--out",
                str(out),
                "--backend",
                "rules",
            ],
            check=True,
            capture_output=True,
        )
        return cast(dict[str, Any], json.loads(out.read_text(encoding="utf-8")))


def compare(stem: str, pred: dict[str, Any], spans: bool = False) -> list[str]:
    gold = load_gold(stem)
    header = GOLD_SRC / f"{stem}.header.json"
    lines: list[str] = []
    if header.exists() and stem[:3] in ("002", "003"):  # the other headers belong to the budget gold
        doc = json.loads(header.read_text(encoding="utf-8"))["document"]
        for name in ("unit_name", "fiscal_year", "doc_type", "money_unit"):
            if not values_equal(doc.get(name), pred["document"].get(name)):
                lines.append(
                    f"document//{name}: extractor {pred['document'].get(name)!r} gold {doc.get(name)!r}"
                )
    g = {(r["kind"], normalise_text(r["key"])): r for r in gold}
    p = {(r["kind"], normalise_text(r["key"])): r for r in pred["records"] if r["kind"] in KINDS}
    for k in sorted(set(g) - set(p)):
        lines.append(f"MISSING {k[0]}/{k[1]}")
    for k in sorted(set(p) - set(g)):
        vals = {n: f.get("value") for n, f in p[k]["fields"].items()}
        lines.append(f"EXTRA   {k[0]}/{k[1]} {json.dumps(vals, ensure_ascii=False)[:200]}")
    for k in [k for k in g if k in p]:
        gf, pf = g[k]["fields"], p[k]["fields"]
        for name in sorted(set(gf) | set(pf)):
            gv = gf.get(name, {}).get("value")
            pv = pf.get(name, {}).get("value")
            if not values_equal(gv, pv):
                lines.append(f"{k[0]}/{k[1]}/{name}: extractor {str(pv)[:120]!r} gold {str(gv)[:120]!r}")
            elif spans and name in gf and name in pf and gf[name].get("span") != pf[name].get("span"):
                lines.append(
                    f"span {k[0]}/{k[1]}/{name}: extractor {pf[name].get('span')} gold {gf[name].get('span')}"
                )
    return lines


def main(argv: list[str]) -> int:
    spans = "--spans" in argv
    args = [a for a in argv if not a.startswith("--")]
    stem = args[0]
    pred = (
        json.loads(Path(args[1]).read_text(encoding="utf-8"))
        if len(args) > 1 and "--run" not in argv
        else run_extractor(stem)
    )
    diffs = compare(stem, pred, spans)
    print("\n".join(diffs))
    print(f"{len(diffs)} differences", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
