"""One file into the database: read its bytes, skip it when its sha256 is stored, else extract and store.

The order matters for reruns: the sha256 is looked up before any extraction, so a file already stored costs
no parsing and no LLM call. Every failure comes back as an `Outcome` with a one-line message, never as an
exception: the batch goes on with the next file. A failure of the database itself (`storage_fault`) is not
written to that database again; a file that could not be read is noted in `ingest_failures` when the
database still takes writes, and a failure to note it is a warning, not a second error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from extractor.errors import ExtractorError, StorageError
from extractor.ingest import ingest_bytes
from extractor.ingest.readers import sha256_of
from extractor.model import ExtractionResult
from extractor.pipeline import extract_document
from extractor.settings import Settings
from extractor.storage.db import session_scope
from extractor.storage.faults import cause_of
from extractor.storage.repo import record_failure, store_result, stored_document_id

Status = Literal["new", "already stored", "failed"]


@dataclass
class Outcome:
    """What became of one file. `result` is set for a new document only; `message` for a failure."""

    source: str
    status: Status
    sha256: str | None = None
    document_id: int | None = None
    result: ExtractionResult | None = None
    message: str = ""
    storage_fault: bool = False
    warnings: list[str] = field(default_factory=list)


def ingest_file(engine: Engine, path: Path, *, backend: str | None, settings: Settings) -> Outcome:
    """Store the document of `path` once (see the module docstring); never raises for a bad file or DB."""
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _bad_input(engine, source, None, f"{source}: cannot read file: {exc.strerror or exc}")
    sha = sha256_of(data)
    try:
        with session_scope(engine, readonly=True) as session:
            existing = stored_document_id(session, sha256=sha)
    except (SQLAlchemyError, OSError) as exc:
        return _fault(source, sha, f"{source}: cannot read the database: {cause_of(exc)}")
    if existing is not None:
        return Outcome(source, "already stored", sha, existing)
    try:
        result = extract_document(ingest_bytes(data, path.name), backend=backend, settings=settings)
    except ExtractorError as exc:
        return _bad_input(engine, source, sha, exc.user_message())
    return store_new(engine, result, source=source)


def store_new(engine: Engine, result: ExtractionResult, *, source: str) -> Outcome:
    """Store an extracted document; a concurrent writer that stored it first makes it "already stored"."""
    sha = result.document.sha256
    try:
        with session_scope(engine) as session:
            doc_id, created = store_result(session, result=result)
    except StorageError as exc:
        return _fault(source, sha, f"{source}: {exc.message}")
    except (SQLAlchemyError, OSError) as exc:  # at commit: the write itself failed (disk full, read-only)
        return _fault(source, sha, f"{source}: could not store the document: {cause_of(exc)}")
    if not created:
        return Outcome(source, "already stored", sha, doc_id)
    return Outcome(source, "new", sha, doc_id, result=result, warnings=list(result.errors))


def _fault(source: str, sha: str | None, message: str) -> Outcome:
    return Outcome(source, "failed", sha, message=message, storage_fault=True)


def _bad_input(engine: Engine, source: str, sha: str | None, message: str) -> Outcome:
    outcome = Outcome(source, "failed", sha, message=message)
    try:
        with session_scope(engine) as session:
            record_failure(session, source=source, sha256=sha, message=message)
    except (ExtractorError, SQLAlchemyError, OSError) as exc:
        cause = exc.message if isinstance(exc, ExtractorError) else cause_of(exc)
        outcome.warnings.append(f"the failure was not noted in the database: {cause}")
    return outcome
