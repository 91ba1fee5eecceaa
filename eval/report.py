"""The eval's outputs: the Markdown report (embedding the PNGs), the JSON file, the terminal headline."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from eval.gate import GateResult
from eval.harness import EvalRun
from eval.metrics import BackendScore, Metric
from eval.plots import KINDS_PNG, RELIABILITY_PNG, SWEEP_PNG, write_plots
from extractor.files import write_atomically

MAX_LISTED = 200

# (metric, label, format): format is int | pct | f3 | f2 | f0
HEADLINE: tuple[tuple[str, str, str], ...] = (
    ("documents", "documents", "int"),
    ("documents_failed", "documents failed", "int"),
    ("gold_records", "gold records", "int"),
    ("row_completeness", "row completeness", "pct"),
    ("gold_fields", "gold fields (with a value)", "int"),
    ("predicted_fields", "predicted fields (with a value)", "int"),
    ("field_precision", "field precision", "pct"),
    ("field_recall", "field recall", "pct"),
    ("field_f1", "field F1", "pct"),
    ("doc_exact_rate", "whole-document exact", "pct"),
    ("straight_through_rate", "straight-through rate", "pct"),
    ("auto_accepted_precision", "auto-accepted precision", "pct"),
    ("auto_accepted_contradictions", "auto-accepted contradictions", "int"),
    ("review_wrong_share", "queued fields in fact wrong or contradicted", "pct"),
    ("untrusted_fields", "fields not trusted by gold (wrong or contradicted)", "int"),
    ("ece", "ECE (10 bins, vs trusted)", "f3"),
    ("auroc", "AUROC (vs trusted)", "f3"),
    ("ece_printed", "ECE (vs printed value right)", "f3"),
    ("auroc_printed", "AUROC (vs printed value right)", "f3"),
    ("seconds_per_doc", "seconds / document", "f2"),
    ("llm_calls_per_doc", "LLM calls / document", "f2"),
    ("llm_tokens_per_doc", "LLM tokens / document", "f0"),
    ("llm_replayed_calls_per_doc", "LLM calls replayed / document", "f2"),
    ("llm_replayed_tokens_per_doc", "… their tokens when recorded", "f0"),
    ("llm_replayed_seconds_per_doc", "… their seconds when recorded", "f2"),
)

KIND_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("gold_records", "gold rows", "int"),
    ("row_completeness", "rows found", "pct"),
    ("gold_fields", "gold fields", "int"),
    ("field_precision", "precision", "pct"),
    ("field_recall", "recall", "pct"),
    ("field_f1", "F1", "pct"),
    ("straight_through_rate", "straight-through", "pct"),
    ("auto_accepted_precision", "auto-acc. precision", "pct"),
    ("ece", "ECE", "f3"),
    ("auroc", "AUROC", "f3"),
)

DOC_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("row_completeness", "rows found", "pct"),
    ("field_precision", "precision", "pct"),
    ("field_recall", "recall", "pct"),
    ("field_f1", "F1", "pct"),
    ("straight_through_rate", "straight-through", "pct"),
    ("seconds", "seconds", "f2"),
    ("llm_calls", "LLM calls", "f0"),
    ("llm_tokens", "LLM tokens", "f0"),
)

DEFINITIONS = """\
- Records match by (kind, key), keys compared with all whitespace removed; surplus duplicates stay unmatched.
- Values: numbers equal within 0.005 (inclusive) in the table's printed unit; text equal after removing all
  whitespace; lists element-wise; null, blank text and an empty list are "no value", as is an absent field.
  Gold's printed `value` is scored; `intended` is only shown.
- Field precision = correct / predicted fields with a value; recall = correct / gold fields with a value;
  F1 = 2TP / (2TP + FP + FN). A wrong value is one FP and one FN; a predicted null where gold has a value is an FN;
  a value where gold has none (or in a record gold lacks) is an FP.
- Row completeness = gold records with a matching predicted record / gold records.
- Whole-document exact = documents with no failure, no unmatched record and no FP or FN field / documents.
- Straight-through rate = predicted fields with status auto_accepted / predicted fields with a status.
  Auto-accepted precision = correct / auto_accepted. Queued wrong = not trusted / needs_review. Here a predicted field
  is correct when it equals gold (null equals absent), and never when its record is not in gold; it is trusted when it
  is correct and gold does not mark the printed value as contradicted by the document (an `intended` that differs).
  Confidence claims the probability that a field can be used without review, so ECE, AUROC and the plots use
  trusted; the `printed` variants use correct alone.
- ECE = Σ (n_bin / N) · |accuracy − mean confidence| over 10 equal-width bins ([i/10, (i+1)/10), 1.0 in the last).
  AUROC = P(confidence of a correct field > that of a wrong one), ties ½; n/a when one class is empty.
- All rates pool every field of every document (micro-average); n/a means an empty denominator.
- Cost per document: the export summary's seconds, llm_calls and llm_tokens, averaged over documents extracted.
"""


def fmt(value: Metric | Any, style: str) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, int | float):
        return str(value)
    if style == "int":
        return str(int(value))
    if style == "pct":
        return f"{value:.2%}"
    if style == "f3":
        return f"{value:.3f}"
    if style == "f2":
        return f"{value:.2f}"
    return f"{value:.0f}"


def _cell(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("|", "\\|")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def headline_rows(scores: Mapping[str, BackendScore]) -> list[list[str]]:
    overall = {name: s.overall() for name, s in scores.items()}
    return [[label] + [fmt(overall[b][metric], style) for b in scores] for metric, label, style in HEADLINE]


def _loo_line(run: EvalRun) -> str:
    if not run.loo.get("requested"):
        return "not requested (confidences as predicted)"
    if run.loo.get("applied"):
        return "applied: each document's confidences come from a calibration fitted on the other documents"
    return f"requested but not applied: {run.loo.get('reason')}"


def _backend_sections(backend: str, score: BackendScore) -> list[str]:
    lines = [f"## {backend}", "", "### Per kind", ""]
    per_kind = score.per_kind()
    lines += _table(
        ["kind"] + [c[1] for c in KIND_COLUMNS],
        [[f"`{k}`"] + [fmt(m[c[0]], c[2]) for c in KIND_COLUMNS] for k, m in per_kind.items()],
    )
    lines += ["", "### Per document", ""]
    per_doc = score.per_document()
    lines += _table(
        ["document", "exact"] + [c[1] for c in DOC_COLUMNS] + ["error"],
        [
            [f"`{d}`", fmt(m["exact"], "")]
            + [fmt(m[c[0]], c[2]) for c in DOC_COLUMNS]
            + [_cell(m["error"] or "")]
            for d, m in per_doc.items()
        ],
    )
    unmatched = score.unmatched()
    for side, title in (
        ("gold", "Gold records not predicted"),
        ("predicted", "Predicted records not in gold"),
    ):
        refs = unmatched[side]
        lines += ["", f"### {title} ({len(refs)})", ""]
        lines += [f"- `{r['document']}` `{r['kind']}/{r['key']}`" for r in refs[:MAX_LISTED]]
        if len(refs) > MAX_LISTED:
            lines.append(f"- … {len(refs) - MAX_LISTED} more in the JSON report")
        if not refs:
            lines.append("none")
    all_errors = score.field_errors()
    errors = [e for e in all_errors if e["record_matched"]]
    shown = f"first {MAX_LISTED} of {len(errors)}" if len(errors) > MAX_LISTED else str(len(errors))
    lines += ["", f"### Field errors in matched records ({shown})", ""]
    if len(errors) < len(all_errors):
        lines += [
            f"The {len(all_errors) - len(errors)} field errors of unmatched records count in the scores and are "
            "listed in the JSON report; here they show only as the records above.",
            "",
        ]
    if errors:
        lines += _table(
            [
                "document",
                "field",
                "outcome",
                "gold",
                "predicted",
                "where they differ",
                "confidence",
                "status",
                "intended",
            ],
            [
                [
                    f"`{e['document']}`",
                    f"`{_cell(e['address'], 80)}`",
                    e["outcome"],
                    _cell(e["gold"]),
                    _cell(e["predicted"]),
                    _cell(e["detail"] or "", 90),
                    fmt(e["confidence"], "f3"),
                    e["status"] or "",
                    _cell(e["intended"]) + (" (predicted)" if e["predicted_intended"] else "")
                    if e["intended"] is not None
                    else "",
                ]
                for e in errors[:MAX_LISTED]
            ],
        )
    else:
        lines.append("none")
    if score.warnings:
        lines += ["", "### Warnings", ""] + [f"- {w}" for w in score.warnings]
    return lines + [""]


def markdown(run: EvalRun, gate: GateResult | None = None, plots: Mapping[str, Path] | None = None) -> str:
    scores = run.scores
    docs = ", ".join(f"`{d.stem}`" for d in run.dataset.documents)
    lines = [
        f"# Eval report: dataset `{run.dataset.name}`",
        "",
        f"- backends: {', '.join(scores)}",
        f"- documents ({len(run.dataset.documents)}): {docs}",
        f"- numeric tolerance: {run.tolerance}",
        f"- leave-one-document-out calibration: {_loo_line(run)}",
        "",
        "## Headline",
        "",
    ]
    lines += _table(["metric"] + list(scores), headline_rows(scores))
    if plots:
        lines += [
            "",
            f"![Reliability curve]({RELIABILITY_PNG})",
            "",
            f"![Straight-through rate vs auto-accepted precision over the review threshold]({SWEEP_PNG})",
            "",
            f"![Field F1 per kind]({KINDS_PNG})",
        ]
    if gate is not None:
        lines += ["", "## Gate", "", "**passed**" if gate.passed else "**FAILED**", ""]
        lines += [f"- {f}" for f in gate.failures()]
        lines += [f"- note: {n}" for n in gate.notes]
    if run.perturbation is not None:
        lines += perturbation_lines(run.perturbation)
    if run.notes or run.dataset.warnings:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in run.notes + run.dataset.warnings]
    lines.append("")
    for backend, score in scores.items():
        lines += _backend_sections(backend, score)
    lines += ["## Definitions", "", DEFINITIONS]
    return "\n".join(lines)


def write_report(run: EvalRun, directory: Path, gate: GateResult | None = None) -> Path:
    """`report.md` and its PNGs in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    plots = write_plots(run.scores, directory)
    path = directory / "report.md"
    path.write_text(markdown(run, gate, plots), encoding="utf-8")
    return path


def run_json(run: EvalRun, gate: GateResult | None = None) -> dict[str, Any]:
    payload = run.to_json()
    if gate is not None:
        payload["gate"] = gate.to_json()
    return payload


def write_json(run: EvalRun, path: Path, gate: GateResult | None = None) -> Path:
    return write_atomically(path, json.dumps(run_json(run, gate), ensure_ascii=False, indent=1) + "\n")


def print_headline(run: EvalRun, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title=f"eval: dataset {run.dataset.name}")
    table.add_column("metric")
    for backend in run.scores:
        table.add_column(backend, justify="right")
    for row in headline_rows(run.scores):
        table.add_row(*row)
    console.print(table)
    for backend, score in run.scores.items():
        unmatched = score.unmatched()
        console.print(
            f"{backend}: {len(unmatched['gold'])} gold records not predicted, "
            f"{len(unmatched['predicted'])} predicted records not in gold, "
            f"{len(score.field_errors())} field errors"
        )
        for c in score.comparisons:
            if c.error is not None:
                console.print(
                    f"[red]{escape(backend)}: {escape(c.document)} failed:[/red] {escape(c.error)}",
                    highlight=False,
                )
    console.print(f"leave-one-out: {_loo_line(run)}")
    for note in run.notes + run.dataset.warnings:
        console.print(f"note: {note}", highlight=False, markup=False)


def perturbation_lines(perturbation: Mapping[str, Any]) -> list[str]:
    """The Markdown section of `eval.perturb` results: injected misprints, how many went to review."""
    o = perturbation["overall"]
    lines = [
        "",
        "## Injected misprints (confidence on errors nobody has seen)",
        "",
        f"One digit of one printed number changed per run ({o['injected']} runs, seed {perturbation.get('seed', 0)}, "
        f"backend {perturbation.get('backend', 'rules')}); {o['read_back']} misprints reached their field.",
        f"Sent to review: {o['detected']} ({_pct(o['detection_rate'])}); a repair proposal restoring the original: "
        f"{o['repaired']} ({_pct(o['repair_rate'])}); AUROC of confidence, misprints vs right fields: "
        f"{_f3(o['auroc'])}.",
        "",
        "| kind | misprints | to review | repaired | mean confidence |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, k in perturbation["per_kind"].items():
        lines.append(
            f"| {kind} | {k['read_back']} | {k['detected']} ({_pct(k['detection_rate'])}) | "
            f"{k['repaired']} | {_f3(k['mean_confidence_injected'])} |"
        )
    return lines


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def _f3(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"
