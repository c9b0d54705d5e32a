"""``select_columns`` reads what ``select`` would give, field by field, on every store
(Foundation IV item 4): the same values as ``FieldInfo.value_of`` of the selected
records, for core fields, roll-ups, derived ones, address parts, custom properties,
money and lists, with the filter, order, limit and offset ``select`` takes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from custdb.errors import QueryError, ValidationError
from custdb.model import (
    Activity,
    Address,
    Company,
    Contact,
    Deal,
    DealContact,
    Email,
    Money,
    Order,
    OrderItem,
    Phone,
    PostalCode,
)
from custdb.model.schema import FieldDef, FieldType, Schema
from custdb.query import F, fields_for
from custdb.storage._columns import resolve
from custdb.storage._dialect import decimal_key
from custdb.storage._sql_columns import decimal_text

UTC = dt.timezone.utc
SCHEMA = Schema(
    "contact",
    (
        FieldDef("segment", FieldType.ENUM, options=frozenset({"gold", "silver"})),
        FieldDef("credit", FieldType.DECIMAL),
        FieldDef("joined", FieldType.DATE),
        FieldDef("seen", FieldType.DATETIME),
        FieldDef("newsletter", FieldType.BOOL),
        FieldDef("visits", FieldType.INTEGER),
        FieldDef("budget", FieldType.MONEY),
        FieldDef("labels", FieldType.MULTI_ENUM, options=frozenset({"a", "b"})),
        FieldDef("note", FieldType.STRING),
    ),
)
CONTACT_FIELDS = [
    "id",
    "version",
    "created_at",
    "first_name",
    "last_name",
    "birthday",
    "gender",
    "lifecycle_stage",
    "has_mobile_app",
    "tags",
    "owner_ids",
    "email",
    "phone",
    "address.city",
    "address.postal_code",
    "city",
    "total_spent",
    "order_count",
    "last_order_on",
    "last_visit_at",
    "last_satisfaction",
    *(f"custom.{field.name}" for field in SCHEMA.fields),
    "segment",
]


def _contacts() -> list[Contact]:
    return [
        Contact(
            id="c1",
            first_name="Olga",
            last_name="Иванова",
            birthday=dt.date(1985, 3, 1),
            gender="female",
            lifecycle_stage="customer",
            has_mobile_app=True,
            tags={"VIP", "ski"},
            owner_ids=["u2", "u1"],
            emails=[Email("Olga@Example.ru")],
            phones=[Phone("+4791234567")],
            address=Address(city="Oslo", postal_code=PostalCode("0154", "NO"), country="NO"),
            custom={
                "segment": "gold",
                "credit": "-12.50",
                "joined": "2023-02-01",
                "seen": dt.datetime(2025, 5, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=3))),
                "newsletter": False,
                "visits": 7,
                "budget": Money("1000.10", "EUR"),
                "labels": ["b", "a"],
                "note": '["not a list"]',
            },
        ),
        Contact(id="c2", first_name="Per", custom={"credit": "0"}),
        Contact(id="c3", first_name=None, last_name="Berg", tags={"vip"}, has_mobile_app=False),
    ]


def _orders() -> list[Order]:
    placed = dt.datetime(2025, 12, 1, 18, 5, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    return [
        Order(
            id="o1",
            contact_id="c1",
            currency="EUR",
            placed_at=placed,
            items=[OrderItem(name="Ski pass", amount=Money("250.00", "EUR"))],
        ),
        Order(
            id="o2",
            contact_id="c3",
            currency="EUR",
            placed_at=placed + dt.timedelta(days=3),
            items=[
                OrderItem(name="Refund", amount=Money("-19.90", "EUR")),
                OrderItem(name="Boots", amount=Money("9.90", "EUR")),
            ],
        ),
    ]


@pytest.fixture
def filled(open_test_store: Any) -> Any:
    store = open_test_store(schemas=[SCHEMA], users="external")
    with store.begin() as tx:
        tx.contacts.add_many(_contacts())
        tx.orders.add_many(_orders())
        tx.companies.add(
            Company(id="k1", name="Acme", annual_revenue=Money("1500000.50", "NOK"), tags={"B2B"})
        )
        tx.companies.add(Company(id="k2", name="Beta"))
        tx.deals.add(
            Deal(
                id="d1",
                name="Big",
                stage="won",
                amount=Money("99.90", "USD"),
                probability=Decimal("0.75"),
                contacts=[DealContact(contact_id="c3"), DealContact(contact_id="c1")],
            )
        )
        tx.activities.add(
            Activity(
                id="a1",
                kind="call",
                occurred_at=dt.datetime(2026, 1, 2, tzinfo=UTC),
                contact_ids=["c3", "c1"],
            )
        )
    return store


def _expected(repo: Any, fields: list[str], where: Any = None, **options: Any) -> list[tuple]:
    """What the records ``select`` gives hold in these fields."""
    infos = resolve(repo._entity, repo._schema, fields)
    records = repo.select(where, **options)
    return [tuple(info.value_of(record) for info in infos) for record in records]


@pytest.mark.parametrize(
    ("where", "options"),
    [
        (None, {}),
        (F("order_count") >= 1, {}),
        (F("segment") == "gold", {}),
        (None, {"order_by": "-total_spent", "limit": 2}),
        (None, {"order_by": ["last_name", "first_name"], "offset": 1}),
        (F("tags").contains("vip"), {"limit": 1, "offset": 1}),
    ],
)
def test_contact_columns_equal_the_selected_records_values(
    filled: Any, where: Any, options: dict[str, Any]
) -> None:
    with filled.begin() as tx:
        got = tx.contacts.select_columns(CONTACT_FIELDS, where, **options)
        assert got == _expected(tx.contacts, CONTACT_FIELDS, where, **options)
    assert all(type(row) is tuple for row in got)


def test_values_have_the_entity_types(filled: Any) -> None:
    """Decimal, date, aware UTC datetime, enum members, frozenset and ordered tuple,
    Money, custom values typed by the schema, None when empty."""
    fields = ["birthday", "created_at", "gender", "tags", "owner_ids", "total_spent"]
    fields += ["credit", "seen", "budget", "labels", "note", "joined", "newsletter"]
    with filled.begin() as tx:
        first, second, _ = tx.contacts.select_columns(fields)
        contact = tx.contacts.get("c1")
    birthday, created, gender, tags, owners, spent, credit, seen, budget, *rest = first
    assert (birthday, gender, tags, owners) == (
        dt.date(1985, 3, 1),
        contact.gender,
        frozenset({"VIP", "ski"}),
        ("u2", "u1"),
    )
    assert type(gender) is type(contact.gender)
    assert created.utcoffset() == dt.timedelta(0)
    assert created == contact.created_at
    assert (spent, credit) == (Decimal("250.00"), Decimal("-12.50"))
    assert isinstance(spent, Decimal)
    assert seen == dt.datetime(2025, 5, 1, 9, tzinfo=UTC)
    assert budget == Money("1000.10", "EUR")
    assert rest == [frozenset({"a", "b"}), '["not a list"]', dt.date(2023, 2, 1), False]
    assert second[:5] == (None, created, None, frozenset(), ())
    assert second[6:] == (Decimal(0), None, None, None, None, None, None)


@pytest.mark.parametrize(
    ("repository", "fields"),
    [
        ("orders", ["id", "total", "placed_at", "status", "currency", "online"]),
        ("companies", ["id", "annual_revenue", "tags", "owner_ids", "actual_address.city"]),
        ("deals", ["id", "amount", "probability", "contact_ids", "recurring", "closed_on"]),
        ("activities", ["id", "contact_ids", "company_ids", "kind", "occurred_at"]),
    ],
)
def test_money_lists_and_enums_of_other_records(
    filled: Any, repository: str, fields: list[str]
) -> None:
    with filled.begin() as tx:
        repo = getattr(tx, repository)
        got = repo.select_columns(fields)
        assert got == _expected(repo, fields)
    assert got


def test_an_order_total_keeps_its_currency_and_sign(filled: Any) -> None:
    with filled.begin() as tx:
        totals = tx.orders.select_columns(["total"])
    assert totals == [(Money("250.00", "EUR"),), (Money("-10.00", "EUR"),)]


def test_a_deals_contact_ids_keep_their_order(filled: Any) -> None:
    with filled.begin() as tx:
        assert tx.deals.select_columns(["contact_ids"]) == [(("c3", "c1"),)]


def test_dicts_and_the_empty_result(filled: Any) -> None:
    with filled.begin() as tx:
        dicts = tx.contacts.select_columns(["id", "custom.segment"], form="dicts")
        none = tx.contacts.select_columns(["id"], F("id") == "nobody")
        no_dicts = tx.contacts.select_columns(["id"], F("id") == "nobody", form="dicts")
    assert dicts[0] == {"id": "c1", "custom.segment": "gold"}
    assert [row["id"] for row in dicts] == ["c1", "c2", "c3"]
    assert none == no_dicts == []


def test_the_frame_has_the_dtypes_of_to_pandas(filled: Any) -> None:
    pd = pytest.importorskip("pandas")
    fields = ["id", "birthday", "gender", "total_spent", "order_count", "tags", "segment"]
    with filled.begin() as tx:
        df = tx.contacts.select_columns([*fields, "address.city"], form="frame")
        full = tx.contacts.select().to_pandas()
        empty = tx.contacts.select_columns(fields, F("id") == "nobody", form="frame")
    assert list(df.columns) == [*fields, "address.city"]
    pd.testing.assert_frame_equal(df[fields], full[fields])
    pd.testing.assert_series_equal(df["address.city"], full["address_city"], check_names=False)
    assert list(empty.columns) == fields
    assert list(empty.dtypes) == list(full[fields].dtypes)


def test_a_repeated_query_reuses_its_statement_with_new_values(filled: Any) -> None:
    with filled.begin() as tx:
        for wanted in (["c1"], ["c2", "c3"], []):
            got = tx.contacts.select_columns(["id"], F("id").is_in(wanted), limit=5)
            assert got == [(id_,) for id_ in wanted]


@pytest.mark.parametrize("name", ["total_spend", "custom.nothing", "emails", "address"])
def test_an_unknown_field_is_the_query_languages_error(filled: Any, name: str) -> None:
    with filled.begin() as tx:
        with pytest.raises(QueryError) as caught:
            tx.contacts.select_columns(["id", name])
        with pytest.raises(QueryError) as from_query:
            tx.contacts.select(F(name) == "x")
    assert caught.value.field == from_query.value.field
    assert str(caught.value).split(":")[0] == str(from_query.value).split(":")[0]


def test_the_unknown_field_error_names_those_that_exist(filled: Any) -> None:
    with filled.begin() as tx, pytest.raises(QueryError, match="total_spent") as caught:
        tx.contacts.select_columns(["total_spend"])
    assert caught.value.field == "total_spend"
    assert "known fields" in str(caught.value)


@pytest.mark.parametrize(
    ("fields", "field"),
    [([], "fields"), ("id", "fields"), (["id", "id"], "id"), (None, "fields")],
)
def test_bad_field_lists_are_refused(filled: Any, fields: Any, field: str) -> None:
    with filled.begin() as tx, pytest.raises(ValidationError) as caught:
        tx.contacts.select_columns(fields)
    assert caught.value.field == field


@pytest.mark.parametrize("form", ["rows", "frames", None, "TUPLES"])
def test_a_bad_form_is_refused_naming_the_forms(filled: Any, form: Any) -> None:
    with filled.begin() as tx, pytest.raises(ValidationError, match="'tuples', 'dicts'") as caught:
        tx.contacts.select_columns(["id"], form=form)
    assert caught.value.field == "form"


@pytest.mark.parametrize(("option", "value"), [("limit", -1), ("offset", -1), ("limit", 1.5)])
def test_bad_limits_are_refused_as_select_refuses_them(
    filled: Any, option: str, value: Any
) -> None:
    with filled.begin() as tx, pytest.raises(ValidationError) as caught:
        tx.contacts.select_columns(["id"], **{option: value})
    assert caught.value.field == option


def test_every_catalog_field_reads_on_every_entity(filled: Any) -> None:
    """No field of any entity's catalog is left without a reading."""
    with filled.begin() as tx:
        for name in ("contacts", "companies", "orders", "deals", "activities", "leads"):
            repo = getattr(tx, name)
            fields = list(fields_for(repo._entity, repo._schema))
            assert repo.select_columns(fields) == _expected(repo, fields)


@given(
    st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
        lambda d: abs(d.adjusted()) < 4000
    )
)
def test_sqlites_decimal_text_is_the_keys_number(value: Decimal) -> None:
    engine = sa.create_engine("sqlite://")
    with engine.connect() as connection:
        query = sa.select(decimal_text(sa.bindparam("key", type_=sa.Text())))
        text = connection.execute(query, {"key": decimal_key(value)}).scalar_one()
    assert Decimal(text) == value
