"""Calibration of confidence against correctness: ECE, AUROC, the reliability curve, the threshold sweep.

- Bins: `BINS` equal-width bins over [0, 1]; bin i holds confidences in [i/10, (i+1)/10), the last bin
  also holds 1.0 (confidences outside [0, 1] are clipped into the end bins).
- ECE = Σ_b (n_b / N) · |accuracy_b − mean confidence_b| over non-empty bins; None when N = 0.
- AUROC: the probability that a correct field has a higher confidence than a wrong one, ties counting
  one half (Mann–Whitney U from average ranks); None when either class is empty.
- Sweep: at threshold t a field is auto-accepted when confidence ≥ t; straight-through rate is the share
  accepted, precision the share of accepted fields that are correct (None when none is accepted).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BINS = 10
SWEEP_THRESHOLDS = tuple(i / 100 for i in range(101))


@dataclass(frozen=True)
class ReliabilityBin:
    lo: float
    hi: float
    count: int
    mean_confidence: float | None
    accuracy: float | None


@dataclass(frozen=True)
class SweepPoint:
    threshold: float
    accepted: int
    straight_through_rate: float | None
    precision: float | None


def bin_index(confidence: float, bins: int = BINS) -> int:
    i = int(confidence * bins + 1e-9)
    return min(max(i, 0), bins - 1)


def reliability(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = BINS
) -> list[ReliabilityBin]:
    if len(confidences) != len(correct):
        raise ValueError("confidences and correctness differ in length")
    sums = [0.0] * bins
    hits = [0] * bins
    counts = [0] * bins
    for c, ok in zip(confidences, correct, strict=True):
        i = bin_index(c, bins)
        counts[i] += 1
        sums[i] += c
        hits[i] += int(ok)
    return [
        ReliabilityBin(
            lo=i / bins,
            hi=(i + 1) / bins,
            count=counts[i],
            mean_confidence=sums[i] / counts[i] if counts[i] else None,
            accuracy=hits[i] / counts[i] if counts[i] else None,
        )
        for i in range(bins)
    ]


def ece(confidences: Sequence[float], correct: Sequence[bool], bins: int = BINS) -> float | None:
    n = len(confidences)
    if n == 0:
        return None
    total = 0.0
    for b in reliability(confidences, correct, bins):
        if b.count and b.accuracy is not None and b.mean_confidence is not None:
            total += b.count / n * abs(b.accuracy - b.mean_confidence)
    return total


def average_ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, tied values sharing the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        shared = (i + j) / 2 + 1
        for k in range(i, j + 1):
            ranks[order[k]] = shared
        i = j + 1
    return ranks


def auroc(scores: Sequence[float], labels: Sequence[bool]) -> float | None:
    if len(scores) != len(labels):
        raise ValueError("scores and labels differ in length")
    n_pos = sum(1 for x in labels if x)
    n_neg = len(labels) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = average_ranks(scores)
    rank_sum = sum(r for r, ok in zip(ranks, labels, strict=True) if ok)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def threshold_sweep(
    confidences: Sequence[float], correct: Sequence[bool], thresholds: Sequence[float] = SWEEP_THRESHOLDS
) -> list[SweepPoint]:
    n = len(confidences)
    points = []
    for t in thresholds:
        accepted = [ok for c, ok in zip(confidences, correct, strict=True) if c >= t - 1e-12]
        points.append(
            SweepPoint(
                threshold=t,
                accepted=len(accepted),
                straight_through_rate=len(accepted) / n if n else None,
                precision=sum(accepted) / len(accepted) if accepted else None,
            )
        )
    return points
