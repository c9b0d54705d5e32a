"""custdb.normalize: the examples of D1 and I1, properties on any text, and the proof that
phone() and email() give the libraries' answers on every value of the benchmark."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from custdb import normalize
from custdb.errors import ValidationError

REGIONS = st.sampled_from([None, "RU", "US", "ES", "NO", "DE"])


def load_benchmark() -> ModuleType:
    """benchmarks/normalize.py, whose generators the equality proofs run over."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "normalize.py"
    spec = importlib.util.spec_from_file_location("benchmark_normalize", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_benchmark()


def read(call: Callable[..., object], *args: object) -> tuple[object, ValidationError | None]:
    """``(result, None)``, or ``(None, error)`` when the call refuses the input."""
    try:
        return call(*args), None
    except ValidationError as e:
        return None, e


def assert_refused(call: object, raw: object) -> ValidationError:
    """The call raises ValidationError carrying the raw value, shown in the message."""
    assert callable(call)
    with pytest.raises(ValidationError) as caught:
        call(raw)
    assert caught.value.value is raw
    assert repr(raw)[:40] in str(caught.value)
    return caught.value


# --- phones (D1) ---------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["8 (912) 345-67-89", "+7 912 345 67 89", "8-912-345-67-89"])
def test_d1_phone_russian_forms_with_region_ru(raw: str) -> None:
    assert normalize.phone(raw, region="RU") == "+79123456789"


def test_d1_phone_international_forms_need_no_region() -> None:
    assert normalize.phone("+7 912 345 67 89") == "+79123456789"
    assert normalize.phone("+1 (212) 555-0100") == "+12125550100"


@pytest.mark.parametrize("region", [None, "NO", "RU", "US"])
def test_d1_phone_00_is_the_international_prefix(region: str | None) -> None:
    assert normalize.phone("0047 22 12 34 56", region) == "+4722123456"


def test_d1_phone_without_region_does_not_guess_russia() -> None:
    error = assert_refused(normalize.phone, "8 (912) 345-67-89")
    assert "region" in str(error.hint)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+1 212 555 0100 ext. 12", ("+12125550100", "12")),
        ("+7 912 345 67 89 доб. 123", ("+79123456789", "123")),
        ("+1 212 555 0100 x12", ("+12125550100", "12")),
        ("+7 912 345 67 89", ("+79123456789", None)),
    ],
)
def test_d1_phone_parts_keep_the_extension_apart(
    raw: str, expected: tuple[str, str | None]
) -> None:
    assert normalize.phone_parts(raw) == expected
    assert normalize.phone(raw) == expected[0]


@pytest.mark.parametrize("raw", ["+7 912 345 67 8", "+1 000 555 0100", "12", "call me", ""])
def test_d1_phone_invalid_numbers_are_refused(raw: str) -> None:
    assert_refused(normalize.phone, raw)


def test_d1_phone_more_than_20_digits_is_refused() -> None:
    error = assert_refused(lambda raw: normalize.phone(raw, "RU"), "+7 912 345 67 89 123 456 789 0")
    assert "21 digits" in str(error)


@pytest.mark.parametrize("region", ["XX", "ru ", 7])
def test_d1_phone_unknown_region_is_refused(region: object) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize.phone("+7 912 345 67 89", region)  # type: ignore[arg-type]
    assert caught.value.field == "region"


def test_d1_phone_region_is_case_insensitive() -> None:
    assert normalize.phone("8 912 345 67 89", "ru") == "+79123456789"


@given(st.text(max_size=40), REGIONS)
@example("+7 912 345 67 89", None)
@example("8 (912) 345-67-89", "RU")
def test_d1_phone_reads_any_text_or_refuses_it_and_is_idempotent(
    raw: str, region: str | None
) -> None:
    e164, error = read(normalize.phone, raw, region)
    if error is not None:
        assert error.value == raw
    else:
        assert normalize.phone(e164, region) == e164 == normalize.phone(e164)


def test_d1_phone_equals_the_library_on_every_benchmark_value(bench: ModuleType) -> None:
    values = bench.phone_values()
    differing = [v for v in values if bench.ours_phone(*v) != bench.library_phone(*v)]
    assert differing == []
    assert len(values) == 100_000


# --- e-mails (D1) --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  John.Doe@Example.COM ", "John.Doe@example.com"),
        ("Info@Example.com", "info@example.com"),
        ("user@BÜCHER.de", "user@bücher.de"),
        ("user@xn--bcher-kva.de", "user@bücher.de"),
        ("юлия@почта.рф", "юлия@почта.рф"),
    ],
)
def test_d1_email_lower_cases_the_domain_and_handles_idna(raw: str, expected: str) -> None:
    assert normalize.email(raw) == expected


@pytest.mark.parametrize(
    "raw", ["a@b", "no-at.example.com", "a..b@example.com", "a@example.local", 'x"y@x.com', 5]
)
def test_d1_email_invalid_addresses_are_refused(raw: object) -> None:
    assert_refused(normalize.email, raw)


@given(st.text(max_size=40) | st.emails())
def test_d1_email_reads_any_text_or_refuses_it_and_is_idempotent(raw: str) -> None:
    address, error = read(normalize.email, raw)
    if error is not None:
        assert error.value == raw
    else:
        assert normalize.email(address) == address


def test_d1_email_equals_the_library_on_every_benchmark_value(bench: ModuleType) -> None:
    values = bench.email_values()
    differing = [v for v in values if bench.ours_email(v) != bench.library_email(v)]
    assert differing == []
    assert len(values) == 100_000


# --- names (D1) ----------------------------------------------------------------------


def test_d1_person_name_is_nfc_trimmed_and_collapsed() -> None:
    assert normalize.person_name("  Jose\u0301   María\tGarcía ") == "José María García"


def test_d1_person_key_yulia_variants_meet() -> None:
    keys = {normalize.person_key(first, "Петрова") for first in ("Юлия", "Yulia", "Iuliia")}
    keys |= {normalize.person_key(first, "Petrova") for first in ("Julia", "Julija", "YULIA")}
    assert keys == {"petrova|iulia"}


def test_d1_person_key_is_last_then_first_and_empty_parts_stay_empty() -> None:
    assert normalize.person_key("Ivan", "Petrov") == "petrov|ivan"
    assert normalize.person_key("", "Petrov") == "petrov|"
    assert normalize.person_key(None, None) == "|"


@pytest.mark.parametrize("call", [normalize.person_name, normalize.company_key])
def test_d1_name_that_is_not_text_is_refused(call: object) -> None:
    assert_refused(call, 42)


def test_d1_company_key_ibm_variants_meet() -> None:
    variants = ["IBM", "I.B.M", "I BM", "I-B-M", "IBM Corp.", "И-Б-М", "ibm"]
    assert {normalize.company_key(v) for v in variants} == {"ibm"}


def test_d1_company_key_romashka_meets_across_scripts_and_legal_forms() -> None:
    assert normalize.company_key("ООО «Ромашка»") == normalize.company_key("Romashka LLC")


_STORABLE = st.text(  # NUL and lone surrogates are refused, as by every normalizer
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=30
)


@given(_STORABLE, _STORABLE)
def test_d1_name_keys_read_any_text_and_are_idempotent(first: str, last: str) -> None:
    name = normalize.person_name(first)
    assert normalize.person_name(name) == name
    key_last, key_first = normalize.person_key(first, last).split("|")
    assert normalize.person_key(key_first, key_last) == f"{key_last}|{key_first}"
    key = normalize.company_key(first)
    assert normalize.company_key(key) == key
    assert key.isascii()
    assert " " not in key
    assert key == key.lower()


# --- dates (I1) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "dayfirst", "expected"),
    [
        ("2024-03-31", True, dt.date(2024, 3, 31)),
        ("2024-03-31T10:15:00+03:00", False, dt.date(2024, 3, 31)),
        ("20240331", True, dt.date(2024, 3, 31)),
        ("2024/03/31", False, dt.date(2024, 3, 31)),
        ("31.03.2024", True, dt.date(2024, 3, 31)),
        ("31/03/2024", True, dt.date(2024, 3, 31)),
        ("03/31/2024", False, dt.date(2024, 3, 31)),
        ("04/03/2024", True, dt.date(2024, 3, 4)),
        ("04/03/2024", False, dt.date(2024, 4, 3)),
        ("3 March 2024", True, dt.date(2024, 3, 3)),
        ("March 3rd, 2024", False, dt.date(2024, 3, 3)),
        ("Sunday, 3 March 2024", True, dt.date(2024, 3, 3)),
        ("5 марта 2024 г.", True, dt.date(2024, 3, 5)),
        ("3 de marzo de 2024", True, dt.date(2024, 3, 3)),
        ("3. mars 2024", True, dt.date(2024, 3, 3)),
        ("den 3. März 2024", True, dt.date(2024, 3, 3)),
        ("45382", True, dt.date(2024, 3, 31)),
        (45382, True, dt.date(2024, 3, 31)),
        (45382.75, True, dt.date(2024, 3, 31)),
        (dt.date(2024, 3, 31), True, dt.date(2024, 3, 31)),
        (dt.datetime(2024, 3, 31, 23, 59, tzinfo=dt.timezone.utc), True, dt.date(2024, 3, 31)),
    ],
)
def test_i1_parse_date_reads_the_explicit_forms(
    raw: object, dayfirst: bool, expected: dt.date
) -> None:
    assert normalize.parse_date(raw, dayfirst=dayfirst) == expected


@pytest.mark.parametrize(
    ("serial", "expected"),
    [(1, dt.date(1900, 1, 1)), (59, dt.date(1900, 2, 28)), (61, dt.date(1900, 3, 1))],
)
def test_i1_parse_date_excel_serials_skip_the_1900_leap_day_bug(
    serial: int, expected: dt.date
) -> None:
    assert normalize.parse_date(serial, dayfirst=True) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "31.02.1990",  # no such day: refused, not moved to March
        "31/03/2024",  # month 31 when the month comes first
        "31.03.24",  # two-digit year
        "March 2024",  # no day
        "3 March",  # no year
        "2024",  # a year is not a date
        60,  # Excel's 1900-02-29
        0,
        -5,
        3_000_000,
        float("nan"),
        True,
        "",
        "tomorrow",
        None,
    ],
)
def test_i1_parse_date_refuses_what_it_would_have_to_guess(raw: object) -> None:
    assert_refused(lambda value: normalize.parse_date(value, dayfirst=False), raw)


@given(st.dates())
def test_i1_parse_date_round_trips(day: dt.date) -> None:
    assert normalize.parse_date(day.isoformat(), dayfirst=False) == day
    dotted = f"{day.day:02}.{day.month:02}.{day.year:04}"
    assert normalize.parse_date(dotted, dayfirst=True) == day
    american = f"{day.month}/{day.day}/{day.year:04}"
    assert normalize.parse_date(american, dayfirst=False) == day


@given(st.text(max_size=30), st.booleans())
def test_i1_parse_date_reads_any_text_or_refuses_it(raw: str, dayfirst: bool) -> None:
    day, error = read(lambda: normalize.parse_date(raw, dayfirst=dayfirst))
    assert isinstance(day, dt.date) if error is None else error.value == raw


# --- numbers (I1) --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "mark", "expected"),
    [
        ("133 127,75", ",", Decimal("133127.75")),
        ("133\u00a0127,75", ",", Decimal("133127.75")),
        ("133\u202f127,75", ",", Decimal("133127.75")),
        ("1.234,50", ",", Decimal("1234.50")),
        ("1,234.50", ".", Decimal("1234.50")),
        ("1,234", ".", Decimal(1234)),
        ("1,234", ",", Decimal("1.234")),
        ("-1 234,5", ",", Decimal("-1234.5")),
        ("−5", ".", Decimal(-5)),
        ("(1,234.50)", ".", Decimal("-1234.50")),
        ("+7", ".", Decimal(7)),
        (" 42 ", ".", Decimal(42)),
        (1234, ",", Decimal(1234)),
        (Decimal("1.50"), ",", Decimal("1.50")),
        (0.1, ".", Decimal("0.1")),
    ],
)
def test_i1_parse_decimal_reads_both_decimal_marks(
    raw: object, mark: str, expected: Decimal
) -> None:
    parsed = normalize.parse_decimal(raw, decimal_mark=mark)
    assert parsed == expected
    assert str(parsed) == str(expected)


@pytest.mark.parametrize(
    ("raw", "mark"),
    [
        ("1,2,3", "."),  # groups not of three
        ("1.234,5.6", ","),  # two decimal marks
        ("12.34", ","),  # a group of two after a thousands dot
        ("1 23 456", ","),
        ("1,234 567.8", "."),  # mixed separators
        ("$5", "."),  # currency symbols are refused, not dropped
        ("5 ₽", ","),
        ("1e5", "."),
        ("", "."),
        ("5,", ","),
        ("--5", "."),
        (True, "."),
        (Decimal("NaN"), "."),
        (float("inf"), "."),
        (None, "."),
    ],
)
def test_i1_parse_decimal_refuses_ambiguous_or_malformed_numbers(raw: object, mark: str) -> None:
    assert_refused(lambda value: normalize.parse_decimal(value, decimal_mark=mark), raw)


def test_i1_parse_decimal_needs_a_known_decimal_mark() -> None:
    with pytest.raises(ValidationError) as caught:
        normalize.parse_decimal("1", decimal_mark=";")
    assert caught.value.field == "decimal_mark"


@given(st.decimals(allow_nan=False, allow_infinity=False), st.sampled_from([",", "."]))
def test_i1_parse_decimal_round_trips_grouped_text(number: Decimal, mark: str) -> None:
    text = format(number, ",f")
    if mark == ",":
        text = text.replace(",", " ").replace(".", ",")
    assert normalize.parse_decimal(text, decimal_mark=mark) == number


@given(st.text(max_size=20), st.sampled_from([",", "."]))
def test_i1_parse_decimal_reads_any_text_or_refuses_it(raw: str, mark: str) -> None:
    number, error = read(lambda: normalize.parse_decimal(raw, decimal_mark=mark))
    assert isinstance(number, Decimal) if error is None else error.value == raw
