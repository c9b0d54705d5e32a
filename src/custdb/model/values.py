"""Value objects: e-mail addresses, phone numbers, money, postal codes, addresses.

Each class checks only cheap structure in ``__init__``, because stores build a hundred
thousand of them from rows that were cleaned on the way in. Messy input (a phone as
typed, an amount with a comma decimal mark) goes through the named constructor:
``Phone.parse``, ``Email.parse``, ``Money.parse``, ``PostalCode.parse``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from custdb import normalize
from custdb.errors import ValidationError
from custdb.model._checks import (
    MAX_KEY_LENGTH,
    check_country,
    check_optional_text,
    fail,
    text,
    to_country,
)
from custdb.model._slots import pickled_by_fields
from custdb.model.frozen import to_tuple
from custdb.normalize.numbers import MAX_DECIMAL_PLACES, decimal_fault

__all__ = [
    "CURRENCIES",
    "Address",
    "Email",
    "Money",
    "Phone",
    "PostalCode",
    "Reachable",
    "check_currency",
    "check_number",
    "check_optional_number",
    "to_currency",
    "to_decimal",
    "to_email",
    "to_emails",
    "to_number",
    "to_phone",
    "to_phones",
]

_CURRENCY_TABLE = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD
    BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP
    DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS
    INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD
    MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR
    PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS
    SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW
    UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS
    XUA XXX YER ZAR ZMW ZWG ZWL
"""
CURRENCIES: frozenset[str] = frozenset(_CURRENCY_TABLE.split())
"""ISO 4217 codes, current ones and a few recently replaced (HRK, SLL, ZWL) that old
records still carry."""


# --- e-mail and phone -------------------------------------------------------------------


def _check_address(instance: Email, attribute: attrs.Attribute[str], value: object) -> None:
    address = value if isinstance(value, str) else ""
    local, at, domain = address.rpartition("@")
    if not (at and local and domain) or len(address) > 254 or address.split() != [address]:
        raise fail(
            instance,
            attribute,
            value,
            "not an e-mail address",
            "give name@domain; clean typed input with Email.parse(raw)",
        )
    check_optional_text(instance, attribute, address)


@pickled_by_fields
@attrs.frozen
class Email:
    """An e-mail address, already normalized; ``Email.parse`` normalizes raw input."""

    address: str = attrs.field(validator=_check_address)
    label: str | None = attrs.field(default=None, validator=check_optional_text)

    @classmethod
    def parse(cls, raw: str, label: str | None = None) -> Email:
        """Normalize ``raw`` (case, IDNA, spaces) and check it; raise ValidationError."""
        return cls(normalize.email(raw), label)

    def __str__(self) -> str:
        return self.address


def _check_e164(instance: Phone, attribute: attrs.Attribute[str], value: object) -> None:
    digits = value[1:] if isinstance(value, str) and value.startswith("+") else ""
    if not (digits.isascii() and digits.isdigit() and 6 <= len(digits) <= 15):
        raise fail(
            instance,
            attribute,
            value,
            "not an E.164 phone number",
            "give + and 6 to 15 digits; parse typed numbers with Phone.parse(raw, region=...)",
        )


@pickled_by_fields
@attrs.frozen
class Phone:
    """A phone number in E.164 form (``+4791234567``), with its extension if any."""

    e164: str = attrs.field(validator=_check_e164)
    extension: str | None = attrs.field(default=None, validator=text(max_length=MAX_KEY_LENGTH))
    label: str | None = attrs.field(default=None, validator=check_optional_text)

    @classmethod
    def parse(cls, raw: str, region: str | None = None, label: str | None = None) -> Phone:
        """Parse a number as typed; ``region`` (``"RU"``) places numbers without ``+``."""
        e164, extension = normalize.phone_parts(raw, region)
        return cls(e164, extension, label)

    def __str__(self) -> str:
        return f"{self.e164} ext. {self.extension}" if self.extension else self.e164


# --- money ------------------------------------------------------------------------------


def to_decimal(value: Decimal | str | float) -> Decimal:
    """Converter: an exact ``Decimal`` from an int, a plain numeric string or a float.

    A float goes through its shortest repr, so ``0.1`` becomes ``Decimal("0.1")`` and not
    the binary approximation. Comma decimals and spaces are ``Money.parse``'s business.
    Numbers are bounded as every store keeps them (``normalize.MAX_DECIMAL_PLACES``),
    and measured before they are converted, so no input makes this slow.
    """
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool) or not isinstance(value, (int, str, float)):
        raise ValidationError(f"expected a number, got {type(value).__name__}", value=value)
    else:
        _refuse_oversized(value)
        try:
            result = Decimal(repr(value) if isinstance(value, float) else value)
        except InvalidOperation:
            raise ValidationError(
                "not a number", value=value, hint="parse formatted amounts with Money.parse"
            ) from None
    if not result.is_finite():
        raise ValidationError("a number must be finite", value=value)
    fault = decimal_fault(result)
    if fault is not None:
        raise ValidationError(fault[0], value=value, hint=fault[1])
    return result


def _refuse_oversized(value: str | float) -> None:
    """Refuse an int or a text too long to be a number a store keeps, before converting."""
    fault = decimal_fault(value) if isinstance(value, int) else None
    if isinstance(value, str) and len(value) > _MAX_NUMBER_TEXT:
        fault = (f"is {len(value):,} characters long, too long for a number", _LIMIT_HINT)
    if fault is not None:
        raise ValidationError(fault[0], value=value, hint=fault[1])


_MAX_NUMBER_TEXT = 2 * MAX_DECIMAL_PLACES + 20  # digits both sides, a sign, an exponent
_LIMIT_HINT = f"numbers keep at most {MAX_DECIMAL_PLACES:,} digits before and after the point"


def to_number(value: Any) -> Any:
    """Converter of a Decimal field: :func:`to_decimal` where it succeeds; anything else
    is left as given, for :func:`check_number` to report with the field's name."""
    try:
        return to_decimal(value)
    except ValidationError:
        return value


def check_number(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator of a Decimal field: a finite number every store keeps exactly."""
    if isinstance(value, Decimal) and value.is_finite() and decimal_fault(value) is None:
        return
    try:
        to_decimal(value)  # type: ignore[arg-type]  # says why it was left unconverted
    except ValidationError as error:
        hint = error.hint or "give a Decimal, an int or a numeric string such as '12.50'"
        raise fail(instance, attribute, value, error.reason, hint) from None
    raise fail(instance, attribute, value, "is not a Decimal", "give a Decimal")


def check_optional_number(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator of an optional Decimal field: None, or what :func:`check_number` takes."""
    if value is not None:
        check_number(instance, attribute, value)


def to_currency(value: str) -> str:
    """Converter: a currency code trimmed and upper-cased (``"eur "`` -> ``"EUR"``);
    anything else is left as given, for :func:`check_currency` to quote."""
    if isinstance(value, str):
        code = value.strip()
        if len(code) == 3 and code.isascii() and code.isalpha():
            return code.upper()
    return value


def check_currency(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    """Validator: an ISO 4217 code from :data:`CURRENCIES`."""
    if not isinstance(value, str) or value not in CURRENCIES:
        raise fail(
            instance,
            attribute,
            value,
            "not an ISO 4217 currency code",
            "give a three-letter code such as EUR, NOK, RUB, CNY",
        )


@pickled_by_fields
@attrs.frozen
class Money:
    """An exact amount in one currency (E11).

    Adding, subtracting and comparing amounts in different currencies raises
    ValidationError: convert to a base currency first. Multiplying by a number scales.
    """

    amount: Decimal = attrs.field(converter=to_number, validator=check_number)
    currency: str = attrs.field(converter=to_currency, validator=check_currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def parse(cls, raw: str | Decimal | int, currency: str, *, decimal_mark: str = ".") -> Money:
        """An amount as written (``"133 127,75"`` with ``decimal_mark=","``)."""
        if isinstance(raw, str):
            return cls(normalize.parse_decimal(raw, decimal_mark=decimal_mark), currency)
        return cls(raw, currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValidationError(
                f"cannot combine {self.currency} with {other.currency}",
                value=other,
                hint="convert both amounts to one currency first",
            )

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __radd__(self, other: object) -> Money:
        """``sum(amounts)`` starts from 0; accept that 0 and nothing else."""
        if isinstance(other, int) and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: object) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, (int, Decimal)):
            return NotImplemented
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def _difference(self, other: object) -> Decimal:
        """``self - other`` as a number, for ordering; refuses mixed currencies."""
        if not isinstance(other, Money):
            raise TypeError(f"cannot compare Money with {type(other).__name__}")
        self._same_currency(other)
        return self.amount - other.amount

    def __lt__(self, other: Money) -> bool:
        return self._difference(other) < 0

    def __le__(self, other: Money) -> bool:
        return self._difference(other) <= 0

    def __gt__(self, other: Money) -> bool:
        return self._difference(other) > 0

    def __ge__(self, other: Money) -> bool:
        return self._difference(other) >= 0


# --- postal codes and addresses ---------------------------------------------------------

_POSTAL_FORMS: dict[str, tuple[re.Pattern[str], str]] = {
    "RU": (re.compile(r"(\d{6})"), r"\1"),
    "NO": (re.compile(r"(\d{4})"), r"\1"),
    "ES": (re.compile(r"(\d{5})"), r"\1"),
    "DE": (re.compile(r"(\d{5})"), r"\1"),
    "US": (re.compile(r"(\d{5})(?:-?(\d{4}))?"), r"\1-\2"),
    "PL": (re.compile(r"(\d{2})-?(\d{3})"), r"\1-\2"),
    "GB": (re.compile(r"([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})"), r"\1 \2"),
}
_POSTAL_EXAMPLES = {
    "RU": "101000",
    "NO": "0150",
    "ES": "28013",
    "DE": "10115",
    "US": "94105 or 94105-1804",
    "PL": "00-950",
    "GB": "SW1A 1AA",
}


def _check_postal_value(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise fail(instance, attribute, value, "cannot be empty", "leave Address.postal_code None")
    check_optional_text(instance, attribute, value)


def _check_parts_are_text(raw: object, country: object) -> None:
    """``PostalCode.parse`` reads text: anything else is refused naming the part."""
    for part, value in (("value", raw), ("country", country)):
        if not isinstance(value, str):
            raise ValidationError(
                "is not text",
                entity="postal_code",
                field=part,
                value=value,
                hint='give the code and its ISO 3166 country: PostalCode.parse("0150", "NO")',
            )


@pickled_by_fields
@attrs.frozen
class PostalCode:
    """A postal code in its country's written form; ``parse`` knows RU NO ES DE US PL GB."""

    value: str = attrs.field(validator=_check_postal_value)
    country: str = attrs.field(converter=to_country, validator=check_country)

    @classmethod
    def parse(cls, raw: str, country: str) -> PostalCode:
        """``"sw1a1aa", "GB"`` -> ``SW1A 1AA``; other countries: trimmed, upper-case."""
        _check_parts_are_text(raw, country)
        country = country.strip().upper()
        text = " ".join(raw.split()).upper()
        form = _POSTAL_FORMS.get(country)
        if form is None:
            return cls(text, country)
        pattern, template = form
        match = pattern.fullmatch(text)
        if match is None:
            raise ValidationError(
                f"not a postal code of {country}",
                entity="postal_code",
                value=raw,
                hint=f"write it like {_POSTAL_EXAMPLES[country]}",
            )
        return cls(match.expand(template).rstrip("-"), country)

    def __str__(self) -> str:
        return self.value


@pickled_by_fields
@attrs.frozen
class Address:
    """A postal address; every part is optional because real records lack some."""

    street: str | None = attrs.field(default=None, validator=check_optional_text)
    city: str | None = attrs.field(default=None, validator=check_optional_text)
    region: str | None = attrs.field(default=None, validator=check_optional_text)
    postal_code: PostalCode | None = None
    country: str | None = attrs.field(default=None, converter=to_country, validator=check_country)

    def __str__(self) -> str:
        """The parts that are known, comma-separated: ``Tverskaya 1, Moscow, 125009, RU``."""
        parts = (self.street, self.city, self.region, self.postal_code, self.country)
        return ", ".join(str(part) for part in parts if part)


# --- converters for fields that hold these values ---------------------------------------


def to_emails(values: Iterable[Email | str]) -> tuple[Email, ...]:
    """Converter: addresses as ``Email`` (a clean string is wrapped, not re-parsed)."""
    if isinstance(values, tuple) and all(isinstance(item, Email) for item in values):
        return values
    return tuple(item if isinstance(item, Email) else Email(item) for item in to_tuple(values))


def to_phones(values: Iterable[Phone | str]) -> tuple[Phone, ...]:
    """Converter: numbers as ``Phone``; a string must already be E.164."""
    if isinstance(values, tuple) and all(isinstance(item, Phone) for item in values):
        return values
    return tuple(item if isinstance(item, Phone) else Phone(item) for item in to_tuple(values))


def to_email(value: Email | str | None) -> Email | None:
    """Converter for a single optional address."""
    return Email(value) if isinstance(value, str) else value


def to_phone(value: Phone | str | None) -> Phone | None:
    """Converter for a single optional number (E.164 string or ``Phone``)."""
    return Phone(value) if isinstance(value, str) else value


class Reachable:
    """The main e-mail and phone of a record that keeps several (a contact, a company):
    the first of each. Derived, so a filter on ``email`` or ``phone`` means the main one.
    """

    __slots__ = ()

    emails: tuple[Email, ...]
    phones: tuple[Phone, ...]

    @property
    def email(self) -> str | None:
        """The first (main) e-mail address, or None."""
        return self.emails[0].address if self.emails else None

    @property
    def phone(self) -> str | None:
        """The first (main) phone number in E.164, or None."""
        return self.phones[0].e164 if self.phones else None
