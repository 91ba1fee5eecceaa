"""Reasons in plain words, and the repair proposals hidden in them.

Validators name their findings (`sum:20138`, `grounded`, `repair:314.66`, …). A reviewer reads a sentence
instead; an unknown reason is shown as it is.
"""

from __future__ import annotations

import re
from functools import lru_cache


def N_(message: str) -> str:
    """Marks a text for the review pages' catalogs (review_ui/i18n); it is translated where it is shown."""
    return message


_PLAIN: dict[str, str] = {
    "grounded": N_("the value was found at its place in the document"),
    "ungrounded": N_("the value could not be found in the document at its place"),
    "catalogue": N_("the code and its name agree with the catalogue"),
    "catalogue_unknown": N_("the code is not in the catalogue"),
    "catalogue_name_mismatch": N_("the name differs from the catalogue's name for this code"),
    "low_confidence": N_("the extractor was unsure of this value"),
    "llm": N_("read by the language model"),
    "rules": N_("read by the layout rules"),
    "agreement": N_("the two extractors agree"),
    "disagreement": N_("the two extractors disagree"),
    "ambiguous_column": N_("the document does not say which column this number belongs to"),
    "derived": N_("derived from other values, not printed"),
    "format": N_("the value's format is as expected"),
    "placeholder": N_("the document holds a placeholder here"),
    "joined": N_("read from a line the layout had broken in two"),
    "normalised": N_("the printed text was normalised (full-width digits, separators)"),
    "uncertain_layout": N_("the table layout was hard to read here"),
    "uncertain_operator": N_("the comparison in the target is unclear"),
    "row_identity_fails": N_("the row's numbers do not add up across its columns"),
    "code_unreadable": N_("the code could not be read"),
    "not_a_quantity": N_("the cell does not read as a quantity"),
    "project_name_not_separable": N_("the project name runs into the next cell"),
}

_PREFIXED: dict[str, str] = {
    "sum": N_("the sum check %(arg)s holds"),
    "sum_ok": N_("the sum check of %(arg)s holds"),
    "sum_failed": N_("the sum check of %(arg)s fails"),
    "sum_fail": N_("the sum check of %(arg)s fails"),
    "sum_fails": N_("the sum check of %(arg)s fails"),
    "tie_fails": N_("disagrees with %(arg)s"),
    "rounding_gap": N_("differs in %(arg)s by a rounding gap only"),
    "format_fails": N_("fails the format check %(arg)s"),
    "points_suffix_dropped": N_("a 分 suffix was dropped: %(arg)s"),
    "tie": N_("agrees with %(arg)s"),
    "outvoted": N_("outvoted in the check %(arg)s: another value is the likelier culprit"),
    "column": N_("column assigned by %(arg)s"),
    "tie_ok": N_("agrees with %(arg)s"),
    "tie_failed": N_("disagrees with %(arg)s"),
    "rounding": N_("differs from %(arg)s by a rounding gap"),
    "catalogue_unknown": N_("the code %(arg)s is not in the catalogue"),
    "repair": N_("a repair was proposed: %(arg)s"),
    "proposal": N_("a repair was proposed: %(arg)s"),
    "derived": N_("derived: %(arg)s"),
    "format": N_("the format check %(arg)s holds"),
    "ambiguous_column": N_("the column is ambiguous: %(arg)s"),
}

_PROPOSAL = re.compile(
    r"^(?:repair|proposal|propose)[:=]\s*(?:[\w./-]+\s*(?:=|->|→)\s*)?(?P<value>-?[\d.,]+|.+)$"
)


def known_reasons() -> list[str]:
    """Reason names the queue filter suggests."""
    return sorted(set(_PLAIN) | set(_PREFIXED))


_EXTRA_PLAIN: dict[str, str] = {
    "printed": N_("read as printed"),
    "column:position": N_("column assigned by its position under the header"),
    "column:row_identity": N_("column assigned by the row's own sums"),
    "column:by_column_totals": N_("column assigned by the column totals"),
    "column:by_definition": N_("column assigned by the definition of the columns"),
    "column:by_cross_table": N_("column assigned by another table"),
    "column:by_cross_table_totals": N_("column assigned by another table's totals"),
    "column_ambiguous": N_("the document does not say which column this number belongs to"),
    "column_settled:tie": N_("the column was settled by a tie with another table"),
    "agreement:llm": N_("the language model agrees"),
}


def describe(reason: str) -> tuple[str, dict[str, str]]:
    """The text of a reason as a catalog message id and its parameters (`%(arg)s`)."""
    if reason in _EXTRA_PLAIN:
        return _EXTRA_PLAIN[reason], {}
    if reason in _PLAIN:
        return _PLAIN[reason], {}
    head, sep, arg = reason.partition(":")
    if sep and head in _PREFIXED:
        return _PREFIXED[head], {"arg": arg}
    return "%(arg)s", {"arg": reason}


def explain(reason: str) -> str:
    """The reason in plain English words (the API's text; the pages translate `describe`)."""
    message, params = describe(reason)
    return message % params if params else message


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
