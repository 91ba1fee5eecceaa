"""Table titles of other regions and of 决算 (final accounts) land in the same kinds as the seeds'.

The variants are the titles of the national templates for 部门预算 and 部门决算 disclosure as provinces
print them (预算: 收支预算总表 / 部门收支总表 …; 决算: 收入支出决算总表 …)."""

from __future__ import annotations

import pytest

from extractor.classify import classify_title

CASES = {
    # 预算, other wordings than the seeds'
    "部门收支总表": "income_summary",
    "收支预算总表": "income_summary",
    "部门收支预算总表": "income_summary",
    "部门财务收支预算总表": "income_summary",
    "部门收入总表": "income_by_function",
    "收入预算总表": "income_by_function",
    "部门支出总表": "expenditure_by_function",
    "支出预算总表": "expenditure_by_function",
    "财政拨款收支总表": "fiscal_appropriation_summary",
    "财政拨款收支预算总表": "fiscal_appropriation_summary",
    "一般公共预算财政拨款支出预算表": "general_budget_expenditure",
    "一般公共预算财政拨款基本支出预算表": "basic_expenditure_by_economic",
    "政府性基金预算支出表": "gov_fund_expenditure",
    "国有资本经营预算支出表": "state_capital_expenditure",
    "“三公”经费支出预算表": "three_public_expenses",
    "一般公共预算项目支出预算表": "project_expenditure",
    "项目支出绩效目标申报表": "performance_target",
    # 决算
    "收入支出决算总表": "income_summary",
    "部门收支决算总表": "income_summary",
    "收入决算表": "income_by_function",
    "支出决算表": "expenditure_by_function",
    "财政拨款收入支出决算总表": "fiscal_appropriation_summary",
    "一般公共预算财政拨款支出决算表": "general_budget_expenditure",
    "一般公共预算财政拨款基本支出决算表": "basic_expenditure_by_economic",
    "政府性基金预算财政拨款收入支出决算表": "gov_fund_expenditure",
    "国有资本经营预算财政拨款支出决算表": "state_capital_expenditure",
    "财政拨款“三公”经费支出决算表": "three_public_expenses",
    "部门整体支出绩效自评表": "performance_self_evaluation",
    "财政拨款结转结余情况表": "carryover",
    # a name printed without 表, then a bracketed qualifier (定州): read by the words before it
    "部门基本支出预算（人员经费预算）": "basic_expenditure_by_economic",
}


@pytest.mark.parametrize(("title", "kind"), sorted(CASES.items()))
def test_title_variants(title: str, kind: str) -> None:
    assert classify_title(title) == kind


@pytest.mark.parametrize("text", ["说明：以上数据", "单位：万元", "收支总体情况"])
def test_non_titles_are_not_tables(text: str) -> None:
    assert classify_title(text) is None


@pytest.mark.parametrize("public", ["公用经费", "日常公用经费", "公用支出"])
def test_an_economic_table_split_into_personnel_and_public(public: str) -> None:
    from extractor.classify import classify_content

    text = f"科目编码 科目名称 合计 人员经费 {public}\n301 工资福利支出 277.66 260.41\n302 商品和服务支出 10.11 10.11\n"
    assert classify_content(text) == "basic_expenditure_by_economic"
