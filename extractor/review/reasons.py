"""Reasons in plain words, and the repair proposals hidden in them.

Validators name their findings (`sum:20138`, `grounded`, `repair:314.66`, …). A reviewer reads a sentence
instead; an unknown reason is shown as it is.
"""

from __future__ import annotations

import re
from functools import lru_cache

_PLAIN: dict[str, str] = {
    "grounded": "the value was found at its place in the document",
    "ungrounded": "the value could not be found in the document at its place",
    "catalogue": "the code and its name agree with the catalogue",
    "catalogue_unknown": "the code is not in the catalogue",
    "catalogue_name_mismatch": "the name differs from the catalogue's name for this code",
    "low_confidence": "the extractor was unsure of this value",
    "llm": "read by the language model",
    "rules": "read by the layout rules",
    "agreement": "the two extractors agree",
    "disagreement": "the two extractors disagree",
    "ambiguous_column": "the document does not say which column this number belongs to",
    "derived": "derived from other values, not printed",
    "format": "the value's format is as expected",
    "placeholder": "the document holds a placeholder here",
    "joined": "read from a line the layout had broken in two",
    "normalised": "the printed text was normalised (full-width digits, separators)",
    "uncertain_layout": "the table layout was hard to read here",
    "uncertain_operator": "the comparison in the target is unclear",
    "row_identity_fails": "the row's numbers do not add up across its columns",
    "code_unreadable": "the code could not be read",
    "not_a_quantity": "the cell does not read as a quantity",
    "project_name_not_separable": "the project name runs into the next cell",
}

_PREFIXED: dict[str, str] = {
    "sum": "the sum check {arg} holds",
    "sum_ok": "the sum check of {arg} holds",
    "sum_failed": "the sum check of {arg} fails",
    "sum_fail": "the sum check of {arg} fails",
    "sum_fails": "the sum check of {arg} fails",
    "tie_fails": "disagrees with {arg}",
    "rounding_gap": "differs in {arg} by a rounding gap only",
    "format_fails": "fails the format check {arg}",
    "points_suffix_dropped": "a 分 suffix was dropped: {arg}",
    "tie": "agrees with {arg}",
    "outvoted": "outvoted in the check {arg}: another value is the likelier culprit",
    "column": "column assigned by {arg}",
    "tie_ok": "agrees with {arg}",
    "tie_failed": "disagrees with {arg}",
    "rounding": "differs from {arg} by a rounding gap",
    "catalogue_unknown": "the code {arg} is not in the catalogue",
    "repair": "a repair was proposed: {arg}",
    "proposal": "a repair was proposed: {arg}",
    "derived": "derived: {arg}",
    "format": "the format check {arg} holds",
    "ambiguous_column": "the column is ambiguous: {arg}",
}

_PROPOSAL = re.compile(
    r"^(?:repair|proposal|propose)[:=]\s*(?:[\w./-]+\s*(?:=|->|→)\s*)?(?P<value>-?[\d.,]+|.+)$"
)


def known_reasons() -> list[str]:
    """Reason names the queue filter suggests."""
    return sorted(set(_PLAIN) | set(_PREFIXED))


def explain(reason: str) -> str:
    if reason in _PLAIN:
        return _PLAIN[reason]
    head, sep, arg = reason.partition(":")
    if sep and head in _PREFIXED:
        return _PREFIXED[head].format(arg=arg)
    return reason


@lru_cache(maxsize=4096)
def is_failure(reason: str) -> bool:
    head = reason.partition(":")[0]
    return any(w in head for w in ("fail", "mismatch", "unknown", "ungrounded", "disagree", "ambiguous"))


_OK_WORDS = ("grounded", "catalogue", "agreement", "sum", "tie", "format")


def verdict(reason: str) -> str:
    """fail | ok | info: how the page colours a reason."""
    head = reason.partition(":")[0]
    if is_failure(reason):
        return "fail"
    if head.endswith("_ok") or head in _OK_WORDS:
        return "ok"
    return "info"


def proposals(reasons: list[str]) -> list[str]:
    """Repair proposals as printed text, in the order the validators gave them, without repeats."""
    out: list[str] = []
    for reason in reasons:
        m = _PROPOSAL.match(reason)
        if m and m.group("value").strip() not in out:
            out.append(m.group("value").strip())
    return out
