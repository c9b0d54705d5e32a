"""Binding: unknown fields, wrong operators and wrong values are caught before any
evaluator runs, with errors that name the field and what to do (S7, bad input)."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any

import pytest

from custdb.errors import QueryError
from custdb.model import Company, Contact, Deal, Order
from custdb.model.schema import FieldDef, FieldType, Schema
from custdb.query import (
    And,
    BoundCondition,
    BoundGroup,
    BoundNot,
    Condition,
    F,
    FieldKind,
    Op,
    Or,
    Source,
    bind,
    fields_for,
)
from custdb.query.bind import MAX_CONDITIONS, MAX_DEPTH

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.timezone.utc)
SCHEMA = Schema(
    "contact",
    (
        FieldDef("segment", FieldType.ENUM, options=frozenset({"gold", "silver"})),
        FieldDef("credit_limit", FieldType.DECIMAL),
    ),
)


def test_catalog_has_core_rollup_derived_and_custom_fields() -> None:
    catalog = fields_for(Contact, SCHEMA)
    assert (catalog["first_name"].kind, catalog["first_name"].source) == (
        FieldKind.TEXT,
        Source.CORE,
    )
    assert (catalog["total_spent"].kind, catalog["total_spent"].source) == (
        FieldKind.DECIMAL,
        Source.STATS,
    )
    assert catalog["email"].source is Source.DERIVED
    assert catalog["tags"].kind is FieldKind.SET
    assert catalog["gender"].options >= {"female", "male"}
    assert catalog["birthday"].yearly
    assert (catalog["segment"].kind, catalog["segment"].source) == (FieldKind.ENUM, Source.CUSTOM)
    assert "address" not in catalog  # no filter meaning
    assert fields_for(Deal)["amount"].kind is FieldKind.MONEY


def test_unknown_field_names_the_field_and_the_known_ones() -> None:
    with pytest.raises(QueryError) as caught:
        bind(F("totl_spent") >= 1, Contact)
    assert caught.value.field == "totl_spent"
    assert "total_spent" in str(caught.value)


@pytest.mark.parametrize(
    "query",
    [
        F("first_name") > 3,
        F("birthday") >= "31.02.1990",
        F("total_spent") >= "lots",
        F("total_spent") >= True,
        F("has_mobile_app") == "yes",
        F("gender") == "robot",
        F("tags") == "VIP",
        F("tags").contains(3),
        F("tags").contains_any([3]),
        F("tags").contains_any(["VIP", None]),
        Condition("tags", Op.CONTAINS_ANY, "VIP"),
        F("first_name").contains_any(["Anna"]),
        F("birthday").contains_any([]),
        F("birthday").within_days(-1),
        F("birthday").within_days(True),
        F("first_name").older_than(days=3),
        F("visit_count") == Decimal("1.5"),
        F("last_visit_at") >= dt.datetime(2026, 1, 1),  # noqa: DTZ001 - naive on purpose
        F("first_name") == None,  # noqa: E711 - the mistake under test
        Condition("visit_count", Op.IN, 3),
        Condition("visit_count", Op.BETWEEN, (1,)),
    ],
)
def test_mismatched_types_and_operators_are_query_errors(query: object) -> None:
    with pytest.raises(QueryError) as caught:
        bind(query, Contact, now=NOW)  # type: ignore[arg-type]
    assert caught.value.entity == "contact"
    assert caught.value.field is not None


def test_custom_fields_are_checked_against_the_schema() -> None:
    bind(F("segment") == "gold", Contact, schema=SCHEMA)
    with pytest.raises(QueryError, match="gold, silver"):
        bind(F("segment") == "bronze", Contact, schema=SCHEMA)
    with pytest.raises(QueryError):
        bind(F("segment") == "gold", Contact)  # no schema: no such field


def test_relative_dates_need_an_aware_now() -> None:
    with pytest.raises(QueryError, match="current time"):
        bind(F("last_visit_at").older_than(days=90), Contact)
    with pytest.raises(QueryError):
        bind(F("last_visit_at").older_than(days=90), Contact, now=NOW.replace(tzinfo=None))


def test_values_take_the_field_type() -> None:
    bound = bind(F("total_spent") >= "1000.50", Contact)
    assert bound.value == Decimal("1000.50")  # type: ignore[union-attr]
    bound = bind(F("birthday") == "1990-02-01", Contact)
    assert bound.value == dt.date(1990, 2, 1)  # type: ignore[union-attr]
    bound = bind(F("last_visit_at") >= dt.date(2026, 1, 1), Contact)
    assert bound.value == dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)  # type: ignore[union-attr]


def test_contains_any_binds_a_tuple_of_text_and_allows_an_empty_list() -> None:
    bound = bind(F("tags").contains_any(["VIP", "ES"]), Contact)
    assert bound.value == ("VIP", "ES")  # type: ignore[union-attr]
    assert bind(F("tags").contains_any([]), Contact).value == ()  # type: ignore[union-attr]


# --- Foundation III: what is not a query, hints that lead on, bounded values ----------


@pytest.mark.parametrize(
    ("where", "hint"),
    [
        (F("nonsense"), "F('nonsense') == value"),
        (F("total_spent >= 1000"), "compare it"),
        ("total_spent >= 1000", "from_json"),
        ({"field": "total_spent", "op": "ge", "value": 1000}, "custdb.query.from_json"),
        (5, 'F("field")'),
        (True, 'F("field")'),
        ((F("first_name") == "Anna") & F("last_name"), "compare it"),  # type: ignore[operator]
    ],
)
def test_s7_a_value_that_is_not_a_query_is_a_query_error_with_the_way_out(
    where: object, hint: str
) -> None:
    """Foundation III item 1: a bare F("field") (or a dict, a string...) tests nothing."""
    with pytest.raises(QueryError) as caught:
        bind(where, Contact)  # type: ignore[arg-type]
    assert hint in str(caught.value)


def test_s7_an_operator_a_set_lacks_points_to_contains() -> None:
    """Foundation III item 11: ``F("tags") == "vip"`` says what to write instead."""
    with pytest.raises(QueryError, match="does not apply") as caught:
        bind(F("tags") == "vip", Contact)
    assert "F('tags').contains(value)" in str(caught.value)
    with pytest.raises(QueryError, match=r"contains_any"):
        bind(F("tags").is_in(["vip"]), Contact)
    with pytest.raises(QueryError, match="takes: eq, ne"):
        bind(F("gender") > "female", Contact)


def test_s7_address_parts_and_an_order_total_are_filterable() -> None:
    """Foundation III item 11: ``city``, ``address.city`` and an order's ``total``."""
    contact, company = fields_for(Contact), fields_for(Company)
    for part in ("street", "city", "region", "postal_code", "country"):
        assert contact[f"address.{part}"].source is Source.PART
        assert company[f"legal_address.{part}"].kind is FieldKind.TEXT
        assert company[f"actual_address.{part}"].column == f"actual_address_{part}"
    assert bind(F("city") == "Oslo", Contact).field.name == "address.city"  # type: ignore[union-attr]
    assert bind(F("address.city") == "Oslo", Company).field.name == "actual_address.city"  # type: ignore[union-attr]
    assert bind(F("country") == "NO", Contact).field.name == "country"  # type: ignore[union-attr]
    assert bind(F("region") == "Viken", Company).field.name == "region"  # type: ignore[union-attr]
    assert fields_for(Order)["total"].kind is FieldKind.MONEY


@pytest.mark.parametrize(
    ("entity", "name", "why"),
    [
        (Contact, "address", "address.city"),
        (Company, "legal_address", "legal_address.postal_code"),
        (Contact, "emails", "filter on email"),
        (Order, "items", "filter on total"),
        (Contact, "stats", "total_spent"),
    ],
)
def test_s7_a_field_that_stays_unfilterable_says_why(entity: type, name: str, why: str) -> None:
    """Foundation III item 11."""
    with pytest.raises(QueryError, match="cannot filter on this field") as caught:
        bind(F(name).is_null(), entity)
    assert why in str(caught.value)


def test_s7_an_unknown_field_suggests_the_closest() -> None:
    with pytest.raises(QueryError, match=r"did you mean total_spent\?"):
        bind(F("totl_spent") >= 1, Contact)
    with pytest.raises(QueryError, match="no such field") as caught:
        bind(F("x" * 1_000_000) >= 1, Contact)
    assert len(str(caught.value)) < 5_000


@pytest.mark.parametrize(
    ("query", "limit"),
    [
        (F("order_count") >= "1e1000000", "1E+1000"),
        (F("order_count") >= "1e10000000", "1E+1000"),
        (F("total_spent") >= "1e-1000000", "1E-1000"),
        (F("total_spent") >= 10**5000, "1E+1000"),
        (F("order_count") >= 10**5000, "9,223,372,036,854,775,807"),
        (F("order_count") >= "1" * 5000, "100 significant digits"),
        (F("total_spent") >= "1" * 10_001, "at most 10,000"),
        (F("total_spent") >= "1" * 4400, "100 significant digits"),
        (F("first_name") == "x" * 10_001, "at most 10,000"),
        (F("tags").contains("x" * 10_001), "at most 10,000"),
        (F("order_count") >= 2**63, "9,223,372,036,854,775,807"),
        (F("order_count") <= -(2**63) - 1, "-9,223,372,036,854,775,808"),
        (F("order_count").is_in([1, 2**64]), "9,223,372,036,854,775,807"),
        (F("order_count") >= 1e300, "9,223,372,036,854,775,807"),
    ],
)
def test_s7_values_beyond_the_limits_are_query_errors_in_linear_time(
    query: Condition, limit: str
) -> None:
    """Foundation III items 14 and 16: no int of a million digits is ever made (74 s
    before), no raw ValueError past 4,300 digits, no OverflowError past 64 bits."""
    started = time.process_time()  # CPU: a loaded machine does not fail it
    with pytest.raises(QueryError) as caught:
        bind(query, Contact)
    assert time.process_time() - started < 5  # the unbounded parse took over a minute
    assert limit in str(caught.value)
    assert caught.value.field == query.field


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        (F("first_name") == "\ud800", "lone surrogate"),
        (F("first_name").contains("a\udfffb"), "lone surrogate"),
        (F("tags").contains_any(["ok", "\ud83d"]), "lone surrogate"),
        (F("first_name").is_in(["Anna", "\ud800"]), "lone surrogate"),
        (F("first_name") == "An\x00na", "NUL"),
        (F("tags").contains("\x00"), "NUL"),
        (F("gender") == {"a": 1}, "options"),
        (F("gender") == ["female"], "options"),
        (F("gender").is_in([["female"]]), "options"),
        (F("last_visit_at") >= "9999-12-31T23:59:59-12:00", "years 1 to 9999"),
        (F("last_visit_at") >= "0001-01-01T00:00:00+01:00", "years 1 to 9999"),
        (F("total_spent") >= {"amount": 1}, "needs a number, not dict"),
    ],
)
def test_s7_hostile_values_are_query_errors_naming_field_and_value(
    query: Condition, reason: str
) -> None:
    """Foundation III item 16 (and NUL, item 17): refused alike before any store runs."""
    with pytest.raises(QueryError, match=reason) as caught:
        bind(query, Contact)
    assert caught.value.field == query.field
    assert caught.value.value is not None


def test_s7_nesting_of_built_queries_is_bounded_without_recursion_error() -> None:
    """Foundation III item 14: 3,000 levels gave RecursionError."""
    query: Any = F("first_name") == "Anna"
    for level in range(3_000):
        query = ~(query & (F("last_name") == str(level)))
    with pytest.raises(QueryError, match=f"more than {MAX_DEPTH} levels deep"):
        bind(query, Contact)
    shallow: Any = F("first_name") == "Anna"
    for level in range(MAX_DEPTH // 2):
        shallow = ~(shallow & (F("last_name") == str(level)))
    bind(shallow, Contact)


def test_s7_conditions_in_one_query_are_bounded() -> None:
    """Foundation III item 17: beyond the limit a QueryError, never a database error."""
    bind(And(tuple(F("first_name") != str(i) for i in range(MAX_CONDITIONS))), Contact)
    with pytest.raises(QueryError, match="15,000 conditions"):
        bind(And(tuple(F("first_name") != str(i) for i in range(MAX_CONDITIONS + 1))), Contact)


def test_s7_an_or_of_equalities_on_one_field_binds_as_one_in() -> None:
    """Foundation III item 17: 10,000 equalities are one condition, any store answers."""
    query = Or(tuple(F("last_name") == f"n{i % 5_000}" for i in range(10_000)))
    bound = bind(query | (F("first_name") == "Anna"), Contact)
    assert isinstance(bound, BoundGroup)
    first, second = bound.parts
    assert isinstance(first, BoundCondition) and first.op == "in"  # noqa: PT018
    assert first.value == tuple(f"n{i}" for i in range(5_000))
    assert second == bind(F("first_name") == "Anna", Contact)
    tags = bind((F("tags").contains("a")) | (F("tags").contains("b")), Contact)
    assert len(tags.parts) == 2  # type: ignore[union-attr]
    none_of = bind(And(tuple(F("last_name") != f"n{i}" for i in range(3))), Contact)
    assert none_of == BoundGroup(
        True, (BoundNot(bind(F("last_name").is_in(["n0", "n1", "n2"]), Contact)),)
    )
