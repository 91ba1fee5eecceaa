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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Polarity = Literal["support", "doubt", "info"]


@dataclass(frozen=True)
class Reason:
    name: str
    family: str  # grounding, check, vote, format, catalogue, column, code, reading, derivation, llm
    polarity: Polarity  # support: a check holds; doubt: something speaks against the value; info: how it was read
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


R = Reason  # short for the table below

REASONS: tuple[Reason, ...] = (
    # grounding: is the value printed where it is said to be
    R("grounded", "grounding", "support", "the value was found at its place in the document",
      "数值在文档中的对应位置找到", support=0.7, feature="grounded", validator=True),
    R("ungrounded", "grounding", "doubt", "the value could not be found in the document at its place",
      "数值未在文档中的对应位置找到", doubt=0.2, feature="ungrounded", blocking=True, validator=True,
      second_look=True, misread=True),
    R("ungrounded_key", "grounding", "doubt", "the row's code could not be found in the document",
      "本行的科目编码未在文档中找到", feature="ungrounded", blocking=True, misread=True),
    # checks: sums and ties over the document's records, and the repairs they propose
    R("sum", "check", "support", "the sum check %(arg)s holds", "求和校验 %(arg)s 通过",
      support=0.5, feature="sum_ok", validator=True, confirms_llm=True),
    R("sum_fails", "check", "doubt", "the sum check of %(arg)s fails", "%(arg)s 的求和校验未通过",
      doubt=0.3, feature="sum_fails", blocking=True, validator=True, second_look=True),
    R("tie", "check", "support", "agrees with %(arg)s", "与 %(arg)s 一致",
      support=0.5, feature="tie_ok", validator=True, confirms_llm=True),
    R("tie_fails", "check", "doubt", "disagrees with %(arg)s", "与 %(arg)s 不一致",
      doubt=0.35, feature="tie_fails", blocking=True, validator=True, second_look=True),
    R("rounding_gap", "check", "info", "differs in %(arg)s by a rounding gap only", "在 %(arg)s 中仅有舍入误差",
      doubt=0.95, feature="rounding_gap", validator=True),
    R("proposal", "check", "info", "a repair was proposed: %(value)s", "建议修正为：%(value)s",
      feature="proposal", blocking=True, validator=True, args=r"(?P<value>.*)"),
    R("outvoted", "vote", "info", "outvoted in the check %(arg)s: another value is the likelier culprit",
      "校验 %(arg)s 中更可能是其他数值有误", doubt=0.9, feature="outvoted", blocking=True, validator=True),
    # format: years, shares, rates, scores
    R("format", "format", "support", "the format check %(arg)s holds", "格式校验 %(arg)s 通过",
      support=0.5, feature="format_ok", validator=True),
    R("format_fails", "format", "doubt", "fails the format check %(arg)s", "格式校验 %(arg)s 未通过",
      doubt=0.4, feature="format_fails", blocking=True, validator=True),
    # catalogue: function and economic codes
    R("catalogue", "catalogue", "support", "the code and its name agree with the catalogue",
      "科目编码与名称与目录一致", feature="catalogue_ok", validator=True),
    R("catalogue_unknown", "catalogue", "doubt", "the code is not in the catalogue", "科目编码不在目录中",
      doubt=0.85, feature="catalogue_unknown", validator=True),
    R("catalogue_name_mismatch", "catalogue", "doubt", "the name differs from the catalogue's name for this code",
      "名称与目录中该编码的名称不同", doubt=0.7, feature="catalogue_mismatch", validator=True),
    # column: which column of a table a number belongs to
    R("column:position", "column", "info", "column assigned by its position under the header",
      "按表头下的位置确定列", feature="column_position"),
    R("column:row_identity", "column", "info", "column assigned by the row's own sums", "按本行合计关系确定列",
      feature="column_identity"),
    R("column:first_is_total", "column", "info", "the row's first number is its total", "本行第一个数字为合计",
      feature="column_identity"),
    R("column:by_column_totals", "column", "info", "column assigned by the column totals", "按各列合计确定列",
      feature="column_totals"),
    R("column:by_definition", "column", "info", "column assigned by the definition of the columns",
      "按各列定义确定列", feature="column_definition"),
    R("column:by_cross_table", "column", "info", "column assigned by another table", "按另一张表确定列",
      feature="column_cross_table"),
    R("column:by_cross_table_totals", "column", "info", "column assigned by another table's totals",
      "按另一张表的合计确定列", feature="column_cross_table"),
    R("column:header", "column", "info", "column named by its printed header; a check must confirm it",
      "按印刷的表头确定列，需有校验确认", feature="column_header"),
    R("column_ambiguous", "column", "doubt", "the document does not say which column this number belongs to",
      "文档未表明该数字属于哪一列", doubt=0.45, feature="column_ambiguous", blocking=True, misread=True),
    R("column_settled", "column", "info", "the column was settled by a tie with another table",
      "列已通过与另一张表的核对确定", feature="column_cross_table", validator=True),
    # reading: how the parsers read the cell
    R("printed", "reading", "info", "read as printed", "按印刷内容读取"),
    R("joined", "reading", "info", "read from a line the layout had broken in two", "从被版式断成两行的内容中读取",
      doubt=0.97, feature="joined", misread=True),
    R("interleaved", "reading", "info", "read from pieces another cell's text runs between",
      "由被其他单元格文字隔开的几段拼合读取"),
    R("normalised", "reading", "info", "the printed text was normalised (full-width digits, separators)",
      "印刷文字已规范化（全角数字、分隔符）"),
    R("split_by_known_name", "reading", "info", "the name and the project were told apart by a known name",
      "按已知名称分开了名称与项目"),
    R("merged_cell_spilled", "reading", "info", "read from a merged cell whose text spilled onto its own line",
      "从溢出到单独一行的合并单元格中读取"),
    R("carried_down", "reading", "info", "carried down from the merged cell above", "沿用上方合并单元格的内容",
      feature="carried_down"),
    R("from_table_header", "reading", "info", "taken from the table's header block", "取自表头信息"),
    R("from", "reading", "info", "taken from the cell %(arg)s", "取自“%(arg)s”一栏"),
    R("points_suffix_dropped", "reading", "info", "a 分 suffix was dropped: %(arg)s", "去掉了“分”字后缀：%(arg)s"),
    R("row_identity_fails", "reading", "doubt", "the row's numbers do not add up across its columns",
      "本行各列数字加总不符", doubt=0.5, feature="row_identity_fails", blocking=True, second_look=True, misread=True),
    R("code_unreadable", "code", "doubt", "the code could not be read", "科目编码无法识别",
      doubt=0.4, feature="code_unreadable", blocking=True, misread=True),
    R("code_repaired", "code", "info", "the misprinted code was replaced by %(code)s, printed with the same name "
      "in another table", "印错的科目编码已按另一张表同名行改为 %(code)s", doubt=0.9, feature="code_repaired",
      args=r"(?:name_match:)?(?P<code>.*)", misread=True),
    R("unreadable", "reading", "doubt", "the cell could not be read as a number: %(arg)s",
      "单元格无法读作数字：%(arg)s"),
    R("not_a_quantity", "reading", "info", "the cell does not read as a quantity", "单元格内容不是数量", misread=True),
    R("uncertain", "reading", "doubt", "a guess a reviewer should confirm: %(arg)s", "推测所得，需审核确认：%(arg)s",
      doubt=0.5, feature="uncertain", blocking=True),
    R("uncertain_layout", "reading", "doubt", "the table layout was hard to read here", "此处表格版式难以识别",
      doubt=0.5, feature="uncertain", blocking=True, misread=True),
    R("uncertain_operator", "reading", "doubt", "the comparison in the target is unclear",
      "指标值中的比较关系不明确", feature="uncertain", blocking=True),
    R("project_name_not_separable", "reading", "info", "the project name runs into the next cell",
      "项目名称与下一单元格连在一起", doubt=0.5, feature="uncertain"),
    # derivation: values not printed as such
    R("derived", "derivation", "info", "derived: %(arg)s", "推算：%(arg)s", feature="derived"),
    R("pattern", "derivation", "info", "read from a sentence of the text", "从正文句子中读取", feature="pattern"),
    R("list", "derivation", "info", "read from a numbered list", "从编号列表中读取"),
    R("title", "derivation", "info", "read from the title", "从标题中读取"),
    R("year", "derivation", "info", "the year was read from %(arg)s", "年度取自 %(arg)s"),
    # llm: the language model's readings and how they compare with the rules
    R("llm", "llm", "info", "read by the language model", "由语言模型读取", doubt=0.85, feature="llm", misread=True),
    R("agreement", "llm", "support", "the language model agrees", "语言模型结果一致",
      support=0.5, feature="agreement", confirms_llm=True),
    R("agreement_fails", "llm", "doubt", "the language model reads %(value)s", "语言模型读作 %(value)s",
      doubt=0.5, feature="agreement_fails", blocking=True, args=r"(?:llm=)?(?P<value>.*)"),
)
del R

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
