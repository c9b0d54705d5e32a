"""Binding: unknown fields, wrong operators and wrong values are caught before any
evaluator runs, with errors that name the field and what to do (S7, bad input)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from custdb.errors import QueryError
from custdb.model import Contact, Deal
from custdb.model.schema import FieldDef, FieldType, Schema
from custdb.query import Condition, F, FieldKind, Op, Source, bind, fields_for

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
