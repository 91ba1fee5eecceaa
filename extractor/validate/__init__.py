"""Deterministic validators over all of a document's records.

Each check is named, says which fields it involves, and leaves its verdict in those fields'
`reasons` (support such as `sum:…`, doubt such as `sum_fails:…`). `validate_result` runs them all
(and the repair proposals); `revalidate` runs them again after a reviewer changed a value,
replacing the validators' earlier reasons and keeping the parsers' own.
"""

from extractor.validate.run import revalidate, validate_result

__all__ = ["revalidate", "validate_result"]
