"""Every reason a stage writes is in the one registry (`extractor.reasons`), with plain words in both languages.

The reasons are collected two ways: by running the pipeline (rules over the seeds and corpus-dev, the LLM
backends over a seed against the fake endpoint), and by reading the code for the reason literals it writes
(arguments of `add_reason` and of the parsers' field builders, the reasons list of `FieldValue(...)`, values
assigned to a name that says `reason`). A reason missing from the registry, or without words, fails here.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.openai_server import Action, FakeOpenAI, Reply

from extractor import reasons
from extractor.ingest import ingest_bytes, ingest_path
from extractor.ingest.readers import READABLE
from extractor.model import ExtractionResult
from extractor.pipeline import extract_document
from extractor.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
EXTRACTOR = ROOT / "extractor"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# modules that read reasons (the registry and its readers), not write them
READERS = {"reasons.py", "score.py", "confidence.py"}


def emitted(result: ExtractionResult) -> set[str]:
    return {r for _rec, _name, fv in result.fields() for r in fv.reasons}


@pytest.fixture(scope="module")
def from_rules(
    seed_paths: dict[str, Path], corpus_dev: Path, tmp_path_factory: pytest.TempPathFactory
) -> set[str]:
    settings = Settings(backend="rules", data_dir=tmp_path_factory.mktemp("rules"))
    files = list(seed_paths.values()) + sorted(
        p for p in corpus_dev.iterdir() if p.suffix.lower() in READABLE
    )
    found: set[str] = set()
    for path in files:
        found |= emitted(extract_document(ingest_path(path), settings=settings))
    return found


def table3_model(body: dict[str, Any]) -> Action:
    """A model that classifies every table as 表3 and reads 表3 of seed 004 (codes as printed)."""
    if "You classify" in body["messages"][0]["content"]:
        return Reply({"kind": "expenditure_by_function"})
    rows = [
        {"code": "201 38 1", "name": "行政运行", "total": 203.53, "basic": 203.53, "project": None},
        {"code": "201 38 5", "name": "市场秩序执法", "total": 5, "basic": None, "project": 5},
        {"code": "208 5 1", "name": "行政单位离退休", "total": 3.92, "basic": 3.92, "project": None},
        {"code": "999 9 9", "name": "不存在的行", "total": 1.5, "basic": 1.5, "project": None},
        {"code": None, "name": "合计", "total": 314.66, "basic": 277.66, "project": 37.0},
    ]
    return Reply({"rows": rows})


@pytest.fixture(scope="module")
def from_llm(seed_paths: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    text = seed_paths["004"].read_text(encoding="utf-8")
    # a misprint in 表3 makes its sums fail, so the hybrid backend asks the model about that table
    start = text.index("部门支出总体情况表\n")
    misprinted = text[:start] + text[start:].replace("203.53", "208.53", 1)
    found: set[str] = set()
    with FakeOpenAI(responder=table3_model) as fake:
        for backend in ("hybrid", "llm"):
            settings = Settings(
                data_dir=tmp_path_factory.mktemp(backend),
                llm_base_url=fake.url,
                llm_timeout_s=5.0,
                llm_max_retries=0,
                llm_document_deadline_s=60.0,
            )
            doc = ingest_bytes(misprinted.encode("utf-8"), "004_misprinted.txt")
            found |= emitted(extract_document(doc, backend=backend, settings=settings))
    return found


def _constants(node: ast.AST | None) -> Iterator[str]:
    """String constants a node can evaluate to: literals, list/tuple/set items, both sides of an if-else,
    and the constant head of an f-string (`f"proposal:{x}"` → `proposal:`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        yield str(node.values[0].value)
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        for item in node.elts:
            yield from _constants(item)
    elif isinstance(node, ast.Starred):
        yield from _constants(node.value)
    elif isinstance(node, ast.IfExp):
        yield from _constants(node.body)
        yield from _constants(node.orelse)
    elif isinstance(node, ast.Dict | ast.BoolOp):
        for value in node.values:
            yield from _constants(value)


def _writers(trees: dict[Path, ast.Module]) -> dict[str, tuple[int | None, int | None]]:
    """Functions that write reasons: name → (position of `reason`/`reasons`, position of `*reasons`)."""
    out: dict[str, tuple[int | None, int | None]] = {"add_reason": (0, None)}
    for path, tree in trees.items():
        if path.name in READERS or "review" in path.parts:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef) or node.name in ("count", "status_for"):
                continue
            names = [a.arg for a in node.args.posonlyargs + node.args.args if a.arg not in ("self", "cls")]
            at = next((i for i, n in enumerate(names) if n in ("reason", "reasons")), None)
            star = len(names) if node.args.vararg is not None and node.args.vararg.arg == "reasons" else None
            if at is not None or star is not None:
                out[node.name] = (at, star)
    return out


def reason_literals() -> dict[str, str]:
    """Reason literals written by the code, each with where it is written."""
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in EXTRACTOR.rglob("*.py")}
    writers = _writers(trees)
    found: dict[str, str] = {}

    def keep(values: Iterator[str], path: Path, node: ast.AST) -> None:
        for v in values:
            if v:
                found.setdefault(v, f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}")

    for path, tree in trees.items():
        if path.name in READERS or {"review", "storage", "findings"} & set(path.parts):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name == "FieldValue":
                    args = node.args[2:3] + [k.value for k in node.keywords if k.arg == "reasons"]
                    for a in args:
                        keep(_constants(a), path, node)
                elif name in writers:
                    at, star = writers[name]
                    positional = node.args[at : at + 1] if at is not None else []
                    rest = node.args[star:] if star is not None else []
                    named = [k.value for k in node.keywords if k.arg in ("reason", "reasons")]
                    for a in positional + rest + named:
                        keep(_constants(a), path, node)
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any("reason" in getattr(t, "id", "").lower() for t in targets):
                    keep(_constants(node.value), path, node)
    return found


def test_the_code_scan_finds_what_the_parsers_and_validators_write() -> None:
    literals = reason_literals()
    # one of each way of writing a reason: add_reason, FieldValue's list, a builder's *reasons, a mapping,
    # an if-else, an f-string
    for expected in (
        "joined",
        "printed",
        "from_table_header",
        "column:position",
        "column:first_is_total",
        "proposal:",
        "agreement_fails:llm=",
        "carried_down",
        "ungrounded_key",
    ):
        assert expected in literals, expected


def test_every_written_reason_is_registered_with_words(from_rules: set[str], from_llm: set[str]) -> None:
    literals = reason_literals()
    assert {"llm", "agreement:llm"} <= from_llm and any(r.startswith("agreement_fails:") for r in from_llm)
    assert len(from_rules) > 100
    written = {r: "pipeline run" for r in from_rules | from_llm} | literals
    missing = sorted(f"{r} ({where})" for r, where in written.items() if reasons.lookup(r) is None)
    assert not missing, f"reasons not in extractor.reasons: {missing}"
    for reason in written:
        if reason.endswith((":", "=")):  # the constant head of an f-string: its argument comes at run time
            reason += "1"
        entry = reasons.lookup(reason)
        assert entry is not None
        for locale in ("zh_CN", "en"):
            text = reasons.words(reason, locale)
            assert text.strip() and "%(" not in text, (reason, locale, text)
        assert re.search(r"[\u4e00-\u9fff]", entry.zh), (reason, entry.zh)


def test_the_registry_is_consistent() -> None:
    from extractor.confidence import FEATURES

    for entry in reasons.REASONS:
        assert entry.en.strip() and entry.zh.strip(), entry.name
        assert set(PLACEHOLDER.findall(entry.en)) == set(PLACEHOLDER.findall(entry.zh)), entry.name
        assert entry.feature is None or entry.feature in FEATURES, entry.name
        assert 0 < entry.doubt <= 1 and 0 < entry.support <= 1, entry.name
        if entry.polarity == "support":
            assert entry.doubt == 1.0 and not entry.blocking, entry.name
    for how, reason in reasons.COLUMN_METHODS.items():
        assert reasons.lookup(reason) is not None, how


def test_words_carry_the_numbers_the_review_page_shows() -> None:
    assert reasons.words("proposal:314.66") == "建议修正为：314.66"
    assert reasons.words("agreement_fails:llm=203.5", "en") == "the language model reads 203.5"
    assert reasons.words("code_repaired:name_match:2013801") == "印错的科目编码已按另一张表同名行改为 2013801"
    assert reasons.words("sum_fails:Σ20138") == "Σ20138 的求和校验未通过"
    assert reasons.words("no_such_reason:1") == "no_such_reason:1"  # unregistered: shown as it is
