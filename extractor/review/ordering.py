"""The review queue's order, in one function.

A field is worth reviewing first when resolving it settles the most. Each named check a field takes part in
(a reason with a label, such as `sum:20138` or `sum_fails:20138`) involves every field that carries that
reason (bare reasons such as `grounded` are properties of one field, not shared checks); if only one of those fields is
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
            if ":" not in reason:
                continue
            everyone[reason] += 1
            if fv.status == DOUBTED:
                doubted[reason] += 1
    weight: dict[str, float] = {}
    for reason, n in everyone.items():
        w = n / doubted[reason] if n > 1 and doubted[reason] else 0.0
        if is_failure(reason):
            w += FAILED_WEIGHT / max(1, doubted[reason])
        if w:
            weight[reason] = w
    out: list[float] = []
    for fv in fields:
        if fv.status != DOUBTED:
            out.append(0.0)
            continue
        settles = 1.0 + sum(weight.get(r, 0.0) for r in set(fv.reasons))
        # a bare failing reason (`ungrounded`) is the field's own: it adds the failure weight once
        settles += sum(FAILED_WEIGHT for r in fv.reasons if ":" not in r and is_failure(r))
        out.append(round(settles + (1.0 - max(0.0, min(1.0, fv.confidence))) / 10, 6))
    return out
