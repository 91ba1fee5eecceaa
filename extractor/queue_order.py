"""The review queue's order, in one function.

A field is worth reviewing first when resolving it settles the most. A failing check (`sum_fails:Σ301`,
`tie_fails:…`) names the fields it suspects; every doubted field of the same record kind that carries a
reason with the same label (`sum:Σ301`, `outvoted:Σ301`) waits on that check. Resolving one of the k
suspects of a failing check can settle all n fields waiting on it, so the check adds n / k; a failed sum
with a single suspect therefore comes first. A bare failure (`ungrounded`) settles its own field only.
Checks that hold add nothing. Ties go to the lower confidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from extractor.reasons import is_doubt as is_failure

DOUBTED = "needs_review"
FAILED_WEIGHT = 10.0


class Scored(Protocol):
    """What the order reads of a field: a `FieldValue`, or a stored field's row as selected."""

    @property
    def status(self) -> str: ...
    @property
    def reasons(self) -> Sequence[str]: ...
    @property
    def confidence(self) -> float: ...


@lru_cache(maxsize=16384)
def _reading(
    reasons: tuple[str, ...],
) -> tuple[frozenset[str], tuple[str, ...], tuple[tuple[str, str | None], ...]]:
    """A reason list as the order reads it: its labels, its failing reasons, each failure with its label.

    Memoised on the list itself: the fields of a table carry the same few lists, and a decision
    re-reads every field of the kind."""
    labels = frozenset(label for r in reasons if (label := _label(r)) is not None)
    failures = tuple(dict.fromkeys(r for r in reasons if is_failure(r)))
    return labels, failures, tuple((r, _label(r)) for r in failures)


def _label(reason: str) -> str | None:
    head, sep, label = reason.partition(":")
    return label if sep else None


@dataclass(frozen=True)
class Standing:
    """A field's standing as the order reads it, before it is written (a decision's new status)."""

    status: str
    reasons: Sequence[str]
    confidence: float


def own_priority(field: Scored) -> float:
    """The field's priority when it is not `linked` (no other field's decision moves it). For a linked field
    it is only a first value: the kind's refresh after the decision settles it with the others."""
    return settle_priorities([field])[0]


def linked(reasons: Sequence[str]) -> bool:
    """The field carries a failing check with a label: its priority counts the other fields waiting on
    that check, and moves when one of them is decided. A field that is not linked has a priority of its
    own, which no other decision moves (the queue's refresh after a decision relies on that)."""
    return any(named is not None for _reason, named in _reading(tuple(reasons))[2])


def settle_priorities(fields: Sequence[Scored], kinds: Sequence[str] | None = None) -> list[float]:
    """One priority per field of a document (0 for fields not under review); higher is reviewed first.

    `kinds` gives each field's record kind (labels such as `Σ合计` repeat across tables); without it the
    labels are taken as document-wide.
    """
    scope = list(kinds) if kinds is not None else [""] * len(fields)
    waiting: Counter[tuple[str, str]] = Counter()  # (kind, label) -> doubted fields carrying it
    suspects: Counter[tuple[str, str]] = Counter()  # (kind, failing reason) -> doubted fields carrying it
    readings = [_reading(tuple(fv.reasons)) if fv.status == DOUBTED else None for fv in fields]
    for reading, kind in zip(readings, scope, strict=True):
        if reading is None:
            continue
        labels, failures, _named = reading
        for label in labels:
            waiting[(kind, label)] += 1
        for reason in failures:
            suspects[(kind, reason)] += 1
    out: list[float] = []
    for fv, reading, kind in zip(fields, readings, scope, strict=True):
        if reading is None:
            out.append(0.0)
            continue
        settles = 1.0
        for reason, named in reading[2]:
            if named is None:  # a bare failure settles its own field only, whoever else carries one
                settles += FAILED_WEIGHT
                continue
            settles += FAILED_WEIGHT * waiting[(kind, named)] / suspects[(kind, reason)]
        out.append(round(settles + (1.0 - max(0.0, min(1.0, fv.confidence))) / 10, 6))
    return out
