"""The one registry of field reasons: what each reason a stage writes into `FieldValue.reasons` means.

A reason is written `name` or `name:argument` (`grounded`, `sum_fails:Σ20138`, `proposal:314.66`); a few
reasons are whole fixed strings whose argument is part of the name (`column:position`). Every stage reads
this table instead of keeping its own list of prefixes: the baseline score (`doubt`, `support`), the
calibrated confidence (`feature`), the review gate (`blocking`), re-validation (`validator`: written by the
validators, so cleared before they run again), the hybrid backend (`second_look`), the review queue's order
and colours (`polarity`) and the review pages (`en`, `zh`: plain words; `%(arg)s` or the named groups of
`args` stand for the numbers and labels the argument carries).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Literal

Polarity = Literal["support", "doubt", "info"]


@dataclass(frozen=True)
class Reason:
    name: str
    family: str  # grounding, check, vote, format, catalogue, column, code, reading, derivation, llm
    polarity: (
        Polarity  # support: a check holds; doubt: something speaks against the value; info: how it was read
    )
    en: str
    zh: str
    doubt: float = 1.0  # baseline confidence is multiplied by this
    support: float = 1.0  # baseline doubt (1 - confidence) is multiplied by this
    feature: str | None = None  # the calibrated confidence's feature (`extractor.confidence.FEATURES`)
    blocking: bool = False  # keeps the field in review whatever its confidence
    validator: bool = False  # written by the validators: replaced when they run again
    confirms_llm: bool = False  # a value read by the LLM is confirmed by this
    second_look: bool = False  # the hybrid backend asks the LLM about a segment whose rules fields carry it
    misread: bool = False  # the value may be misread: a failed check on it says nothing about the document
    args: str | None = None  # a regex with named groups for the argument; default: all of it is %(arg)s

    def params(self, argument: str) -> dict[str, str]:
        if self.args is None:
            return {"arg": argument} if argument else {}
        m = re.fullmatch(self.args, argument)
        return {k: v or "" for k, v in m.groupdict().items()} if m else {"arg": argument}

    def words(self, locale: str) -> str:
        return self.zh if locale.replace("-", "_").lower().startswith("zh") else self.en


def _load() -> tuple[Reason, ...]:
    """The table itself is data (`extractor/data/reasons.toml`): one entry per reason, its keys the fields
    of `Reason`."""
    raw = tomllib.loads(files("extractor.data").joinpath("reasons.toml").read_text(encoding="utf-8"))
    return tuple(Reason(**entry) for entry in raw["reason"])


REASONS: tuple[Reason, ...] = _load()

BY_NAME: dict[str, Reason] = {r.name: r for r in REASONS}
assert len(BY_NAME) == len(REASONS), "a reason is registered twice"


# how the column solver (`extractor.columns`) placed a row's numbers → the reason its fields carry
COLUMN_METHODS: dict[str, str] = {
    "positional": "column:position",
    "unique": "column:row_identity",
    "by_totals": "column:by_column_totals",
    "by_definition": "column:by_definition",
    "by_cross_table": "column:by_cross_table",
    "by_totals_cross_table": "column:by_cross_table_totals",
    "ambiguous": "column_ambiguous",
    "identity_fails": "row_identity_fails",
}


def column_reason(how: str) -> str:
    return COLUMN_METHODS.get(how, f"column:{how}")


@lru_cache(maxsize=8192)
def lookup(reason: str) -> Reason | None:
    """The registry entry of a reason as written: the whole string if registered (`column:position`),
    else its name before the first colon (`sum_fails:Σ201` → `sum_fails`)."""
    return BY_NAME.get(reason) or BY_NAME.get(reason.partition(":")[0])


def argument(reason: str) -> str:
    entry = lookup(reason)
    if entry is None or entry.name == reason:
        return ""
    return reason[len(entry.name) + 1 :]


def describe(reason: str) -> tuple[str, dict[str, str]]:
    """The English words of a reason (the review pages' message id) and their parameters; an unregistered
    reason is its own text."""
    entry = lookup(reason)
    if entry is None:
        return "%(arg)s", {"arg": reason}
    return entry.en, entry.params(argument(reason))


def words(reason: str, locale: str = "zh_CN") -> str:
    """The reason in plain words of `locale` (zh_CN or en), its numbers and labels filled in."""
    entry = lookup(reason)
    if entry is None:
        return reason
    text, params = entry.words(locale), entry.params(argument(reason))
    return text % params if params else text


def explain(reason: str) -> str:
    """The reason in plain English (the API's text)."""
    return words(reason, "en")


def translations() -> dict[str, str]:
    """English words → Chinese words, for the review pages' catalogs."""
    return {r.en: r.zh for r in REASONS}


def polarity(reason: str) -> Polarity:
    entry = lookup(reason)
    return entry.polarity if entry is not None else "info"


@lru_cache(maxsize=8192)
def is_doubt(reason: str) -> bool:
    return polarity(reason) == "doubt"


def _has(reasons: Iterable[str], flag: str) -> list[str]:
    return [r for r in reasons if (e := lookup(r)) is not None and getattr(e, flag)]


def blocking(reasons: Iterable[str]) -> list[str]:
    return _has(reasons, "blocking")


def written_by_validators(reason: str) -> bool:
    entry = lookup(reason)
    return entry is not None and entry.validator


def confirms_llm(reasons: Iterable[str]) -> bool:
    return bool(_has(reasons, "confirms_llm"))


def wants_second_look(reasons: Iterable[str]) -> bool:
    return bool(_has(reasons, "second_look"))


def misread(reason: str) -> bool:
    entry = lookup(reason)
    return entry is not None and entry.misread


def family(reason: str) -> str | None:
    entry = lookup(reason)
    return entry.family if entry is not None else None


def feature(reason: str) -> str | None:
    entry = lookup(reason)
    return entry.feature if entry is not None else None


def names() -> list[str]:
    """Every registered name (the queue filter's suggestions)."""
    return sorted(BY_NAME)
