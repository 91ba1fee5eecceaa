"""The catalogue of function (2xx) and economic (3xx) classification codes, shipped as data.

Built from the codes and names printed in real documents (`extractor/data/catalogue.json`, each
entry with where it was seen; rebuilt by `extractor catalogue build`). An unknown code, or a name
that differs from the catalogue's, is a soft flag, never an error.
"""

from __future__ import annotations

import re

from extractor.codes import load_catalogue
from extractor.model import Record

CODED_KINDS = (
    "income_by_function",
    "expenditure_by_function",
    "general_budget_expenditure",
    "basic_expenditure_by_economic",
    "project_expenditure",
    "gov_fund_expenditure",
    "state_capital_expenditure",
    "expenditure_summary",
    "fiscal_appropriation_summary",
    "fiscal_expenditure_by_function",
    "fiscal_basic_expenditure_by_economic",
    "operating_expenses_by_economic",
)


def _norm(name: str) -> str:
    return re.sub(r"[\s（）()]", "", name)


def check_record(record: Record) -> tuple[str, str] | None:
    """(reason, message) for a coded record, or None when the record is not coded."""
    if record.kind not in CODED_KINDS:
        return None
    code = record.key.split("/", 1)[0]
    if not code.isdigit():
        return None
    catalogue = load_catalogue()
    entry = catalogue.get(code)
    if entry is None:
        return "catalogue_unknown", f"code {code} is not in the catalogue"
    name = record.fields.get("name")
    if name is None or not isinstance(name.value, str):
        return "catalogue", f"code {code} is {entry['name']}"
    names = {_norm(n) for n in [entry["name"], *entry.get("aliases", [])]}
    if _norm(name.value) in names or any(_norm(name.value).startswith(n) for n in names):
        return "catalogue", f"code {code} is {entry['name']}"
    return "catalogue_name_mismatch", f"code {code} is {entry['name']} in the catalogue, printed {name.value}"
