"""A finding: something a reviewer can act on in the document itself (not in how it was read).

Its id is deterministic: the rule, the document's sha256 and a location key that names *what* is found
(the quoted text and its occurrence, a check's name, a missing table's kind), not character offsets, so a
reviewer's decision on it survives re-ingest, even by a reader that shifts the text.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


def finding_id(rule: str, sha256: str, location: str) -> str:
    digest = hashlib.sha256(f"{rule}\x1f{sha256}\x1f{location}".encode()).hexdigest()
    return digest[:24]


@dataclass(frozen=True)
class DisclosureFinding:
    id: str
    rule: str
    severity: Severity
    message: str  # plain words with the numbers: printed against computed
    text: str  # the quoted source text at `span`
    span: tuple[int, int] | None
    page: int | None
    fields: list[str] = field(default_factory=list)  # field addresses it concerns

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["span"] = list(self.span) if self.span is not None else None
        return out


def counts(findings: list[DisclosureFinding]) -> dict[str, int]:
    out: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        out[f.severity] += 1
    return out
