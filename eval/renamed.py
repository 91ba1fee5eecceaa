"""The "renamed" perturbation: does the pipeline still read a table when its title is one the rules
do not know?

Each table title of a `.txt` gold document is replaced by the titles other regions print for the same
kind (the hand-read inventory of corpus-dev, `eval/datasets/dev/inventory.toml`: real synonyms, such as
收支预算总表 for 部门收支总体情况表). A rename counts when it makes the rules lose fields: gold fields of
that table the rules read right on the clean document and not on the renamed one. On those, each
backend is scored: how many of the lost fields it recovers, and the precision of what it auto-accepts
among the renamed table's fields. Titles only (column headers and row labels: not yet).

    python -m eval.renamed --dataset seeds --backend rules --backend hybrid [--json out.json]

Hybrid here asks the narrow question (the kind of the unknown table, an enum) and the rules' parser
reads the table with the kind given; run it offline to replay recordings, or live on the embedded model.
"""

from __future__ import annotations

import argparse
import json
import time
import tomllib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.gold import Dataset, GoldDocument, load_dataset
from eval.matching import compare_document
from extractor.export import result_to_json
from extractor.ingest import ingest_bytes
from extractor.model import ExtractionResult
from extractor.pipeline import extract_document
from extractor.settings import Settings

ROOT = Path(__file__).resolve().parent
# kinds whose record key is read from the title (a project's name): a new title is a new record
TITLE_KEYED = frozenset({"performance_target", "performance_self_evaluation", "activity_performance_target"})
INVENTORY = ROOT / "datasets" / "dev" / "inventory.toml"


def synonyms(inventory: Path = INVENTORY) -> dict[str, list[str]]:
    """Titles printed for each kind across corpus-dev (a table's first kind), sorted, deduplicated."""
    data = tomllib.loads(inventory.read_text(encoding="utf-8"))
    out: dict[str, set[str]] = defaultdict(set)
    for doc in data.get("document", []):
        for table in doc.get("table", []):
            kinds = table.get("kinds") or []
            if kinds and kinds[0] != "unknown" and table.get("title"):
                out[kinds[0]].add(str(table["title"]))
    return {k: sorted(v) for k, v in out.items()}


@dataclass
class Rename:
    document: str
    kind: str
    title: str
    synonym: str
    lost: int = 0  # gold fields of the table the rules read right before and not after
    recovered: dict[str, int] = field(default_factory=dict)  # backend -> lost fields read right
    auto_accepted: dict[str, int] = field(default_factory=dict)  # backend -> table fields auto-accepted
    auto_correct: dict[str, int] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _right(gold: GoldDocument, result: ExtractionResult, kind: str) -> tuple[set[str], dict[str, Any]]:
    """Addresses of `kind` read right, and the predicted entry of each address of `kind`."""
    predicted = [r for r in result_to_json(result)["records"] if r.get("kind") == kind]
    gold_records = [r for r in gold.records if r.get("kind") == kind]
    comparison = compare_document(gold.stem, gold_records, predicted)
    right = {o.address for o in comparison.outcomes if o.tp}
    statuses = {o.address: o for o in comparison.outcomes if o.predicted_present}
    return right, statuses


def _title_at(text: str, start: int, title: str) -> int | None:
    at = text.find(title, max(0, start - 200), start + 400)
    return at if at >= 0 else None


def run_renamed(
    dataset: Dataset,
    *,
    backends: list[str],
    settings: Settings,
    per_table: int = 0,
    kinds: set[str] | None = None,
    table_synonyms: Mapping[str, list[str]] | None = None,
) -> list[Rename]:
    table_synonyms = table_synonyms if table_synonyms is not None else synonyms()
    renames: list[Rename] = []
    for gold in dataset.documents:
        if gold.doc_path is None or gold.doc_path.suffix != ".txt":
            continue
        raw = gold.doc_path.read_bytes()
        text = raw.decode("utf-8")
        clean = extract_document(ingest_bytes(raw, gold.doc_path.name), backend="rules", settings=settings)
        gold_kinds = {str(r.get("kind")) for r in gold.records}
        done: set[tuple[str, str]] = set()
        for seg in clean.segments:
            kind, title = seg.kind, seg.title
            if kind is None or kind not in gold_kinds or kind in TITLE_KEYED or (kind, title) in done:
                continue
            if kinds is not None and kind not in kinds:
                continue
            done.add((kind, title))
            right_before, _ = _right(gold, clean, kind)
            candidates = [s for s in table_synonyms.get(kind, []) if s != title]
            for synonym in candidates[: per_table or None]:
                at = _title_at(text, seg.start, title)
                if at is None:
                    continue
                changed = (text[:at] + synonym + text[at + len(title) :]).encode("utf-8")
                rules = extract_document(
                    ingest_bytes(changed, gold.doc_path.name), backend="rules", settings=settings
                )
                right_rules, _ = _right(gold, rules, kind)
                lost = right_before - right_rules
                if not lost:
                    continue
                rename = Rename(gold.stem, kind, title, synonym, lost=len(lost))
                for backend in backends:
                    started = time.perf_counter()
                    result = (
                        rules
                        if backend == "rules"
                        else extract_document(
                            ingest_bytes(changed, gold.doc_path.name), backend=backend, settings=settings
                        )
                    )
                    right, entries = _right(gold, result, kind)
                    rename.recovered[backend] = len(lost & right)
                    accepted = [a for a, o in entries.items() if o.status == "auto_accepted"]
                    rename.auto_accepted[backend] = len(accepted)
                    rename.auto_correct[backend] = sum(1 for a in accepted if entries[a].correct)
                    u = result.usage
                    rename.calls[backend] = u.llm_calls
                    rename.tokens[backend] = u.prompt_tokens + u.completion_tokens
                    rename.seconds[backend] = round(time.perf_counter() - started, 2)
                renames.append(rename)
    return renames


def summary(renames: list[Rename], backends: list[str]) -> dict[str, Any]:
    lost = sum(r.lost for r in renames)
    out: dict[str, Any] = {"renames that lose fields": len(renames), "fields the rules lose": lost}
    for b in backends:
        accepted = sum(r.auto_accepted.get(b, 0) for r in renames)
        correct = sum(r.auto_correct.get(b, 0) for r in renames)
        n = max(1, len(renames))
        out[b] = {
            "recovered": sum(r.recovered.get(b, 0) for r in renames),
            "recovered_share": round(sum(r.recovered.get(b, 0) for r in renames) / max(1, lost), 4),
            "auto_accepted": accepted,
            "auto_accepted_precision": round(correct / accepted, 4) if accepted else None,
            "llm_requests_per_document": round(sum(r.calls.get(b, 0) for r in renames) / n, 2),
            "llm_tokens_per_document": round(sum(r.tokens.get(b, 0) for r in renames) / n, 1),
            "seconds_per_document": round(sum(r.seconds.get(b, 0.0) for r in renames) / n, 2),
        }
    return out


def _row(r: Rename) -> Mapping[str, Any]:
    return dict(r.__dict__)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", default="seeds")
    parser.add_argument("--backend", action="append", default=None)
    parser.add_argument("--per-table", type=int, default=0, help="synonyms tried per table (0: all)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    backends = args.backend or ["rules", "hybrid"]
    dataset = load_dataset(ROOT / "datasets" / args.dataset, name=args.dataset)
    renames = run_renamed(dataset, backends=backends, settings=Settings(), per_table=args.per_table)
    report = {"summary": summary(renames, backends), "renames": [_row(r) for r in renames]}
    print(json.dumps(report["summary"], ensure_ascii=False, indent=1))
    for r in renames:
        print(f"  {r.document} {r.kind}: {r.title} → {r.synonym}: lost {r.lost}, recovered {r.recovered}")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
