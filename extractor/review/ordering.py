"""The review queue's order, in one function.

A field is worth reviewing first when resolving it settles the most. Each check a field is flagged by
(a reason such as `sum:20138`) involves every field that carries that reason; if only one of those fields is
still doubted, resolving it settles the whole check. So a field's priority is, over its reasons,
Σ (fields carrying the reason) / (doubted fields carrying the reason): a failed sum with a single suspect
comes first, a reason every field shares counts for almost nothing. A failing check (`sum_failed:…`,
`ungrounded`, …) adds FAILED_WEIGHT shared among its suspects, so the single suspect of a failed sum leads.
Ties go to the lower confidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from extractor.model import FieldValue
from extractor.review.reasons import is_failure

DOUBTED = "needs_review"
FAILED_WEIGHT = 10.0


def settle_priorities(fields: Sequence[FieldValue]) -> list[float]:
    """One priority per field of a document (0 for fields not under review); higher is reviewed first."""
    everyone: Counter[str] = Counter()
    doubted: Counter[str] = Counter()
    for fv in fields:
        for reason in set(fv.reasons):
            everyone[reason] += 1
            if fv.status == DOUBTED:
                doubted[reason] += 1
    out: list[float] = []
    for fv in fields:
        if fv.status != DOUBTED:
            out.append(0.0)
            continue
        # a field doubted for no named reason still gets its own small weight
        reasons = set(fv.reasons)
        settles = 1.0 + sum(everyone[r] / doubted[r] for r in reasons if everyone[r] > 1)
        settles += sum(FAILED_WEIGHT / doubted[r] for r in reasons if is_failure(r))
        out.append(round(settles + (1.0 - max(0.0, min(1.0, fv.confidence))) / 10, 6))
    return out
