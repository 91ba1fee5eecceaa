"""The dev gold: hand-typed sources, one builder, the sum/tie checker, and the table inventory."""

from __future__ import annotations

import copy
import hashlib
import json
import tomllib
from pathlib import Path

import pytest
from corpus_dev import CORPUS_DEV

from eval.datasets.build_gold import assembled_lines, gold_lines
from eval.datasets.check_gold import check_source, intended_records, table_checks
from eval.datasets.goldsrc import GoldSourceError, read_source
from eval.gold import load_dataset
from schemas import KIND_MODELS
from schemas.regional import gold_numeric_fields

DEV = Path(__file__).resolve().parents[1] / "eval" / "datasets" / "dev"
SOURCES = sorted((DEV / "src").glob("*.gold.tsv"))


def test_there_are_eight_gold_documents_in_every_format() -> None:
    files = [read_source(p).file for p in SOURCES]
    assert len(files) >= 8
    assert {Path(f).suffix for f in files} == {".pdf", ".doc", ".docx", ".xls", ".xlsx"}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name[:2])
def test_built_gold_is_the_committed_jsonl(path: Path) -> None:
    src = read_source(path)
    built = "\n".join(gold_lines(src, DEV / "docs")) + "\n"
    assert (DEV / f"{Path(src.file).stem}.jsonl").read_text(encoding="utf-8") == built


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name[:2])
def test_every_sum_holds_or_is_marked_as_the_documents_own(path: Path) -> None:
    results, errors = check_source(read_source(path))
    assert results and not errors


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name[:2])
def test_a_planted_error_in_a_coded_amount_is_caught(path: Path) -> None:
    """Each amount of a code-keyed row, moved by 1, breaks a sum that held (or mends one marked broken)."""
    src = read_source(path)
    _, clean = check_source(src)
    planted = 0
    for t_index, table in enumerate(src.tables):
        for r_index, record in enumerate(table.records):
            if not (record["key"].isdigit() or record["key"] == "total"):
                continue
            for name, entry in record["fields"].items():
                if name not in gold_numeric_fields(table.kind) or name in {
                    "completion_rate",
                    "growth_rate",
                }:
                    continue
                broken = copy.deepcopy(src)
                broken.tables[t_index].records[r_index]["fields"][name]["value"] = entry["value"] + 1
                _, errors = check_source(broken)
                assert len(errors) > len(clean), f"{table.kind}/{record['key']}/{name} +1 not caught"
                planted += 1
    if any(r["key"].isdigit() for r in src.records):
        assert planted > 0


def test_a_malformed_source_stops_the_build(tmp_path: Path) -> None:
    bad = tmp_path / "x.gold.tsv"
    bad.write_text("@document | file=x.pdf\n@table | kind=no_such_kind | cols=key|total\n", encoding="utf-8")
    with pytest.raises(GoldSourceError, match="unknown kind"):
        read_source(bad)
    bad.write_text(
        "@document | file=x.pdf\n@table | kind=expenditure_by_function | cols=key|total\n201 | 12,3x4\n",
        encoding="utf-8",
    )
    with pytest.raises(GoldSourceError, match="expenditure_by_function/total"):
        read_source(bad)


def test_the_dataset_loads_with_its_documents() -> None:
    dataset = load_dataset(DEV)
    assert len(dataset.documents) == len(SOURCES)
    for doc in dataset.documents:
        assert doc.doc_path is not None and doc.doc_path.is_file()
        assert doc.document is not None
        assert hashlib.sha256(doc.doc_path.read_bytes()).hexdigest() == doc.document["sha256"]


def test_inventory_lists_all_25_documents_with_known_kinds() -> None:
    inventory = tomllib.loads((DEV / "inventory.toml").read_text(encoding="utf-8"))["document"]
    assert len(inventory) == 25
    for doc in inventory:
        for table in doc.get("table", []):
            assert table["title"]
            assert all(k in KIND_MODELS or k == "unknown" for k in table["kinds"]), table
        if CORPUS_DEV.is_dir():
            data = (CORPUS_DEV / doc["file"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == doc["sha256"]


SEEDS = DEV.parent / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.jsonl"))


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_the_one_builder_rebuilds_the_seeds_byte_identical(path: Path) -> None:
    assert path.read_text(encoding="utf-8") == "\n".join(assembled_lines(SEEDS, path.stem)) + "\n"


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_the_seeds_hold_every_table_sum_but_their_rounding_gaps(path: Path) -> None:
    """The same table checks over the seed gold, with `intended` where the document contradicts itself."""
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if '"kind"' in line[:12]]
    results = table_checks(intended_records(records))
    assert all(r.holds or r.rounding for r in results)
    broken = copy.deepcopy(records)
    coded = [r for r in broken if r["key"].isdigit() and "total" in r["fields"]]
    if coded:  # the checks can fail: one amount moved by 10 breaks one
        coded[0]["fields"]["total"]["value"] += 10
        coded[0]["fields"]["total"].pop("intended", None)
        assert not all(r.holds or r.rounding for r in table_checks(intended_records(broken)))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name[:2])
def test_a_planted_error_in_a_checked_field_is_caught(path: Path) -> None:
    """Every field named by a @check or @rate line, moved by 1, makes the checker report an error."""
    src = read_source(path)
    _, clean = check_source(src)
    addresses = {a for c in src.checks + src.rates for _, a in c.left + c.right if "/" in a}
    planted = 0
    for t_index, table in enumerate(src.tables):
        for r_index, record in enumerate(table.records):
            for name in record["fields"]:
                if f"{record['kind']}/{record['key']}/{name}" not in addresses:
                    continue
                broken = copy.deepcopy(src)
                broken.tables[t_index].records[r_index]["fields"][name]["value"] += 1
                _, errors = check_source(broken)
                assert len(errors) > len(clean), f"{record['kind']}/{record['key']}/{name} +1 not caught"
                planted += 1
    assert planted == len(addresses)
