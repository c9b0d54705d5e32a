"""Value objects: Email, Phone, Money (E11), PostalCode, Address."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custdb.errors import ValidationError
from custdb.model import Address, Email, Money, Phone, PostalCode
from custdb.model.values import to_decimal, to_email, to_emails, to_phone, to_phones

amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False)


# --- Email ------------------------------------------------------------------------------


def test_an_email_is_its_address() -> None:
    email = Email("anna@example.no", label="work")
    assert str(email) == "anna@example.no"
    assert email.label == "work"


@pytest.mark.parametrize("raw", ["anna", "@example.no", "anna@", "an na@example.no", " a@b.no", ""])
def test_email_init_checks_only_cheap_structure(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Email(raw)
    assert caught.value.entity == "email"
    assert caught.value.field == "address"
    assert "Email.parse" in str(caught.value)


def test_email_parse_normalizes_messy_input() -> None:
    email = Email.parse("  anna@EXAMPLE.no ", label="home")
    assert email == Email("anna@example.no", "home")


def test_email_parse_refuses_what_is_not_an_address() -> None:
    with pytest.raises(ValidationError):
        Email.parse("not an address")


# --- Phone ------------------------------------------------------------------------------


def test_a_phone_prints_as_e164_with_its_extension() -> None:
    assert str(Phone("+4791234567")) == "+4791234567"
    assert str(Phone("+4722334455", extension="12")) == "+4722334455 ext. 12"


@pytest.mark.parametrize("raw", ["4791234567", "+47 912 34 567", "+47", "+١٢٣٤٥٦٧٨", "8 (912) 345"])
def test_phone_init_wants_e164(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Phone(raw)
    assert (caught.value.entity, caught.value.field) == ("phone", "e164")
    assert "Phone.parse" in str(caught.value)


def test_phone_parse_places_a_local_number_by_region() -> None:
    assert Phone.parse("8 (912) 345-67-89", region="RU") == Phone("+79123456789")
    assert Phone.parse("+47 912 34 567", label="mobile").label == "mobile"


def test_phone_parse_refuses_what_is_not_a_number() -> None:
    with pytest.raises(ValidationError):
        Phone.parse("call me", region="NO")


def test_single_and_many_converters_wrap_clean_strings() -> None:
    assert to_emails(["a@b.no", Email("c@d.no")]) == (Email("a@b.no"), Email("c@d.no"))
    assert to_phones(["+4791234567"]) == (Phone("+4791234567"),)
    assert to_email("a@b.no") == Email("a@b.no")
    assert to_email(None) is None
    assert to_phone("+4791234567") == Phone("+4791234567")
    assert to_phone(None) is None
    kept = (Email("a@b.no"),)
    assert to_emails(kept) is kept


# --- Money (E11) ------------------------------------------------------------------------


def test_e11_money_is_an_exact_amount_and_a_currency() -> None:
    price = Money("19.90", "nok")
    assert price.amount == Decimal("19.90")
    assert price.currency == "NOK"
    assert str(price) == "19.90 NOK"
    assert Money.zero("EUR") == Money(0, "EUR")
    assert Money(0.1, "EUR").amount == Decimal("0.1")


def test_e11_money_parses_amounts_as_written() -> None:
    assert Money.parse("133 127,75", "RUB", decimal_mark=",") == Money("133127.75", "RUB")
    assert Money.parse("1,234.50", "USD") == Money("1234.50", "USD")
    assert Money.parse(Decimal(5), "EUR") == Money(5, "EUR")


@pytest.mark.parametrize("code", ["EU", "EURO", "XYZ", ""])
def test_e11_money_refuses_an_unknown_currency(code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Money(1, code)
    assert (caught.value.entity, caught.value.field) == ("money", "currency")


@pytest.mark.parametrize("amount", ["abc", "NaN", "Infinity", True, None, [1]])
def test_e11_money_refuses_what_is_not_a_finite_number(amount: object) -> None:
    with pytest.raises(ValidationError):
        Money(amount, "EUR")  # type: ignore[arg-type]


def test_e11_money_refuses_a_currency_that_is_not_text() -> None:
    with pytest.raises(ValidationError):
        Money(1, 978)  # type: ignore[arg-type]


def test_e11_money_adds_and_compares_within_one_currency() -> None:
    a, b = Money("10.50", "EUR"), Money("2.25", "EUR")
    assert a + b == Money("12.75", "EUR")
    assert a - b == Money("8.25", "EUR")
    assert -b == Money("-2.25", "EUR")
    assert a * 2 == 2 * a == Money("21.00", "EUR")
    assert a * Decimal("0.5") == Money("5.25", "EUR")
    assert sum([a, b]) == Money("12.75", "EUR")
    assert b < a
    assert b <= a
    assert a > b
    assert a >= Money("10.50", "EUR")
    assert max(a, b) == a


def test_e11_money_refuses_to_mix_currencies() -> None:
    euros, roubles = Money(1, "EUR"), Money(1, "RUB")
    with pytest.raises(ValidationError, match="cannot combine EUR with RUB"):
        euros + roubles
    with pytest.raises(ValidationError):
        euros - roubles
    with pytest.raises(ValidationError):
        euros < roubles  # noqa: B015


def test_e11_money_arithmetic_with_other_types_is_a_type_error() -> None:
    euros = Money(1, "EUR")
    with pytest.raises(TypeError):
        euros + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        1 + euros  # type: ignore[operator]
    with pytest.raises(TypeError):
        euros - 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        euros * 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        euros * True  # type: ignore[operator]
    with pytest.raises(TypeError):
        euros < 1  # type: ignore[operator]  # noqa: B015


def test_e11_equal_amounts_are_equal_whatever_their_scale() -> None:
    assert Money("1.5", "EUR") == Money("1.50", "EUR")
    assert hash(Money("1.5", "EUR")) == hash(Money("1.50", "EUR"))
    assert Money("1.5", "EUR") != Money("1.5", "USD")


@given(amounts, amounts, amounts)
def test_e11_money_addition_is_exact(a: Decimal, b: Decimal, c: Decimal) -> None:
    x, y, z = Money(a, "NOK"), Money(b, "NOK"), Money(c, "NOK")
    assert x + y == y + x
    assert (x + y) + z == x + (y + z)
    assert x + y - y == x
    assert x + Money.zero("NOK") == x
    assert (x + y).amount == a + b


@given(amounts, st.integers(min_value=-1000, max_value=1000))
def test_e11_money_scaling_distributes(a: Decimal, factor: int) -> None:
    x = Money(a, "SEK")
    assert (x + x) * factor == x * factor + x * factor
    assert (x * factor < x * (factor + 1)) == (a > 0)


def test_to_decimal_keeps_decimals_and_reads_numbers() -> None:
    kept = Decimal("2.50")
    assert to_decimal(kept) is kept
    assert to_decimal(3) == Decimal(3)
    assert to_decimal("4.10") == Decimal("4.10")


# --- PostalCode and Address -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        (" 101000 ", "RU", "101000"),
        ("0150", "no", "0150"),
        ("28013", "ES", "28013"),
        ("10115", "DE", "10115"),
        ("94105", "US", "94105"),
        ("941051804", "US", "94105-1804"),
        ("94105-1804", "US", "94105-1804"),
        ("00950", "PL", "00-950"),
        ("00-950", "PL", "00-950"),
        ("sw1a1aa", "GB", "SW1A 1AA"),
        ("M1 1AE", "GB", "M1 1AE"),
        (" 100 600 ", "CN", "100 600"),
        ("h3z 2y7", "CA", "H3Z 2Y7"),
    ],
)
def test_postal_codes_parse_to_their_country_form(raw: str, country: str, expected: str) -> None:
    code = PostalCode.parse(raw, country)
    assert code == PostalCode(expected, country.upper())
    assert str(code) == expected


@pytest.mark.parametrize(("raw", "country"), [("1010", "RU"), ("01500", "NO"), ("ABC", "GB")])
def test_postal_codes_of_the_wrong_form_are_refused(raw: str, country: str) -> None:
    with pytest.raises(ValidationError, match=f"not a postal code of {country}") as caught:
        PostalCode.parse(raw, country)
    assert "write it like" in str(caught.value)


def test_a_postal_code_needs_a_value_and_a_country() -> None:
    with pytest.raises(ValidationError):
        PostalCode(" ", "NO")
    with pytest.raises(ValidationError) as caught:
        PostalCode("0150", "Norway")
    assert caught.value.field == "country"


def test_an_address_has_every_part_optional() -> None:
    assert Address() == Address(None, None, None, None, None)
    address = Address(city="Madrid", postal_code=PostalCode("28013", "ES"), country=" es")
    assert address.country == "ES"
    with pytest.raises(ValidationError) as caught:
        Address(country="España")
    assert (caught.value.entity, caught.value.field) == ("address", "country")
