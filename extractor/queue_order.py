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
from functools import lru_cache

from extractor.model import FieldValue
from extractor.reasons import is_doubt as is_failure  # memoised: asked of every reason on each decision

DOUBTED = "needs_review"
FAILED_WEIGHT = 10.0


@lru_cache(maxsize=8192)
def _label(reason: str) -> str | None:
    head, sep, label = reason.partition(":")
    return label if sep else None


def settle_priorities(fields: Sequence[FieldValue], kinds: Sequence[str] | None = None) -> list[float]:
    """One priority per field of a document (0 for fields not under review); higher is reviewed first.

    `kinds` gives each field's record kind (labels such as `Σ合计` repeat across tables); without it the
    labels are taken as document-wide.
    """
    scope = list(kinds) if kinds is not None else [""] * len(fields)
    waiting: Counter[tuple[str, str]] = Counter()  # (kind, label) -> doubted fields carrying it
    suspects: Counter[tuple[str, str]] = Counter()  # (kind, failing reason) -> doubted fields carrying it
    for fv, kind in zip(fields, scope, strict=True):
        if fv.status != DOUBTED:
            continue
        for label in {lbl for r in fv.reasons if (lbl := _label(r)) is not None}:
            waiting[(kind, label)] += 1
        for reason in set(fv.reasons):
            if is_failure(reason):
                suspects[(kind, reason)] += 1
    out: list[float] = []
    for fv, kind in zip(fields, scope, strict=True):
        if fv.status != DOUBTED:
            out.append(0.0)
            continue
        settles = 1.0
        for reason in set(fv.reasons):
            if not is_failure(reason):
                continue
            named = _label(reason)
            if named is None:  # a bare failure settles its own field only, whoever else carries one
                settles += FAILED_WEIGHT
                continue
            settles += FAILED_WEIGHT * waiting[(kind, named)] / suspects[(kind, reason)]
        out.append(round(settles + (1.0 - max(0.0, min(1.0, fv.confidence))) / 10, 6))
    return out
