"""What a reviewer typed, as a value of the field's type; what cannot be stored or added up (numbers no
float holds, NaN, control characters such as NUL) is refused as invalid (a 422), not stored."""

from __future__ import annotations

import pytest

from extractor.review.errors import InvalidSubmit
from extractor.review.values import coerce_value


@pytest.mark.parametrize(
    ("raw", "like", "expected"),
    [
        ("1,234", 1, 1234),
        ("１２.５", 1.0, 12.5),
        (7, 1.0, 7),
        ("12", None, 12.0),
        ("inf", None, "inf"),  # no type to follow and no finite number: kept as the text it is
        ("a\nb\n", ["x"], ["a", "b"]),
        ("名称\t", "x", "名称"),
    ],
)
def test_values_are_coerced_to_the_fields_type(raw: object, like: object, expected: object) -> None:
    assert coerce_value(raw, like=like) == expected


@pytest.mark.parametrize(
    ("raw", "like"),
    [
        (10**400, 1.0),  # a JSON integer past any float: the sums would overflow
        (float("nan"), 1.0),  # Python's JSON parser reads NaN and Infinity
        ("1e999", 1.0),
        ("nan", 2),
        ("a\x00b", "x"),  # PostgreSQL cannot store NUL in text
        ("a\x1bb", "x"),
        (["ok", "b\x00"], ["x"]),
    ],
)
def test_unstorable_values_are_refused(raw: object, like: object) -> None:
    with pytest.raises(InvalidSubmit):
        coerce_value(raw, like=like)
