"""Reasons as the review pages show them, read from the one registry (`extractor.reasons`).

A reviewer reads a sentence instead of `sum_fails:Σ20138`; an unregistered reason is shown as it is.
"""

from __future__ import annotations

from extractor import reasons
from extractor.reasons import describe, explain

__all__ = ["N_", "describe", "explain", "is_failure", "known_reasons", "proposals", "verdict"]


def N_(message: str) -> str:
    """Marks a text for the review pages' catalogs (review_ui/i18n); it is translated where it is shown."""
    return message


def known_reasons() -> list[str]:
    """Reason names the queue filter suggests."""
    return reasons.names()


def is_failure(reason: str) -> bool:
    return reasons.is_doubt(reason)


_VERDICT = {"doubt": "fail", "support": "ok", "info": "info"}


def verdict(reason: str) -> str:
    """fail | ok | info: how the page colours a reason."""
    return _VERDICT[reasons.polarity(reason)]


def proposals(field_reasons: list[str]) -> list[str]:
    """Repair proposals as printed text, in the order the validators gave them, without repeats."""
    out: list[str] = []
    for reason in field_reasons:
        entry = reasons.lookup(reason)
        value = reasons.argument(reason).strip()
        if entry is not None and entry.name == "proposal" and value and value not in out:
            out.append(value)
    return out
