"""Pydantic models of the record kinds (normative names: see DESIGN.md).

`KIND_MODELS` maps each kind to its row model; `KEYED_BY` says what a kind's row key is. The LLM
backend uses these models as response schemas; the export and gold files use their field names.
"""

from schemas.kinds import KEYED_BY, KIND_MODELS, NUMERIC_FIELDS, TEXT_FIELDS, kind_field_names

__all__ = ["KEYED_BY", "KIND_MODELS", "NUMERIC_FIELDS", "TEXT_FIELDS", "kind_field_names"]
