"""Misprints injected into the seed texts: in the budget tables (where sums and ties cover every
number) each one goes to review; overall, confidence ranks misprints below right fields."""

from __future__ import annotations

from eval.gold import load_dataset
from eval.harness import dataset_dir
from eval.perturb import _perturb, run_perturbation
from extractor.settings import Settings
from tests.seed_kinds import PUBLIC_TABLES

BUDGET_KINDS = PUBLIC_TABLES | {"carryover", "performance_target"}


def test_perturb_changes_one_digit_and_keeps_the_length() -> None:
    import random

    rng = random.Random(3)
    for printed in ("1,234.56", "314.66", "90", "5"):
        if sum(c.isdigit() for c in printed) < 2:
            continue
        out = _perturb(printed, rng)
        assert len(out) == len(printed)
        assert sum(a != b for a, b in zip(out, printed, strict=True)) == 1


def test_injected_misprints_in_budget_tables_go_to_review() -> None:
    report = run_perturbation(
        load_dataset(dataset_dir("seeds")), per_document=12, seed=7, settings=Settings()
    )
    budget = [i for i in report.injections if i.found and i.kind in BUDGET_KINDS]
    assert len(budget) >= 10
    missed = [(i.address, i.printed, i.perturbed, i.reasons) for i in budget if not i.detected]
    assert not missed
    overall = report.summary()
    assert overall["mean_confidence_injected"] < 0.9
    assert overall["auroc"] is not None and overall["auroc"] > 0.85
