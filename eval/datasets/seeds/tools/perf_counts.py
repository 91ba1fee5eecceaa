"""Count the performance gold: records and fields (with a value) per document and kind, plus the
fields carrying a note, an `intended` value, or no span.

    .venv/bin/python eval/datasets/seeds/tools/perf_counts.py      # Markdown table
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from perf_common import GOLD_SRC, STEMS, load_gold  # noqa: E402

KINDS = ("document", "performance_target", "performance_indicator", "performance_self_evaluation", "self_evaluation_indicator")


def main() -> None:
    rows: list[tuple[str, str, int, int]] = []
    extra: Counter[str] = Counter()
    for stem in STEMS:
        recs = load_gold(stem)
        header = GOLD_SRC / f"{stem}.header.json"
        if header.exists() and stem[:3] in ("002", "003"):  # the other headers belong to the budget gold
            doc = json.loads(header.read_text(encoding="utf-8"))["document"]
            n = sum(1 for k in ("unit_name", "fiscal_year", "doc_type", "money_unit") if doc.get(k) is not None)
            rows.append((stem[:3], "document", 1, n))
        for kind in KINDS[1:]:
            rs = [r for r in recs if r["kind"] == kind]
            if rs:
                n = sum(1 for r in rs for f in r["fields"].values() if f["value"] is not None)
                rows.append((stem[:3], kind, len(rs), n))
        for r in recs:
            for f in r["fields"].values():
                extra["note"] += "note" in f
                extra["intended"] += "intended" in f
                extra["no span"] += f.get("span") is None
    print("| doc | kind | records | fields |")
    print("| --- | --- | ---: | ---: |")
    for d, k, r, f in rows:
        print(f"| {d} | `{k}` | {r} | {f} |")
    for d in sorted({r[0] for r in rows}):
        print(f"| {d} | **all** | {sum(r[2] for r in rows if r[0] == d)} | {sum(r[3] for r in rows if r[0] == d)} |")
    for k in KINDS:
        sel = [r for r in rows if r[1] == k]
        if sel:
            print(f"| **all** | `{k}` | {sum(r[2] for r in sel)} | {sum(r[3] for r in sel)} |")
    print(f"| **all** | **all** | {sum(r[2] for r in rows)} | {sum(r[3] for r in rows)} |")
    print()
    print(", ".join(f"{k}: {v}" for k, v in extra.items()))


if __name__ == "__main__":
    main()
