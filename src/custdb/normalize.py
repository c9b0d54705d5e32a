"""The one place where messy text becomes clean values (D1, I1).

Importers, value objects (``Phone.parse``, ``Email.parse``, ``Money.parse``) and dedupe
all read phones, e-mails, names, dates and numbers through these functions, so the same
input gives the same value everywhere. Each raises :class:`custdb.errors.ValidationError`
on input it cannot read, with the raw value in ``.value`` and a hint saying what form is
expected. Pure functions: no I/O, no clock. ``docs/normalizers.md`` has the examples.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal

import phonenumbers
from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES

from custdb import _dates, _names
from custdb._normalize_phone import INVALID, e164_fast, e164_library, split_plain
from custdb.errors import ValidationError

__all__ = [
    "MAX_PHONE_DIGITS",
    "company_key",
    "email",
    "parse_date",
    "parse_decimal",
    "person_key",
    "person_name",
    "phone",
    "phone_parts",
]

MAX_PHONE_DIGITS = 20
"""Digits a phone text may hold, extension included (15 for E.164 plus room for prefixes)."""

_DIGIT = re.compile(r"\d")
_PHONE_HINT = "write it with its country code (+7 912 345-67-89) or pass the region (region='RU')"


def _text(raw: object, what: str) -> str:
    if not isinstance(raw, str):
        kind = "None" if raw is None else f"a {type(raw).__name__}"
        raise ValidationError(f"is {kind}, not text: expected {what} as a str", value=raw)
    return raw


def _region(region: object) -> str | None:
    """An ISO 3166 region code phonenumbers knows, upper-cased; None stays None."""
    if region is None:
        return None
    code = region.upper() if isinstance(region, str) else None
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationError(
            "is not a region code phonenumbers knows",
            field="region",
            value=region,
            hint="use an ISO 3166 alpha-2 code such as 'RU', 'US' or 'NO'",
        )
    return code


def _read_phone(text: str, region: str | None) -> tuple[str, str | None] | None:
    return _read_plain_phone(text, split_plain(text), region)


def _read_plain_phone(
    text: str, plain: tuple[bool, str] | None, region: str | None
) -> tuple[str, str | None] | None:
    """The fast path where the text is plain digits, else (or if unsure) the library."""
    if plain is not None:
        found = e164_fast(plain, region)
        if found is not None:
            return None if found == INVALID else (found, None)
    return e164_library(text, region)


def phone_parts(raw: object, region: str | None = None) -> tuple[str, str | None]:
    """``(E.164, extension or None)`` of a phone number written in any common way.

    ``region`` is the country a number without ``+`` is dialled from ("RU" reads
    ``8 (912) 345-67-89``). A leading ``00`` is read as the international prefix when
    the region's own dialling rules find no valid number (and always without a region).
    Without a region, a number that has no ``+`` or ``00`` is refused, not guessed.
    Extensions (``ext. 12``, ``x12``, ``доб. 123``) come back apart. Numbers that
    phonenumbers does not call valid, and texts of more than 20 digits, are refused.
    """
    text = _text(raw, "a phone number")
    code = _region(region)
    plain = split_plain(text)
    digits = len(plain[1]) if plain is not None else len(_DIGIT.findall(text))
    if digits > MAX_PHONE_DIGITS:
        raise ValidationError(
            f"has {digits} digits, more than a phone number's {MAX_PHONE_DIGITS}",
            value=raw,
            hint=_PHONE_HINT,
        )
    found = _read_plain_phone(text, plain, code)
    stripped = text.strip()
    if found is None and stripped.startswith("00"):
        found = _read_phone("+" + stripped[2:], code)
    if found is None:
        raise ValidationError("is not a valid phone number", value=raw, hint=_PHONE_HINT)
    return found


def phone(raw: object, region: str | None = None) -> str:
    """The E.164 form (``+79123456789``) of a phone number; see :func:`phone_parts`."""
    return phone_parts(raw, region)[0]


_EMAIL_PLAIN = re.compile(
    r"([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z0-9][A-Za-z0-9-]{0,61})?[A-Za-z])"
)
_EMAIL_MAX = 254
_SPECIAL_USE_TLDS = frozenset(name.rpartition(".")[2] for name in SPECIAL_USE_DOMAIN_NAMES)
_CASE_INSENSITIVE_MAILBOXES = frozenset(CASE_INSENSITIVE_MAILBOX_NAMES)


def _plain_email(text: str) -> str | None:
    """``validate_email(text).normalized`` for a plain ASCII address; None: ask the library.

    Mirrors email-validator 2.x on the common case (dot-atom local part, ASCII domain of
    letter-ended labels): the domain lower-cased, the local part kept as typed except the
    RFC 2142 role names. Punycode, ``--`` labels and special-use domains go to the library.
    """
    match = _EMAIL_PLAIN.fullmatch(text)
    if match is None or len(text) > _EMAIL_MAX:
        return None
    local, domain = match.groups()
    domain = domain.lower()
    if "--" in domain or domain.rpartition(".")[2] in _SPECIAL_USE_TLDS:
        return None
    if local.lower() in _CASE_INSENSITIVE_MAILBOXES:
        local = local.lower()
    return f"{local}@{domain}"


def email(raw: object) -> str:
    """The normalized form of an e-mail address, as email-validator gives it (no DNS).

    Surrounding whitespace is dropped; the domain is lower-cased (IDNA domains come back
    in Unicode form); the part before ``@`` keeps its case, as mail servers may.
    """
    text = _text(raw, "an e-mail address").strip()
    plain = _plain_email(text)
    if plain is not None:
        return plain
    try:
        normalized: str = validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as e:
        reason = str(e).rstrip(".")
        raise ValidationError(
            f"is not a valid e-mail address: {reason}",
            value=raw,
            hint="write it as name@example.com",
        ) from e
    return normalized


def _name_text(raw: object) -> str:
    """A name part as text; None is an absent name, read as empty."""
    return "" if raw is None else _text(raw, "a name")


def person_name(raw: object) -> str:
    """A name for display: NFC, trimmed, inner whitespace collapsed to one space."""
    return " ".join(unicodedata.normalize("NFC", _name_text(raw)).split())


def person_key(first: object, last: object) -> str:
    """``"last|first"``: the key under which spellings of one person's name meet.

    Case, accents, script and transliteration system do not matter (Юлия, Yulia,
    Iuliia, Julia and Julija meet); gendered surname forms stay apart (Petrov is not
    Petrova). An absent or empty part gives an empty key part.
    """
    return f"{_names.person_part(_name_text(last))}|{_names.person_part(_name_text(first))}"


def company_key(name: object) -> str:
    """The key under which spellings of one company's name meet: lower-case ASCII, no spaces.

    Legal forms (ООО, LLC, GmbH, S.A., AS...) go from either end unless nothing else is
    left; quotes and punctuation go; letters fold as in :func:`person_key`. So ``IBM``,
    ``I.B.M``, ``I-B-M`` and ``IBM Corp.`` meet, and so do ``ООО «Ромашка»`` and
    ``Romashka LLC``.
    """
    return _names.company_key(_name_text(name))


def parse_date(raw: object, *, dayfirst: bool) -> dt.date:
    """The date a cell holds, read only where the form leaves no doubt.

    Accepts ``date`` and ``datetime`` (its date), Excel serial numbers (numbers, or
    five-digit texts), ISO ``2024-03-31`` and ``20240331``, ``2024/03/31``, numeric
    day-month-year with ``.``, ``/`` or ``-`` (``dayfirst`` says which comes first:
    ``31.03.2024`` or ``03/31/2024``), and a day, month name and four-digit year in
    English, Russian, Spanish, Norwegian or German (``5 марта 2024``). Two-digit years,
    missing parts and impossible days (``31.02.1990``) are refused, never guessed.
    """
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return _dates.from_excel_serial(raw)
        return _dates.from_text(_text(raw, "a date"), dayfirst=dayfirst)
    except _dates.NotADateError as e:
        raise ValidationError(e.reason, value=raw, hint=e.hint) from e


_SIGNS = {"-": "-", "\u2212": "-", "+": ""}
_GROUP_SEPARATORS = {",": ". '\u2019\u00a0\u202f\u2009", ".": ", '\u2019\u00a0\u202f\u2009"}
_NUMBER_HINT = "write digits with at most one decimal mark, thousands in groups of three"
_CURRENCY_HINT = "remove the currency symbol: Money.parse takes the currency apart"


def _number_pattern(decimal_mark: str) -> re.Pattern[str]:
    separators = re.escape(_GROUP_SEPARATORS[decimal_mark])
    return re.compile(
        rf"(?P<int>\d{{1,3}}(?P<sep>[{separators}])\d{{3}}(?:(?P=sep)\d{{3}})*|\d+)"
        rf"(?:{re.escape(decimal_mark)}(?P<frac>\d+))?",
        re.ASCII,
    )


_NUMBER_PATTERNS = {mark: _number_pattern(mark) for mark in _GROUP_SEPARATORS}


def _decimal_from_text(text: str, decimal_mark: str) -> Decimal | None:
    text = text.strip()
    sign = ""
    if text[:1] == "(" and text[-1:] == ")":
        sign, text = "-", text[1:-1]
    elif text[:1] in _SIGNS:
        sign, text = _SIGNS[text[0]], text[1:]
    match = _NUMBER_PATTERNS[decimal_mark].fullmatch(text)
    if match is None:
        return None
    digits = match["int"] if match["sep"] is None else match["int"].replace(match["sep"], "")
    fraction = f".{match['frac']}" if match["frac"] else ""
    return Decimal(f"{sign}{digits}{fraction}")


def parse_decimal(raw: object, *, decimal_mark: str) -> Decimal:
    """The number a cell holds, with ``decimal_mark`` ("," or ".") saying which mark is which.

    ``133 127,75`` (spaces, no-break spaces or dots between thousands) with ``","``;
    ``1,234.50`` with ``"."``. A leading ``-``, ``−`` or ``+``, or accountants'
    parentheses, give the sign. Currency symbols are refused, not dropped: the amount
    and its currency travel together (``Money.parse``). ``int`` and finite ``Decimal``
    pass through; a ``float`` is read from its shortest repr (0.1 gives Decimal('0.1')).
    """
    if decimal_mark not in _NUMBER_PATTERNS:
        raise ValidationError(
            "is not a decimal mark", field="decimal_mark", value=decimal_mark, hint='use "," or "."'
        )
    if isinstance(raw, bool):
        raise ValidationError("is a bool, not a number", value=raw)
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, (Decimal, float)):
        if not (raw.is_finite() if isinstance(raw, Decimal) else math.isfinite(raw)):
            raise ValidationError("is not a finite number", value=raw)
        return raw if isinstance(raw, Decimal) else Decimal(repr(raw))
    text = _text(raw, "a number")
    number = _decimal_from_text(text, decimal_mark)
    if number is None:
        with_currency = any(unicodedata.category(char) == "Sc" for char in text)
        raise ValidationError(
            f"is not a number written with {decimal_mark!r} as the decimal mark",
            value=raw,
            hint=_CURRENCY_HINT if with_currency else _NUMBER_HINT,
        )
    return number
