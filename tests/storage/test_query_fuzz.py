"""Any JSON document through ``from_json`` and then every store (S7, the filter language).

The query half of the property that closes Foundation III: whatever document arrives
(a saved segment, a web form, an attacker's payload), ``from_json`` gives a ``Query`` or
a ``QueryError``, and a query so obtained selects and counts on every store with no
error but ``QueryError``/``ValidationError``: ``count`` equals ``len(select)``, and the
SQL stores answer exactly as the in-memory reference does, error for error.

Documents are drawn two ways: arbitrary JSON, and near-valid queries built from the
real field names (``fields_for``, the address aliases, the custom ones a ``Schema``
declares) and the real operators (``Op``) with values of every kind, in range and not.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from custdb import open_store
from custdb.errors import QueryError, ValidationError
from custdb.model import Address, Company, Contact, Deal, Email, Money, Order, OrderItem
from custdb.model.schema import FieldDef, FieldType, Schema
from custdb.query import FieldInfo, FieldKind, Op, Query, fields_for, from_json
from custdb.query.fields import aliases_for

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 23, 12, tzinfo=UTC)
SCHEMA = Schema(
    "contact",
    (
        FieldDef("segment", FieldType.ENUM, options=frozenset({"gold", "silver"})),
        FieldDef("credit", FieldType.DECIMAL),
        FieldDef("member_since", FieldType.DATE),
        FieldDef("newsletter", FieldType.BOOL),
        FieldDef("interests", FieldType.MULTI_ENUM, options=frozenset({"ski", "sea"})),
    ),
)
_REPOS: dict[str, type] = {
    "contacts": Contact,
    "companies": Company,
    "orders": Order,
    "deals": Deal,
}
_EXAMPLES = {"postgres": 25}  # a round trip per query: fewer there
_DEFAULT_EXAMPLES = 60
_SECONDS_PER_EXAMPLE = 5


def _records() -> dict[str, list[Any]]:
    """A few records of each kind, with empty fields, custom values and roll-ups."""
    anna = Contact(
        first_name="Anna",
        last_name="Berg",
        birthday=dt.date(1990, 11, 25),
        tags=frozenset({"VIP", "Москва"}),
        gender="female",
        emails=(Email("anna@example.com"),),
        address=Address(city="Oslo", country="NO"),
        custom={"segment": "gold", "credit": Decimal("1000.50"), "interests": {"ski"}},
    )
    ola = Contact(
        first_name="Ola",
        last_name="Ågård",
        birthday=dt.date(2000, 2, 29),
        custom={"member_since": dt.date(2020, 1, 1), "newsletter": True},
    )
    nobody = Contact(last_name="Øy")
    fjord = Company(
        name="Fjord AS",
        employee_count=12,
        annual_revenue=Money(Decimal("99.90"), "NOK"),
        actual_address=Address(city="Bergen"),
    )
    orders = [
        Order(
            contact_id=anna.id,
            placed_at=NOW - dt.timedelta(days=days),
            currency="NOK",
            kind=kind,
            items=(OrderItem(name="x", amount=Money(Decimal(amount), "NOK")),),
        )
        for days, kind, amount in [
            (3, "purchase", "600"),
            (40, "visit", "0"),
            (400, "purchase", "1.5"),
        ]
    ]
    deal = Deal(
        name="Big one",
        stage="won",
        amount=Money(Decimal(5000), "NOK"),
        probability=Decimal("0.5"),
        company_id=fjord.id,
        closed_on=dt.date(2026, 11, 1),
    )
    return {
        "contacts": [anna, ola, nobody],
        "companies": [fjord, Company(name="Nord AS")],
        "orders": orders,
        "deals": [deal, Deal(name="Small", stage="open")],
    }


def _fill(store: Any, records: dict[str, list[Any]]) -> None:
    with store.begin() as tx:
        for name in ("companies", "contacts", "orders", "deals"):
            getattr(tx, name).add_many(records[name])


# --- documents -----------------------------------------------------------------------

_ODD_TEXT = st.sampled_from(["", "\x00", "a\x00", "\ud800", "1e1000000", "NaN"]) | st.just(
    10_001  # one past a query's longest text, built when drawn: a short strategy repr
).map(lambda length: "x" * length)
_TEXT = st.text(max_size=6) | _ODD_TEXT
_WORDS = st.sampled_from(
    ["Anna", "anna", "Berg", "Oslo", "oslo", "VIP", "Москва", "Fjord AS", "won", "NOK", "x"]
)
_NUMBERS = st.one_of(
    st.integers(-3, 13),
    st.sampled_from(["0", "1000.5", "99.90", "-2", "0.5", 600.0, 1.5]),
    st.integers() | st.floats(),
    st.sampled_from([2**63, -(2**63) - 1, 10**400, "1e999", "1e1001", "1" * 101, True]),
)
_DATES = st.sampled_from(
    ["2026-11-23", "1990-11-25", "2000-02-29", "0001-01-01", "9999-12-31", "2026-13-01", 20261123]
)
_MOMENTS = st.sampled_from(
    [
        "2026-11-20T00:00:00+00:00",
        "2026-11-23T12:00:00+14:00",
        "2026-08-01T00:00:00-05:00",
        "9999-12-31T23:59:59-12:00",
        "0001-01-01T00:00:00+14:00",
        "2026-11-20T00:00:00",
        "2026-11-20",
    ]
)
_DAYS = st.integers(0, 400) | st.sampled_from([-1, 36_601, 2.5, True, "7"])
_JSON_SCALARS = st.one_of(st.none(), st.booleans(), _NUMBERS, _TEXT)
_JSON = st.recursive(
    _JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)


def _weighted(*choices: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """One of the strategies, each as often as its weight says (``one_of`` drops repeats);
    shrinking goes towards the first."""
    table = [strategy for weight, strategy in choices for _ in range(weight)]

    def chosen(index: int) -> st.SearchStrategy[Any]:
        return table[index]

    return st.integers(0, len(table) - 1).flatmap(chosen)


_BY_KIND = {
    FieldKind.TEXT: _WORDS | _TEXT,
    FieldKind.SET: _WORDS | _TEXT,
    FieldKind.INTEGER: _NUMBERS,
    FieldKind.DECIMAL: _NUMBERS,
    FieldKind.MONEY: _NUMBERS,
    FieldKind.DATE: _DATES,
    FieldKind.DATETIME: _MOMENTS,
    FieldKind.BOOL: st.booleans() | st.sampled_from(["true", 0, 1]),
}
_LISTED = frozenset({Op.IN, Op.BETWEEN, Op.CONTAINS_ANY})
_RELATIVE = frozenset({Op.WITHIN_DAYS, Op.OLDER_THAN, Op.NEWER_THAN})
_BAD_FIELDS = ["emails", "address", "custom", "stats", "nonsense", "custom.segment", ""]


def _values(info: FieldInfo | None, op: Op | None) -> st.SearchStrategy[Any]:
    """Mostly a value of the field's kind in the shape the operator takes; sometimes any."""
    if info is None:
        one = st.one_of(*_BY_KIND.values())
    elif info.kind is FieldKind.ENUM:
        one = st.sampled_from(sorted(info.options)) | st.sampled_from(["other", "GOLD", 1])
    else:
        one = _BY_KIND[info.kind]
    if op in _RELATIVE:
        fitting = _DAYS
    elif op in _LISTED:
        fitting = st.lists(one, min_size=2 if op is Op.BETWEEN else 0, max_size=3)
    else:
        fitting = one
    return _weighted((6, fitting), (1, one), (1, st.lists(one, max_size=3)), (1, _JSON))


def _condition(entity: type, name: str, op_name: str) -> st.SearchStrategy[dict[str, Any]]:
    schema = SCHEMA if entity is Contact else None
    catalog = fields_for(entity, schema)
    info = catalog.get(name) or catalog.get(aliases_for(entity).get(name, ""))
    op = Op(op_name) if op_name in {o.value for o in Op} else None
    if op in (Op.IS_NULL, Op.NOT_NULL):
        return st.just({"field": name, "op": op_name})
    return st.fixed_dictionaries(
        {"field": st.just(name), "op": st.just(op_name), "value": _values(info, op)}
    )


def _conditions(entity: type) -> st.SearchStrategy[dict[str, Any]]:
    schema = SCHEMA if entity is Contact else None
    names = sorted({*fields_for(entity, schema), *aliases_for(entity)})
    fields = st.sampled_from(names) | st.sampled_from(_BAD_FIELDS)
    real_ops = st.sampled_from([op.value for op in Op])
    ops = _weighted((15, real_ops), (1, st.sampled_from(["EQ", "==", "like", ""])))
    plain = st.tuples(fields, ops).flatmap(lambda pair: _condition(entity, *pair))
    odd = st.fixed_dictionaries(  # a key missing or extra, a field or op that is not text
        {"field": fields | _JSON_SCALARS, "op": ops | _JSON_SCALARS},
        optional={"value": _values(None, None), "values": _JSON, "and": _JSON},
    )
    return _weighted((15, plain), (1, odd))


def _documents(entity: type) -> st.SearchStrategy[Any]:
    near_valid = st.recursive(
        _conditions(entity),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3).map(lambda parts: {"and": parts}),
            st.lists(inner, max_size=3).map(lambda parts: {"or": parts}),
            inner.map(lambda part: {"not": part}),
        ),
        max_leaves=5,
    )
    mixed = st.fixed_dictionaries({"and": st.lists(near_valid, max_size=2), "or": _JSON})
    return _weighted((8, near_valid), (1, _JSON), (1, mixed))


_DOCUMENTS = {repo: _documents(entity) for repo, entity in _REPOS.items()}


# --- the property --------------------------------------------------------------------


def _answer(store: Any, repo: str, query: Query) -> tuple[Any, ...]:
    """What ``store`` says to ``query``: the ids it selects, or the error it raises."""
    try:
        with store.begin() as tx:
            records = getattr(tx, repo)
            selected = sorted(record.id for record in records.select(query))
            counted = records.count(query)
    except (QueryError, ValidationError) as error:
        return ("refused", type(error).__name__, str(error))
    assert counted == len(selected), (counted, selected)
    return ("selected", selected)


@pytest.fixture
def records() -> dict[str, list[Any]]:
    return _records()


@pytest.fixture
def reference(clock: Any, records: dict[str, list[Any]]) -> Iterator[Any]:
    """The in-memory store every other store must agree with, holding the same records."""
    clock.now = NOW
    store = open_store("memory://", clock=clock, schemas=[SCHEMA])
    _fill(store, records)
    yield store
    store.close()


def test_s7_any_json_document_is_a_query_or_a_query_error_and_answers_alike_everywhere(
    open_test_store: Callable[..., Any],
    reference: Any,
    records: dict[str, list[Any]],
    request: pytest.FixtureRequest,
) -> None:
    """S7: ``from_json`` of anything is a ``Query`` or a ``QueryError``; every query so
    read selects and counts on this store as on the memory store (the same ids, or the
    same ``QueryError``/``ValidationError``), ``count == len(select)``, in bounded time."""
    store = open_test_store(schemas=[SCHEMA])
    _fill(store, records)
    kind = request.node.callspec.params["store_url"]

    @settings(
        max_examples=_EXAMPLES.get(kind, _DEFAULT_EXAMPLES),
        deadline=dt.timedelta(seconds=_SECONDS_PER_EXAMPLE),
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(data=st.data())
    def check(data: Any) -> None:
        repo = data.draw(st.sampled_from(sorted(_REPOS)), label="repo")
        document = data.draw(_DOCUMENTS[repo], label="document")
        started = time.monotonic()
        try:
            query = from_json(document)
        except QueryError:
            event("not a query")
            return
        expected = _answer(reference, repo, query)
        event(f"{expected[0]} by the memory store")
        assert _answer(store, repo, query) == expected
        assert time.monotonic() - started < _SECONDS_PER_EXAMPLE

    check()
