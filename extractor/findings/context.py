"""What every check reads (the text, the records, the segments) and how it reports: `Checks.add` turns a
rule, a span and a location key into a `DisclosureFinding` with its quote, page and id.

Trust: text read from a .txt or Word file is what the document prints. A PDF's text layer can be misread
(characters drawn twice for bold, lines interleaved), so a check over PDF text that the reading could
explain is at most a warning (`text_trusted`)."""

from __future__ import annotations

import re
from collections import Counter

from extractor.findings.model import SEVERITIES, DisclosureFinding, Severity, finding_id
from extractor.findings.rules import rule
from extractor.model import ExtractionResult, Record
from extractor.validate.index import RecordIndex

_TRUSTED_FORMATS = ("txt", "docx", "doc", "xlsx", "xls")
# a PDF drawing bold text twice reads "部部门门预预算算": three doubled CJK characters in a row
_DOUBLE_DRAWN = re.compile(r"([\u4e00-\u9fff])\1([\u4e00-\u9fff])\2([\u4e00-\u9fff])\3")


class Checks:
    def __init__(self, result: ExtractionResult) -> None:
        self.result = result
        self.doc = result.document
        self.text = result.document.text
        self.index = RecordIndex(result.records)
        self.findings: list[DisclosureFinding] = []
        self._seen: Counter[tuple[str, str]] = Counter()

    @property
    def doc_type(self) -> str | None:
        return self.result.info.doc_type

    def record(self, kind: str, key: str = "") -> Record | None:
        return self.index.get(kind, key)

    def text_trusted(self, start: int, end: int) -> bool:
        if self.doc.format in _TRUSTED_FORMATS:
            return True
        window = self.text[max(0, start - 200) : end + 200]
        return not _DOUBLE_DRAWN.search(window)

    def add_in_text(
        self,
        rule_name: str,
        message: str,
        span: tuple[int, int],
        location: str,
        fields: list[str] | None = None,
    ) -> DisclosureFinding:
        """A finding about the document's text: an error where the text is trusted, a warning where it may
        be a reading artefact (`text_trusted`)."""
        severity: Severity = "error" if self.text_trusted(*span) else "warning"
        return self.add(rule_name, severity, message, span, location, fields)

    def add(
        self,
        rule_name: str,
        severity: Severity,
        message: str,
        span: tuple[int, int] | None,
        location: str,
        fields: list[str] | None = None,
    ) -> DisclosureFinding:
        top = rule(rule_name).top
        if SEVERITIES.index(severity) < SEVERITIES.index(top):
            severity = top  # a rule never reaches beyond its registered level
        self._seen[(rule_name, location)] += 1
        n = self._seen[(rule_name, location)]
        key = location if n == 1 else f"{location}#{n}"
        quote = self.text[span[0] : span[1]] if span is not None else ""
        page = self.doc.page_of(span[0]) if span is not None else None
        f = DisclosureFinding(
            finding_id(rule_name, self.doc.sha256, key),
            rule_name,
            severity,
            message,
            quote,
            span,
            page,
            list(fields or []),
        )
        self.findings.append(f)
        return f

    def line_span(self, offset: int) -> tuple[int, int]:
        """The line holding `offset`, without its newline."""
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return start, len(self.text) if end < 0 else end


def fmt(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x):,}"
