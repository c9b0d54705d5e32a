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

import attrs

from custdb import normalize
from custdb.errors import ValidationError
from custdb.model._checks import check_country, fail, to_country
from custdb.model.frozen import to_tuple

__all__ = [
    "CURRENCIES",
    "Address",
    "Email",
    "Money",
    "Phone",
    "PostalCode",
    "Reachable",
    "check_currency",
    "to_currency",
    "to_decimal",
    "to_email",
    "to_emails",
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
    text = value if isinstance(value, str) else ""
    local, at, domain = text.rpartition("@")
    if not (at and local and domain) or len(text) > 254 or text.split() != [text]:
        raise fail(
            instance,
            attribute,
            value,
            "not an e-mail address",
            "give name@domain; clean typed input with Email.parse(raw)",
        )


@attrs.frozen
class Email:
    """An e-mail address, already normalized; ``Email.parse`` normalizes raw input."""

    address: str = attrs.field(validator=_check_address)
    label: str | None = None

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


@attrs.frozen
class Phone:
    """A phone number in E.164 form (``+4791234567``), with its extension if any."""

    e164: str = attrs.field(validator=_check_e164)
    extension: str | None = None
    label: str | None = None

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
    """
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool) or not isinstance(value, (int, str, float)):
        raise ValidationError(f"expected a number, got {type(value).__name__}", value=value)
    else:
        try:
            result = Decimal(repr(value) if isinstance(value, float) else value)
        except InvalidOperation:
            raise ValidationError(
                "not a number", value=value, hint="parse formatted amounts with Money.parse"
            ) from None
    if not result.is_finite():
        raise ValidationError("a number must be finite", value=value)
    return result


def to_currency(value: str) -> str:
    """Converter: a currency code trimmed and upper-cased (``"eur "`` -> ``"EUR"``)."""
    try:
        return value.strip().upper()
    except AttributeError:  # not a string: check_currency reports it
        return value


def check_currency(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    """Validator: an ISO 4217 code from :data:`CURRENCIES`."""
    if value not in CURRENCIES:
        raise fail(
            instance,
            attribute,
            value,
            "not an ISO 4217 currency code",
            "give a three-letter code such as EUR, NOK, RUB, CNY",
        )


@attrs.frozen
class Money:
    """An exact amount in one currency (E11).

    Adding, subtracting and comparing amounts in different currencies raises
    ValidationError: convert to a base currency first. Multiplying by a number scales.
    """

    amount: Decimal = attrs.field(converter=to_decimal)
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


@attrs.frozen
class PostalCode:
    """A postal code in its country's written form; ``parse`` knows RU NO ES DE US PL GB."""

    value: str = attrs.field(validator=_check_postal_value)
    country: str = attrs.field(converter=to_country, validator=check_country)

    @classmethod
    def parse(cls, raw: str, country: str) -> PostalCode:
        """``"sw1a1aa", "GB"`` -> ``SW1A 1AA``; other countries: trimmed, upper-case."""
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


@attrs.frozen
class Address:
    """A postal address; every part is optional because real records lack some."""

    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: PostalCode | None = None
    country: str | None = attrs.field(default=None, converter=to_country, validator=check_country)


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
