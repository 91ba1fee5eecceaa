"""`extractor eval`: score backends against a gold set, write the report, optionally gate CI on it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from eval.errors import EvalError
from eval.gate import DEFAULT_THRESHOLDS, GateResult, check_gate, load_thresholds, thresholds_for
from eval.gold import load_dataset
from eval.harness import BACKENDS, Predictor, dataset_dir, pipeline_predictor, run_eval, saved_predictions
from eval.report import print_headline, write_json, write_report


class EvalUsageError(click.ClickException):
    """The eval could not run (dataset, gold, thresholds or predictions unusable): exit status 2."""

    exit_code = 2


def _print_gate(result: GateResult) -> None:
    if result.passed:
        click.echo(f"gate passed ({len(result.checks)} thresholds checked)")
    else:
        failures = result.failures()
        click.echo(f"gate FAILED: {len(failures)} failure(s), {len(result.checks)} thresholds checked")
        for line in failures:
            click.echo(f"  - {line}")
    for note in result.notes:
        click.echo(f"  note: {note}")


def build_eval_command(predict: Predictor | None = None) -> click.Command:
    """The `eval` command. `predict` replaces the pipeline as the source of predictions (tests, recordings)."""

    @click.command("eval")
    @click.option(
        "--dataset",
        default="seeds",
        show_default=True,
        help="A directory under eval/datasets (or a path to one) holding <doc>.jsonl gold files.",
    )
    @click.option(
        "--backend",
        "backends",
        multiple=True,
        type=click.Choice(BACKENDS),
        help="Backend to score; repeat to compare backends side by side.  [default: rules]",
    )
    @click.option(
        "--json",
        "json_out",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write every metric, per kind and document, unmatched records and field errors as JSON.",
    )
    @click.option(
        "--report",
        "report_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Write report.md and its PNG plots into this directory.",
    )
    @click.option("--gate", is_flag=True, help="Check the thresholds; exit 1 listing the metrics that fail.")
    @click.option(
        "--thresholds",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=f"Thresholds file for --gate.  [default: {DEFAULT_THRESHOLDS.name} in eval/ for seeds, "
        "thresholds-<dataset>.toml for another dataset]",
    )
    @click.option(
        "--loo",
        is_flag=True,
        help="Refit confidence calibration leave-one-document-out (extractor.confidence.fit_calibration).",
    )
    @click.option(
        "--pool",
        "pools",
        multiple=True,
        help="With --loo: also fit on every document of this gold set (e.g. --pool seeds for dev).",
    )
    @click.option(
        "--perturb",
        type=click.IntRange(min=1),
        default=None,
        help="Also inject N one-digit misprints per document (seeded) and report how many go to review.",
    )
    @click.option(
        "--predictions",
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        default=None,
        help="Score saved exports (<dir>/<backend>/<doc>.json or <dir>/<doc>.json) instead of extracting.",
    )
    def eval_command(
        dataset: str,
        backends: Sequence[str],
        json_out: Path | None,
        report_dir: Path | None,
        gate: bool,
        thresholds: Path | None,
        loo: bool,
        pools: Sequence[str],
        perturb: int | None,
        predictions: Path | None,
    ) -> None:
        """Score extraction backends against a gold set (precision, recall, review load, calibration, cost)."""
        from extractor.settings import get_settings

        settings = get_settings()  # the composition layer reads the settings once and passes them on
        try:
            limits = load_thresholds(thresholds or thresholds_for(dataset)) if gate else None
            root = dataset_dir(dataset)
            gold = load_dataset(root, name=root.name)
            pool = [load_dataset(dataset_dir(p), name=p) for p in pools]
            if predictions is not None:
                predictor = saved_predictions(predictions)
            else:
                predictor = predict if predict is not None else pipeline_predictor(settings)
            run = run_eval(
                gold,
                list(backends) or ["rules"],
                predictor,
                threshold_for=settings.threshold_for,
                loo=loo,
                pool=pool,
            )
            if perturb is not None:
                from eval.perturb import run_perturbation

                run.perturbation = run_perturbation(gold, per_document=perturb, settings=settings).to_json()
        except EvalError as exc:
            raise EvalUsageError(exc.user_message()) from exc
        result = check_gate(limits, run.scores) if limits is not None else None
        print_headline(run)
        if run.perturbation is not None:
            o = run.perturbation["overall"]
            # no AUROC when one class is empty (every misprint read back unchanged, or none)
            auroc = "n/a" if o["auroc"] is None else f"{o['auroc']:.3f}"
            click.echo(
                f"injected misprints: {o['read_back']} read back, {o['detected']} sent to review, "
                f"{o['repaired']} with a proposal restoring the original; AUROC {auroc}"
            )
        if json_out is not None:
            click.echo(f"wrote {write_json(run, json_out, result)}")
        if report_dir is not None:
            click.echo(f"wrote {write_report(run, report_dir, result)}")
        if result is not None:
            _print_gate(result)
            if not result.passed:
                raise click.exceptions.Exit(1)

    return eval_command


eval_command = build_eval_command()
