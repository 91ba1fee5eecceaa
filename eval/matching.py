"""Comparing predictions with gold: value equality, record matching by (kind, key), field outcomes.

Definitions (see also the report's definitions section):
- numbers are equal within `TOLERANCE` (0.005, inclusive) in the unit printed on their table;
  booleans only equal booleans; a number never equals a string;
- text is equal after removing all whitespace (`str.split()` whitespace, which includes U+3000);
- lists are equal element-wise (same length) under the same rules; objects key-wise;
- a blank value (null, a string of whitespace only, an empty list) is "no value"; a field absent
  from a record is the same as a blank one;
- records match by (kind, key), keys compared after the same whitespace removal; duplicates pair
  up in file order and the surplus stays unmatched.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

TOLERANCE = 0.005
_EPS = 1e-9
DOCUMENT_FIELDS = ("unit_name", "fiscal_year", "doc_type", "money_unit")
STATUSES = frozenset({"auto_accepted", "needs_review", "confirmed", "corrected"})


def normalise_text(text: str) -> str:
    return "".join(text.split())


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not normalise_text(value)
    return isinstance(value, list) and not value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def values_equal(gold: Any, predicted: Any, tol: float = TOLERANCE) -> bool:
    """Whether a predicted value counts as the gold value."""
    if is_blank(gold) or is_blank(predicted):
        return is_blank(gold) and is_blank(predicted)
    if isinstance(gold, bool) or isinstance(predicted, bool):
        return isinstance(gold, bool) and isinstance(predicted, bool) and gold == predicted
    if _is_number(gold) and _is_number(predicted):
        g, p = float(gold), float(predicted)
        return math.isfinite(g) and math.isfinite(p) and abs(g - p) <= tol + _EPS
    if isinstance(gold, str) and isinstance(predicted, str):
        return normalise_text(gold) == normalise_text(predicted)
    if isinstance(gold, list) and isinstance(predicted, list):
        return len(gold) == len(predicted) and all(
            values_equal(g, p, tol) for g, p in zip(gold, predicted, strict=True)
        )
    if isinstance(gold, dict) and isinstance(predicted, dict):
        keys = {k for k, v in gold.items() if not is_blank(v)} | {
            k for k, v in predicted.items() if not is_blank(v)
        }
        return all(values_equal(gold.get(k), predicted.get(k), tol) for k in sorted(keys, key=str))
    return False


def _short(value: Any, limit: int = 40) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def difference(gold: Any, predicted: Any, tol: float = TOLERANCE) -> str | None:
    """Where two unequal values part, for the report: the first differing list item, a number's gap."""
    if values_equal(gold, predicted, tol) or is_blank(gold) or is_blank(predicted):
        return None
    if isinstance(gold, list) and isinstance(predicted, list):
        sizes = f"{len(gold)} items vs {len(predicted)}" if len(gold) != len(predicted) else ""
        for i, (g, p) in enumerate(zip(gold, predicted, strict=False), start=1):
            if not values_equal(g, p, tol):
                item = f"item {i}: {_short(g)} vs {_short(p)}"
                return f"{sizes}; {item}" if sizes else item
        return sizes
    if _is_number(gold) and _is_number(predicted):
        return f"off by {float(predicted) - float(gold):+.6g}"
    return None


def record_ident(record: Mapping[str, Any]) -> tuple[str, str]:
    """(kind, key) of a record; a scoped record's kind carries its scope (`kind@scope`), as its address does."""
    kind, scope = str(record.get("kind", "")), str(record.get("scope") or "")
    return (f"{kind}@{scope}" if scope else kind), normalise_text(str(record.get("key", "")))


def field_entries(record: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """A record's fields as name → entry; a bare value (not an object) is read as {"value": it}."""
    raw = record.get("fields") or {}
    out: dict[str, dict[str, Any]] = {}
    if isinstance(raw, Mapping):
        for name, entry in raw.items():
            out[str(name)] = dict(entry) if isinstance(entry, Mapping) else {"value": entry}
    return out


def document_record(document: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The export's (or gold header's) `document` object as a record of kind `document`, key ""."""
    if not document:
        return None
    fields = {name: {"value": document[name]} for name in DOCUMENT_FIELDS if name in document}
    if not fields:
        return None
    return {"kind": "document", "key": "", "table_title": "", "unit": None, "fields": fields}


@dataclass(frozen=True)
class RecordRef:
    document: str
    kind: str
    key: str
    matched: bool

    @property
    def address(self) -> str:
        return f"{self.kind}/{self.key}"


@dataclass(frozen=True)
class FieldOutcome:
    """One field address of one document, seen from both sides.

    `correct` is what the review metrics and calibration use: the predicted field's value equals
    gold (blank equals absent); always False for a field of a predicted record gold does not have.
    """

    document: str
    kind: str
    key: str
    field: str
    gold: Any
    predicted: Any
    gold_positive: bool
    predicted_present: bool
    predicted_positive: bool
    record_matched: bool
    correct: bool
    confidence: float | None = None
    status: str | None = None
    intended: Any = None
    has_intended: bool = False

    @property
    def address(self) -> str:
        return f"{self.kind}/{self.key}/{self.field}"

    @property
    def contradicted(self) -> bool:
        """Gold marks the printed value as the document's own contradiction (its `intended` differs)."""
        return self.has_intended and not values_equal(self.intended, self.gold)

    @property
    def trusted(self) -> bool:
        """What confidence claims to predict: the value is right and can be used without a person
        looking at it. A value the document contradicts elsewhere is printed right but not trusted."""
        return self.correct and not self.contradicted

    @property
    def tp(self) -> bool:
        return self.gold_positive and self.predicted_positive and self.correct

    @property
    def fp(self) -> bool:
        return self.predicted_positive and not self.tp

    @property
    def fn(self) -> bool:
        return self.gold_positive and not self.tp

    @property
    def outcome(self) -> str:
        """correct | wrong | null (predicted blank, gold has a value) | missing | spurious | blank."""
        if self.tp:
            return "correct"
        if self.gold_positive and self.predicted_positive:
            return "wrong"
        if self.gold_positive:
            return "null" if self.predicted_present else "missing"
        if self.predicted_positive:
            return "spurious"
        return "blank"


@dataclass
class DocumentComparison:
    document: str
    outcomes: list[FieldOutcome] = field(default_factory=list)
    gold_rows: list[RecordRef] = field(default_factory=list)
    predicted_rows: list[RecordRef] = field(default_factory=list)
    error: str | None = None

    @property
    def unmatched_gold(self) -> list[RecordRef]:
        return [r for r in self.gold_rows if not r.matched]

    @property
    def unmatched_predicted(self) -> list[RecordRef]:
        return [r for r in self.predicted_rows if not r.matched]

    @property
    def exact(self) -> bool:
        """No error, no unmatched record on either side, no false positive or negative field."""
        return (
            self.error is None
            and not self.unmatched_gold
            and not self.unmatched_predicted
            and not any(o.fp or o.fn for o in self.outcomes)
        )


def _confidence(entry: Mapping[str, Any]) -> float | None:
    c = entry.get("confidence")
    if not isinstance(c, int | float) or isinstance(c, bool) or not math.isfinite(c):
        return None
    return float(c)


def _status(entry: Mapping[str, Any]) -> str | None:
    s = entry.get("status")
    return s if isinstance(s, str) and s in STATUSES else None


def _compare_fields(
    document: str,
    kind: str,
    key: str,
    gold: dict[str, dict[str, Any]],
    predicted: dict[str, dict[str, Any]],
    *,
    matched: bool,
    tol: float,
) -> Iterable[FieldOutcome]:
    names = list(gold) + [n for n in predicted if n not in gold]
    for name in names:
        g_entry, p_entry = gold.get(name, {}), predicted.get(name)
        g, p = g_entry.get("value"), (p_entry or {}).get("value")
        yield FieldOutcome(
            document=document,
            kind=kind,
            key=key,
            field=name,
            gold=g,
            predicted=p,
            gold_positive=not is_blank(g),
            predicted_present=p_entry is not None,
            predicted_positive=not is_blank(p),
            record_matched=matched,
            correct=matched and values_equal(g, p, tol),
            confidence=_confidence(p_entry) if p_entry is not None else None,
            status=_status(p_entry) if p_entry is not None else None,
            intended=g_entry.get("intended"),
            has_intended="intended" in g_entry,
        )


def compare_document(
    document: str,
    gold_records: Sequence[Mapping[str, Any]],
    predicted_records: Sequence[Mapping[str, Any]],
    *,
    tol: float = TOLERANCE,
    error: str | None = None,
) -> DocumentComparison:
    """Match records by (kind, key) and compare their fields; order follows gold, then the prediction."""
    pending: dict[tuple[str, str], list[int]] = {}
    for i, rec in enumerate(predicted_records):
        pending.setdefault(record_ident(rec), []).append(i)
    pred_matched: set[int] = set()
    out = DocumentComparison(document, error=error)
    for g in gold_records:
        kind, key = str(g["kind"]), str(g["key"])
        queue = pending.get(record_ident(g), [])
        p_index = queue.pop(0) if queue else None
        if p_index is not None:
            pred_matched.add(p_index)
        p_fields = field_entries(predicted_records[p_index]) if p_index is not None else {}
        out.gold_rows.append(RecordRef(document, kind, key, p_index is not None))
        out.outcomes.extend(
            _compare_fields(
                document, kind, key, field_entries(g), p_fields, matched=p_index is not None, tol=tol
            )
        )
    for i, p in enumerate(predicted_records):
        kind, key = str(p.get("kind", "")), str(p.get("key", ""))
        out.predicted_rows.append(RecordRef(document, kind, key, i in pred_matched))
        if i not in pred_matched:
            out.outcomes.extend(
                _compare_fields(document, kind, key, {}, field_entries(p), matched=False, tol=tol)
            )
    return out


def prediction_problems(payload: Any) -> list[str]:
    """What makes a prediction unusable as a DESIGN.md JSON export (empty when it is fine)."""
    if not isinstance(payload, Mapping):
        return ["the prediction is not a JSON object"]
    problems: list[str] = []
    records = payload.get("records")
    if not isinstance(records, list):
        return ["the prediction has no 'records' list"]
    for i, rec in enumerate(records):
        if not isinstance(rec, Mapping):
            problems.append(f"records[{i}] is not an object")
        elif not isinstance(rec.get("kind"), str) or not isinstance(rec.get("key"), str):
            problems.append(f"records[{i}] lacks a string kind and key")
        elif not isinstance(rec.get("fields"), Mapping):
            problems.append(f"records[{i}] ({rec.get('kind')}/{rec.get('key')}) has no 'fields' object")
    for name in ("document", "summary"):
        if name in payload and not isinstance(payload[name], Mapping):
            problems.append(f"'{name}' is not an object")
    return problems


def compare_prediction(
    document: str,
    gold_records: Sequence[Mapping[str, Any]],
    gold_document: Mapping[str, Any] | None,
    prediction: Mapping[str, Any] | None,
    *,
    tol: float = TOLERANCE,
    error: str | None = None,
) -> DocumentComparison:
    """Compare a whole export with a document's gold, scoring the `document` object as a record of kind
    `document` when gold states it (as a header or as a record) and the prediction has no such record."""
    gold = list(gold_records)
    if not any(r.get("kind") == "document" for r in gold):
        header_record = document_record(gold_document)
        if header_record is not None:
            gold.insert(0, header_record)
    predicted: list[Mapping[str, Any]] = []
    if prediction is not None and error is None:
        predicted = [r for r in prediction.get("records", []) if isinstance(r, Mapping)]
        doc_obj = prediction.get("document")
        gold_has_document = any(r.get("kind") == "document" for r in gold)
        if gold_has_document and not any(r.get("kind") == "document" for r in predicted):
            pred_record = document_record(doc_obj if isinstance(doc_obj, Mapping) else None)
            if pred_record is not None:
                predicted.insert(0, pred_record)
    return compare_document(document, gold, predicted, tol=tol, error=error)
