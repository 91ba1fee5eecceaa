"""The "renamed" perturbation: does the pipeline still read a table when its title is one the rules
do not know?

Each table title of a gold document (a `.txt` as printed; a PDF, Word or Excel file in the text its
reader gives) is replaced by the titles other regions print for the same
kind (the hand-read inventory of corpus-dev, `eval/datasets/dev/inventory.toml`: real synonyms, such as
收支预算总表 for 部门收支总体情况表). A rename counts when it makes the rules lose fields: gold fields of
that table the rules read right on the clean document and not on the renamed one. On those, each
backend is scored: how many of the lost fields it recovers, and the precision of what it auto-accepts
among the renamed table's fields.

With `--labels`, the column headers and row labels of each table are renamed instead, one label at a
time, to the variants corpus-dev prints for them (`LABEL_SYNONYMS`: 公务用车运行维护费 for 公务用车运行费,
科目编码 for 功能分类科目编码, …). With `--every`, renames that lose nothing are reported too (the
auto-accepted precision then covers every renamed table). `--mode combined` renames a table's title
and every label of it that has a variant at once (the labels' variants taken in turn across the
titles); `--mode document` renames every table of the document at once (see `eval.renamed_variants`).

    python -m eval.renamed --dataset seeds --backend rules --backend hybrid [--labels | --mode combined]
        [--every] [--json out.json]

Hybrid here asks the narrow question (the kind of the unknown table, an enum) and the rules' parser
reads the table with the kind given; run it offline to replay recordings, or live on the embedded model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
import tomllib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from eval.gold import Dataset, GoldDocument, load_dataset
from eval.harness import covered
from eval.matching import compare_document
from eval.renamed_variants import (
    MODES,
    Variant,
    document_variants,
    relabel_text,
    same_table,
    table_variants,
)
from extractor.export import result_to_json
from extractor.ingest import ingest_bytes
from extractor.model import ExtractionResult, IngestedDocument, Segment
from extractor.pipeline import extract_document
from extractor.settings import Settings
from schemas import KIND_MODELS

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


def _units(inventory: Path = INVENTORY) -> list[str]:
    """The units the inventory's documents are of (a title printing one names that unit's table)."""
    data = tomllib.loads(inventory.read_text(encoding="utf-8"))
    return sorted({str(d["unit_name"]) for d in data.get("document", []) if d.get("unit_name")})


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
    labels: dict[str, str] = field(default_factory=dict)  # every label renamed → what it became
    lost_fields: list[str] = field(default_factory=list)
    wrong_accepted: dict[str, list[str]] = field(default_factory=dict)  # backend -> addresses


def _right(
    gold: GoldDocument,
    result: ExtractionResult,
    kinds: set[str] | None,
    mapping: Mapping[str, str] | None = None,
) -> tuple[set[str], dict[str, Any]]:
    """Addresses of `kinds` (None: all) read right, and the predicted entry of each address of them.
    Given the labels renamed (printed → renamed to), the gold is renamed likewise: a row keyed or named
    by its label is right under the name now printed."""
    records = covered(gold, result_to_json(result))["records"]
    predicted = [r for r in records if kinds is None or r.get("kind") in kinds]
    gold_records = [r for r in gold.records if kinds is None or r.get("kind") in kinds]
    if mapping:
        gold_records = [_relabel(r, mapping) for r in gold_records]
    comparison = compare_document(gold.stem, gold_records, predicted)
    right = {o.address for o in comparison.outcomes if o.tp}
    statuses = {o.address: o for o in comparison.outcomes if o.predicted_present}
    return right, statuses


def _relabel(record: dict[str, Any], mapping: Mapping[str, str]) -> dict[str, Any]:
    fields = {
        name: {**f, "value": relabel_text(f["value"], mapping)} if isinstance(f.get("value"), str) else f
        for name, f in record.get("fields", {}).items()
    }
    return {**record, "key": relabel_text(str(record.get("key", "")), mapping), "fields": fields}


def renamed_document(doc: IngestedDocument, text: str) -> IngestedDocument:
    """The document as if it printed `text` (its format kept: the readers' text is what the rules see;
    the PDF boxes no longer line up, and are dropped)."""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return replace(doc, text=text, sha256=sha, boxes=[], original=None)


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
    mode: str | None = None,
) -> list[Rename]:
    """Each rename (see `eval.renamed_variants`; the mode is "labels" when `labels` are given, else
    "titles") that makes the rules lose fields (`every`: each rename), scored for each backend. A gold
    document read from PDF, Word or Excel is renamed in the text its reader gives."""
    mode = mode or ("labels" if labels is not None else "titles")
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: one of {', '.join(MODES)}")
    # the inventory's titles are filtered to those that could name the very table (`same_table`); titles
    # given by the caller are tried as given
    units = _units() if table_synonyms is None else None
    table_synonyms = table_synonyms if table_synonyms is not None else synonyms()
    labels = labels if labels is not None else LABEL_SYNONYMS
    renames: list[Rename] = []
    for gold in dataset.documents:
        if gold.doc_path is None:
            continue
        source = ingest_bytes(gold.doc_path.read_bytes(), gold.doc_path.name)
        clean = extract_document(source, backend="rules", settings=settings)
        gold_kinds = {str(r.get("kind")) for r in gold.records}
        tables: list[tuple[str, Segment]] = []
        for seg in clean.segments:
            kind = seg.kind
            if kind is None or kind not in gold_kinds or kind in TITLE_KEYED:
                continue
            if kinds is not None and kind not in kinds or mode != "titles" and kind in NOT_TABLES:
                continue
            if all(seg.title != s.title or kind != k for k, s in tables):
                tables.append((kind, seg))
        jobs: list[tuple[str | None, str, Variant]] = []
        if mode == "document":
            spots = [(s.start, s.title, _titles(table_synonyms, k, s.title, gold, units)) for k, s in tables]
            count = per_table or max([len(t) for _s, _t, t in spots] + [1])
            jobs = [(None, "", v) for v in document_variants(source.text, spots, labels, count=count)]
        for kind, seg in tables if mode != "document" else []:
            for v in table_variants(
                source.text,
                seg.start,
                seg.end,
                seg.title,
                _titles(table_synonyms, kind, seg.title, gold, units),
                labels,
                mode=mode,
                per_table=per_table,
            ):
                jobs.append((kind, seg.title, v))
        for kind, title, variant in jobs:
            if rename := _score(gold, source, clean, kind, title, variant, backends, settings, every):
                renames.append(rename)
    return renames


def _titles(
    table_synonyms: Mapping[str, list[str]],
    kind: str,
    title: str,
    gold: GoldDocument,
    units: list[str] | None,
) -> list[str]:
    """The inventory's titles for `kind` that could name this table of `gold` (`same_table`; all of
    them when `units` is None: titles the caller chose)."""
    if units is None:
        return list(table_synonyms.get(kind, []))
    doc = gold.document or {}
    unit = str(doc.get("unit_name") or "")
    fiscal_year = doc.get("fiscal_year")
    year = re.match(r"\s*(20\d\d\s*年)", title)  # a title's year stays printed (2019年政府采购预算表)
    return [
        s if year is None or re.search(r"20\d\d\s*年", s) else year.group(1) + s
        for s in table_synonyms.get(kind, [])
        if same_table(
            kind,
            title,
            s,
            doc_type=doc.get("doc_type"),
            fiscal_year=fiscal_year if isinstance(fiscal_year, int) else None,
            other_units=[u for u in units if u not in unit],
        )
    ]


def _score(
    gold: GoldDocument,
    source: IngestedDocument,
    clean: ExtractionResult,
    kind: str | None,
    title: str,
    variant: Variant,
    backends: list[str],
    settings: Settings,
    every: bool,
) -> Rename | None:
    """The rename scored: the fields of `kind` (None: of the document) the rules lose, and what each
    backend recovers and auto-accepts; None when the rules lose nothing (unless `every`)."""
    scope = {kind} if kind else None
    mapping = variant.labels
    right_before, _ = _right(gold, clean, scope)
    before = {relabel_text(x, mapping) for x in right_before}
    changed = renamed_document(source, variant.text)
    rules = extract_document(changed, backend="rules", settings=settings)
    right_rules, _ = _right(gold, rules, scope, mapping)
    lost = before - right_rules
    if not lost and not every:
        return None
    label = variant.label if len(mapping) != 1 else next(iter(mapping))
    rename = Rename(gold.stem, kind or "*", title, variant.synonym or "", label=label, lost=len(lost))
    rename.labels = dict(mapping)
    rename.lost_fields = sorted(lost)
    for backend in backends:
        started = time.perf_counter()
        result = (
            rules if backend == "rules" else extract_document(changed, backend=backend, settings=settings)
        )
        right, _ = _right(gold, result, scope, mapping)
        rename.recovered[backend] = len(lost & right)
        # what is auto-accepted counts the kinds the LLM or the content rules gave a table too (a wrong
        # kind's rows)
        given = {s.kind for s in result.segments if s.kind and ({"llm", "content"} & set(s.classified_by))}
        _, entries = _right(gold, result, scope | given if scope else None, mapping)
        accepted = [a for a, o in entries.items() if o.status == "auto_accepted"]
        rename.auto_accepted[backend] = len(accepted)
        rename.auto_correct[backend] = sum(1 for a in accepted if entries[a].correct)
        rename.wrong_accepted[backend] = sorted(a for a in accepted if not entries[a].correct)
        u = result.usage
        rename.calls[backend] = u.llm_calls
        rename.tokens[backend] = u.prompt_tokens + u.completion_tokens
        rename.seconds[backend] = round(time.perf_counter() - started, 2)
    return rename


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


def gate_failures(
    report: Mapping[str, Any], backends: list[str], *, max_lost: int, min_precision: float
) -> list[str]:
    """What a renamed run breaks of its gate: a backend that still loses more than `max_lost` fields (lost
    by the rules and not recovered), or auto-accepts the renamed tables below `min_precision`."""
    failures = []
    for b in backends:
        left = report["fields the rules lose"] - report[b]["recovered"]
        if left > max_lost:
            failures.append(f"{b}: {left} fields lost to renames (at most {max_lost})")
        precision = report[b]["auto_accepted_precision"]
        if precision is not None and precision < min_precision:
            failures.append(
                f"{b}: auto-accepted precision {precision:.4f} on renamed tables (at least {min_precision})"
            )
    return failures


def _row(r: Rename) -> Mapping[str, Any]:
    return dict(r.__dict__)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", default="seeds")
    parser.add_argument("--backend", action="append", default=None)
    parser.add_argument("--per-table", type=int, default=0, help="synonyms tried per table (0: all)")
    parser.add_argument("--labels", action="store_true", help="rename headers and row labels, not titles")
    parser.add_argument(
        "--mode",
        choices=MODES,
        default=None,
        help="titles, labels (one at a time), combined (a table's"
        " title and all its labels at once) or document (every table at once); default titles",
    )
    parser.add_argument("--every", action="store_true", help="report renames that lose nothing too")
    parser.add_argument(
        "--title",
        default=None,
        help="give every table this one title instead of the inventory's (e.g. a title no rule knows,"
        " 用款计划明细表: the kind is then the content rule's or the LLM's to find)",
    )
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--max-lost", type=int, default=None, help="gate: fail when a backend loses more fields"
    )
    parser.add_argument("--min-precision", type=float, default=0.995, help="gate: auto-accepted precision")
    args = parser.parse_args()
    backends = args.backend or ["rules", "hybrid"]
    dataset = load_dataset(ROOT / "datasets" / args.dataset, name=args.dataset)
    renames = run_renamed(
        dataset,
        backends=backends,
        settings=Settings(),
        per_table=args.per_table,
        labels=LABEL_SYNONYMS,
        table_synonyms=None if args.title is None else {k: [args.title] for k in KIND_MODELS},
        every=args.every,
        mode=args.mode or ("labels" if args.labels else "titles"),
    )
    report: dict[str, Any] = {"summary": summary(renames, backends), "renames": [_row(r) for r in renames]}
    print(json.dumps(report["summary"], ensure_ascii=False, indent=1))
    for r in renames:
        what = f"{r.title}: {r.label}" if r.label else r.title or "(every table)"
        accepted = {b: f"{r.auto_correct[b]}/{r.auto_accepted[b]}" for b in r.auto_accepted}
        print(
            f"  {r.document} {r.kind}: {what} → {r.synonym}: lost {r.lost}, recovered {r.recovered},"
            f" auto-accepted right {accepted}"
        )
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.max_lost is not None:
        failures = gate_failures(
            report["summary"], backends, max_lost=args.max_lost, min_precision=args.min_precision
        )
        for failure in failures:
            print(f"renamed gate failed: {failure}", file=sys.stderr)
        if failures:
            raise SystemExit(1)
        print(f"renamed gate passed ({args.dataset}, {args.mode or 'titles'}: {len(backends)} backend(s))")


if __name__ == "__main__":
    main()
