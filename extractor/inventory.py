"""The table inventory of a document: every table it prints, with its title as printed, its page, its
kind (or "unknown"), its scope and the records it yielded. Nothing is dropped silently: a table the
product cannot read is an "unknown" entry with its title."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from extractor.model import ExtractionResult

NOT_TABLES = ("department_profile", "narrative_facts")
UNKNOWN = "unknown"


@dataclass(frozen=True)
class TableEntry:
    title: str
    page: int
    kind: str  # a record kind, or "unknown"
    scope: str
    empty: bool
    records: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def table_inventory(result: ExtractionResult) -> list[TableEntry]:
    counts: dict[int, int] = {}
    for r in result.records:
        if r.segment_index is not None:
            counts[r.segment_index] = counts.get(r.segment_index, 0) + 1
    return [
        TableEntry(
            title=s.title,
            page=result.document.page_of(s.start),
            kind=s.kind or UNKNOWN,
            scope=s.scope,
            empty=s.empty,
            records=counts.get(s.index, 0),
        )
        for s in result.segments
        if s.kind not in NOT_TABLES
    ]


def inventory_line(entries: list[TableEntry]) -> str:
    """One line for a summary: tables printed, read, unknown and unread (with their titles)."""
    read = [e for e in entries if e.records]
    unknown = [e for e in entries if e.kind == UNKNOWN]
    unread = [e for e in entries if e.kind != UNKNOWN and not e.records]
    line = f"tables: {len(entries)} printed, {len(read)} read"
    if unknown:
        line += f"; {len(unknown)} unknown ({', '.join(f'{e.title} p{e.page}' for e in unknown)})"
    if unread:
        line += f"; {len(unread)} not read ({', '.join(f'{e.title} p{e.page}' for e in unread)})"
    return line
