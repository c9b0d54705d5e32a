"""The JSON form of queries: every operator, round trips, and refusal of bad documents."""

from __future__ import annotations

import datetime as dt
import json
import time
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custdb.errors import QueryError
from custdb.query import And, Condition, F, Not, Op, Or, Query, from_json, to_json
from custdb.query.serial import MAX_DEPTH


@pytest.mark.parametrize(
    ("query", "document"),
    [
        (F("total_spent") >= 1000, {"field": "total_spent", "op": "ge", "value": 1000}),
        (
            F("total_spent") < Decimal("10.50"),
            {"field": "total_spent", "op": "lt", "value": "10.50"},
        ),
        (F("email").is_null(), {"field": "email", "op": "is_null"}),
        (F("email").not_null(), {"field": "email", "op": "not_null"}),
        (F("tags").contains("VIP"), {"field": "tags", "op": "contains", "value": "VIP"}),
        (
            F("tags").contains_any(["VIP", "ES"]),
            {"field": "tags", "op": "contains_any", "value": ["VIP", "ES"]},
        ),
        (F("tags").contains_any([]), {"field": "tags", "op": "contains_any", "value": []}),
        (F("birthday").within_days(7), {"field": "birthday", "op": "within_days", "value": 7}),
        (
            F("last_visit_at").older_than(days=90),
            {"field": "last_visit_at", "op": "older_than", "value": 90},
        ),
        (
            F("last_visit_at").newer_than(days=30),
            {"field": "last_visit_at", "op": "newer_than", "value": 30},
        ),
        (
            F("birthday") == dt.date(1990, 2, 1),
            {"field": "birthday", "op": "eq", "value": "1990-02-01"},
        ),
        (
            F("gender").is_in(["female", "other"]),
            {"field": "gender", "op": "in", "value": ["female", "other"]},
        ),
        (
            F("visit_count").between(1, 3),
            {"field": "visit_count", "op": "between", "value": [1, 3]},
        ),
        (F("source") != "import", {"field": "source", "op": "ne", "value": "import"}),
        (F("a") <= 1, {"field": "a", "op": "le", "value": 1}),
        (F("a") > 1, {"field": "a", "op": "gt", "value": 1}),
    ],
)
def test_s7_each_operator_has_a_json_form(query: Query, document: dict[str, Any]) -> None:
    assert to_json(query) == document
    assert to_json(from_json(document)) == document


def test_groups_and_negation() -> None:
    query = (F("a") == 1) & ((F("b") == 2) | ~(F("c") == 3))
    document = {
        "and": [
            {"field": "a", "op": "eq", "value": 1},
            {
                "or": [
                    {"field": "b", "op": "eq", "value": 2},
                    {"not": {"field": "c", "op": "eq", "value": 3}},
                ]
            },
        ]
    }
    assert to_json(query) == document
    assert from_json(document) == query


@pytest.mark.parametrize(
    "document",
    [
        [],
        "a",
        {"field": "a"},
        {"field": "a", "op": "explode", "value": 1},
        {"field": 3, "op": "eq", "value": 1},
        {"field": "a", "op": "eq"},
        {"field": "a", "op": "eq", "value": 1, "sql": "DROP TABLE contacts"},
        {"and": {"field": "a", "op": "eq", "value": 1}},
        {"and": [], "or": []},
    ],
)
def test_bad_documents_are_refused_with_a_query_error(document: Any) -> None:
    with pytest.raises(QueryError):
        from_json(document)


def _nested(levels: int) -> dict[str, Any]:
    document: dict[str, Any] = {"field": "first_name", "op": "eq", "value": "Ola"}
    for level in range(levels):
        document = {"not": document} if level % 2 else {"or": [document]}
    return document


def test_s7_nesting_up_to_the_limit_reads_and_deeper_is_a_query_error_not_a_crash() -> None:
    """A query from outside (a saved segment, a web form) must not exhaust the stack."""
    assert to_json(from_json(_nested(MAX_DEPTH))) == _nested(MAX_DEPTH)
    with pytest.raises(QueryError, match="levels deep"):
        from_json(_nested(MAX_DEPTH + 1))
    with pytest.raises(QueryError, match="levels deep"):
        from_json(_nested(100_000))


_values = st.one_of(
    st.integers(),
    st.text(max_size=10),
    st.booleans(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.dates(),
)
_conditions = st.builds(
    lambda field, op, value: Condition(field, op, None if op is Op.IS_NULL else value),
    st.sampled_from(["first_name", "total_spent", "tags", "birthday"]),
    st.sampled_from([Op.EQ, Op.NE, Op.LT, Op.GE, Op.IS_NULL, Op.CONTAINS]),
    _values,
)
_queries = st.recursive(
    _conditions,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(And),
        st.lists(inner, max_size=3).map(Or),
        inner.map(Not),
    ),
    max_leaves=8,
)


@given(_queries)
def test_json_form_is_stable_and_plain_json(query: Query) -> None:
    document = to_json(query)
    text = json.dumps(document, ensure_ascii=False)
    assert to_json(from_json(json.loads(text))) == document


def test_s7_a_huge_exponent_from_json_is_refused_at_once() -> None:
    """Foundation III item 14: this document took 74 s inside C code to bind."""
    from custdb.model import Contact  # noqa: PLC0415
    from custdb.query import bind  # noqa: PLC0415

    for text in ("1e1000000", "1e10000000", "-1E-999999999"):
        query = from_json({"field": "order_count", "op": "ge", "value": text})
        started = time.monotonic()
        with pytest.raises(QueryError, match=r"1E-1000 to 1E[+]1000"):
            bind(query, Contact)
        assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    "value", [{"a": 1}, [["gold"]], [{"a": 1}], [1, [2]]], ids=["dict", "nested", "dicts", "mix"]
)
def test_s7_a_json_value_must_be_a_scalar_or_a_flat_list(value: Any) -> None:
    """Foundation III item 16: a dict as an enum value was TypeError: unhashable type."""
    with pytest.raises(QueryError, match="JSON scalar"):
        from_json({"field": "gender", "op": "in", "value": value})


def test_s7_to_json_of_a_query_too_deep_to_run_is_a_query_error() -> None:
    """Foundation III item 14: 3,000 levels gave RecursionError."""
    query: Any = F("first_name") == "Ola"
    for _ in range(3_000):
        query = ~(query | (F("last_name") == "x"))
    with pytest.raises(QueryError, match="levels deep"):
        to_json(query)
    with pytest.raises(QueryError, match="not a query"):
        to_json(F("first_name"))  # type: ignore[arg-type]
