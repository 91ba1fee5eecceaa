"""The one registry of finding rules: each rule's name, the most severe level it can reach, and plain words
in zh-CN and en. A rule reaches its top severity only where the product can vouch that the document itself is
wrong; where the reading may be at fault, the same rule says it as a warning."""

from __future__ import annotations

from dataclasses import dataclass

from extractor.findings.model import Severity


@dataclass(frozen=True)
class Rule:
    name: str
    top: Severity
    zh: str
    en: str


_RULES = (
    Rule("required_table_missing", "warning", "缺少必备公开表", "a required table is missing"),
    Rule(
        "empty_table_no_statement", "error", "空表未注明“本表为空表”", "an empty table without its statement"
    ),
    Rule(
        "empty_table_wrong_statement",
        "warning",
        "空表说明与本表不符",
        "an empty table's statement names another table",
    ),
    Rule("placeholder", "error", "残留模板占位符", "a template placeholder is left in"),
    Rule("doubled_punctuation", "error", "标点重复", "doubled punctuation"),
    Rule(
        "narrative_table_mismatch",
        "error",
        "情况说明数字与报表不一致",
        "a number in the 说明 differs from its table",
    ),
    Rule(
        "narrative_parts_mismatch",
        "error",
        "情况说明分项之和与总额不符",
        "the 说明's parts do not add up to its total",
    ),
    Rule("share_mismatch", "error", "占比与金额不符", "a share does not match its amounts"),
    Rule(
        "direction_contradiction",
        "error",
        "增减方向用词与数字矛盾",
        "a direction word contradicts its numbers",
    ),
    Rule(
        "comparison_contradiction",
        "error",
        "大于/小于/等于与预算数、决算数矛盾",
        "大于/小于/等于 contradicts 预算数 and 决算数",
    ),
    Rule("reason_missing", "warning", "变动未说明原因", "a change is given without its reason"),
    Rule("year_inconsistent", "error", "年度不一致", "the year differs from the document's"),
    Rule("three_public_over_budget", "error", "“三公”经费决算数超过预算数", "三公 决算 exceeds its 预算"),
    Rule(
        "table_sum_fails",
        "warning",
        "表内合计与分项之和不符",
        "a table's total differs from the sum of its rows",
    ),
    Rule(
        "table_tie_fails", "warning", "表间数字不一致", "two tables print different amounts for one quantity"
    ),
    Rule("rounding_gap", "info", "尾差（四舍五入）", "a rounding gap"),
)

RULES: dict[str, Rule] = {r.name: r for r in _RULES}


def rule(name: str) -> Rule:
    try:
        return RULES[name]
    except KeyError:
        raise KeyError(f"unknown finding rule {name!r}; add it to extractor.findings.rules") from None


def plain(name: str, lang: str = "zh") -> str:
    r = RULES.get(name)
    if r is None:
        return name
    return r.zh if lang.startswith("zh") else r.en
