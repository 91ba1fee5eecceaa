"""The eval gate on the real seed gold: the committed thresholds pass with the extractor as it is, and a
deliberately broken extractor (one parser rule flipped) makes the gate fail."""

from __future__ import annotations

import dataclasses

import pytest
from click.testing import CliRunner

from extractor.commands.eval_cmd import eval_command
from extractor.parsers import coded

ARGS = ["--dataset", "seeds", "--backend", "rules", "--loo", "--gate"]


def test_committed_thresholds_pass_on_the_seeds() -> None:
    result = CliRunner().invoke(eval_command, ARGS)
    assert result.exit_code == 0, result.output
    assert "gate passed" in result.output


def test_flipping_one_parser_rule_fails_the_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    """The economic-classification rule says 301/303 amounts are 人员经费 and the other classes 公用经费;
    inverted, every 表6 row whose layout does not fix the column (004's) lands in the wrong column."""
    spec = coded.SPECS["basic_expenditure_by_economic"]
    assert spec.prior is not None
    original = spec.prior

    def inverted(code: str | None, cols: tuple[str, ...]) -> float:
        return 1.0 - original(code, cols) if code is not None and cols else 0.0

    monkeypatch.setitem(
        coded.SPECS, "basic_expenditure_by_economic", dataclasses.replace(spec, prior=inverted)
    )
    result = CliRunner().invoke(eval_command, ARGS)
    assert result.exit_code == 1, result.output
    assert "gate FAILED" in result.output
    assert "rules: field_precision" in result.output and "< minimum" in result.output
