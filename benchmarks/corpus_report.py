"""What the product reads from a folder of real documents (default: ../shared/corpus-dev), per document:
tables found (kinds known), tables that yielded records, records, fields, auto-accepted fields, and tables
whose every sum and tie holds. No gold is needed: this is the before/after measure of a reading change.

    python benchmarks/corpus_report.py [DIR] [--backend rules] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from extractor.errors import ExtractorError
from extractor.model import ExtractionResult
from extractor.pipeline import extract_path
from extractor.settings import Settings

_TABLE_EXCLUDED = ("department_profile", "narrative_facts")
_KNOWN = (".pdf", ".txt", ".docx", ".doc", ".xlsx", ".xls")


def measure(result: ExtractionResult) -> dict[str, Any]:
    tables = [s for s in result.segments if s.kind not in _TABLE_EXCLUDED]
    by_segment: dict[int, list[str]] = {}
    for r in result.records:
        if r.segment_index is not None:
            by_segment.setdefault(r.segment_index, []).append(r.kind)
    yielded = [s for s in tables if s.index in by_segment]
    failing_segments: set[int] = set()
    checked_segments: set[int] = set()
    seg_of = {(r.kind, r.key): r.segment_index for r in result.records}
    for f in result.findings:
        if f.check not in ("sum", "tie"):
            continue
        for addr in f.addresses:
            kind, rest = addr.split("/", 1)
            key = rest.rsplit("/", 1)[0]
            seg = seg_of.get((kind, key))
            if seg is None:
                continue
            checked_segments.add(seg)
            if not f.ok and f.severity != "rounding":
                failing_segments.add(seg)
    statuses = [fv.status for _, _, fv in result.fields()]
    return {
        "tables": len(tables),
        "known": sum(1 for s in tables if s.kind is not None),
        "yielded": len(yielded),
        "consistent": sum(1 for s in yielded if s.index not in failing_segments),
        "checked": sum(1 for s in yielded if s.index in checked_segments),
        "records": len(result.records),
        "fields": len(statuses),
        "auto_accepted": statuses.count("auto_accepted"),
        "kinds": sorted({s.kind or "unknown" for s in tables}),
    }


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dir", nargs="?", type=Path, default=here.parent / "shared" / "corpus-dev")
    ap.add_argument("--backend", default="rules")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    settings = Settings()
    rows: dict[str, Any] = {}
    print(f"{'document':<44} {'s':>5} {'tables':>6} {'yield':>5} {'cons':>4} {'recs':>5} {'fields':>6} {'auto':>6}")
    for path in sorted(p for p in args.dir.iterdir() if p.suffix.lower() in _KNOWN):
        started = time.process_time()
        try:
            result = extract_path(path, backend=args.backend, settings=settings)
        except ExtractorError as exc:
            rows[path.name] = {"error": exc.user_message()}
            print(f"{path.name[:44]:<44} error: {exc.message}")
            continue
        m = measure(result)
        m["seconds"] = round(time.process_time() - started, 2)
        rows[path.name] = m
        print(f"{path.name[:44]:<44} {m['seconds']:>5} {m['tables']:>6} {m['yielded']:>5} {m['consistent']:>4} "
              f"{m['records']:>5} {m['fields']:>6} {m['auto_accepted']:>6}", flush=True)  # fmt: skip
    ok = [m for m in rows.values() if "error" not in m]
    tot = {k: sum(m[k] for m in ok) for k in ("tables", "yielded", "consistent", "records", "fields", "auto_accepted")}
    print(f"{'total (' + str(len(ok)) + ' read, ' + str(len(rows) - len(ok)) + ' failed)':<50} {tot['tables']:>6} "
          f"{tot['yielded']:>5} {tot['consistent']:>4} {tot['records']:>5} {tot['fields']:>6} {tot['auto_accepted']:>6}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
