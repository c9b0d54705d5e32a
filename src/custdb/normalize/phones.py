"""Phone numbers to E.164: a fast path for plain digits, phonenumbers for the rest."""

from __future__ import annotations

import re

import phonenumbers

from custdb.errors import ValidationError
from custdb.normalize._phone_fast import INVALID, e164_fast, e164_library, split_plain
from custdb.normalize._text import text_of

__all__ = ["MAX_PHONE_DIGITS", "phone", "phone_parts", "region_code"]

MAX_PHONE_DIGITS = 20
"""Digits a phone text may hold, extension included (15 for E.164 plus room for prefixes)."""

_MAX_PHONE_TEXT = 100  # "+7 (912) 345-67-89 доб. 1234" with room to spare
_DIGIT = re.compile(r"\d")


def _example(region: str | None) -> str:
    """A mobile number of ``region`` (Russia's without one), written internationally."""
    number = phonenumbers.example_number_for_type(region or "RU", _MOBILE)
    if number is None:
        return "+7 912 345-67-89"
    example: str = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return example


_MOBILE = phonenumbers.PhoneNumberType.MOBILE


def _hint(text: str, region: str | None) -> str:
    """What to do about ``text``, given the region it was read in (or none)."""
    if not _DIGIT.search(text):
        return f"give the digits of the number, e.g. {_example(region)}"
    if text.lstrip().startswith(("+", "00")):
        return f"check the country code and the digits, e.g. {_example(region)}"
    if region is None:
        return (
            f"write it with its country code ({_example(None)}) "
            "or pass the region it is dialled from (region='RU')"
        )
    return (
        f"it is not a number of {region} (e.g. {_example(region)}): check the digits, "
        "or write a number from another country with its country code"
    )


def region_code(region: object) -> str | None:
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
    text = text_of(raw, "a phone number", _MAX_PHONE_TEXT)
    code = region_code(region)
    plain = split_plain(text)
    digits = len(plain[1]) if plain is not None else len(_DIGIT.findall(text))
    if digits > MAX_PHONE_DIGITS:
        raise ValidationError(
            f"has {digits} digits, more than a phone number's {MAX_PHONE_DIGITS}",
            value=raw,
            hint="a number has at most 15 digits and an extension: is it two numbers in one cell?",
        )
    found = _read_plain_phone(text, plain, code)
    stripped = text.strip()
    if found is None and stripped.startswith("00"):
        found = _read_phone("+" + stripped[2:], code)
    if found is None:
        raise ValidationError("is not a valid phone number", value=raw, hint=_hint(text, code))
    return found


def phone(raw: object, region: str | None = None) -> str:
    """The E.164 form (``+79123456789``) of a phone number; see :func:`phone_parts`."""
    return phone_parts(raw, region)[0]
