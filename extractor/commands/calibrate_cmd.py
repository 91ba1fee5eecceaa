"""`extractor calibrate`: fit the confidence calibration on a gold dataset and ship it as data."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("calibrate")
@click.option(
    "--dataset",
    "datasets",
    multiple=True,
    default=("seeds", "dev"),
    show_default=True,
    help="gold dataset(s) under eval/datasets/ (repeat the option for several)",
)
@click.option("--backend", default="rules", show_default=True, type=click.Choice(["rules", "llm", "hybrid"]))
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path),
    default=None,
    help="default: extractor/data/calibration.json",
)
def calibrate_command(datasets: tuple[str, ...], backend: str, out_path: Path | None) -> None:
    """Fit the per-field confidence on gold (all documents of the datasets) and write the calibration."""
    from eval.gold import load_dataset
    from eval.harness import covered, dataset_dir, pipeline_predictor
    from eval.loo import examples_of
    from extractor.confidence import fit_calibration, write_calibration
    from extractor.settings import get_settings

    documents = [g for name in datasets for g in load_dataset(dataset_dir(name)).documents]
    settings = get_settings().model_copy(update={"backend": backend})
    predict = pipeline_predictor(settings)
    examples = []
    for gold in documents:
        prediction = covered(gold, predict(gold, backend))
        examples.extend(examples_of(gold.stem, gold.records, gold.document, prediction))
    calibrator = fit_calibration(examples)  # type: ignore[arg-type]
    right = sum(1 for e in examples if e["correct"])
    target = out_path or Path(__file__).resolve().parent.parent / "data" / "calibration.json"
    write_calibration(
        calibrator,  # type: ignore[arg-type]
        target,
        fitted_on=[g.stem for g in documents],
        dataset="+".join(datasets),
        backend=backend,
        examples=len(examples),
        correct=right,
    )
    click.echo(f"fitted on {len(examples)} fields ({right} right) of {len(documents)} documents → {target}")
