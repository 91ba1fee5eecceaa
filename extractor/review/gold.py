"""Exporting a fully reviewed document as a gold case: `<dataset>/<doc>.jsonl` plus its text in `docs/`.

The file is the record shape of DESIGN.md without confidence and status, after a header line naming the
document, its text file and who reviewed it when (the reader in `eval.gold` takes the same layout).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from extractor.export import record_to_json, result_to_json
from extractor.files import write_atomically
from extractor.review.errors import InvalidSubmit
from extractor.review.history import reviewers_of
from extractor.storage.repo import find_document, result_from_row
from extractor.storage.tables import AuditRow


@dataclass(frozen=True)
class GoldExport:
    path: Path
    doc_path: Path
    records: int
    fields: int
    reviewers: list[str]


def export_gold(session: Session, *, document: str, out_dir: Path, now: datetime | None = None) -> GoldExport:
    """Write the gold case of a stored document; refused while any of its fields still needs review."""
    row = find_document(session, document=document)
    result = result_from_row(session, row)
    statuses = Counter(fv.status for _, _, fv in result.fields())
    if statuses["needs_review"]:
        raise InvalidSubmit(f"{statuses['needs_review']} fields still need review", source=row.source)
    if not statuses["confirmed"] and not statuses["corrected"]:
        raise InvalidSubmit(
            "no person has decided any field of this document: it is not gold", source=row.source
        )
    stem = Path(row.source).stem or row.sha256[:16]
    doc_rel = f"docs/{stem}.txt"
    last = session.scalar(select(func.max(AuditRow.at)).where(AuditRow.document_id == row.id))
    reviewers = reviewers_of(session, document_id=row.id)
    header: dict[str, Any] = {
        "document": result_to_json(result)["document"],
        "doc": doc_rel,
        "review": {
            "reviewers": reviewers,
            "reviewed_at": last.isoformat() if last else None,
            "exported_at": (now or datetime.now(UTC)).isoformat(),
            "fields": dict(sorted(statuses.items())),
        },
    }
    lines = [json.dumps(header, ensure_ascii=False)]
    lines += [json.dumps(record_to_json(r, with_review=False), ensure_ascii=False) for r in result.records]
    path = out_dir / f"{stem}.jsonl"
    doc_path = out_dir / doc_rel
    write_atomically(doc_path, result.document.text)
    write_atomically(path, "\n".join(lines) + "\n")
    return GoldExport(path, doc_path, len(result.records), sum(statuses.values()), reviewers)
