"""Custom properties (E10): typed field definitions, validation, the JSON column."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custdb.errors import ValidationError
from custdb.model import (
    Contact,
    Deal,
    Email,
    FieldDef,
    FieldType,
    FrozenMap,
    Money,
    Phone,
    Schema,
    custom_from_json,
    custom_to_json,
)
from custdb.model.schema import compare_schemas

UTC = timezone.utc
MSK = timezone(timedelta(hours=3))

SCHEMA = Schema(
    "contact",
    (
        FieldDef("nickname", "string"),
        FieldDef("visits", "integer"),
        FieldDef("discount", "decimal"),
        FieldDef("budget", "money"),
        FieldDef("first_visit", "date"),
        FieldDef("last_call", "datetime"),
        FieldDef("subscribed", "bool"),
        FieldDef("tier", "enum", options={"gold", "silver", "bronze"}),
        FieldDef("products", "multi_enum", options={"crm", "erp", "pos"}),
        FieldDef("billing_email", "email"),
        FieldDef("fax", "phone"),
        FieldDef("homepage", "url"),
    ),
)


def test_e10_field_types_are_the_declared_kinds() -> None:
    assert [kind.value for kind in FieldType] == [
        "string", "integer", "decimal", "money", "date", "datetime", "bool", "enum",
        "multi_enum", "email", "phone", "url",
    ]  # fmt: skip


# --- definitions ------------------------------------------------------------------------


def test_e10_a_field_definition_has_defaults() -> None:
    field = FieldDef("time_zone", FieldType.STRING)
    assert (field.required, field.unique, field.options, field.label) == (
        False, False, frozenset(), None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"name": "tier", "type": "enum"}, "options", "needs options"),
        ({"name": "tier", "type": "multi_enum"}, "options", "needs options"),
        ({"name": "x", "type": "string", "options": ["a"]}, "options", "only enum fields"),
        ({"name": "x", "type": "enum", "options": ["a", ""]}, "options", "non-empty strings"),
        ({"name": "2fast", "type": "string"}, "name", "not a field name"),
        ({"name": "_hidden", "type": "string"}, "name", "not a field name"),
        ({"name": "time zone", "type": "string"}, "name", "not a field name"),
        ({"name": "x", "type": "number"}, "type", "use one of: string, integer"),
    ],
)
def test_e10_a_bad_definition_is_refused(kwargs: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        FieldDef(**kwargs)
    assert (caught.value.entity, caught.value.field) == ("field_def", field)


@pytest.mark.parametrize("name", ["email", "first_name", "stats", "full_name", "custom"])
def test_e10_a_custom_field_cannot_take_a_core_name(name: str) -> None:
    with pytest.raises(ValidationError, match="names a core field of contact"):
        Schema("contact", [FieldDef(name, "string")])


def test_e10_a_core_name_of_another_entity_is_fine() -> None:
    assert (
        Schema("deal", [FieldDef("first_name", "string")]).field("first_name").name == "first_name"
    )


def test_e10_a_field_is_declared_once_for_a_known_entity() -> None:
    with pytest.raises(ValidationError, match="declared twice"):
        Schema("contact", [FieldDef("tier", "string"), FieldDef("tier", "integer")])
    with pytest.raises(ValidationError, match="not an entity"):
        Schema("customer", [])


def test_e10_field_looks_a_definition_up_by_name() -> None:
    assert SCHEMA.field("tier").options == {"gold", "silver", "bronze"}
    with pytest.raises(ValidationError, match="allowed fields: nickname, visits"):
        SCHEMA.field("colour")


# --- validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "raw", "typed"),
    [
        ("nickname", "  Vanya ", "Vanya"),
        ("visits", "12", 12),
        ("visits", 7, 7),
        ("visits", Decimal("3.0"), 3),
        ("discount", "0.15", Decimal("0.15")),
        ("discount", 5, Decimal(5)),
        ("discount", Decimal("2.50"), Decimal("2.50")),
        ("budget", {"amount": "1.50", "currency": "EUR"}, Money("1.50", "EUR")),
        ("budget", {"amount": 3, "currency": "nok"}, Money(3, "NOK")),
        ("budget", Money("9.99", "USD"), Money("9.99", "USD")),
        ("budget", "1250.00 EUR", Money("1250.00", "EUR")),  # as an export writes it
        ("budget", " nok 12.5 ", Money("12.5", "NOK")),
        ("first_visit", "2024-05-31", date(2024, 5, 31)),
        ("first_visit", date(2024, 5, 31), date(2024, 5, 31)),
        ("last_call", "2024-05-31T09:30:00+03:00", datetime(2024, 5, 31, 9, 30, tzinfo=MSK)),
        ("last_call", "2024-05-31T06:30:00Z", datetime(2024, 5, 31, 6, 30, tzinfo=UTC)),
        ("subscribed", "yes", True),
        ("subscribed", "Да", True),
        ("subscribed", "nei", False),
        ("subscribed", 0, False),
        ("subscribed", False, False),
        ("tier", " gold ", "gold"),
        ("products", "crm; pos", frozenset({"crm", "pos"})),
        ("products", ["erp"], frozenset({"erp"})),
        ("billing_email", Email("billing@example.no"), "billing@example.no"),
        ("fax", Phone("+4722334455"), "+4722334455"),
        ("homepage", "example.no/om-oss", "https://example.no/om-oss"),
        ("homepage", "http://example.no", "http://example.no"),
    ],
)
def test_e10_values_are_coerced_to_their_type(name: str, raw: Any, typed: Any) -> None:
    values = SCHEMA.validate({name: raw})
    assert isinstance(values, FrozenMap)
    assert values == {name: typed}
    assert type(values[name]) is type(typed)


def test_e10_messy_numbers_dates_phones_and_emails_go_through_the_normalizers() -> None:
    values = SCHEMA.validate(
        {
            "discount": "1 234,50",
            "first_visit": "31.05.2024",
            "fax": "8 (912) 345-67-89",
            "billing_email": "  Billing@EXAMPLE.no ",
        },
        region="RU",
        decimal_mark=",",
    )
    assert values["discount"] == Decimal("1234.50")
    assert values["first_visit"] == date(2024, 5, 31)
    assert values["fax"] == "+79123456789"
    assert values["billing_email"].endswith("@example.no")


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("nickname", 42, "expected text"),
        ("visits", "12.5", "not a whole number"),
        ("visits", True, "not a whole number"),
        ("visits", [1], "not a whole number"),
        ("visits", 2**63, "too large for an integer field"),  # no database integer holds it
        ("visits", str(-(2**63) - 1), "too large for an integer field"),
        ("discount", float("inf"), "finite"),
        ("budget", "12", "not an amount of money"),
        ("budget", "12 euros", "not an amount of money"),
        ("budget", "EUR twelve", "not a number"),
        ("budget", {"amount": "1", "currency": "XXY"}, "ISO 4217"),
        ("first_visit", datetime(2024, 5, 31, tzinfo=UTC), "not a date"),
        ("first_visit", 20240531, "not a date"),
        ("last_call", "2024-05-31T09:30:00", "naive"),
        ("last_call", "yesterday", "not an ISO date and time"),
        ("last_call", 1717146000, "not a date and time"),
        ("subscribed", "maybe", "not yes or no"),
        ("subscribed", 2, "not yes or no"),
        ("tier", "platinum", "use one of: bronze, gold, silver"),
        ("products", "crm; cms", "use one of: crm, erp, pos"),
        ("products", 3, "not a list of options"),
        ("billing_email", 3, "not an e-mail address"),
        ("fax", 4722334455, "not a phone number"),
        ("homepage", "ftp://example.no", "not a web address"),
        ("homepage", "https://exa mple.no", "not a web address"),
    ],
)
def test_e10_bad_values_are_refused_naming_entity_field_and_value(
    name: str, raw: Any, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        SCHEMA.validate({name: raw})
    error = caught.value
    assert (error.entity, error.field, error.value) == ("contact", name, raw)


def test_e10_an_unknown_field_names_the_allowed_ones() -> None:
    with pytest.raises(ValidationError) as caught:
        SCHEMA.validate({"colour": "red"})
    error = caught.value
    assert (error.entity, error.field, error.value) == ("contact", "colour", "red")
    assert "allowed fields: nickname, visits, discount" in str(error)
    with pytest.raises(ValidationError, match="none are declared"):
        Schema("deal").validate({"colour": "red"})


def test_e10_a_required_field_must_be_given() -> None:
    schema = Schema(
        "company", [FieldDef("inn", "string", required=True), FieldDef("note", "string")]
    )
    assert schema.validate({"inn": "7701234567", "note": ""}) == {"inn": "7701234567"}
    for values in ({}, {"inn": None}, {"inn": "  "}):
        with pytest.raises(ValidationError, match="is required") as caught:
            schema.validate(values)
        assert (caught.value.entity, caught.value.field) == ("company", "inn")


def test_e10_blank_and_missing_optional_values_are_left_out() -> None:
    assert SCHEMA.validate(None) == {}
    assert SCHEMA.validate({"nickname": "", "visits": None}) == {}


def test_e10_check_types_the_custom_values_of_a_record() -> None:
    contact = Contact(first_name="Olga", custom={"visits": "3", "products": ["crm"]})
    checked = SCHEMA.check(contact)
    assert checked.custom == {"visits": 3, "products": frozenset({"crm"})}
    assert checked.id == contact.id
    assert checked.first_name == "Olga"
    with pytest.raises(ValidationError, match="schema is for contact, not deal"):
        SCHEMA.check(Deal(name="X", stage="new"))


def test_e10_new_validates_custom_values_on_construction() -> None:
    contact = SCHEMA.new(Contact, first_name="Olga", custom={"tier": "gold"})
    assert isinstance(contact, Contact)
    assert contact.custom == {"tier": "gold"}
    assert SCHEMA.new(Contact).custom == {}
    with pytest.raises(ValidationError, match="use one of"):
        SCHEMA.new(Contact, custom={"tier": "iron"})
    with pytest.raises(ValidationError):
        SCHEMA.new(Deal, name="X", stage="new")


# --- serialization ----------------------------------------------------------------------


def test_e10_a_schema_round_trips_through_json() -> None:
    data = json.loads(json.dumps(SCHEMA.to_json()))
    assert data["fields"][7] == {
        "name": "tier", "type": "enum", "required": False, "unique": False,
        "options": ["bronze", "gold", "silver"], "label": None,
    }  # fmt: skip
    assert Schema.from_json(data) == SCHEMA


@pytest.mark.parametrize("data", [{}, {"entity": "contact", "fields": [{"name": "x"}]}, []])
def test_e10_a_bad_schema_document_is_refused(data: Any) -> None:
    with pytest.raises(ValidationError, match="not a schema document"):
        Schema.from_json(data)


names = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda name: name not in {f.name for f in attrs.fields(Deal)} and not hasattr(Deal, name)
)
options = st.frozensets(st.text(min_size=1, max_size=5), min_size=1, max_size=4)


@st.composite
def field_defs(draw: st.DrawFn) -> FieldDef:
    kind = draw(st.sampled_from(list(FieldType)))
    choices = draw(options) if kind in {FieldType.ENUM, FieldType.MULTI_ENUM} else frozenset()
    return FieldDef(
        draw(names),
        kind,
        required=draw(st.booleans()),
        unique=draw(st.booleans()),
        options=choices,
        label=draw(st.none() | st.text(max_size=10)),
    )


@given(st.lists(field_defs(), max_size=6, unique_by=lambda field: field.name))
def test_e10_any_schema_round_trips_through_json(fields: list[FieldDef]) -> None:
    schema = Schema("deal", fields)
    assert Schema.from_json(json.loads(json.dumps(schema.to_json()))) == schema


# --- the JSON column --------------------------------------------------------------------

zones = st.sampled_from([UTC, MSK, timezone(timedelta(hours=-5, minutes=-30))])
money = st.builds(
    Money,
    st.decimals(min_value=-(10**12), max_value=10**12, places=2),
    st.sampled_from(["EUR", "NOK", "RUB", "CNY"]),
)
typed_values = st.fixed_dictionaries(
    {},
    optional={
        "nickname": st.text(min_size=1).filter(lambda text: text.strip() == text),
        "visits": st.integers(-(2**63), 2**63 - 1),
        "discount": st.decimals(allow_nan=False, allow_infinity=False),
        "budget": money,
        "first_visit": st.dates(),
        "last_call": st.datetimes(timezones=zones),
        "subscribed": st.booleans(),
        "tier": st.sampled_from(["gold", "silver", "bronze"]),
        "products": st.frozensets(st.sampled_from(["crm", "erp", "pos"]), min_size=1),
        "billing_email": st.sampled_from(["billing@example.no", "ivan@example.ru"]),
        "fax": st.sampled_from(["+4722334455", "+79123456789"]),
        "homepage": st.sampled_from(["https://example.no", "https://example.es/contacto"]),
    },
)


@given(typed_values)
def test_e10_typed_values_round_trip_through_the_json_column(values: dict[str, Any]) -> None:
    typed = SCHEMA.validate(values)
    assert SCHEMA.validate(typed) == typed
    stored = json.loads(json.dumps(custom_to_json(typed)))
    assert custom_from_json(SCHEMA, stored) == typed


def test_e10_the_json_form_of_each_type() -> None:
    typed = SCHEMA.validate(
        {
            "discount": "0.10",
            "budget": {"amount": "1.50", "currency": "EUR"},
            "first_visit": "2024-05-31",
            "last_call": "2024-05-31T09:30:00+03:00",
            "products": ["pos", "crm"],
        }
    )
    assert custom_to_json(typed) == {
        "discount": "0.10",
        "budget": {"amount": "1.50", "currency": "EUR"},
        "first_visit": "2024-05-31",
        "last_call": "2024-05-31T09:30:00+03:00",
        "products": ["crm", "pos"],
    }


def test_e10_untyped_values_are_stored_as_json_too() -> None:
    values = FrozenMap({"n": 1.5, "raw": ("a", FrozenMap({"b": None})), "who": Email("a@b.no")})
    assert custom_to_json(values) == {"n": 1.5, "raw": ["a", {"b": None}], "who": "a@b.no"}
    with pytest.raises(ValidationError, match="cannot store a complex"):
        custom_to_json({"z": 1j})


def test_e10_reading_back_never_fails() -> None:
    stored = {"visits": "many", "colour": ["red"], "first_visit": None, "budget": {"amount": "1"}}
    values = custom_from_json(SCHEMA, stored)
    assert values == {
        "visits": "many",
        "colour": ("red",),
        "first_visit": None,
        "budget": {"amount": "1"},
    }
    assert custom_from_json(None, {"products": ["crm"]}) == {"products": ("crm",)}
    assert custom_from_json(SCHEMA, None) == {}


# --- evolution (Foundation III item 5) ---------------------------------------------------

BASE = Schema("contact", (FieldDef("tier", "enum", options={"gold"}), FieldDef("since", "date")))


def test_e10_with_field_and_with_option_build_the_next_version() -> None:
    """Foundation III item 5: the pure builders a store's evolve_schema is given."""
    grown = BASE.with_field(FieldDef("vip", "bool")).with_option("tier", "silver")
    assert [f.name for f in grown.fields] == ["tier", "since", "vip"]
    assert grown.field("tier").options == {"gold", "silver"}
    assert BASE.field("tier").options == {"gold"}  # the old version is untouched
    assert [(c.field, c.what, c.compatible) for c in compare_schemas(BASE, grown)] == [
        ("tier", "options added (silver)", True),
        ("vip", "added (bool)", True),
    ]


def test_e10_with_option_and_with_field_refuse_what_cannot_be() -> None:
    with pytest.raises(ValidationError) as caught:
        BASE.with_option("since", "x")
    assert (caught.value.field, caught.value.value) == ("since", "x")
    assert "takes no options" in str(caught.value)
    with pytest.raises(ValidationError, match="not a declared custom field"):
        BASE.with_option("colour", "red")
    with pytest.raises(ValidationError, match="is declared twice"):
        BASE.with_field(FieldDef("since", "string"))


@pytest.mark.parametrize(
    ("new", "field", "what", "compatible"),
    [
        (Schema("contact", BASE.fields[:1]), "since", "removed", False),
        (
            Schema("contact", (BASE.fields[0], FieldDef("since", "string"))),
            "since",
            "type changed from date to string",
            False,
        ),
        (
            Schema("contact", (FieldDef("tier", "enum", options={"x"}), BASE.fields[1])),
            "tier",
            "options removed (gold)",
            False,
        ),
        (
            BASE.with_field(FieldDef("vip", "bool", required=True)),
            "vip",
            "added as required",
            False,
        ),
        (
            Schema("contact", (BASE.fields[0], FieldDef("since", "date", required=True))),
            "since",
            "made required",
            False,
        ),
        (
            Schema("contact", (BASE.fields[0], FieldDef("since", "date", unique=True))),
            "since",
            "made unique",
            False,
        ),
        (
            Schema("contact", (BASE.fields[0], FieldDef("since", "date", label="Since"))),
            "since",
            "label changed from None to 'Since'",
            True,
        ),
    ],
)
def test_e10_compare_schemas_says_what_changed_and_whether_records_still_fit(
    new: Schema, field: str, what: str, compatible: bool
) -> None:
    """Foundation III item 5: the reasons a store gives for refusing an evolution."""
    (change,) = [c for c in compare_schemas(BASE, new) if c.field == field and what in c.what]
    assert change.compatible is compatible


def test_e10_loosening_a_field_is_compatible_and_order_does_not_count() -> None:
    strict = Schema("contact", (FieldDef("code", "string", required=True, unique=True),))
    loose = Schema("contact", (FieldDef("code", "string"),))
    assert {c.what: c.compatible for c in compare_schemas(strict, loose)} == {
        "no longer required": True,
        "no longer unique": True,
    }
    assert compare_schemas(BASE, Schema("contact", tuple(reversed(BASE.fields)))) == ()


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True))
def test_e10_a_schema_compared_with_itself_has_no_changes(names: list[str]) -> None:
    schema = Schema("contact", tuple(FieldDef(name, "string") for name in names))
    assert compare_schemas(schema, Schema.from_json(schema.to_json())) == ()
