"""What the product reads from a folder of real documents (default: ../shared/corpus-dev), per document:
tables found (kinds known), tables that yielded records, records, fields, auto-accepted fields, and tables
whose every sum and tie holds. No gold is needed: this is the before/after measure of a reading change.

With the hand-read table inventory (`eval/datasets/dev/inventory.toml`, on by default for corpus-dev) it
also gives table recall: of the standard tables each document prints (kind not "unknown"), how many the
product found and read into records; the ones it did not, and the yielded tables whose checks fail, are
listed by title and page.

    python benchmarks/corpus_report.py [DIR] [--backend rules] [--inventory TOML] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

from extractor.classify import title_core
from extractor.errors import ExtractorError
from extractor.inventory import table_inventory
from extractor.model import ExtractionResult
from extractor.pipeline import extract_path
from extractor.settings import Settings

_TABLE_EXCLUDED = ("department_profile", "narrative_facts")
_KNOWN = (".pdf", ".txt", ".docx", ".doc", ".xlsx", ".xls")


_YEAR = re.compile(r"[0-9O]{4}年(?:度)?|[（(][0-9O]{4}年(?:度)?[）)]")


def _core(title: str) -> str:
    core, qualifier = title_core(title)
    return _YEAR.sub("", core + qualifier)


def recall(result: ExtractionResult, hand: list[dict[str, Any]]) -> dict[str, Any]:
    """Match the inventory's tables to the product's, by title (numbering and year aside) and page."""
    entries = table_inventory(result)
    paged = result.document.format == "pdf"  # a Word file's text has no printed pages to compare
    used: set[int] = set()
    missed: list[str] = []
    standard = [t for t in hand if t.get("kinds") != ["unknown"]]
    read = 0
    for t in standard:
        want = _core(str(t["title"]))
        page = t.get("page")
        match = None
        for i, e in enumerate(entries):
            if i in used:
                continue
            got = _core(e.title)
            if not (want == got or want in got or got in want):
                continue
            if paged and isinstance(page, int) and abs(e.page - page) > 1:
                continue
            match = i
            break
        if match is not None:
            used.add(match)
        if match is not None and entries[match].records:
            read += 1
        else:
            where = f" p{page}" if isinstance(page, int) else ""
            missed.append(f"{t['title']}{where}" + ("" if match is not None else " (not found)"))
    return {"standard": len(standard), "read": read, "missed": missed}


def measure(result: ExtractionResult) -> dict[str, Any]:
    tables = [s for s in result.segments if s.kind not in _TABLE_EXCLUDED]
    by_segment: dict[int, list[str]] = {}
    for r in result.records:
        if r.segment_index is not None:
            by_segment.setdefault(r.segment_index, []).append(r.kind)
    yielded = [s for s in tables if s.index in by_segment]
    failing_segments: set[int] = set()
    checked_segments: set[int] = set()
    failing_why: dict[int, str] = {}
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
                failing_why.setdefault(seg, f.message)
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
        "failing": [
            f"{s.title} p{result.document.page_of(s.start)}: {failing_why[s.index]}"
            for s in yielded
            if s.index in failing_segments
        ],
    }


def _f1_by_document(path: Path) -> dict[str, float]:
    data = json.loads(path.read_text(encoding="utf-8"))
    backend = next(iter(data["backends"].values()))
    return {doc: m["field_f1"] for doc, m in backend["per_document"].items() if m.get("field_f1") is not None}


def markdown_table(rows: dict[str, Any], hand: dict[str, list[dict[str, Any]]], f1: dict[str, float]) -> str:
    """One row per document: tables printed (by the hand inventory), standard ones read, yielded tables and
    those whose every sum and tie holds, fields, auto-accepted fields, F1 where there is gold."""
    out = [
        "| document | tables printed | standard read | yielded | self-consistent | fields | auto-accepted | F1 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, m in rows.items():
        if "error" in m:
            out.append(f"| {name} | error: {m['error']} | | | | | | |")
            continue
        r = m.get("recall", {"standard": 0, "read": 0})
        stem = Path(name).stem
        score = f"{100 * f1[stem]:.1f} %" if stem in f1 else ""
        out.append(
            f"| {name[:48]} | {len(hand.get(name, []))} | {r['read']}/{r['standard']} | {m['yielded']} | "
            f"{m['consistent']} | {m['fields']} | {m['auto_accepted']} | {score} |"
        )
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dir", nargs="?", type=Path, default=here.parent / "shared" / "corpus-dev")
    ap.add_argument("--backend", default="rules")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--markdown", type=Path, help="also write the per-document table as Markdown")
    ap.add_argument(
        "--eval-json",
        type=Path,
        help="an `extractor eval --json` report: its per-document F1 joins the table",
    )
    ap.add_argument("--inventory", type=Path, default=here / "eval" / "datasets" / "dev" / "inventory.toml")
    args = ap.parse_args(argv)
    hand: dict[str, list[dict[str, Any]]] = {}
    if args.inventory.is_file():
        with args.inventory.open("rb") as fh:
            hand = {d["file"]: d.get("table", []) for d in tomllib.load(fh)["document"]}
    settings = Settings()
    rows: dict[str, Any] = {}
    print(
        f"{'document':<44} {'s':>5} {'tables':>6} {'yield':>5} {'cons':>4} {'recs':>5} {'fields':>6} {'auto':>6}"
        f" {'std':>4} {'read':>4}"
    )
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
        if path.name in hand:
            m["recall"] = recall(result, hand[path.name])
        rows[path.name] = m
        r = m.get("recall", {"standard": "", "read": ""})
        print(
            f"{path.name[:44]:<44} {m['seconds']:>5} {m['tables']:>6} {m['yielded']:>5} {m['consistent']:>4} "
            f"{m['records']:>5} {m['fields']:>6} {m['auto_accepted']:>6} {r['standard']:>4} {r['read']:>4}",
            flush=True,
        )
    ok = [m for m in rows.values() if "error" not in m]
    tot = {
        k: sum(m[k] for m in ok)
        for k in ("tables", "yielded", "consistent", "records", "fields", "auto_accepted")
    }
    print(
        f"{'total (' + str(len(ok)) + ' read, ' + str(len(rows) - len(ok)) + ' failed)':<50} {tot['tables']:>6} "
        f"{tot['yielded']:>5} {tot['consistent']:>4} {tot['records']:>5} {tot['fields']:>6} {tot['auto_accepted']:>6}"
    )
    with_recall = [m["recall"] for m in ok if "recall" in m]
    if with_recall:
        std = sum(r["standard"] for r in with_recall)
        got = sum(r["read"] for r in with_recall)
        print(
            f"table recall (inventory): {got} of {std} standard tables read ({100 * got / max(std, 1):.1f} %)"
        )
        for name, m in rows.items():
            for t in m.get("recall", {}).get("missed", []):
                print(f"  not read: {name[:30]} · {t}")
    if tot["yielded"]:
        print(
            f"self-consistent: {tot['consistent']} of {tot['yielded']} yielded tables "
            f"({100 * tot['consistent'] / tot['yielded']:.1f} %)"
        )
        for name, m in rows.items():
            for t in m.get("failing", []):
                print(f"  failing: {name[:30]} · {t}")
    if args.markdown:
        f1 = _f1_by_document(args.eval_json) if args.eval_json else {}
        args.markdown.write_text(markdown_table(rows, hand, f1), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
