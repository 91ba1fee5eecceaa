"""The renamed texts `eval.renamed` scores: a table's title, or its labels one at a time, or (the
"combined" mode) its title and every label that has a printed variant at once, or ("document") every
table of the document at once. Only real synonyms: titles from the corpus-dev inventory, labels from
`LABEL_SYNONYMS`. The gold is renamed with the same mapping (`relabel_text`), all labels in one pass so
that a pair of labels renamed to each other (公务用车运行费 ⇄ 公务用车运行维护费) does not undo itself."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

_CJK = "\u4e00-\u9fff"
MODES = ("titles", "labels", "combined", "document")
# what a title says beyond its kind: the level it covers (a scope of its records) and, for a government's
# tables, the fund (一般公共预算 vs 国有资本经营: another table, not another name for the same one)
LEVELS = ("本级", "全市", "全省", "全县", "全区")
FUNDS = ("一般公共预算", "政府性基金", "国有资本经营", "社会保险基金")


_FUND_BUDGETS = re.compile(r"(?:一般公共|政府性基金|国有资本经营|社会保险基金)预算")
_YEAR = re.compile(r"[2２][0O０][0-9O０-９]{2}(?=\s*年)")


def _tense(title: str) -> str | None:
    """The doc type a title names: 决算 (final accounts), 预算 (not a fund's name: a budget), or None."""
    if "决算" in title:
        return "final_accounts"
    return "budget" if "预算" in _FUND_BUDGETS.sub("", title) else None


def _years(title: str) -> set[str]:
    return {y.replace("O", "0") for y in _YEAR.findall(title)}


def same_table(
    kind: str,
    title: str,
    synonym: str,
    *,
    doc_type: str | None = None,
    fiscal_year: int | None = None,
    other_units: Sequence[str] = (),
) -> bool:
    """Whether `synonym` could name this very table, not only a table of its kind: the same level words
    and, for a government's kinds, the same fund; no 决算 in a budget (nor 预算 in final accounts); no
    other year than the document's or the title's; no other unit's name (西南大学 in a Jiangsu document)."""
    words = LEVELS + FUNDS if kind.startswith("gov_") else LEVELS
    if any((w in title) != (w in synonym) for w in words):
        return False
    if doc_type is not None and _tense(synonym) not in (None, doc_type):
        return False
    years = _years(title) | ({str(fiscal_year)} if fiscal_year else set())
    if not _years(synonym) <= years:
        return False
    return not any(u in synonym and u not in title for u in other_units)


def label_pattern(label: str) -> re.Pattern[str]:
    """A label printed as a cell of its own (not part of a longer name: 公用经费 in 日常公用经费)."""
    return re.compile(rf"(?<![{_CJK}]){re.escape(label)}(?![{_CJK}])")


def relabel_text(text: str, mapping: Mapping[str, str]) -> str:
    """`text` with every label of `mapping` printed as a cell of its own renamed, in one pass."""
    if not mapping:
        return text
    alternatives = "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True))
    pattern = re.compile(rf"(?<![{_CJK}])(?:{alternatives})(?![{_CJK}])")
    return pattern.sub(lambda m: mapping[m.group(0)], text)


@dataclass
class Variant:
    """One renamed text: the title renamed to `synonym` ("" when kept) and the labels renamed."""

    synonym: str
    labels: dict[str, str] = field(default_factory=dict)
    text: str = ""

    @property
    def label(self) -> str:
        return "+".join(f"{k}→{v}" for k, v in self.labels.items())


def title_at(text: str, start: int, title: str) -> int | None:
    at = text.find(title, max(0, start - 200), start + 400)
    return at if at >= 0 else None


def label_mapping(body: str, labels: Mapping[str, Sequence[str]], k: int) -> dict[str, str]:
    """Each label printed in `body` that has a variant → its `k`-th variant (the last when fewer)."""
    return {
        label: variants[min(k, len(variants) - 1)]
        for label, variants in labels.items()
        if variants and label_pattern(label).search(body)
    }


def table_variants(
    text: str,
    start: int,
    end: int,
    title: str,
    titles: Sequence[str],
    labels: Mapping[str, Sequence[str]] | None,
    *,
    mode: str,
    per_table: int = 0,
) -> list[Variant]:
    """The renamed texts of one table (`text[start:end]`, printed under `title`; `titles`: the other
    titles printed for its kind)."""
    candidates = [s for s in titles if s != title][: per_table or None]
    body = text[start:end]
    if mode == "titles":
        at = title_at(text, start, title)
        if at is None:
            return []
        return [Variant(s, {}, text[:at] + s + text[at + len(title) :]) for s in candidates]
    labels = labels or {}
    if mode == "labels":
        out = []
        for label, variants in labels.items():
            if label_pattern(label).search(body):
                for synonym in variants[: per_table or None]:
                    mapping = {label: synonym}
                    out.append(Variant("", mapping, text[:start] + relabel_text(body, mapping) + text[end:]))
        return out
    # combined: the title and every label at once; the labels' variants taken in turn across titles
    out = []
    for i, synonym in enumerate(candidates or [""]):
        mapping = label_mapping(body, labels, i)
        changed = text[:start] + relabel_text(body, mapping) + text[end:]
        if synonym:
            at = title_at(changed, start, title)
            if at is None:
                continue
            changed = changed[:at] + synonym + changed[at + len(title) :]
        if synonym or mapping:
            out.append(Variant(synonym, mapping, changed))
    return out


def document_variants(
    text: str,
    tables: Sequence[tuple[int, str, Sequence[str]]],
    labels: Mapping[str, Sequence[str]],
    *,
    count: int,
) -> list[Variant]:
    """`count` renamings of the whole document at once: the `i`-th renames each table (start, title,
    the other titles of its kind) to its `i`-th other title (in turn) and every label in the document
    to its `i`-th variant. The variant's `synonym` lists the new titles."""
    out = []
    for i in range(count):
        changed = text
        renamed: list[str] = []
        for start, title, titles in sorted(tables, key=lambda t: -t[0]):  # from the end: offsets hold
            others = [s for s in titles if s != title]
            at = title_at(changed, start, title)
            if not others or at is None:
                continue
            synonym = others[i % len(others)]
            changed = changed[:at] + synonym + changed[at + len(title) :]
            renamed.append(synonym)
        mapping = label_mapping(changed, labels, i)
        changed = relabel_text(changed, mapping)
        if changed != text:
            out.append(Variant("、".join(reversed(renamed)), mapping, changed))
    return out
