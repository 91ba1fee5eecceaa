"""The record kinds the seed budgets print, named once for the tests that expect them."""

from __future__ import annotations

# the nine 公开表 of the national 部门预算 template every seed budget prints with amounts
PUBLIC_TABLES = frozenset(
    [
        "income_summary",
        "expenditure_summary",
        "income_by_function",
        "expenditure_by_function",
        "fiscal_appropriation_summary",
        "general_budget_expenditure",
        "basic_expenditure_by_economic",
        "project_expenditure",
        "three_public_expenses",
    ]
)
