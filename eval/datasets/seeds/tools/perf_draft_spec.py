"""Write a first draft of a hand-written table spec (perf_spec_<nnn>.py) from an extractor JSON.

Used once per PDF-layout seed (001, 004) to save typing: the draft lists, per table, the values
the extractor read, as printed strings. The spec is then corrected by reading the document, table
by table, row by row (rows added, removed, values moved or retyped); the committed spec is the
corrected one, and perf_build_pdf.py locates every value of it in the text.

    .venv/bin/python eval/datasets/seeds/tools/perf_draft_spec.py PRED.json > /tmp/draft.py
"""

from __future__ import annotations

import json
import sys
from typing import Any

HEAD = ("project_name", "owner", "budget_total", "budget_fiscal", "budget_other", "overall_goal")
ROW = ("level1", "level2", "name", "target", "basis", "last_year", "weight", "scoring_rule", "evidence")


def printed(text: str, f: dict[str, Any] | None) -> str | None:
    if not f:
        return None
    span = f.get("span")
    if span is None:
        return None
    return "".join(text[span[0] : span[1]].split())


def main(path: str) -> None:
    with open(path, encoding="utf-8") as fh:
        pred = json.load(fh)
    from perf_common import read_doc  # noqa: PLC0415

    text = read_doc(pred["document"]["source"].rsplit(".", 1)[0])
    tables: list[dict[str, Any]] = []
    prev_spans: dict[str, Any] = {}
    for r in pred["records"]:
        if r["kind"] == "performance_target":
            head = {n: printed(text, r["fields"].get(n)) for n in HEAD}
            tables.append({"key": r["key"], "title": r["table_title"], "head": head, "rows": []})
        elif r["kind"] == "performance_indicator":
            row = []
            prev = tables[-1]["rows"][-1] if tables[-1]["rows"] else None
            for n in ROW:
                v = printed(text, r["fields"].get(n))
                if prev is not None and n in ("level1", "level2") and r["fields"].get(n, {}).get("span") == prev_spans.get(n):
                    v = "^"
                row.append(v)
            prev_spans = {n: r["fields"].get(n, {}).get("span") for n in ("level1", "level2")}
            tables[-1]["rows"].append(row)
    print("TABLES = [")
    for t in tables:
        print("    {")
        print(f"        'key': {t['key']!r},\n        'title': {t['title']!r},")
        print(f"        'head': {t['head']!r},")
        print("        'rows': [")
        for row in t["rows"]:
            print(f"            {tuple(row)!r},")
        print("        ],\n    },")
    print("]")


if __name__ == "__main__":
    import pathlib

    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
    main(sys.argv[1])
