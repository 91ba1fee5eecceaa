"""The eval harness itself is right: hand-made gold and predictions with known errors give the expected
scores, computed by hand below; the gate fails on a bad prediction and passes on a good one; the CLI runs
on a tiny dataset."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eval.calibration import auroc, average_ranks, ece, reliability, threshold_sweep
from eval.errors import GoldError
from eval.gate import DEFAULT_THRESHOLDS, check_gate, load_thresholds
from eval.gold import Dataset, GoldDocument, load_dataset, load_gold_file
from eval.harness import EvalRun, run_eval
from eval.loo import CalibrationExample, FieldFeatures
from eval.matching import compare_prediction, values_equal
from eval.metrics import BackendScore, DocumentPrediction, score_backend
from eval.report import markdown
from extractor.commands.eval_cmd import build_eval_command, eval_command


def gf(value: Any, **extra: Any) -> dict[str, Any]:
    """A gold field."""
    return {"value": value, "span": None, **extra}


def pf(value: Any, confidence: float, status: str = "auto_accepted") -> dict[str, Any]:
    """A predicted field."""
    return {"value": value, "confidence": confidence, "status": status, "span": None, "reasons": []}


def rec(kind: str, key: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {"kind": kind, "key": key, "table_title": "", "unit": "万元", "fields": fields}


def export(records: list[dict[str, Any]], **summary: Any) -> dict[str, Any]:
    return {"document": {"sha256": "x", "source": "x.txt"}, "records": records, "summary": summary}


# --- the hand-made case ------------------------------------------------------------------------------
# docA gold: 4 records, 9 fields with a value.
GOLD_A = [
    rec(
        "expenditure_by_function",
        "2013801",
        {"name": gf("行政运行"), "total": gf(203.53), "basic": gf(203.53), "project": gf(None)},
    ),
    rec(
        "expenditure_by_function",
        "2013899",
        {"name": gf("其他市场监督管理事务"), "total": gf(5.0), "basic": gf(None), "project": gf(5.0)},
    ),
    rec("three_public_expenses", "", {"total": gf(1.87), "reception": gf(0.5)}),
    rec("income_summary", "本年收入", {"amount": gf(314.6, intended=314.66, note="表1 prints 314.6")}),
]
# docA prediction (9 fields carry a confidence and a status):
PRED_A = export(
    [
        rec(
            "expenditure_by_function",
            "2013801",
            {
                "name": pf("行政 运行", 0.95),  # correct (whitespace)
                "total": pf(203.534, 0.90),  # correct (within 0.005)
                "basic": pf(203.52, 0.60, "needs_review"),  # wrong: FP + FN
                "project": pf(None, 0.99),  # blank = blank: correct, no P/R count
            },
        ),
        # expenditure_by_function/2013899 missing: 3 FN, an unmatched gold record
        rec(
            "three_public_expenses",
            "",
            {
                "total": pf(1.87, 0.80, "needs_review"),  # correct
                "reception": pf(None, 0.30, "needs_review"),  # null where gold has 0.5: FN, wrong
                "vehicles_total": pf(0.0, 0.70, "needs_review"),  # not in gold: FP, wrong
            },
        ),
        rec(
            "income_summary", "本年收入", {"amount": pf(314.66, 0.90)}
        ),  # the intended, not the printed: FP + FN
        rec("carryover", "x", {"name": pf("foo", 0.50, "needs_review")}),  # a record gold lacks: FP, wrong
    ],
    seconds=1.5,
    llm_calls=2,
    llm_tokens=300,
)
# docB: one record, predicted exactly.
GOLD_B = [rec("three_public_expenses", "", {"total": gf(2.0)})]
PRED_B = export(
    [rec("three_public_expenses", "", {"total": pf(2, 1.0)})], seconds=0.5, llm_calls=0, llm_tokens=0
)


def gold_doc(
    stem: str, records: list[dict[str, Any]], document: dict[str, Any] | None = None
) -> GoldDocument:
    return GoldDocument(stem=stem, path=Path(f"{stem}.jsonl"), records=records, document=document)


def scored(preds: Mapping[str, Mapping[str, Any] | None]) -> BackendScore:
    golds = {"docA": gold_doc("docA", GOLD_A), "docB": gold_doc("docB", GOLD_B)}
    return score_backend(
        "rules", [DocumentPrediction(golds[s], p, None if p else "boom") for s, p in preds.items()]
    )


def perfect(gold: list[dict[str, Any]]) -> dict[str, Any]:
    """Every value as printed; sure of each, except of a value the document contradicts (gold `intended`)."""
    return export(
        [
            rec(
                r["kind"],
                r["key"],
                {n: pf(e["value"], 0.0 if "intended" in e else 1.0) for n, e in r["fields"].items()},
            )
            for r in gold
        ]
    )


def test_field_and_row_metrics_match_hand_computation() -> None:
    m = scored({"docA": PRED_A, "docB": PRED_B}).overall()
    # TP: 2013801 name, total; 三公 total (A); 三公 total (B)                   = 4
    # FP: 2013801 basic; vehicles_total; amount 314.66; carryover name         = 4
    # FN: 2013801 basic; 2013899 name, total, project; reception; amount       = 6
    assert (m["correct_fields"], m["predicted_fields"], m["gold_fields"]) == (4, 8, 10)
    assert m["field_precision"] == pytest.approx(4 / 8)
    assert m["field_recall"] == pytest.approx(4 / 10)
    assert m["field_f1"] == pytest.approx(2 * 0.5 * 0.4 / (0.5 + 0.4))  # = 8 / 18
    assert m["row_completeness"] == pytest.approx(4 / 5)
    assert m["doc_exact_rate"] == pytest.approx(1 / 2)  # docB only


def test_review_metrics_match_hand_computation() -> None:
    m = scored({"docA": PRED_A, "docB": PRED_B}).overall()
    # 10 fields carry a status; auto: name, total, project, amount (A) + total (B) = 5
    assert (m["reviewed_fields"], m["auto_accepted"], m["needs_review"]) == (10, 5, 5)
    assert m["straight_through_rate"] == pytest.approx(5 / 10)
    assert m["auto_accepted_precision"] == pytest.approx(4 / 5)  # amount 314.66 is wrong
    assert m["review_wrong_share"] == pytest.approx(4 / 5)  # 三公 total was queued but right


def test_calibration_matches_hand_computation() -> None:
    m = scored({"docA": PRED_A, "docB": PRED_B}).overall()
    # (confidence, correct): .95 T, .90 T, .60 F, .99 T, .80 T, .30 F, .70 F, .90 F, .50 F, 1.0 T
    # bin 9: .95 .90 .99 .90 1.0 -> mean .948, accuracy 4/5 -> gap .148, weight 5/10
    # bins 8, 7, 6, 5, 3 hold one field each: gaps .2, .7, .6, .5, .3, weight 1/10 each
    assert m["calibrated_fields"] == 10
    assert m["ece"] == pytest.approx((5 * 0.148 + 0.2 + 0.7 + 0.6 + 0.5 + 0.3) / 10)
    # AUROC: 5 correct x 5 wrong pairs. .95, .99, 1.0 beat all 5 wrong (15); .90 beats 4 and ties .90 (4.5);
    # .80 beats .60 .30 .70 .50 (4). (15 + 4.5 + 4) / 25
    assert m["auroc"] == pytest.approx(23.5 / 25)


def test_per_kind_and_per_document() -> None:
    score = scored({"docA": PRED_A, "docB": PRED_B})
    kinds = score.per_kind()
    assert list(kinds) == sorted(kinds)
    ebf = kinds["expenditure_by_function"]
    assert ebf["field_precision"] == pytest.approx(2 / 3)  # name, total right; basic wrong
    assert ebf["field_recall"] == pytest.approx(2 / 6)
    assert ebf["row_completeness"] == pytest.approx(1 / 2)
    tpe = kinds["three_public_expenses"]
    assert tpe["field_precision"] == pytest.approx(2 / 3) and tpe["field_recall"] == pytest.approx(2 / 3)
    assert kinds["carryover"]["gold_records"] == 0 and kinds["carryover"]["field_recall"] is None
    docs = score.per_document()
    assert docs["docB"]["exact"] is True and docs["docA"]["exact"] is False
    assert docs["docA"]["seconds"] == 1.5
    m = score.overall()
    assert (m["seconds_per_doc"], m["llm_calls_per_doc"], m["llm_tokens_per_doc"]) == (1.0, 1.0, 150.0)


def test_unmatched_records_and_field_errors_are_reported() -> None:
    score = scored({"docA": PRED_A, "docB": PRED_B})
    assert score.unmatched() == {
        "gold": [{"document": "docA", "kind": "expenditure_by_function", "key": "2013899"}],
        "predicted": [{"document": "docA", "kind": "carryover", "key": "x"}],
    }
    errors = {e["address"]: e for e in score.field_errors()}
    assert errors["expenditure_by_function/2013801/basic"]["outcome"] == "wrong"
    assert errors["expenditure_by_function/2013899/total"]["outcome"] == "missing"
    assert errors["three_public_expenses//reception"]["outcome"] == "null"
    assert errors["three_public_expenses//vehicles_total"]["outcome"] == "spurious"
    amount = errors["income_summary/本年收入/amount"]
    assert (
        amount["outcome"] == "wrong" and amount["intended"] == 314.66 and amount["predicted_intended"] is True
    )
    text = markdown(EvalRun(Dataset("t", Path("."), []), {"rules": score}, {"requested": False}))
    assert "`expenditure_by_function/2013899`" in text and "`carryover/x`" in text


def test_failed_document_counts_every_gold_field_missing() -> None:
    m = scored({"docA": None, "docB": PRED_B}).overall()
    assert m["documents_failed"] == 1
    assert m["field_recall"] == pytest.approx(1 / 10)
    assert m["row_completeness"] == pytest.approx(1 / 5)


@pytest.mark.parametrize(
    ("gold", "predicted", "equal"),
    [
        (203.53, 203.535, True),  # within 0.005, inclusive
        (203.53, 203.536, False),
        (5, 5.0, True),
        (314.6, "314.6", False),  # a number never equals a string
        (True, 1, False),
        ("市场 监管\u3000局", "市场监管局", True),
        (["a b", "c"], ["ab", "c"], True),
        (["a", "c"], ["c", "a"], False),
        (None, "  ", True),
        (None, [], True),
        (None, 0.0, False),
        ({"op": "≥", "value": 521}, {"op": "≥", "value": 521.0, "unit": None}, True),
    ],
)
def test_values_equal(gold: Any, predicted: Any, equal: bool) -> None:
    assert values_equal(gold, predicted) is equal


def test_document_header_is_scored_as_a_document_record() -> None:
    header = {"sha256": "abc", "unit_name": "库尔勒市场监督管理局", "fiscal_year": 2024, "doc_type": "budget"}
    pred = {
        "document": {
            "sha256": "abc",
            "unit_name": "库尔勒 市场监督管理局",
            "fiscal_year": 2023,
            "doc_type": "budget",
        },
        "records": [],
    }
    c = compare_prediction("d", [], header, pred)
    outcomes = {o.address: o.outcome for o in c.outcomes}
    assert outcomes == {
        "document//unit_name": "correct",
        "document//fiscal_year": "wrong",
        "document//doc_type": "correct",
    }


def test_duplicate_keys_pair_in_order_and_keys_ignore_whitespace() -> None:
    gold = [rec("performance_target", "项目 A", {"budget_total": gf(1.0)})]
    pred = export(
        [
            rec("performance_target", "项目A", {"budget_total": pf(1.0, 0.9)}),
            rec("performance_target", "项目A", {"budget_total": pf(1.0, 0.9)}),
        ]
    )
    c = compare_prediction("d", gold, None, pred)
    assert [r.matched for r in c.predicted_rows] == [True, False]


# --- calibration primitives -----------------------------------------------------------------------------


def test_auroc_of_four_points_with_a_tie() -> None:
    # correct: .9 and .8; wrong: .8 and .2. Pairs: .9>.8, .9>.2, .8=.8 (1/2), .8>.2 -> 3.5 / 4
    assert auroc([0.9, 0.8, 0.8, 0.2], [True, False, True, False]) == pytest.approx(0.875)
    assert auroc([0.1, 0.2, 0.3, 0.4], [False, False, True, True]) == pytest.approx(1.0)
    assert auroc([0.1, 0.2], [True, True]) is None
    assert auroc([], []) is None
    assert average_ranks([3.0, 1.0, 3.0, 2.0]) == [3.5, 1.0, 3.5, 2.0]


def test_ece_bins_and_edges() -> None:
    assert ece([0.95, 0.95], [True, False]) == pytest.approx(0.45)
    assert ece([1.0, 0.0], [True, False]) == pytest.approx(0.0)
    assert ece([], []) is None
    bins = reliability([1.0, 0.0, 0.1, 0.7], [True, False, True, True])
    assert [b.count for b in bins] == [
        1,
        1,
        0,
        0,
        0,
        0,
        0,
        1,
        0,
        1,
    ]  # 0.1 in bin 1, 0.7 in bin 7, 1.0 in bin 9


def test_threshold_sweep() -> None:
    points = {p.threshold: p for p in threshold_sweep([0.2, 0.6, 0.9], [False, True, True])}
    assert points[0.0].straight_through_rate == 1.0 and points[0.0].precision == pytest.approx(2 / 3)
    assert points[0.6].straight_through_rate == pytest.approx(2 / 3) and points[0.6].precision == 1.0
    assert (points[1.0].accepted, points[1.0].precision) == (0, None)


# --- the gate ------------------------------------------------------------------------------------------


def test_gate_fails_on_a_bad_prediction_and_passes_on_a_good_one() -> None:
    limits = {"rules": {"field_f1": 0.9, "row_completeness": 0.9, "max": {"ece": 0.1}}}
    bad = check_gate(limits, {"rules": scored({"docA": PRED_A, "docB": PRED_B})})
    assert not bad.passed
    failures = bad.failures()
    assert len(failures) == 3
    assert any(f.startswith("rules: field_f1 = 0.4444 < minimum 0.9000") for f in failures)
    assert any(f.startswith("rules: ece = 0.3040 > maximum 0.1000") for f in failures)
    good = check_gate(limits, {"rules": scored({"docA": perfect(GOLD_A), "docB": perfect(GOLD_B)})})
    assert good.passed, good.failures()
    assert len(good.checks) == 3


def test_gate_is_strict_about_names_nulls_and_failed_documents() -> None:
    good = {"rules": scored({"docA": perfect(GOLD_A), "docB": perfect(GOLD_B)})}
    # AUROC against printed correctness is null when every field is right: a real minimum fails, the 0.0
    # placeholder passes (against trusted it is measurable: the contradicted 314.6 is doubted)
    assert good["rules"].overall()["auroc_printed"] is None and good["rules"].overall()["auroc"] == 1.0
    assert not check_gate({"rules": {"auroc_printed": 0.9}}, good).passed
    assert check_gate({"rules": {"auroc_printed": 0.0}}, good).passed
    typo = check_gate({"rules": {"field_fl": 0.5}}, good)
    assert typo.failures() == ["rules: unknown metric 'field_fl'"]
    per_kind = check_gate(
        {"rules": {"kinds": {"income_summary": {"field_recall": 1.0}, "nope": {"field_f1": 0.1}}}}, good
    )
    assert per_kind.failures() == ["rules: kind 'nope' has no records in gold or predictions"]
    failed = check_gate({}, {"rules": scored({"docA": None, "docB": PRED_B})})
    assert not failed.passed and "document docA failed" in failed.failures()[0]
    assert check_gate({"llm": {"field_f1": 1.0}}, good).passed  # llm did not run


def test_committed_thresholds_name_only_known_metrics() -> None:
    limits = load_thresholds(DEFAULT_THRESHOLDS)
    assert {"rules", "hybrid"} <= set(limits) <= {"rules", "llm", "hybrid"}
    good = scored({"docA": perfect(GOLD_A), "docB": perfect(GOLD_B)})
    result = check_gate(limits, {b: good for b in limits})
    assert result.passed, result.failures()


# --- gold files, the runner, leave-one-out ------------------------------------------------------------


def write_dataset(root: Path) -> Path:
    ds = root / "tiny"
    (ds / "docs").mkdir(parents=True)
    for stem, gold, text in (("docA", GOLD_A, "表1 ..."), ("docB", GOLD_B, "表10 ...")):
        (ds / "docs" / f"{stem}.txt").write_text(text, encoding="utf-8")
        header = {"document": {"sha256": "x", "source": f"{stem}.txt"}, "doc": f"docs/{stem}.txt"}
        lines = [json.dumps(header, ensure_ascii=False)] + [json.dumps(r, ensure_ascii=False) for r in gold]
        (ds / f"{stem}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ds


def test_gold_files_load_with_header_and_checks(tmp_path: Path) -> None:
    ds = load_dataset(write_dataset(tmp_path))
    assert [d.stem for d in ds.documents] == ["docA", "docB"]
    a = ds.documents[0]
    assert a.doc_path == tmp_path / "tiny" / "docs" / "docA.txt" and len(a.records) == 4
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"kind": "carryover", "key": "", "fields": {}}\n{"kind": "carryover", "key": 3, "fields": {}}\n'
    )
    with pytest.raises(GoldError) as info:
        load_gold_file(bad)
    assert info.value.user_message().startswith("bad.jsonl:2: carryover: 'key' must be a string")
    odd = tmp_path / "odd.jsonl"
    odd.write_text('{"kind": "carryover", "key": "", "fields": {"total": {"value": 1, "vaule": 2}}}\n')
    assert "unknown field key 'vaule'" in load_gold_file(odd).warnings[0]


def test_leave_one_out_fits_on_the_other_documents(tmp_path: Path) -> None:
    dataset = load_dataset(write_dataset(tmp_path))
    seen: list[set[str]] = []

    def fit(examples: list[CalibrationExample]) -> Any:
        seen.append({e["document"] for e in examples})
        accuracy = sum(e["correct"] for e in examples) / len(examples)

        def calibrate(features: FieldFeatures) -> float:
            return accuracy

        return calibrate

    preds = {"docA": PRED_A, "docB": PRED_B}
    run = run_eval(
        dataset,
        ["rules"],
        lambda gold, backend: preds[gold.stem],
        loo=True,
        fit=fit,
        threshold_for=lambda kind: 0.5,
    )
    assert seen == [{"docB"}, {"docA"}]  # docA is fitted on docB alone, and docB on docA
    assert run.loo["applied"] is True
    confs = {
        o.confidence
        for o in run.scores["rules"].outcomes
        if o.document == "docA" and o.confidence is not None
    }
    assert confs == {1.0}  # docB's only field is right
    # docB gets docA's accuracy, 4/9 < 0.5: its field is queued now
    b = [o for o in run.scores["rules"].outcomes if o.document == "docB"]
    assert len(b) == 1 and b[0].confidence == pytest.approx(4 / 9) and b[0].status == "needs_review"


# --- the CLI ---------------------------------------------------------------------------------------------


def test_cli_writes_report_json_and_plots_and_gates(tmp_path: Path) -> None:
    ds = write_dataset(tmp_path)
    preds = {
        "rules": {"docA": PRED_A, "docB": PRED_B},
        "hybrid": {"docA": perfect(GOLD_A), "docB": perfect(GOLD_B)},
    }
    calls: list[tuple[str, str]] = []

    def predict(gold: GoldDocument, backend: str) -> dict[str, Any]:
        assert gold.doc_path is not None and gold.doc_path.is_file()
        calls.append((gold.stem, backend))
        return preds[backend][gold.stem]

    thresholds = tmp_path / "thresholds.toml"
    thresholds.write_text("[rules]\nfield_f1 = 0.9\n[hybrid]\nfield_f1 = 0.9\n")
    command = build_eval_command(predict)
    args = [
        "--dataset",
        str(ds),
        "--backend",
        "rules",
        "--backend",
        "hybrid",
        "--thresholds",
        str(thresholds),
        "--json",
        str(tmp_path / "out.json"),
        "--report",
        str(tmp_path / "report"),
    ]
    result = CliRunner().invoke(command, [*args, "--gate"])
    assert result.exit_code == 1, result.output
    assert "gate FAILED" in result.output and "rules: field_f1 = 0.4444 < minimum 0.9000" in result.output
    assert "hybrid: field_f1" not in result.output
    assert "field F1" in result.output and "44.44%" in result.output and "100.00%" in result.output
    assert calls == [("docA", "rules"), ("docB", "rules"), ("docA", "hybrid"), ("docB", "hybrid")]

    payload = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert list(payload["backends"]) == ["rules", "hybrid"]
    assert payload["backends"]["rules"]["overall"]["field_precision"] == 0.5
    assert payload["gate"]["passed"] is False
    report = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "**FAILED**" in report
    for png in ("reliability.png", "threshold_sweep.png", "per_kind_f1.png"):
        assert f"]({png})" in report
        assert (tmp_path / "report" / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    outputs = []
    for _ in range(2):  # without --gate: exit 0, and the same bytes every run
        result = CliRunner().invoke(command, args)
        assert result.exit_code == 0, result.output
        outputs.append(
            [(tmp_path / "report" / name).read_bytes() for name in ("report.md", "reliability.png")]
            + [(tmp_path / "out.json").read_bytes()]
        )
    assert outputs[0] == outputs[1]
    assert b'"gate"' not in outputs[0][-1]


def test_cli_scores_saved_predictions_and_passes_the_gate(tmp_path: Path) -> None:
    ds = write_dataset(tmp_path)
    saved = tmp_path / "preds" / "rules"
    saved.mkdir(parents=True)
    for stem, gold in (("docA", GOLD_A), ("docB", GOLD_B)):
        (saved / f"{stem}.json").write_text(json.dumps(perfect(gold), ensure_ascii=False), encoding="utf-8")
    thresholds = tmp_path / "t.toml"
    thresholds.write_text("[rules]\nfield_f1 = 1.0\nrow_completeness = 1.0\n[rules.max]\nece = 0.0\n")
    args = [
        "--dataset",
        str(ds),
        "--predictions",
        str(tmp_path / "preds"),
        "--json",
        str(tmp_path / "o.json"),
    ]
    result = CliRunner().invoke(eval_command, [*args, "--gate", "--thresholds", str(thresholds)])
    assert result.exit_code == 0, result.output
    assert "gate passed (3 thresholds checked)" in result.output
    assert json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))["loo"]["requested"] is False
    result = CliRunner().invoke(eval_command, [*args, "--loo"])  # the flag reaches the runner
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))["loo"]["requested"] is True


def test_cli_reports_unusable_input_with_exit_status_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(eval_command, ["--dataset", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no such dataset directory" in result.output
    ds = write_dataset(tmp_path)
    broken = tmp_path / "broken.toml"
    broken.write_text("[rules\n")
    result = CliRunner().invoke(eval_command, ["--dataset", str(ds), "--gate", "--thresholds", str(broken)])
    assert result.exit_code == 2 and "not valid TOML" in result.output


def test_field_errors_say_where_values_differ() -> None:
    gold = [rec("department_profile", "", {"functions": gf(["甲", "乙", "丙"]), "staffing_quota": gf(40)})]
    pred = export(
        [
            rec(
                "department_profile",
                "",
                {"functions": pf(["甲", "乙 ", "丁"], 0.9), "staffing_quota": pf(41, 0.9)},
            )
        ]
    )
    score = score_backend("rules", [DocumentPrediction(gold_doc("d", gold), pred)])
    details = {e["address"]: e["detail"] for e in score.field_errors()}
    assert details == {
        "department_profile//functions": "item 3: 丙 vs 丁",
        "department_profile//staffing_quota": "off by +1",
    }
