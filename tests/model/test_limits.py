"""The model's limits, field by field: the limit is accepted, one past it is refused (A6).

Every text, number and moment a record holds is bounded by what every store keeps as
given: names up to ``MAX_NAME_LENGTH`` characters, ids and keys up to ``MAX_KEY_LENGTH``,
numbers up to ``MAX_DECIMAL_PLACES`` digits either side of the point, whole numbers in
64 bits, moments with a UTC form in years 1 to 9999, custom values nested at most
``MAX_NESTING`` levels and, without a schema, JSON. Each refusal is a ValidationError
naming the field and the value. Then the hints messy input is read with (a phone's
region, a postal code's country, a date's day-first order, a number's decimal mark),
and how a record shows itself: a short ``repr`` and an escaped HTML table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from custdb import open_store
from custdb.errors import ValidationError
from custdb.model import (
    Activity,
    ClientStats,
    Company,
    Contact,
    Deal,
    Lead,
    LineItem,
    Money,
    Order,
    OrderItem,
    Phone,
    PostalCode,
    Team,
    User,
)
from custdb.model._checks import MAX_KEY_LENGTH
from custdb.model.frozen import MAX_NESTING, FrozenMap
from custdb.model.schema import FieldDef, FieldType, Schema
from custdb.normalize import MAX_DECIMAL_PLACES, MAX_NAME_LENGTH, parse_date, parse_decimal

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 23, 12, tzinfo=UTC)
EUR = "EUR"


def _refused(make: Callable[[], object], field: str, value: object) -> ValidationError:
    """The ValidationError ``make`` raises, checked to name ``field`` and ``value``."""
    with pytest.raises(ValidationError) as caught:
        make()
    assert caught.value.field == field
    assert caught.value.value == value
    return caught.value


# --- names: up to MAX_NAME_LENGTH characters ------------------------------------------

_NAMES: list[tuple[type, str, dict[str, Any]]] = [
    (Contact, "first_name", {}),
    (Contact, "last_name", {}),
    (Contact, "middle_name", {}),
    (Lead, "first_name", {}),
    (Lead, "last_name", {}),
    (Lead, "company_name", {}),
    (Company, "name", {}),
    (User, "name", {}),
    (Team, "name", {}),
]
_NAME_IDS = [f"{cls.__name__}.{field}" for cls, field, _ in _NAMES]


def test_e1_the_name_limit_is_a_thousand_characters() -> None:
    assert MAX_NAME_LENGTH == 1_000


@pytest.mark.parametrize(("cls", "field", "others"), _NAMES, ids=_NAME_IDS)
def test_e1_a_name_of_the_limit_is_kept_and_one_more_character_is_refused(
    cls: type, field: str, others: dict[str, Any]
) -> None:
    longest = "Ж" * MAX_NAME_LENGTH  # characters, not bytes: 2,000 bytes in UTF-8
    assert getattr(cls(**others, **{field: longest}), field) == longest
    error = _refused(lambda: cls(**others, **{field: longest + "a"}), field, longest + "a")
    assert "1,001 characters long, more than the 1,000 allowed" in str(error)
    assert error.entity == cls.ENTITY  # type: ignore[attr-defined]


# --- ids and keys: up to MAX_KEY_LENGTH characters ------------------------------------

_KEYS: list[tuple[str, Callable[[str], object], str]] = [
    ("Contact.id", lambda key: Contact(id=key), "id"),
    ("Contact.brought_by_id", lambda key: Contact(brought_by_id=key), "brought_by_id"),
    ("Contact.owner_ids", lambda key: Contact(owner_ids=[key]), "owner_ids"),
    ("Deal.stage", lambda key: Deal(name="d", stage=key), "stage"),
    ("Deal.pipeline", lambda key: Deal(name="d", stage="s", pipeline=key), "pipeline"),
    (
        "Order.contact_id",
        lambda key: Order(contact_id=key, placed_at=NOW, currency=EUR),
        "contact_id",
    ),
    ("Lead.owner_id", lambda key: Lead(owner_id=key), "owner_id"),
    ("external id", lambda key: Contact(external_ids={"1c": key}), "external_ids"),
    ("external system", lambda key: Contact(external_ids={key: "1"}), "external_ids"),
    ("custom name", lambda key: Contact(custom={key: 1}), "custom"),
    ("Phone.extension", lambda key: Phone("+4791234567", extension=key), "extension"),
]


def test_e1_the_key_limit_is_two_hundred_characters() -> None:
    assert MAX_KEY_LENGTH == 200


@pytest.mark.parametrize(("make", "field"), [k[1:] for k in _KEYS], ids=[k[0] for k in _KEYS])
def test_e1_a_key_of_the_limit_is_kept_and_one_more_character_is_refused(
    make: Callable[[str], object], field: str
) -> None:
    longest = "k" * MAX_KEY_LENGTH
    make(longest)
    error = _refused(lambda: make(longest + "k"), field, longest + "k")
    assert "201 characters long, more than the 200 allowed" in str(error)


# --- text no store keeps: NUL and lone surrogates -------------------------------------

_TEXTS: list[tuple[str, Callable[[str], object], str]] = [
    ("name", lambda text: Contact(first_name=text), "first_name"),
    ("company name", lambda text: Company(name=text), "name"),
    ("free text", lambda text: Contact(notes=text), "notes"),
    ("key", lambda text: Contact(id=text), "id"),
    ("tag", lambda text: Contact(tags={text}), "tags"),
    ("custom value", lambda text: Contact(custom={"note": text}), "custom"),
    ("custom name", lambda text: Contact(custom={text: "x"}), "custom"),
    ("line item", lambda text: OrderItem(name=text, amount=Money(1, EUR)), "name"),
]


@pytest.mark.parametrize(("make", "field"), [t[1:] for t in _TEXTS], ids=[t[0] for t in _TEXTS])
@pytest.mark.parametrize(
    ("text", "reason"),
    [("Olga\x00", "NUL character"), ("Ol\ud800ga", "lone surrogate"), ("\udfff", "lone surrogate")],
    ids=["nul", "high-surrogate", "low-surrogate"],
)
def test_a6_nul_and_lone_surrogates_are_refused_in_every_kind_of_text(
    make: Callable[[str], object], field: str, text: str, reason: str
) -> None:
    error = _refused(lambda: make(text), field, text)
    assert reason in str(error)


def test_a6_text_next_to_the_refused_kinds_is_kept() -> None:
    """Control characters but NUL, and surrogate pairs made whole, are text."""
    kept = "Olga\tBerg\n\x01 \U0001f600 \u200b"
    assert Contact(first_name=kept, notes=kept, tags={kept}).first_name == kept


# --- whole numbers: 64 bits -----------------------------------------------------------

_LOW, _HIGH = -(2**63), 2**63 - 1
_INTEGERS: list[tuple[str, Callable[[int], object], str, bool]] = [
    (
        "Company.employee_count",
        lambda n: Company(name="c", employee_count=n),
        "employee_count",
        False,
    ),
    ("Lead.score", lambda n: Lead(score=n), "score", True),
    ("Entity.version", lambda n: Contact(version=n), "version", False),
    ("ClientStats.order_count", lambda n: ClientStats(order_count=n), "order_count", False),
    ("custom value", lambda n: Contact(custom={"n": n}), "custom", True),
    ("custom list item", lambda n: Contact(custom={"n": [1, n]}), "custom", True),
]


@pytest.mark.parametrize(
    ("make", "field", "signed"), [i[1:] for i in _INTEGERS], ids=[i[0] for i in _INTEGERS]
)
def test_a6_whole_numbers_fit_in_64_bits_as_every_store_keeps_them(
    make: Callable[[int], object], field: str, signed: bool
) -> None:
    make(_HIGH)
    error = _refused(lambda: make(_HIGH + 1), field, _HIGH + 1)
    assert "does not fit in 64 bits" in str(error)
    if signed:
        make(_LOW)
        _refused(lambda: make(_LOW - 1), field, _LOW - 1)


def test_e10_an_integer_custom_field_refuses_what_no_integer_column_holds() -> None:
    schema = Schema("contact", (FieldDef("visits", FieldType.INTEGER),))
    assert schema.validate({"visits": str(_HIGH)})["visits"] == _HIGH
    with pytest.raises(ValidationError) as caught:
        schema.validate({"visits": _HIGH + 1})
    assert (caught.value.field, caught.value.value) == ("visits", _HIGH + 1)
    assert "too large for an integer field" in str(caught.value)


# --- decimals: MAX_DECIMAL_PLACES digits before and after the point -------------------

_PLACES = MAX_DECIMAL_PLACES
_DECIMALS: list[tuple[str, Callable[[Decimal], object], str]] = [
    ("Money.amount", lambda d: Money(d, EUR), "amount"),
    (
        "OrderItem.quantity",
        lambda d: OrderItem(name="x", quantity=d, amount=Money(1, EUR)),
        "quantity",
    ),
    (
        "LineItem.quantity",
        lambda d: LineItem(name="x", quantity=d, unit_price=Money(1, EUR)),
        "quantity",
    ),
    ("ClientStats.total_spent", lambda d: ClientStats(total_spent=d), "total_spent"),
    ("custom value", lambda d: Contact(custom={"credit": d}), "custom"),
]


def test_e11_the_decimal_limit_is_five_thousand_digits_either_side() -> None:
    assert MAX_DECIMAL_PLACES == 5_000


@pytest.mark.parametrize(
    ("make", "field"), [d[1:] for d in _DECIMALS], ids=[d[0] for d in _DECIMALS]
)
def test_e11_decimals_keep_the_limit_of_digits_and_refuse_one_more(
    make: Callable[[Decimal], object], field: str
) -> None:
    largest = Decimal(10) ** (_PLACES - 1)  # 5,000 digits before the point
    finest = Decimal(1).scaleb(-_PLACES)  # 5,000 digits after it
    make(largest)
    make(finest)
    error = _refused(lambda: make(largest * 10), field, largest * 10)
    assert "more than 5,000 digits before the decimal point" in str(error)
    error = _refused(lambda: make(finest / 10), field, finest / 10)
    assert "more than 5,000 digits after the decimal point" in str(error)


def test_e11_a_probability_is_bounded_in_digits_as_any_decimal() -> None:
    finest = Decimal(1).scaleb(-_PLACES)
    assert Deal(name="d", stage="s", probability=finest).probability == finest
    _refused(lambda: Deal(name="d", stage="s", probability=finest / 10), "probability", finest / 10)


def test_e11_an_amount_given_as_an_int_or_as_text_is_bounded_alike() -> None:
    assert Money(10 ** (_PLACES - 1), EUR).amount == Decimal(10) ** (_PLACES - 1)
    _refused(lambda: Money(10**_PLACES, EUR), "amount", 10**_PLACES)
    text = "1" + "0" * _PLACES
    _refused(lambda: Money(text, EUR), "amount", text)


# --- moments: a UTC form in years 1 to 9999 -------------------------------------------

_WEST, _EAST = dt.timezone(dt.timedelta(hours=-12)), dt.timezone(dt.timedelta(hours=14))
_MOMENTS: list[tuple[str, Callable[[dt.datetime], object], str]] = [
    ("Activity.occurred_at", lambda m: Activity(kind="call", occurred_at=m), "occurred_at"),
    ("Order.placed_at", lambda m: Order(placed_at=m, currency=EUR), "placed_at"),
    ("Entity.created_at", lambda m: Contact(created_at=m), "created_at"),
    ("ClientStats.last_visit_at", lambda m: ClientStats(last_visit_at=m), "last_visit_at"),
    ("custom value", lambda m: Contact(custom={"seen": m}), "custom"),
]


@pytest.mark.parametrize(("make", "field"), [m[1:] for m in _MOMENTS], ids=[m[0] for m in _MOMENTS])
def test_a6_a_moment_past_9999_or_before_year_1_in_utc_is_refused_clearly(
    make: Callable[[dt.datetime], object], field: str
) -> None:
    """``datetime.max`` west of Greenwich is in year 10000 in UTC: no store keeps it."""
    make(dt.datetime(9999, 12, 31, 11, 59, 59, tzinfo=_WEST))  # 23:59:59 UTC, the last
    make(dt.datetime(1, 1, 1, 14, tzinfo=_EAST))  # midnight UTC, the first
    late = dt.datetime.max.replace(tzinfo=_WEST)
    error = _refused(lambda: make(late), field, late)
    assert "outside years 1 to 9999 once converted to UTC" in str(error)
    early = dt.datetime.min.replace(tzinfo=_EAST)
    _refused(lambda: make(early), field, early)


def test_a6_a_naive_moment_is_refused_naming_the_field() -> None:
    naive = dt.datetime(2026, 11, 23, 12)  # noqa: DTZ001 - naive on purpose: refused
    error = _refused(lambda: Activity(kind="call", occurred_at=naive), "occurred_at", naive)
    assert "naive" in str(error)


# --- custom values: nesting, and JSON without a schema --------------------------------


def _nested(levels: int, leaf: object = "x") -> object:
    """``leaf`` inside ``levels`` lists and maps, alternating."""
    value = leaf
    for level in range(levels):
        value = [value] if level % 2 else {"k": value}
    return value


def test_e10_the_nesting_limit_is_32_levels() -> None:
    assert MAX_NESTING == 32


def test_e10_a_custom_value_nested_to_the_limit_is_kept_and_one_more_level_refused() -> None:
    value = Contact(custom={"prefs": _nested(MAX_NESTING)}).custom["prefs"]
    for _ in range(MAX_NESTING):  # frozen all the way down: maps and tuples
        value = value["k"] if isinstance(value, FrozenMap) else value[0]
    assert value == "x"
    with pytest.raises(ValidationError, match="more than 32 levels deep"):
        Contact(custom={"prefs": _nested(MAX_NESTING + 1)})


def test_e10_a_custom_value_nested_thousands_deep_is_refused_not_a_recursion_error() -> None:
    with pytest.raises(ValidationError, match="more than 32 levels deep"):
        Contact(custom={"prefs": _nested(100_000)})


@pytest.mark.xfail(
    strict=True,
    reason="the converter that freezes custom values refuses the nesting before any "
    "validator runs, and a converter does not know its field",
)
def test_e10_the_nesting_refusal_names_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        Contact(custom={"prefs": _nested(MAX_NESTING + 1)})
    assert caught.value.field is not None


def _store_without_schema() -> Any:
    return open_store("memory://", clock=lambda: NOW)


def test_e10_json_custom_values_are_kept_by_a_store_without_a_schema() -> None:
    store = _store_without_schema()
    values = {"note": "VIP", "visits": 3, "share": 0.25, "ok": True, "none": None}
    values["nested"] = {"list": [1, "two", {"three": 3.0}]}
    with store.begin() as tx:
        added = tx.contacts.add(Contact(custom=values))
    with store.begin() as tx:
        assert tx.contacts.get(added.id).custom == Contact(custom=values).custom


@pytest.mark.parametrize(
    ("value", "odd"),
    [
        (Decimal("1.50"), Decimal("1.50")),
        (dt.date(2024, 5, 1), dt.date(2024, 5, 1)),
        (NOW, NOW),
        (Money(1, EUR), Money(1, EUR)),
        ({"inner": [1, {"deeper": dt.date(2024, 5, 1)}]}, dt.date(2024, 5, 1)),
        (frozenset({"a"}), frozenset({"a"})),
    ],
    ids=["decimal", "date", "datetime", "money", "nested-date", "set"],
)
def test_e10_without_a_schema_a_custom_value_must_be_json(value: object, odd: object) -> None:
    """A store without the schema gives a Decimal or a date back as text: refused, naming
    the property and the value that is not JSON, and telling how to keep it."""
    store = _store_without_schema()
    record = Contact(custom={"paid": value})
    with store.begin() as tx:
        error = _refused(lambda: tx.contacts.add(record), "custom.paid", odd)
    assert error.id == record.id
    assert "declare 'paid' in a Schema" in str(error)
    with store.begin() as tx:
        assert tx.contacts.count() == 0


# --- hints: region, country, day-first order, decimal mark ----------------------------


def test_e1_a_phone_region_places_a_number_written_without_a_country_code() -> None:
    assert Phone.parse("91234567", region="NO").e164 == "+4791234567"
    assert Phone.parse("91234567", region="DK").e164 == "+4591234567"
    assert Phone.parse("+47 912 34 567", region="DK").e164 == "+4791234567"  # + wins
    with pytest.raises(ValidationError, match="pass the region"):
        Phone.parse("91234567")


@pytest.mark.parametrize("region", ["XX", "Norway", "", 47, "N0"])
def test_e1_a_bad_phone_region_is_refused_naming_it(region: object) -> None:
    error = _refused(lambda: Phone.parse("91234567", region=region), "region", region)  # type: ignore[arg-type]
    assert "ISO 3166" in str(error)


def test_e1_a_postal_code_is_written_as_its_country_writes_it() -> None:
    assert str(PostalCode.parse("00950", "PL")) == "00-950"
    assert str(PostalCode.parse("00950", "ES")) == "00950"
    assert str(PostalCode.parse("sw1a1aa", " gb")) == "SW1A 1AA"
    with pytest.raises(ValidationError, match="not a postal code of RU"):
        PostalCode.parse("0150", "RU")


@pytest.mark.parametrize("country", ["Norway", "", "N0", None, 47])
def test_e1_a_bad_postal_code_country_is_refused_naming_it(country: object) -> None:
    with pytest.raises(ValidationError) as caught:
        PostalCode.parse("0150", country)  # type: ignore[arg-type]
    assert caught.value.field == "country"
    assert "ISO 3166" in str(caught.value)


@pytest.mark.parametrize("raw", [None, 150, b"0150"])
def test_e1_a_postal_code_that_is_not_text_is_refused(raw: object) -> None:
    _refused(lambda: PostalCode.parse(raw, "NO"), "value", raw)  # type: ignore[arg-type]


def test_e1_an_address_country_is_a_two_letter_code() -> None:
    assert Contact(country=" no").country == "NO"
    _refused(lambda: Contact(country="Norway"), "country", "Norway")


def test_a6_day_first_decides_how_a_numeric_date_reads() -> None:
    assert parse_date("01.02.2024", dayfirst=True) == dt.date(2024, 2, 1)
    assert parse_date("01.02.2024", dayfirst=False) == dt.date(2024, 1, 2)
    assert parse_date("2024-02-01", dayfirst=False) == dt.date(2024, 2, 1)  # ISO: no doubt
    with pytest.raises(ValidationError, match=r"month must be in 1\.\.12"):
        parse_date("13.02.2024", dayfirst=False)


@pytest.mark.parametrize("dayfirst", [None, "yes", "false", 1, 0])
def test_a6_a_day_first_hint_that_is_not_true_or_false_is_refused(dayfirst: object) -> None:
    """``dayfirst="false"`` is truthy: read as given, it would swap day and month."""
    error = _refused(lambda: parse_date("01.02.2024", dayfirst=dayfirst), "dayfirst", dayfirst)  # type: ignore[arg-type]
    assert "True or False" in str(error)


def test_e10_a_schema_reads_custom_values_with_the_hints_it_is_given() -> None:
    schema = Schema(
        "contact",
        (
            FieldDef("since", FieldType.DATE),
            FieldDef("mobile", FieldType.PHONE),
            FieldDef("credit", FieldType.DECIMAL),
        ),
    )
    raw = {"since": "01.02.2024", "mobile": "91234567", "credit": "1.234,50"}
    read = schema.validate(raw, region="NO", dayfirst=True, decimal_mark=",")
    assert read == {
        "since": dt.date(2024, 2, 1),
        "mobile": "+4791234567",
        "credit": Decimal("1234.50"),
    }
    us = schema.validate({"since": "01.02.2024", "credit": "1,234.50"}, dayfirst=False)
    assert us == {"since": dt.date(2024, 1, 2), "credit": Decimal("1234.50")}
    with pytest.raises(ValidationError, match="region code"):
        schema.validate(raw, region="Norway", decimal_mark=",")
    with pytest.raises(ValidationError, match="not a decimal mark"):
        schema.validate({"credit": "1,5"}, decimal_mark=";")


def test_e11_the_decimal_mark_decides_how_an_amount_reads() -> None:
    assert Money.parse("133 127,75", EUR, decimal_mark=",").amount == Decimal("133127.75")
    assert Money.parse("1,234.50", EUR).amount == Decimal("1234.50")
    with pytest.raises(ValidationError, match="decimal mark"):
        Money.parse("1.234,50", EUR)
    error = _refused(lambda: parse_decimal("1,5", decimal_mark=";"), "decimal_mark", ";")
    assert 'use "," or "."' in str(error)


# --- display: a short repr, an escaped HTML table -------------------------------------

_SECRET = "s3cr3t-token-do-not-log"  # noqa: S105 - a stand-in the repr must not show


def _busy_contact(**fields: Any) -> Contact:
    return Contact(
        first_name="<b>Olga</b> & Co",
        last_name="Петрова" * 100,
        notes=f"password: {_SECRET} " + "n" * 5_000,
        custom={"api_key": _SECRET},
        external_ids={"1c": _SECRET},
        tags={"<script>alert(1)</script>"},
        **fields,
    )


def test_a6_a_repr_is_one_short_line_of_the_summary_fields() -> None:
    record = _busy_contact(emails=["olga@example.com"])
    shown = repr(record)
    assert shown.startswith(f"<Contact id='{record.id}' full_name='<b>Olga</b> & Co")
    assert "\n" not in shown
    assert len(shown) < 150
    assert "...'" in shown  # the 700-character name is cut
    assert "email='olga@example.com'" in shown


def test_a6_a_repr_shows_no_notes_custom_values_or_external_ids() -> None:
    assert _SECRET not in repr(_busy_contact())
    for record in (
        Company(name="Fjord AS", custom={"api_key": _SECRET}, tax_id=_SECRET),
        Deal(name="d", stage="s", lost_reason=_SECRET),
        Lead(first_name="Ola", external_ids={"web": _SECRET}),
    ):
        assert _SECRET not in repr(record)


def test_a6_a_repr_of_huge_values_stays_short() -> None:
    deal = Deal(name="x" * MAX_NAME_LENGTH, stage="s", amount=Money(10 ** (_PLACES - 1), EUR))
    assert len(repr(deal)) < 200


def test_a6_the_html_table_is_escaped() -> None:
    page = _busy_contact(id="<id>&")._repr_html_()
    assert "<b>" not in page
    assert "<script>" not in page
    assert "&lt;b&gt;Olga&lt;/b&gt; &amp; Co" in page
    assert "&lt;script&gt;" in page
    assert "<caption>Contact &lt;id&gt;&amp;</caption>" in page


def test_a6_the_html_table_cuts_long_values() -> None:
    """Every cell is at most 200 characters, so a 5,000-character note stays a line."""
    page = _busy_contact()._repr_html_()
    assert "n" * 5_000 not in page
    assert len(page) < 3_000
    cells = [cell.split("</td>")[0] for cell in page.split("<td>")[1:]]
    assert cells
    assert all(len(cell) <= 200 * 6 for cell in cells)  # escaping at most sextuples a character
