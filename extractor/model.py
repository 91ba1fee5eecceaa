"""The in-memory shape of an extraction: documents, segments, records and their fields.

Every stage passes these objects along; storage and the JSON export translate them. A field's
`span` is `[start, end)` into the document's ingested text (`IngestedDocument.text`), or None when
the value is derived (the reasons then say how).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# how readers join pages (and sheets) in the ingested text: a form feed on a line of its own, so line-based
# code sees a blank line there and `IngestedDocument.page_of` counts pages
PAGE_BREAK = "\f"
PAGE_JOIN = "\n\f\n"

Value = float | int | str | bool | list[str] | None
Status = Literal["auto_accepted", "needs_review", "confirmed", "corrected"]
DocType = Literal["budget", "final_accounts", "performance_targets", "performance_self_evaluation"]


@dataclass
class FieldValue:
    value: Value
    span: tuple[int, int] | None
    reasons: list[str] = field(default_factory=list)
    confidence: float = 1.0
    status: Status = "auto_accepted"

    def add_reason(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)


@dataclass
class Record:
    kind: str
    key: str
    table_title: str
    unit: str | None
    fields: dict[str, FieldValue] = field(default_factory=dict)
    segment_index: int | None = None
    scope: str = ""  # which unit its table covers where a document prints a kind more than once

    def address(self, field_name: str) -> str:
        """`kind/key/field`; a scoped record's kind carries its scope: `kind@scope/key/field`."""
        kind = f"{self.kind}@{self.scope}" if self.scope else self.kind
        return f"{kind}/{self.key}/{field_name}"


@dataclass
class Segment:
    """A part of a document: a table, the profile, the explanatory notes, a performance table."""

    index: int
    kind: str | None  # canonical record kind, or None when unknown
    title: str
    start: int
    end: int
    unit: str | None = None
    classified_by: list[str] = field(default_factory=list)
    empty: bool = False
    scope: str = ""  # which unit the table covers when a document prints several (全市 / 市本级), else ''


@dataclass(frozen=True)
class TextBox:
    """Where a run of the ingested text (`[start, end)`, one table cell or one line) is printed on its
    PDF page: 1-based page, PDF points with the origin at the page's top-left corner."""

    start: int
    end: int
    page: int
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class IngestedDocument:
    sha256: str
    source: str
    text: str
    format: Literal["txt", "pdf", "docx", "doc", "xlsx", "xls"]
    # PDFs only: the printed position of each cell or line, and each page's (width, height) in points
    boxes: list[TextBox] = field(default_factory=list)
    page_sizes: list[tuple[float, float]] = field(default_factory=list)
    # PDFs only: the file as read, kept so the review page can show the printed page
    original: bytes | None = field(default=None, repr=False, compare=False)

    def boxes_for(self, start: int, end: int) -> list[TextBox]:
        """The boxes of the runs that overlap `[start, end)` (a span may cross cells or lines)."""
        return [b for b in self.boxes if b.start < end and start < b.end]

    @property
    def chars(self) -> int:
        return len(self.text)

    def page_of(self, offset: int) -> int:
        """The 1-based page (PDF page, text page between form feeds, spreadsheet sheet) holding `offset`.

        Readers join pages with a form feed on a line of its own, so the page is one more than the
        number of form feeds before the offset."""
        return 1 + self.text.count(PAGE_BREAK, 0, max(0, offset))


@dataclass
class DocumentInfo:
    unit_name: str | None = None
    fiscal_year: int | None = None
    doc_type: DocType | None = None
    money_unit: str | None = None


@dataclass
class Usage:
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    reasons: dict[str, int] = field(default_factory=dict)
    # answers served from the cache or the recordings: what they cost when they were first asked
    replayed_calls: int = 0
    replayed_tokens: int = 0
    replayed_seconds: float = 0.0
    # calls that gave no usable reply, and what they cost (their attempts, seconds and tokens are also
    # in the totals above); calls skipped without a request (budget spent, breaker open) cost nothing
    failed_calls: int = 0
    failed_attempts: int = 0
    failed_seconds: float = 0.0
    failed_tokens: int = 0
    failures: list[str] = field(default_factory=list)  # "what was asked: why it failed", one per call
    skipped: list[str] = field(default_factory=list)  # "what was not asked: why", one per question

    def count(self, reason: str, n: int = 1) -> None:
        self.reasons[reason] = self.reasons.get(reason, 0) + n


@dataclass
class Finding:
    """One check over some fields: what it says, which fields it involves, and whether it holds."""

    check: str  # sum | tie | catalogue | grounding | format | document
    name: str  # a stable id, e.g. "expenditure_by_function:children:201:total"
    ok: bool
    addresses: list[str]
    message: str
    severity: str = "error"  # error | rounding | warning


@dataclass
class Proposal:
    """A repair: the smallest change that makes every constraint on the field hold. Shown to the
    reviewer; never applied to the data by the product itself."""

    address: str
    current: Value
    proposed: Value
    fixes: list[str]
    evidence: str


@dataclass
class ExtractionResult:
    document: IngestedDocument
    info: DocumentInfo
    segments: list[Segment]
    records: list[Record]
    usage: Usage = field(default_factory=Usage)
    backend: str = "rules"  # the backend that actually ran ("rules" when the LLM answered nothing)
    backend_requested: str = "rules"
    # what the document or a stage says is wrong but does not stop the extraction (a table not found,
    # the LLM unreachable): "warnings" in the JSON export and the ingest summary
    warnings: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """The old name of `warnings`, kept while the branches written against it are merged."""
        return self.warnings

    def fields(self) -> list[tuple[Record, str, FieldValue]]:
        return [(r, name, fv) for r in self.records for name, fv in r.fields.items()]
