"""How close two printed sums must be. Amounts are printed to 0.01 (万元 or 元): equal within 0.005
holds; a gap no larger than the rounding of the terms (0.005 each, at most 0.03) is a rounding gap,
reported as such and not as an error; anything larger fails. `terms` counts the rounded figures beyond
the one compared with: a sum's parts; none for a tie of two printings of the same quantity."""

from __future__ import annotations

from typing import Literal

Verdict = Literal["holds", "rounding", "fails"]


def verdict(left: float, right: float, terms: int) -> Verdict:
    gap = abs(left - right)
    if gap < 0.005 + 1e-9:
        return "holds"
    if gap <= min(0.005 * (terms + 1), 0.03) + 1e-9:
        return "rounding"
    return "fails"
