"""The "renamed" perturbation: does the pipeline still read a table when its title is one the rules
do not know?

Each table title of a `.txt` gold document is replaced by the titles other regions print for the same
kind (the hand-read inventory of corpus-dev, `eval/datasets/dev/inventory.toml`: real synonyms, such as
收支预算总表 for 部门收支总体情况表). A rename counts when it makes the rules lose fields: gold fields of
that table the rules read right on the clean document and not on the renamed one. On those, each
backend is scored: how many of the lost fields it recovers, and the precision of what it auto-accepts
among the renamed table's fields.

With `--labels`, the column headers and row labels of each table are renamed instead, one label at a
time, to the variants corpus-dev prints for them (`LABEL_SYNONYMS`: 公务用车运行维护费 for 公务用车运行费,
科目编码 for 功能分类科目编码, …). With `--every`, renames that lose nothing are reported too (the
auto-accepted precision then covers every renamed table).

    python -m eval.renamed --dataset seeds --backend rules --backend hybrid [--labels] [--every] [--json out.json]

Hybrid here asks the narrow question (the kind of the unknown table, an enum) and the rules' parser
reads the table with the kind given; run it offline to replay recordings, or live on the embedded model.
"""

from __future__ import annotations

import argparse
import json
import re
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
NOT_TABLES = frozenset({"department_profile", "narrative_facts"})  # prose: no header or row label
# a header or row label the seeds print → what corpus-dev prints for it in its tables (documents by number)
LABEL_SYNONYMS: dict[str, list[str]] = {
    "公务用车运行费": ["公务用车运行维护费"],  # 03–09, 17–21, 32, 34–38
    "公务用车运行维护费": ["公务用车运行费"],  # 35–38
    "公务用车购置及运行费": ["公务用车购置及运行维护费"],  # 03–09, 17–21, 32
    "公务用车购置及运行维护费": ["公务用车购置及运行费"],  # 35–38
    "因公出国（境）费": ["因公出国（境）费用"],  # 32
    "功能分类科目编码": ["科目编码"],  # Jiangsu, 西南大学, 43
    "功能分类科目名称": ["科目名称"],  # Jiangsu, 西南大学, 定州
    "经济分类科目名称": ["科目名称"],
    "公用经费": ["日常公用经费", "公用支出"],  # 34, 35, 37; 27
    "上年结转结余": ["年初结转和结余"],  # 35, 36, 38
    "一般公共预算拨款": ["一般公共预算财政拨款"],  # 35, 36, 38
    "预算数": ["金额"],  # Jiangsu, 西南大学, 定州
}
_CJK = "\u4e00-\u9fff"


def label_pattern(label: str) -> re.Pattern[str]:
    """A label printed as a cell of its own (not part of a longer name: 公用经费 in 日常公用经费)."""
    return re.compile(rf"(?<![{_CJK}]){re.escape(label)}(?![{_CJK}])")


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
    label: str = ""  # the header or row label renamed (to `synonym`), or "" for the title
    lost: int = 0  # gold fields of the table the rules read right before and not after
    recovered: dict[str, int] = field(default_factory=dict)  # backend -> lost fields read right
    auto_accepted: dict[str, int] = field(default_factory=dict)  # backend -> table fields auto-accepted
    auto_correct: dict[str, int] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _right(
    gold: GoldDocument, result: ExtractionResult, kind: str, label: tuple[str, str] | None = None
) -> tuple[set[str], dict[str, Any]]:
    """Addresses of `kind` read right, and the predicted entry of each address of `kind`. Given a
    renamed `label` (printed, renamed to), the gold is renamed likewise: a row keyed or named by its label
    is right under the name now printed."""
    predicted = [r for r in result_to_json(result)["records"] if r.get("kind") == kind]
    gold_records = [r for r in gold.records if r.get("kind") == kind]
    if label is not None:
        gold_records = [_relabel(r, *label) for r in gold_records]
    comparison = compare_document(gold.stem, gold_records, predicted)
    right = {o.address for o in comparison.outcomes if o.tp}
    statuses = {o.address: o for o in comparison.outcomes if o.predicted_present}
    return right, statuses


def _relabel(record: dict[str, Any], label: str, synonym: str) -> dict[str, Any]:
    pattern = label_pattern(label)
    fields = {
        name: {**f, "value": pattern.sub(synonym, f["value"])} if isinstance(f.get("value"), str) else f
        for name, f in record.get("fields", {}).items()
    }
    return {**record, "key": pattern.sub(synonym, str(record.get("key", ""))), "fields": fields}


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
    labels: Mapping[str, list[str]] | None = None,
    every: bool = False,
) -> list[Rename]:
    """Each rename of a table's title (or, given `labels`, of each of its labels) that makes the rules
    lose fields (`every`: each rename), scored for each backend."""
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
            if kinds is not None and kind not in kinds or labels is not None and kind in NOT_TABLES:
                continue
            done.add((kind, title))
            right_before, _ = _right(gold, clean, kind)
            for label, synonym, changed_text in _variants(
                text, seg.start, seg.end, title, kind, per_table, table_synonyms, labels
            ):
                changed = changed_text.encode("utf-8")
                rules = extract_document(
                    ingest_bytes(changed, gold.doc_path.name), backend="rules", settings=settings
                )
                relabel = (label, synonym) if label else None
                right_rules, _ = _right(gold, rules, kind, relabel)
                before = (
                    {label_pattern(label).sub(synonym, x) for x in right_before} if label else right_before
                )
                lost = before - right_rules
                if not lost and not every:
                    continue
                rename = Rename(gold.stem, kind, title, synonym, label=label, lost=len(lost))
                for backend in backends:
                    started = time.perf_counter()
                    result = (
                        rules
                        if backend == "rules"
                        else extract_document(
                            ingest_bytes(changed, gold.doc_path.name), backend=backend, settings=settings
                        )
                    )
                    right, entries = _right(gold, result, kind, relabel)
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


def _variants(
    text: str,
    start: int,
    end: int,
    title: str,
    kind: str,
    per_table: int,
    table_synonyms: Mapping[str, list[str]],
    labels: Mapping[str, list[str]] | None,
) -> list[tuple[str, str, str]]:
    """(label renamed or "", what it becomes, the document's text with it renamed) for one table."""
    out: list[tuple[str, str, str]] = []
    if labels is None:
        at = _title_at(text, start, title)
        if at is None:
            return out
        candidates = [s for s in table_synonyms.get(kind, []) if s != title]
        return [("", s, text[:at] + s + text[at + len(title) :]) for s in candidates[: per_table or None]]
    body = text[start:end]
    for label, variants in labels.items():
        pattern = label_pattern(label)
        if not pattern.search(body):
            continue
        for synonym in variants[: per_table or None]:
            out.append((label, synonym, text[:start] + pattern.sub(synonym, body) + text[end:]))
    return out


def summary(renames: list[Rename], backends: list[str]) -> dict[str, Any]:
    lost = sum(r.lost for r in renames)
    out: dict[str, Any] = {
        "renames": len(renames),
        "renames that lose fields": sum(1 for r in renames if r.lost),
        "fields the rules lose": lost,
    }
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
    parser.add_argument("--labels", action="store_true", help="rename headers and row labels, not titles")
    parser.add_argument("--every", action="store_true", help="report renames that lose nothing too")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    backends = args.backend or ["rules", "hybrid"]
    dataset = load_dataset(ROOT / "datasets" / args.dataset, name=args.dataset)
    renames = run_renamed(
        dataset,
        backends=backends,
        settings=Settings(),
        per_table=args.per_table,
        labels=LABEL_SYNONYMS if args.labels else None,
        every=args.every,
    )
    report = {"summary": summary(renames, backends), "renames": [_row(r) for r in renames]}
    print(json.dumps(report["summary"], ensure_ascii=False, indent=1))
    for r in renames:
        what = f"{r.title}: {r.label}" if r.label else r.title
        accepted = {b: f"{r.auto_correct[b]}/{r.auto_accepted[b]}" for b in r.auto_accepted}
        print(
            f"  {r.document} {r.kind}: {what} → {r.synonym}: lost {r.lost}, recovered {r.recovered},"
            f" auto-accepted right {accepted}"
        )
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
