"""Print a gold part with the text each span points at, for reading it against the document.

.venv/bin/python eval/datasets/seeds/tools/show_gold.py 004_7078add5d4f01a7a [kind ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from goldlib import GOLD_SRC, load_text  # noqa: E402


def main(argv: list[str]) -> None:
    stem, kinds = argv[0], set(argv[1:])
    text = load_text(stem)
    for line in (GOLD_SRC / f"{stem}.budget.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if kinds and rec["kind"] not in kinds:
            continue
        note = f"  [{rec['note']}]" if rec.get("note") else ""
        print(f"{rec['kind']} | {rec['key']} | {rec['table_title']} | {rec['unit']}{note}")
        for name, f in rec["fields"].items():
            span = f.get("span")
            shown = text[span[0] : span[1]] if span else None
            if isinstance(shown, str) and len(shown) > 60:
                shown = shown[:28] + " … " + shown[-28:]
            value = f["value"]
            if isinstance(value, list):
                value = f"[{len(value)} items] " + " / ".join(str(v)[:12] for v in value)
            extra = ""
            if "intended" in f:
                extra += f" intended={f['intended']!r}"
            if f.get("note"):
                extra += f"  # {f['note'][:90]}"
            print(f"    {name} = {value!r} @{span} {shown!r}{extra}")


if __name__ == "__main__":
    main(sys.argv[1:])
