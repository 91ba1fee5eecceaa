"""Disclosure checks over every original: the 5 seeds and the 25 corpus-dev documents beside the clone.

For each document: whether it could be read, the error / warning / info counts of `extractor check`, each
error finding (rule and quote: an error on an original must be a true defect of that document), and what the
report costs beyond the extraction (the checks, the JSON, the Markdown; best of `--repeat` runs).

    .venv/bin/python benchmarks/bench_findings.py [--repeat 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from extractor.errors import ExtractorError
from extractor.findings import check_result, counts, extract_for_check
from extractor.findings.report import report_json, report_markdown
from extractor.ingest import ingest_path
from extractor.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "eval" / "datasets" / "seeds" / "docs"
CORPUS = ROOT.parent / "shared" / "corpus-dev"


def originals() -> list[Path]:
    corpus = sorted(p for p in CORPUS.iterdir() if p.name != "README.md") if CORPUS.is_dir() else []
    return sorted(SEEDS.glob("*.txt")) + corpus


def measure(path: Path, settings: Settings, repeat: int) -> dict[str, Any]:
    try:
        doc = ingest_path(path)
    except ExtractorError as exc:
        return {"document": path.name, "readable": False, "message": exc.user_message()}
    result, extract_seconds = extract_for_check(doc, settings)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        findings = check_result(result)
        report_json(result, findings)
        report_markdown(result, findings)
        best = min(best, time.perf_counter() - started)
    return {
        "document": path.name,
        "readable": True,
        "format": doc.format,
        "chars": len(doc.text),
        "counts": counts(findings),
        "extract_seconds": round(extract_seconds, 3),
        "report_seconds": round(best, 4),
        "errors": [
            {"rule": f.rule, "page": f.page, "text": " ".join(f.text.split()), "message": f.message}
            for f in findings
            if f.severity == "error"
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    settings = Settings(backend="rules")
    rows = [measure(p, settings, args.repeat) for p in originals()]
    print(f"{'document':58} {'err':>4} {'warn':>4} {'info':>4} {'extract s':>9} {'report s':>9}")
    for r in rows:
        if not r["readable"]:
            print(f"{r['document'][:58]:58} unreadable today: {r['message'][-60:]}")
            continue
        c = r["counts"]
        print(
            f"{r['document'][:58]:58} {c['error']:>4} {c['warning']:>4} {c['info']:>4} "
            f"{r['extract_seconds']:>9.3f} {r['report_seconds']:>9.4f}"
        )
        for e in r["errors"]:
            print(f"    error {e['rule']} p.{e['page']}: 「{e['text'][:40]}」 {e['message'][:80]}")
    read = [r for r in rows if r["readable"]]
    worst = max((r["report_seconds"] for r in read), default=0.0)
    print(
        f"{len(read)}/{len(rows)} read; errors {sum(r['counts']['error'] for r in read)}, warnings "
        f"{sum(r['counts']['warning'] for r in read)}, info {sum(r['counts']['info'] for r in read)}; "
        f"report cost beyond extraction: max {worst:.4f} s (budget 0.5 s)"
    )
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
