"""Records as pandas frames and back: Foundation III item 9 (R3 DataFrames; E10 custom
properties as typed columns; E11 money as amount + currency; I3 a bad cell named by
row, field and value).
"""

from __future__ import annotations

import copy
import datetime as dt
import pickle
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import custdb
from custdb.errors import MissingDependencyError, ValidationError
from custdb.io import Records
from custdb.io.frame import frame_from_columns
from custdb.model import (
    Address,
    ClientStats,
    Company,
    Contact,
    Email,
    FieldDef,
    Money,
    Order,
    OrderItem,
    Phone,
    PostalCode,
    Schema,
)
from custdb.testing import (
    make_activity,
    make_company,
    make_contact,
    make_deal,
    make_lead,
    make_order,
    make_survey_response,
    make_ticket,
)

UTC = dt.timezone.utc
ROOT = Path(__file__).resolve().parents[2]
SCHEMA = Schema(
    "contact",
    (
        FieldDef("tier", "enum", options={"gold", "silver", "bronze"}),
        FieldDef("joined", "date"),
        FieldDef("budget", "money"),
        FieldDef("visits", "integer"),
        FieldDef("interests", "multi_enum", options={"ski", "golf"}),
    ),
)


def olga(**overrides: Any) -> Contact:
    """A contact with every kind of field filled in, labels and extensions included."""
    fields: dict[str, Any] = {
        "id": "c-olga",
        "first_name": "Ольга",
        "last_name": "Иванова",
        "emails": (Email("olga@example.ru", "work"), Email("olga.i@mail.ru")),
        "phones": (Phone("+79161234567", "12", "office"),),
        "address": Address(
            street="Тверская 1", city="Москва", postal_code=PostalCode("101000", "RU")
        ),
        "birthday": dt.date(1985, 3, 1),
        "gender": "female",
        "country": "RU",
        "tags": {"vip", "b2b"},
        "owner_ids": ("u1", "u2"),
        "lifecycle_stage": "customer",
        "has_mobile_app": True,
        "external_ids": {"1c": "000123"},
        "custom": {
            "tier": "gold",
            "joined": dt.date(2023, 2, 1),
            "budget": Money(Decimal("1500.50"), "EUR"),
            "interests": frozenset({"ski"}),
        },
    }
    return Contact(**(fields | overrides))


# --- Records: what select returns -------------------------------------------------------


def test_select_returns_records_that_stay_a_real_list(store: Any) -> None:
    """Foundation III item 9: ``select`` gives ``Records``, a list subclass, on every store."""
    with store.begin() as tx:
        tx.contacts.add(make_contact(id="c1"))
        found = tx.contacts.select()
    assert type(found) is Records
    assert isinstance(found, list)
    assert found == [found[0]]
    assert found.entity is Contact
    assert [c.id for c in found] == ["c1"]
    clone = pickle.loads(pickle.dumps(found))  # noqa: S301 - our own data
    assert clone == found
    assert clone.entity is Contact
    assert copy.copy(found).entity is Contact


def test_to_pandas_gives_the_same_frame_on_every_store(open_test_store: Any) -> None:
    """Foundation III item 9 (R3): the same records read from any store frame alike:
    stamps, roll-ups, typed custom columns and all."""
    store = open_test_store(schemas=[SCHEMA], users="external")
    with store.begin() as tx:
        tx.contacts.add(olga())
        tx.orders.add(
            make_order(
                id="o1",
                contact_id="c-olga",
                placed_at=dt.datetime(2024, 5, 1, 9, tzinfo=UTC),
                currency="EUR",
                items=[OrderItem(name="Ski pass", amount=Money("250.00", "EUR"))],
            )
        )
    with store.begin() as tx:
        df = tx.contacts.select().to_pandas()
    assert df.dtypes.astype(str).to_dict() == CONTACT_DTYPES
    row = df.iloc[0]
    assert row["id"] == "c-olga"
    assert list(df.columns[:3]) == ["id", "first_name", "last_name"]
    assert row["email"] == "olga@example.ru"
    assert row["emails"] == ["olga@example.ru", "olga.i@mail.ru"]
    assert row["email_labels"] == ["work", None]
    assert row["phone_extensions"] == ["12"]
    assert row["tags"] == ["b2b", "vip"]
    assert row["birthday"] == pd.Timestamp("1985-03-01")
    assert row["total_spent"] == Decimal(250)
    assert row["order_count"] == 1
    assert row["first_order_on"] == pd.Timestamp("2024-05-01")
    assert row["version"] == 1
    assert row["created_at"] == pd.Timestamp("2026-11-23 12:00", tz="UTC")
    assert row["tier"] == "gold"
    assert row["budget"] == Decimal("1500.50")
    assert row["budget_currency"] == "EUR"
    assert row["joined"] == pd.Timestamp("2023-02-01")
    assert row["interests"] == ["ski"]
    assert pd.isna(row["visits"])
    assert pd.isna(row["middle_name"])
    assert list(df["tier"].cat.categories) == ["bronze", "gold", "silver"]


CONTACT_DTYPES = {
    "id": "string",
    "first_name": "string",
    "last_name": "string",
    "middle_name": "string",
    "job_title": "string",
    "email": "string",
    "emails": "object",
    "email_labels": "object",
    "phone": "string",
    "phones": "object",
    "phone_extensions": "object",
    "phone_labels": "object",
    "address_street": "string",
    "address_city": "string",
    "address_region": "string",
    "address_postal_code": "string",
    "address_postal_code_country": "string",
    "address_country": "string",
    "birthday": "datetime64[s]",
    "gender": "category",
    "language": "string",
    "country": "string",
    "source": "string",
    "provenance": "category",
    "owner_ids": "object",
    "brought_by_id": "string",
    "tags": "object",
    "lifecycle_stage": "category",
    "notes": "string",
    "loyalty_card": "string",
    "importance": "string",
    "has_mobile_app": "boolean",
    "total_spent": "object",
    "spent_by_currency": "object",
    "spent_by_currency_currencys": "object",
    "order_count": "Int64",
    "visit_count": "Int64",
    "first_order_on": "datetime64[s]",
    "last_order_on": "datetime64[s]",
    "last_visit_at": "datetime64[us, UTC]",
    "last_activity_at": "datetime64[us, UTC]",
    "open_tickets": "Int64",
    "ticket_count": "Int64",
    "last_satisfaction": "object",
    "tier": "category",
    "joined": "datetime64[s]",
    "budget": "object",
    "budget_currency": "string",
    "visits": "Int64",
    "interests": "object",
    "version": "Int64",
    "created_at": "datetime64[us, UTC]",
    "updated_at": "datetime64[us, UTC]",
    "external_ids": "object",
}


def test_an_empty_select_frames_with_every_column(open_test_store: Any) -> None:
    """Foundation III item 9: no records still give the columns and dtypes, so code that
    reads a frame works on an empty segment too."""
    store = open_test_store(schemas=[SCHEMA], users="external")
    with store.begin() as tx:
        df = tx.contacts.select().to_pandas()
    assert len(df) == 0
    assert df.dtypes.astype(str).to_dict() == CONTACT_DTYPES


def test_round_trip_through_a_store_keeps_stamps_and_roll_ups(open_test_store: Any) -> None:
    """Foundation III item 9: ``from_pandas(frame(records)) == records`` for stored
    records, stamps included; an edited frame writes back with ``put``."""
    store = open_test_store(schemas=[SCHEMA], users="external")
    with store.begin() as tx:
        tx.contacts.add(olga())
        tx.contacts.add(make_contact(id="c2", tags={"vip"}))
    with store.begin() as tx:
        records = tx.contacts.select(order_by="id")
    df = custdb.frame(records)
    assert custdb.from_pandas(df, Contact, schema=SCHEMA) == records
    df.loc[df["id"] == "c2", "last_name"] = "Berg"
    edited = custdb.from_pandas(df, Contact, schema=SCHEMA)
    with store.begin() as tx:
        tx.contacts.put(edited[1])
    with store.begin() as tx:
        assert tx.contacts.get("c2").last_name == "Berg"
        assert tx.contacts.get("c2").version == 2


# --- dtypes -----------------------------------------------------------------------------


def test_enum_columns_are_categoricals_listing_every_option() -> None:
    """Foundation III item 9: a category column lists all the enum's options, used or not."""
    df = custdb.frame([olga()], schema=SCHEMA)
    assert list(df["gender"].cat.categories) == ["female", "male", "other", "unknown"]
    assert df["provenance"].isna().all()
    assert len(df["provenance"].cat.categories) == 3
    assert df["lifecycle_stage"].cat.categories[0] == "subscriber"
    assert list(df["interests"].iloc[0]) == ["ski"]


def test_a_custom_value_outside_the_options_is_kept_not_lost_to_nan() -> None:
    """Foundation III item 9 (E10): a value stored before its option was dropped stays."""
    old = Contact(id="c1", custom={"tier": "platinum"})
    df = custdb.frame([old], schema=SCHEMA)
    assert df["tier"].iloc[0] == "platinum"
    assert list(df["tier"].cat.categories) == ["bronze", "gold", "silver", "platinum"]


def test_decimals_float_gives_float_columns() -> None:
    """Foundation III item 9 (E11): exact Decimal by default, float64 when asked."""
    exact = custdb.frame([olga()], schema=SCHEMA)
    assert exact["budget"].iloc[0] == Decimal("1500.50")
    assert type(exact["budget"].iloc[0]) is Decimal
    floats = custdb.frame([olga()], schema=SCHEMA, decimals="float")
    assert str(floats["budget"].dtype) == "float64"
    assert str(floats["total_spent"].dtype) == "float64"
    assert floats["budget"].iloc[0] == 1500.5
    assert pd.isna(floats["last_satisfaction"].iloc[0])
    with pytest.raises(ValidationError, match="decimals='decimal'"):
        custdb.frame([olga()], decimals="double")  # type: ignore[arg-type]


def test_times_are_utc_and_dates_are_midnight_without_zone() -> None:
    """Foundation III item 9: ``*_at`` is datetime64 in UTC, ``*_on`` midnight datetime64."""
    moscow = dt.timezone(dt.timedelta(hours=3))
    order = make_order(placed_at=dt.datetime(2024, 5, 1, 12, 30, 15, 123456, tzinfo=moscow))
    df = custdb.frame([order])
    assert str(df["placed_at"].dtype) == "datetime64[us, UTC]"
    assert df["placed_at"].iloc[0] == pd.Timestamp("2024-05-01 09:30:15.123456", tz="UTC")
    far = custdb.frame([make_contact(birthday=dt.date(1, 1, 1))])
    assert far["birthday"].iloc[0] == pd.Timestamp("0001-01-01")  # beyond nanosecond range


def test_money_is_amount_and_currency_and_orders_carry_their_total() -> None:
    """Foundation III item 9 (E11): money is two columns; an order's total is framed."""
    deal = make_deal(amount=Money("120000", "NOK"))
    df = custdb.frame([deal])
    assert df["amount"].iloc[0] == Decimal(120000)
    assert df["amount_currency"].iloc[0] == "NOK"
    order = make_order()
    orders = custdb.frame([order])
    assert orders["total"].iloc[0] == order.total.amount
    assert orders["total_currency"].iloc[0] == order.currency
    items = custdb.frame(order.items)
    assert list(items.columns) == [
        "name",
        "kind",
        "category",
        "staff_id",
        "quantity",
        "amount",
        "amount_currency",
    ]


def test_without_a_schema_custom_properties_are_object_columns_as_stored() -> None:
    """Foundation III item 9 (E10): no schema known, each custom key is a column."""
    records = [Contact(id="a", custom={"tier": "gold"}), Contact(id="b", custom={"score": 3})]
    df = custdb.frame(records)
    assert list(df.columns[-6:]) == ["score", "tier", *list(df.columns[-4:])]
    assert df["score"].tolist() == [None, 3]
    assert custdb.from_pandas(df, Contact) == records


@pytest.mark.parametrize(
    "build",
    [
        make_activity,
        make_company,
        make_contact,
        make_deal,
        make_lead,
        make_order,
        make_survey_response,
        make_ticket,
    ],
)
def test_every_entity_round_trips_without_stamps(build: Any) -> None:
    """Foundation III item 9: every kind of record comes back equal."""
    records = [build(), build()]
    back = custdb.from_pandas(custdb.frame(records), type(records[0]))
    assert back == records
    assert back.entity is type(records[0])


_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12)
_aware = st.datetimes(
    min_value=dt.datetime(1, 1, 2),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=dt.datetime(9999, 12, 30),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=st.none() | _text,
    birthday=st.none() | st.dates(),
    tags=st.frozensets(_text.filter(str.strip), max_size=3),
    label=st.none() | _text,
    spent=st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0),
    seen=st.none() | _aware,
    count=st.integers(0, 2**63 - 1),
)
def test_any_contact_round_trips(  # noqa: PLR0917 - one argument per strategy
    first: str | None,
    birthday: dt.date | None,
    tags: frozenset[str],
    label: str | None,
    spent: Decimal,
    seen: dt.datetime | None,
    count: int,
) -> None:
    """Foundation III item 9: round trip over any text, date, time, decimal and count."""
    contact = Contact(
        first_name=first,
        birthday=birthday,
        tags=tags,
        emails=(Email("x@example.com", label),),
        stats=ClientStats(total_spent=spent, order_count=count, last_visit_at=seen),
        created_at=seen,
    )
    assert custdb.from_pandas(custdb.frame([contact]), Contact) == [contact]


# --- the columnar core ------------------------------------------------------------------


def test_frame_from_columns_types_column_values_as_frame_does() -> None:
    """Foundation III item 9: the builder's core takes column values (what a columnar
    read gives); a frame of records is those columns typed the same way."""
    records = [olga(), make_contact(id="c2")]
    full = custdb.frame(records, schema=SCHEMA)
    values = {
        "id": ["c-olga", "c2"],
        "birthday": [dt.date(1985, 3, 1), None],
        "gender": ["female", "female"],
        "total_spent": [Decimal(0), Decimal(0)],
        "tier": ["gold", None],
        "created_at": [None, None],
    }
    df = frame_from_columns(values, Contact, schema=SCHEMA)
    pd.testing.assert_frame_equal(df, full[list(values)])
    with pytest.raises(ValidationError, match="different lengths"):
        frame_from_columns({"id": ["a"], "tier": []}, Contact, schema=SCHEMA)
    with pytest.raises(ValidationError, match=r"'nickname'.*not a column"):
        frame_from_columns({"nickname": ["a"]}, Contact, schema=SCHEMA)


# --- bad input --------------------------------------------------------------------------


def _bad(df: pd.DataFrame, **options: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        custdb.from_pandas(df, Contact, **options)
    return caught.value


def _frame_of_two() -> pd.DataFrame:
    return custdb.frame([make_contact(id="c1"), olga()], schema=SCHEMA)


@pytest.mark.parametrize(
    ("column", "cell", "reason"),
    [
        ("version", "two", "not a whole number"),
        ("birthday", "1st of May", "not a date"),
        ("gender", "woman", "not an allowed value"),
        ("first_name", 42, "expected text"),
        ("tags", "vip", "not a list"),
        ("has_mobile_app", "yes", "not True or False"),
        ("tier", "diamond", "not one of the options"),
        ("total_spent", "lots", "not a number"),
        ("address_country", "R", "country"),
        ("budget_currency", "EURO", "currency"),
    ],
)
def test_a_bad_cell_names_row_field_and_value(column: str, cell: Any, reason: str) -> None:
    """Foundation III item 9 (I3): the error says which row, field and value, and why."""
    df = _frame_of_two().astype({column: object})
    df.loc[1, column] = cell
    error = _bad(df, schema=SCHEMA)
    assert error.row == 1
    assert error.id == "c-olga"
    assert error.field == column
    assert error.value == cell
    assert error.entity == "contact"
    assert reason in str(error)
    assert str(error).startswith(f"row 1, contact c-olga, field {column!r}")


def test_a_naive_timestamp_is_refused_with_the_way_to_localize() -> None:
    """Foundation III item 9: a time without zone cannot be placed; say how to fix it."""
    df = _frame_of_two()
    df["created_at"] = pd.Series([pd.Timestamp("2024-01-01 10:00"), pd.NaT], dtype="object")
    error = _bad(df, schema=SCHEMA)
    assert (error.row, error.field) == (0, "created_at")
    assert "tz_localize('UTC')" in str(error)


def test_derived_columns_must_agree_with_the_lists_they_come_from() -> None:
    """Foundation III item 9: an edit to ``email`` alone would be lost; it is refused."""
    df = _frame_of_two()
    df.loc[0, "email"] = "new@example.no"
    error = _bad(df, schema=SCHEMA)
    assert (error.row, error.field, error.value) == (0, "email", "new@example.no")
    assert "edit 'emails' instead" in str(error)
    orders = custdb.frame([make_order()])
    orders["total"] = [Decimal(1)]
    with pytest.raises(ValidationError, match="worked out from 'items'"):
        custdb.from_pandas(orders, Order)


def test_label_lists_must_align_with_their_addresses() -> None:
    """Foundation III item 9: ``email_labels`` holds one entry per address."""
    df = _frame_of_two()
    df["email_labels"] = [[None], ["work"]]
    error = _bad(df, schema=SCHEMA)
    assert (error.row, error.field) == (1, "email_labels")
    assert "1 items for 2" in str(error)


def test_frame_columns_are_checked_against_the_class_and_schema() -> None:
    """Foundation III item 9: unknown columns (with a schema), missing required ones,
    repeated names and non-frames are refused before any row is read."""
    df = _frame_of_two().assign(nickname="x")
    error = _bad(df, schema=SCHEMA)
    assert error.field == "nickname"
    assert "not a column" in str(error)
    orders = custdb.frame([make_order()]).drop(columns=["placed_at"])
    with pytest.raises(ValidationError, match="'placed_at': a order needs this column"):
        custdb.from_pandas(orders, Order)
    twice = pd.concat([_frame_of_two()[["id"]], _frame_of_two()[["id"]]], axis=1)
    assert "two columns" in str(_bad(twice))
    with pytest.raises(ValidationError, match="expected a pandas DataFrame"):
        custdb.from_pandas([olga()], Contact)


def test_a_frame_of_only_some_columns_makes_new_records_with_defaults() -> None:
    """Foundation III item 9: names alone make contacts; the rest keeps its defaults."""
    df = pd.DataFrame({"first_name": ["Olga", "Per"], "tags": [["vip"], []]})
    made = custdb.from_pandas(df, Contact)
    assert [c.first_name for c in made] == ["Olga", "Per"]
    assert made[0].tags == frozenset({"vip"})
    assert made[1].version == 0
    assert made[0].id != made[1].id


def test_frame_refuses_what_it_cannot_lay_out() -> None:
    """Foundation III item 9: mixed classes, no records without a class, a schema of
    another entity, a custom field that shadows a core column."""
    with pytest.raises(ValidationError, match=r"row 1.*records of one class"):
        custdb.frame([make_contact(), make_company()])
    with pytest.raises(ValidationError, match="entity=Contact"):
        custdb.frame([])
    assert list(custdb.frame([], entity=Company).columns[:2]) == ["id", "name"]
    with pytest.raises(ValidationError, match="schema is for contact, not company"):
        custdb.frame([make_company()], schema=SCHEMA)
    shadow = Schema("contact", (FieldDef("total_spent", "integer"),))
    with pytest.raises(ValidationError, match="'total_spent': two columns"):
        custdb.frame([make_contact()], schema=shadow)
    with pytest.raises(ValidationError, match="not a custdb record"):
        custdb.frame([object()])


def test_custom_cells_are_checked_by_the_schema() -> None:
    """Foundation III item 9 (E10): the way back validates custom values."""
    df = _frame_of_two()
    df["visits"] = pd.array([3, None], dtype="Int64")
    made = custdb.from_pandas(df, Contact, schema=SCHEMA)
    assert made[0].custom["visits"] == 3
    assert "visits" not in made[1].custom
    assert made[1].custom["budget"] == Money(Decimal("1500.50"), "EUR")


# --- pandas stays optional --------------------------------------------------------------


def test_a_missing_pandas_names_the_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Foundation III item 9: without pandas, framing says what to install."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingDependencyError, match=r'pip install "custdb\[pandas\]"'):
        custdb.frame([make_contact()])
    with pytest.raises(MissingDependencyError, match=r"custdb\[pandas\]"):
        Records([make_contact()]).to_pandas()


def test_importing_custdb_and_its_stores_loads_no_pandas() -> None:
    """Foundation III item 9: ``import custdb``, the stores and ``custdb.frame`` itself
    stay pandas-free until a frame is made."""
    code = (
        "import sys, custdb, custdb.storage, custdb.storage.sqlite\n"
        "custdb.frame, custdb.from_pandas\n"
        "print('pandas' in sys.modules)\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, our own code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_the_pandas_extra_pulls_only_pandas() -> None:
    """Foundation III item 9: the extra lists what framing uses (pandas 2.2 or later for
    non-nanosecond datetimes; no matplotlib, which nothing uses)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.findall(r"(?m)^pandas = (.*)$", text) == ['["pandas>=2.2"]']


def test_slices_of_records_are_plain_lists() -> None:
    """Foundation III item 9: slices and sums of Records are plain lists (list's own)."""
    records = Records([make_contact()], entity=Contact)
    assert type(records[:1]) is list
    assert attrs.has(type(records[0]))
