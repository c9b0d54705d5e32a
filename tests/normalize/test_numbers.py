"""Bounds on numbers and dates from untrusted input: a ValidationError that states the
limit, in linear time, never a raw ValueError or OverflowError (I1; Foundation III
item 14)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from custdb import normalize
from custdb.errors import ValidationError

HUGE = 10**5_000  # more than the 4,300 digits Python turns into text


@pytest.mark.parametrize(
    "call",
    [
        normalize.phone,
        normalize.email,
        normalize.person_name,
        lambda raw: normalize.parse_decimal(raw, decimal_mark="."),
        lambda raw: normalize.parse_date(raw, dayfirst=True),
    ],
)
def test_i1_an_integer_of_5000_digits_is_a_validation_error(call: object) -> None:
    """Foundation III item 14: the error message no longer fails to show the value
    (``Exceeds the limit (4300 digits)``); it shows its size."""
    assert callable(call)
    with pytest.raises(ValidationError) as caught:
        call(HUGE)
    assert caught.value.value is HUGE
    assert "5,001 digits" in str(caught.value)


@pytest.mark.parametrize("serial", [10**400, -(10**400), 10**20])
def test_i1_a_huge_excel_serial_is_a_validation_error(serial: int) -> None:
    """Foundation III item 14: ``parse_date(10**400)`` overflowed to float."""
    with pytest.raises(ValidationError, match="Excel serials run from 1 to 2958465"):
        normalize.parse_date(serial, dayfirst=True)


def test_i1_a_date_text_is_bounded() -> None:
    """Foundation III item 14: a date is a short text; a megabyte is refused at once."""
    with pytest.raises(ValidationError, match="100 allowed for a date"):
        normalize.parse_date("1" * 1_000_000, dayfirst=True)


LIMIT = normalize.MAX_DECIMAL_PLACES


@pytest.mark.parametrize(
    "raw",
    [
        "1" * LIMIT,
        "0," + "1" * LIMIT,
        Decimal(f"1e{LIMIT - 1}"),
        Decimal(f"-1e-{LIMIT}"),
        10 ** (LIMIT - 1),
    ],
    ids=["digits", "places", "exponent", "negative-exponent", "int"],
)
def test_i1_numbers_up_to_the_limit_are_read_exactly(raw: object) -> None:
    """Foundation III item 14: the bound is what every store keeps (5,000 digits before
    and after the point), and everything within it is read."""
    number = normalize.parse_decimal(raw, decimal_mark=",")
    expected = Decimal(raw.replace(",", ".")) if isinstance(raw, str) else Decimal(raw)
    assert number == expected


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        ("1" * (LIMIT + 1), "before"),
        ("0," + "1" * (LIMIT + 1), "after"),
        (Decimal(f"1e{LIMIT}"), "before"),
        (Decimal("1e6000"), "before"),
        (Decimal(f"1e-{LIMIT + 1}"), "after"),
        (10**LIMIT, "before"),
    ],
    ids=["digits", "places", "exponent", "1e6000", "negative-exponent", "int"],
)
def test_i1_numbers_beyond_the_limit_say_the_limit(raw: object, where: str) -> None:
    """Foundation III item 14: refused with the limit, not a driver's error later."""
    with pytest.raises(ValidationError) as caught:
        normalize.parse_decimal(raw, decimal_mark=",")
    assert f"more than {LIMIT:,} digits {where} the decimal point" in caught.value.reason
    assert caught.value.hint is not None
    assert f"{LIMIT:,}" in caught.value.hint


def test_i1_a_megabyte_number_is_refused_in_linear_time() -> None:
    """Foundation III item 14: the text is measured before it is parsed."""
    started = time.process_time()  # CPU: a loaded machine does not fail it
    with pytest.raises(ValidationError, match="characters long"):
        normalize.parse_decimal("1" * 1_000_000, decimal_mark=".")
    with pytest.raises(ValidationError, match="digits"):
        normalize.parse_decimal(10**1_000_000, decimal_mark=".")
    assert time.process_time() - started < 5  # the unbounded parse took over a minute
