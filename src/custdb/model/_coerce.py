"""How raw custom-property values become typed ones: one function per field type.

``COERCERS`` checks and converts input on write (a CSV cell, a form value); each raises
ValidationError with a reason and a hint, and the Schema adds the entity and field.
``DECODERS`` only re-types what the JSON column holds, and is cheap, because stored
values were checked when written. Both are keyed by the ``FieldType`` value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import attrs

from custdb import normalize
from custdb.errors import ValidationError
from custdb.model.values import Email, Money, Phone, to_decimal

__all__ = ["COERCERS", "DECODERS", "Coercer", "Context"]


@attrs.frozen
class Context:
    """What coercing one value needs: the field's options, and how input was written."""

    options: frozenset[str]
    region: str | None
    dayfirst: bool
    decimal_mark: str


def _bad(reason: str, hint: str) -> ValidationError:
    return ValidationError(reason, hint=hint)


def _string(raw: Any, _context: Context) -> str:
    if not isinstance(raw, str):
        raise _bad("expected text", "give a string")
    return raw.strip()


_INT64 = range(-(2**63), 2**63)  # what a database integer and a JSON reader keep exactly


def _integer(raw: Any, context: Context) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    else:
        given = _decimal(raw, context) if isinstance(raw, (str, Decimal, float)) else None
        if given is None or given != given.to_integral_value():
            raise _bad("not a whole number", "give digits only, e.g. 12")
        number = int(given)
    if number not in _INT64:
        raise _bad("too large for an integer field", "store it in a decimal field instead")
    return number


def _decimal(raw: Any, context: Context) -> Decimal:
    if isinstance(raw, str):
        return normalize.parse_decimal(raw, decimal_mark=context.decimal_mark)
    return to_decimal(raw)


_MONEY_TEXT = re.compile(r"\s*(?:([A-Za-z]{3})\s+(\S.*?)|(\S.*?)\s+([A-Za-z]{3}))\s*")
"""An amount and a currency code in either order: ``1250.00 EUR`` (as an export writes
it), ``EUR 1250.00``."""


def _money(raw: Any, context: Context) -> Money:
    if isinstance(raw, Money):
        return raw
    if isinstance(raw, str) and (written := _MONEY_TEXT.fullmatch(raw)):
        code_first, amount_after, amount_first, code_after = written.groups()
        raw = {"amount": amount_after or amount_first, "currency": code_first or code_after}
    if not (isinstance(raw, Mapping) and {"amount", "currency"} <= raw.keys()):
        raise _bad(
            "not an amount of money",
            "give Money, {'amount': '1.50', 'currency': 'EUR'} or a text such as '1.50 EUR'",
        )
    amount = raw["amount"]
    if isinstance(amount, str):
        amount = normalize.parse_decimal(amount, decimal_mark=context.decimal_mark)
    return Money(amount, raw["currency"])


def _date(raw: Any, context: Context) -> date:
    if isinstance(raw, datetime) or not isinstance(raw, (date, str)):
        raise _bad("not a date", "give a date or a string such as 2024-05-31")
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return normalize.parse_date(raw, dayfirst=context.dayfirst)


def _datetime(raw: Any, _context: Context) -> datetime:
    value = raw
    if isinstance(raw, str):
        text = raw.strip()
        try:
            value = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
        except ValueError:
            raise _bad(
                "not an ISO date and time", "write it like 2024-05-31T09:30:00+03:00"
            ) from None
    if not isinstance(value, datetime):
        raise _bad("not a date and time", "give an ISO string or a datetime")
    if value.utcoffset() is None:
        raise _bad("a naive datetime (no timezone)", "give a UTC offset, e.g. +03:00")
    return value


_TRUE = frozenset({"true", "yes", "y", "1", "да", "ja", "sí", "si", "是"})
_FALSE = frozenset({"false", "no", "n", "0", "нет", "nei", "nein", "否"})


def _bool(raw: Any, _context: Context) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower() if isinstance(raw, (str, int)) else None
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise _bad("not yes or no", "give true/false, yes/no, 1/0 (да/нет, ja/nei, sí/no too)")


def _enum(raw: Any, context: Context) -> str:
    options = context.options
    value = raw.strip() if isinstance(raw, str) else raw
    if value not in options:
        raise _bad("not one of the options", f"use one of: {', '.join(sorted(options))}")
    return str(value)


_LIST_SEPARATORS = re.compile(r"[;,]")


def _multi_enum(raw: Any, context: Context) -> frozenset[str]:
    if isinstance(raw, str):
        raw = [part for part in _LIST_SEPARATORS.split(raw) if part.strip()]
    if not isinstance(raw, (list, tuple, set, frozenset)):
        raise _bad("not a list of options", "give a list, or a string separated by ; or ,")
    return frozenset(_enum(item, context) for item in raw)


def _email(raw: Any, _context: Context) -> str:
    address = raw.address if isinstance(raw, Email) else raw
    if not isinstance(address, str):
        raise _bad("not an e-mail address", "give name@domain")
    return normalize.email(address)


def _phone(raw: Any, context: Context) -> str:
    if isinstance(raw, Phone):
        return raw.e164
    if not isinstance(raw, str):
        raise _bad("not a phone number", "give the number as text")
    return normalize.phone(raw, context.region)


def _url(raw: Any, context: Context) -> str:
    text = _string(raw, context)
    if "://" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.netloc or " " in text:
        raise _bad("not a web address", "give it like https://example.com/page")
    return text


Coercer = Callable[[Any, Context], Any]

COERCERS: Mapping[str, Coercer] = {
    "string": _string,
    "integer": _integer,
    "decimal": _decimal,
    "money": _money,
    "date": _date,
    "datetime": _datetime,
    "bool": _bool,
    "enum": _enum,
    "multi_enum": _multi_enum,
    "email": _email,
    "phone": _phone,
    "url": _url,
}


def _money_from_json(value: Mapping[str, Any]) -> Money:
    return Money(Decimal(value["amount"]), value["currency"])


DECODERS: Mapping[str, Callable[[Any], Any]] = {
    "integer": int,
    "decimal": lambda value: Decimal(str(value)),
    "money": _money_from_json,
    "date": date.fromisoformat,
    "datetime": datetime.fromisoformat,
    "multi_enum": frozenset,
}
