"""The same query gives the same rows on every store (S7): hypothesis builds queries and
sort orders, and each store's answer must equal the reference in-memory evaluator's
answer over the very records that store holds."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custdb.model import Contact, Email, Money, Order, OrderItem
from custdb.model.schema import FieldDef, FieldType, Schema
from custdb.query import And, Condition, F, Not, Op, Or, Query, order_by, predicate, sort

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 23, 12, tzinfo=UTC)
SCHEMA = Schema(
    "contact",
    (
        FieldDef("segment", FieldType.ENUM, options=frozenset({"gold", "silver", "bronze"})),
        FieldDef("credit", FieldType.DECIMAL),
        FieldDef("member_since", FieldType.DATE),
        FieldDef("newsletter", FieldType.BOOL),
        FieldDef("city", FieldType.STRING),
    ),
)
CITIES = ["Oslo", "oslo", "Москва", "São Paulo", "Straße"]
FIRST = ["Anna", "anna", "Юлия", "Юрий", "José", "Bjørn", "Åse", "Zoë", "ß-Man", "", None]
LAST = ["Berg", "Иванова", "Muñoz", "Dæhlie", "O'Reilly", "Straße", None]
TAGS = ["VIP", "ES", "Москва", "blocked"]
DAYS = [dt.date(1990, 2, 28) + dt.timedelta(days=37 * i) for i in range(12)] + [
    dt.date(2000, 2, 29),
    dt.date(1985, 11, 25),
]
AMOUNTS = ["0", "99.90", "1000", "1000.01", "2500.5", "133127.75"]
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _people(rng: random.Random) -> list[Contact]:
    people = []
    for i in range(48):
        custom: dict[str, Any] = {}
        if i % 3:
            custom["segment"] = rng.choice(["gold", "silver", "bronze"])
        if i % 4:
            custom["credit"] = Decimal(rng.choice(AMOUNTS))
        if i % 5:
            custom["member_since"] = rng.choice(DAYS)
        if i % 2:
            custom["newsletter"] = rng.random() < 0.5
        if i % 6:
            custom["city"] = rng.choice(CITIES)
        people.append(
            Contact(
                first_name=rng.choice(FIRST) or None,
                last_name=rng.choice(LAST),
                birthday=rng.choice([*DAYS, None]),
                tags=frozenset(rng.sample(TAGS, rng.randint(0, 2))),
                gender=rng.choice(["female", "male", None]),
                has_mobile_app=rng.random() < 0.3,
                emails=(Email(f"p{i}@example.com"),) if i % 3 else (),
                custom=custom,
            )
        )
    return people


def _orders(rng: random.Random, people: list[Contact]) -> list[Order]:
    orders = []
    for person in people[::2]:
        for _ in range(rng.randint(0, 3)):
            amount = Money(Decimal(rng.choice(AMOUNTS)), "RUB")
            orders.append(
                Order(
                    contact_id=person.id,
                    placed_at=NOW
                    - dt.timedelta(days=rng.randint(0, 400), hours=rng.randint(0, 23)),
                    currency="RUB",
                    kind=rng.choice(["visit", "purchase"]),
                    items=(OrderItem(name="x", amount=amount),),
                )
            )
    return orders


@attrs.frozen
class Filled:
    """The store and what it holds, with a short repr for hypothesis's failure reports."""

    store: Any = attrs.field(repr=lambda store: type(store).__name__)
    people: list[Contact] = attrs.field(repr=lambda people: f"<{len(people)} contacts>")


@pytest.fixture
def filled(open_test_store: Any, clock: Any) -> Filled:
    clock.now = NOW
    store = open_test_store(schemas=[SCHEMA])
    rng = random.Random(2026)
    people = _people(rng)
    with store.begin() as tx:
        tx.contacts.add_many(people)
        tx.orders.add_many(_orders(rng, people))
    with store.begin() as tx:
        stored = tx.contacts.select()
    assert any(p.stats.total_spent for p in stored)
    return Filled(store, stored)


_text_values = st.sampled_from(
    [v for v in FIRST + LAST + CITIES if v] + ["an", "ИВА", "STRASSE", "z"]
)
_number_values = st.sampled_from([0, 1, 3, "99.90", "1000", Decimal("1000.01"), 2500])
_count_values = st.sampled_from([0, 1, 2, 3, "2"])
_date_values = st.sampled_from(DAYS)
_days = st.integers(min_value=0, max_value=400)


def _conditions() -> st.SearchStrategy[Query]:
    text_fields = st.sampled_from(["first_name", "last_name", "email", "city"])
    number_fields = st.sampled_from(["total_spent", "credit"])
    count_fields = st.sampled_from(["visit_count", "order_count"])
    date_fields = st.sampled_from(["birthday", "member_since", "first_order_on", "last_order_on"])
    ordered = st.sampled_from([Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE])
    return st.one_of(
        st.builds(Condition, text_fields, ordered, _text_values),
        st.builds(Condition, text_fields, st.just(Op.CONTAINS), _text_values),
        st.builds(lambda f, vs: F(f).is_in(vs), text_fields, st.lists(_text_values, max_size=3)),
        st.builds(Condition, number_fields, ordered, _number_values),
        st.builds(Condition, count_fields, ordered, _count_values),
        st.builds(
            lambda f, a, b: F(f).between(a, b), number_fields, _number_values, _number_values
        ),
        st.builds(Condition, date_fields, ordered, _date_values),
        st.builds(lambda f, n: F(f).within_days(n), date_fields, _days),
        st.builds(lambda n: F("last_visit_at").older_than(days=n), _days),
        st.builds(lambda n: F("last_visit_at").newer_than(days=n), _days),
        st.builds(
            lambda f, null: F(f).is_null() if null else F(f).not_null(),
            st.sampled_from(
                ["first_name", "birthday", "tags", "segment", "credit", "last_visit_at"]
            ),
            st.booleans(),
        ),
        st.builds(lambda t: F("tags").contains(t), st.sampled_from(TAGS)),
        st.builds(
            lambda ts: F("tags").contains_any(ts), st.lists(st.sampled_from(TAGS), max_size=3)
        ),
        st.builds(
            Condition,
            st.just("gender"),
            st.sampled_from([Op.EQ, Op.NE]),
            st.sampled_from(["female", "male", "other"]),
        ),
        st.builds(
            Condition,
            st.just("segment"),
            st.sampled_from([Op.EQ, Op.NE]),
            st.sampled_from(["gold", "silver", "bronze"]),
        ),
        st.builds(
            lambda vs: F("segment").is_in(vs),
            st.lists(st.sampled_from(["gold", "silver", "bronze"]), max_size=2),
        ),
        st.builds(
            Condition,
            st.sampled_from(["has_mobile_app", "newsletter"]),
            st.sampled_from([Op.EQ, Op.NE]),
            st.booleans(),
        ),
    )


_queries = st.recursive(
    _conditions(),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(And), st.lists(inner, max_size=3).map(Or), inner.map(Not)
    ),
    max_leaves=6,
)


@SETTINGS
@given(query=_queries)
def test_s7_store_selects_what_the_reference_evaluator_selects(filled: Any, query: Query) -> None:
    store, people = filled.store, filled.people
    expected = sorted(p.id for p in people if predicate(query, Contact, schema=SCHEMA, now=NOW)(p))
    with store.begin() as tx:
        assert sorted(p.id for p in tx.contacts.select(query)) == expected
        assert tx.contacts.count(query) == len(expected)


_sort_fields = st.sampled_from(
    [
        "first_name",
        "last_name",
        "birthday",
        "total_spent",
        "visit_count",
        "last_visit_at",
        "gender",
        "segment",
        "credit",
        "member_since",
        "has_mobile_app",
        "email",
    ]
)


@SETTINGS
@given(
    keys=st.lists(
        st.tuples(_sort_fields, st.booleans()), min_size=1, max_size=3, unique_by=lambda k: k[0]
    )
)
def test_s7_store_sorts_as_the_reference_does(filled: Any, keys: list[tuple[str, bool]]) -> None:
    store, people = filled.store, filled.people
    spec = [("-" if descending else "") + name for name, descending in keys]
    expected = [p.id for p in sort(people, order_by(spec, Contact, schema=SCHEMA))]
    with store.begin() as tx:
        assert [p.id for p in tx.contacts.select(order_by=spec)] == expected
        assert [p.id for p in tx.contacts.select(order_by=spec, limit=5, offset=3)] == expected[3:8]
