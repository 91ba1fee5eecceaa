"""Reading gold sets: `eval/datasets/<name>/<doc stem>.jsonl`, one record per line.

A gold record has the record shape of DESIGN.md without confidence and status:
`{"kind", "key", "table_title", "unit", "fields": {name: {"value", "span", "intended"?, "note"?}}}`.
The first line may be a header `{"document": {...export document...}, "doc": "docs/<file>"}` naming the
source text under the dataset directory. Gold holds what the document printed (`value`); `intended`
is what the document meant where it contradicts itself, and is reported but never scored against.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.errors import GoldError

RECORD_KEYS = frozenset({"kind", "key", "scope", "table_title", "unit", "page", "fields", "note"})
FIELD_KEYS = frozenset({"value", "span", "intended", "note"})
HEADER_KEYS = frozenset({"document", "doc", "note", "review", "covers"})
DOC_SUFFIXES = (".txt", ".pdf", ".docx")


@dataclass
class GoldDocument:
    """The gold of one document."""

    stem: str
    path: Path
    records: list[dict[str, Any]]
    document: dict[str, Any] | None = None
    doc_path: Path | None = None
    warnings: list[str] = field(default_factory=list)
    # partial gold: the kinds it covers; predicted records of other kinds are not scored (None: all kinds)
    covers: list[str] | None = None


@dataclass
class Dataset:
    name: str
    root: Path
    documents: list[GoldDocument]

    @property
    def warnings(self) -> list[str]:
        return [w for d in self.documents for w in d.warnings]


def _check_span(span: Any, *, source: str, line: int, where: str) -> None:
    if span is None:
        return
    ok = (
        isinstance(span, list)
        and len(span) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) for x in span)
        and 0 <= span[0] <= span[1]
    )
    if not ok:
        raise GoldError(
            f"{where}: span must be null or [start, end) with 0 <= start <= end", source=source, line=line
        )


def check_record(obj: Any, *, source: str, line: int, warnings: list[str]) -> dict[str, Any]:
    """Validate one gold record line; unknown keys are warnings, a missing or mistyped part an error."""
    if not isinstance(obj, dict):
        raise GoldError("a gold line must be a JSON object", source=source, line=line)
    kind, key, fields = obj.get("kind"), obj.get("key"), obj.get("fields")
    if not isinstance(kind, str) or not kind:
        raise GoldError("record without a string 'kind'", source=source, line=line)
    if not isinstance(key, str):
        raise GoldError(
            f"{kind}: 'key' must be a string (use \"\" for one-per-document kinds)", source=source, line=line
        )
    if not isinstance(fields, dict):
        raise GoldError(f"{kind}/{key}: 'fields' must be an object", source=source, line=line)
    for extra in sorted(set(obj) - RECORD_KEYS):
        warnings.append(f"{source}:{line}: {kind}/{key}: unknown record key {extra!r} ignored")
    for name, entry in fields.items():
        where = f"{kind}/{key}/{name}"
        if not isinstance(entry, dict) or "value" not in entry:
            raise GoldError(f"{where}: a field must be an object with a 'value'", source=source, line=line)
        _check_span(entry.get("span"), source=source, line=line, where=where)
        for extra in sorted(set(entry) - FIELD_KEYS):
            warnings.append(f"{source}:{line}: {where}: unknown field key {extra!r} ignored")
    return obj


def _resolve_doc(root: Path, stem: str, named: Any, *, source: str) -> Path | None:
    if named is not None:
        if not isinstance(named, str):
            raise GoldError("header 'doc' must be a path relative to the dataset", source=source, line=1)
        return root / named
    for suffix in DOC_SUFFIXES:
        candidate = root / "docs" / f"{stem}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def load_gold_file(path: Path, root: Path | None = None) -> GoldDocument:
    """Read one gold JSONL file. `root` is the dataset directory (default: the file's directory)."""
    root = root if root is not None else path.parent
    source = path.name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"cannot read gold file: {exc}", source=str(path)) from exc
    warnings: list[str] = []
    records: list[dict[str, Any]] = []
    header: dict[str, Any] | None = None
    seen: set[tuple[str, str]] = set()
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise GoldError(f"not JSON: {exc.msg}", source=source, line=number) from exc
        if isinstance(obj, dict) and "kind" not in obj and ("document" in obj or "doc" in obj):
            if records or header is not None:
                raise GoldError("the header must be the first line", source=source, line=number)
            if "document" in obj and not isinstance(obj["document"], dict):
                raise GoldError("header 'document' must be an object", source=source, line=number)
            for extra in sorted(set(obj) - HEADER_KEYS):
                warnings.append(f"{source}:{number}: unknown header key {extra!r} ignored")
            header = obj
            continue
        record = check_record(obj, source=source, line=number, warnings=warnings)
        ident = (record["kind"], record["key"])
        if ident in seen:
            warnings.append(f"{source}:{number}: duplicate gold record {ident[0]}/{ident[1]}")
        seen.add(ident)
        records.append(record)
    doc_path = _resolve_doc(root, path.stem, header.get("doc") if header else None, source=source)
    document = header.get("document") if header else None
    covers = header.get("covers") if header else None
    if covers is not None and not (isinstance(covers, list) and all(isinstance(c, str) for c in covers)):
        raise GoldError("header 'covers' must be a list of kinds", source=source, line=1)
    return GoldDocument(path.stem, path, records, document, doc_path, warnings, covers)


def load_dataset(root: Path, name: str | None = None) -> Dataset:
    """All `*.jsonl` gold files directly under `root`, ordered by file name."""
    if not root.is_dir():
        raise GoldError("no such dataset directory", source=str(root))
    files = sorted(root.glob("*.jsonl"))
    if not files:
        raise GoldError("the dataset holds no gold files (*.jsonl)", source=str(root))
    return Dataset(name or root.name, root, [load_gold_file(f, root) for f in files])
