"""The hand-verified budget gold of the seed documents is consistent with the documents.

Every sum a document implies holds in its gold (within 0.005 in the table's unit), or the field that
breaks it carries the document's own contradiction (`intended` + note, or a note naming a rounding
gap); every span reads as its value; the assembled gold files hold the budget part as committed. The
mutation tests show the checks can fail: a changed number, a moved number, a dropped row is caught.
The checks themselves live in eval/datasets/seeds/check_seed_gold.py (also a command-line tool).
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from eval.gold import load_dataset

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "eval" / "datasets" / "seeds"


def _load_checker() -> Any:
    path = SEEDS / "check_seed_gold.py"
    spec = importlib.util.spec_from_file_location("seed_check_gold", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


checker = _load_checker()
STEMS = checker.STEMS


def _failures(book: Any) -> list[str]:
    return [r.line() for r in book.run() if not r.ok]


def _budget_part(stem: str) -> list[dict[str, Any]]:
    path = SEEDS / "gold-src" / f"{stem}.budget.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _book(stem: str, records: list[dict[str, Any]]) -> Any:
    text = (SEEDS / "docs" / f"{stem}.txt").read_bytes().decode("utf-8")
    return checker.Book(stem, records, text)


# ---- the gold as committed -------------------------------------------------------------------------


@pytest.mark.parametrize("stem", STEMS)
def test_every_sum_holds_or_is_the_documents_own_contradiction(stem: str) -> None:
    book = checker.load_book(stem)
    results = book.run()
    sums = [r for r in results if not r.check.startswith("span ")]
    assert len(sums) > 100, "the checker found almost nothing to check"
    bad = [r.line() for r in sums if not r.ok]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("stem", STEMS)
def test_every_span_reads_as_its_value(stem: str) -> None:
    book = checker.load_book(stem)
    spans = [r for r in book.run() if r.check.startswith("span ")]
    assert spans
    bad = [r.line() for r in spans if not r.ok]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("stem", STEMS)
def test_assembled_gold_holds_the_budget_part(stem: str) -> None:
    """`build.py` was re-run after the last change to the budget part (and loads with eval.gold)."""
    dataset = load_dataset(SEEDS, "seeds")
    doc = next(d for d in dataset.documents if d.stem == stem)
    assembled = [r for r in doc.records if r["kind"] in checker.BUDGET_KINDS]
    assert assembled == _budget_part(stem)
    assert not doc.warnings
    assert doc.doc_path is not None and doc.doc_path.name == f"{stem}.txt"
    header = json.loads((SEEDS / "gold-src" / f"{stem}.header.json").read_text(encoding="utf-8"))
    assert doc.document == header["document"]
    assert header["document"]["sha256"] == hashlib.sha256(doc.doc_path.read_bytes()).hexdigest()


def _field(stem: str, kind: str, key: str, name: str) -> dict[str, Any]:
    rec = next(r for r in _budget_part(stem) if r["kind"] == kind and r["key"] == key)
    entry: dict[str, Any] = rec["fields"][name]
    return entry


@pytest.mark.parametrize(
    ("stem", "kind", "key", "name", "printed", "intended"),
    [
        ("004_7078add5d4f01a7a", "income_summary", "本年收入", "amount", 314.6, 314.66),
        ("004_7078add5d4f01a7a", "basic_expenditure_by_economic", "301", "total", 277.66, 260.41),
        ("004_7078add5d4f01a7a", "narrative_facts", "", "project_expenditure_share", 11.75, 11.76),
        ("000_335c3f7f451f52b5", "income_by_function", "total", "fiscal_subtotal", 3615.22, 3615.23),
        ("000_335c3f7f451f52b5", "general_budget_expenditure", "2101102", "total", 10.65, 10.66),
        ("000_335c3f7f451f52b5", "narrative_facts", "", "total_budget", 3842.37, 3867.57),
    ],
)
def test_known_contradictions_keep_the_printed_value(
    stem: str, kind: str, key: str, name: str, printed: float, intended: float
) -> None:
    entry = _field(stem, kind, key, name)
    assert entry["value"] == printed
    assert entry["intended"] == intended
    assert entry["note"]


def test_ambiguous_columns_say_how_they_were_decided() -> None:
    """Numbers whose column the PDF text does not show carry a note (004 表2, 001 表7)."""
    assert (
        "一般公共预算"
        in _field("004_7078add5d4f01a7a", "income_by_function", "2013801", "general_budget")["note"]
    )
    note = _field(
        "001_bf78897304f03bf2", "project_expenditure", "2013802/为民办实事工作经费", "goods_services"
    )["note"]
    assert "总计" in note


# ---- the checks can fail ---------------------------------------------------------------------------


def _numeric_addresses(records: list[dict[str, Any]]) -> list[tuple[int, str]]:
    out = []
    for i, r in enumerate(records):
        for name, e in r["fields"].items():
            if isinstance(e.get("value"), int | float) and not isinstance(e["value"], bool):
                out.append((i, name))
    return out


@pytest.mark.parametrize("stem", STEMS)
def test_a_changed_gold_number_is_caught(stem: str) -> None:
    records = _budget_part(stem)
    for i, name in _numeric_addresses(records):
        mutated = copy.deepcopy(records)
        mutated[i]["fields"][name]["value"] += 1
        assert _failures(_book(stem, mutated)), (
            f"{records[i]['kind']}/{records[i]['key']}/{name} +1 not caught"
        )


@pytest.mark.parametrize("stem", STEMS)
def test_a_changed_number_with_its_span_is_caught_by_the_sums(stem: str) -> None:
    """Even if the span moved along with the number (a wrong number read at a wrong place), the sums
    catch every amount of the coded tables."""
    records = _budget_part(stem)
    caught = missed = 0
    for i, name in _numeric_addresses(records):
        if records[i]["kind"] not in checker.CODED or "intended" in records[i]["fields"][name]:
            continue  # a printed value the document contradicts is held by its span alone
        mutated = copy.deepcopy(records)
        mutated[i]["fields"][name]["value"] += 1
        mutated[i]["fields"][name]["span"] = None
        if [f for f in _failures(_book(stem, mutated)) if not f.split("] ", 1)[1].startswith("span ")]:
            caught += 1
        else:
            missed += 1
    assert caught and not missed, f"{missed} amounts not tied by any sum"


@pytest.mark.parametrize("stem", STEMS)
def test_a_changed_intended_value_is_caught(stem: str) -> None:
    records = _budget_part(stem)
    for i, r in enumerate(records):
        for name, e in r["fields"].items():
            if "intended" in e:
                mutated = copy.deepcopy(records)
                mutated[i]["fields"][name]["intended"] += 0.5
                assert _failures(_book(stem, mutated)), f"{r['kind']}/{r['key']}/{name} intended not caught"


@pytest.mark.parametrize("stem", STEMS)
def test_a_number_in_the_wrong_column_is_caught(stem: str) -> None:
    records = _budget_part(stem)
    swaps = {
        "basic": "project",
        "project": "basic",
        "personnel": "public",
        "public": "personnel",
        "general_budget": "special_account",
        "goods_services": "capital",
    }
    tried = 0
    for i, r in enumerate(records):
        for name, other in swaps.items():
            if name in r["fields"] and other not in r["fields"] and r["key"] != "total":
                mutated = copy.deepcopy(records)
                mutated[i]["fields"][other] = mutated[i]["fields"].pop(name)
                tried += 1
                assert _failures(_book(stem, mutated)), f"{r['kind']}/{r['key']}: {name} → {other} not caught"
    assert tried > 10


@pytest.mark.parametrize("stem", STEMS)
def test_a_dropped_row_is_caught(stem: str) -> None:
    records = _budget_part(stem)
    missed = []
    for i, r in enumerate(records):
        if r["kind"] in checker.CODED and r["key"] and not r["fields"].get("empty"):
            mutated = records[:i] + records[i + 1 :]
            if not _failures(_book(stem, mutated)):
                missed.append(f"{r['kind']}/{r['key']}")
    assert not missed, f"dropped rows not caught: {missed}"


def test_an_unmarked_rounding_gap_fails() -> None:
    stem = "001_bf78897304f03bf2"
    records = _budget_part(stem)
    for r in records:
        if r["kind"] == "basic_expenditure_by_economic" and r["key"] == "301":
            for e in r["fields"].values():
                e.pop("note", None)
    assert any("301" in f for f in _failures(_book(stem, records)))
