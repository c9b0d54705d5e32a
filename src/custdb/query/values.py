"""A query value in its field's type, within limits every store can hold.

Queries come from outside (a saved segment, a web form, a JSON file), so each value is
bounded before it is converted, and every check runs in time linear in the value's
size: a number's digits and exponent are read off the ``Decimal`` before any integer
is made of it (``int("1e1000000")`` would build a million-digit number), text is
limited in length and must be valid Unicode without NUL, integers fit in 64 bits as
the integer columns do, and a date and time must stay a date and time in UTC. Every
refusal is a ``QueryError`` that states the limit.
"""

from __future__ import annotations

import datetime as dt
import enum
import reprlib
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from custdb.errors import QueryError
from custdb.query.expr import And, Not, Or
from custdb.query.fields import FieldInfo, FieldKind

__all__ = [
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "MAX_TEXT",
    "check_text",
    "coerce",
    "shown",
]

MAX_TEXT = 10_000
"""Characters in one text value of a query (a name, a tag, an id, a number written out)."""
MAX_DIGITS = 100
"""Significant digits of one number in a query."""
MAX_EXPONENT = 1_000
"""The largest power of ten a number in a query may reach, either way (1E-1000 to 1E+1000)."""
_INT64 = 2**63
_MAX_INT_BITS = 3_400  # an int of more bits has over MAX_EXPONENT digits: refused unread


def check_text(value: str, what: str = "text") -> str:
    """``value`` if it is text every store can compare; ``QueryError`` otherwise."""
    if len(value) > MAX_TEXT:
        raise QueryError(
            f"{what} is {len(value):,} characters long; a query value holds at most {MAX_TEXT:,}",
            hint="filter on a shorter part of it, e.g. with .contains(...)",
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise QueryError(
            f"{what} holds a lone surrogate, which is not a character",
            hint="decode the input as UTF-8 (errors='replace') before querying",
        ) from None
    if "\x00" in value:
        raise QueryError(
            f"{what} holds a NUL character (\\x00), which no record holds",
            hint="remove the NUL from the value",
        )
    return value


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 3, 60, 60


def shown(value: Any) -> Any:
    """A value as an error shows it: as it is, but a nested container or a query cut
    short safely (a document nested thousands deep has no ``repr`` within the stack)."""
    if isinstance(value, And | Or | Not):
        return f"<{type(value).__name__} query>"
    if isinstance(value, int) and value.bit_length() > _MAX_INT_BITS:  # no repr past 4,300 digits
        return f"<a whole number of about {int(value.bit_length() * 0.30103):,} digits>"
    if isinstance(value, Mapping) or (
        isinstance(value, _CONTAINERS)
        and any(isinstance(item, _NESTED) or _huge(item) for item in value)
    ):
        return _SHORT.repr(value)
    return value


def _huge(item: Any) -> bool:
    return isinstance(item, int) and item.bit_length() > _MAX_INT_BITS


_CONTAINERS = (list, tuple, set, frozenset)
_NESTED = (Mapping, *_CONTAINERS, And, Or, Not)


def coerce(info: FieldInfo, value: Any) -> Any:
    """``value`` in ``info``'s type; ``QueryError`` when it has none or is out of range."""
    if value is None:
        raise QueryError("cannot compare with None", hint="use .is_null() or .not_null()")
    return _COERCE[info.kind](info, value)


def _text(_: FieldInfo, value: Any) -> str:
    if not isinstance(value, str):
        raise QueryError(f"needs text, not {type(value).__name__}")
    return check_text(value)


def _integer(info: FieldInfo, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number: Decimal | int = value
    else:
        number = _decimal(info, value)
        if number != number.to_integral_value():
            raise QueryError("needs a whole number")
    if not -_INT64 <= number < _INT64:
        raise QueryError(
            "is beyond the range of whole numbers a store holds",
            hint=f"give a number from {-_INT64:,} to {_INT64 - 1:,}",
        )
    return int(number)  # at most 19 digits here: instant


def _decimal(_: FieldInfo, value: Any) -> Decimal:
    if isinstance(value, bool):
        raise QueryError("needs a number, not a yes/no value")
    amount = getattr(value, "amount", value)  # a Money value compares by its amount
    if isinstance(amount, int) and amount.bit_length() > _MAX_INT_BITS:
        raise _too_large()
    if isinstance(amount, str):
        check_text(amount, "the number")
    try:
        number = Decimal(str(amount)) if isinstance(amount, int | float | str) else amount
    except InvalidOperation:
        raise QueryError("needs a number", hint='write it as 1000 or "1000.50"') from None
    if not isinstance(number, Decimal):
        raise QueryError(f"needs a number, not {type(value).__name__}")
    if not number.is_finite():
        raise QueryError("needs a finite number")
    return _bounded(number)


def _bounded(number: Decimal) -> Decimal:
    """``number`` if its digits and exponent are within the limits, read without rounding."""
    if not number:
        return number
    digits = "".join(map(str, number.as_tuple().digits)).rstrip("0")
    if len(digits) > MAX_DIGITS:
        raise QueryError(
            f"has more than {MAX_DIGITS} significant digits",
            hint=f"round it to {MAX_DIGITS} digits or fewer",
        )
    if abs(number.adjusted()) > MAX_EXPONENT:
        raise _too_large()
    return number


def _too_large() -> QueryError:
    return QueryError(
        f"is beyond the range of a query number (1E-{MAX_EXPONENT} to 1E+{MAX_EXPONENT})",
        hint="no stored number comes near it: use a smaller bound",
    )


def _date(_: FieldInfo, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise QueryError("needs a date, not a date and time")
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(check_text(value, "the date"))
        except ValueError:
            raise QueryError("needs an ISO date", hint="write it as 2024-03-31") from None
    if not isinstance(value, dt.date):
        raise QueryError("needs a date")
    return value


def _datetime(_: FieldInfo, value: Any) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(check_text(value, "the date and time"))
        except ValueError:
            raise QueryError(
                "needs an ISO date and time", hint="write it as 2024-03-31T09:30:00+00:00"
            ) from None
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(), dt.timezone.utc)
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise QueryError("needs a timezone-aware date and time", hint="add +00:00 or tzinfo")
    try:
        return value.astimezone(dt.timezone.utc)
    except (OverflowError, ValueError):
        raise QueryError(
            "falls outside the years 1 to 9999 once read in UTC",
            hint="give a date and time from 0001-01-02 to 9999-12-30",
        ) from None


def _bool(_: FieldInfo, value: Any) -> bool:
    if not isinstance(value, bool):
        raise QueryError("needs true or false")
    return value


def _enum(info: FieldInfo, value: Any) -> str:
    text = str(value.value) if isinstance(value, enum.Enum) else value
    if not isinstance(text, str) or text not in info.options:
        raise QueryError(
            "is not one of the field's options",
            hint=f"use one of: {', '.join(sorted(info.options))}",
        )
    return text


_COERCE: Mapping[FieldKind, Callable[[FieldInfo, Any], Any]] = {
    FieldKind.TEXT: _text,
    FieldKind.INTEGER: _integer,
    FieldKind.DECIMAL: _decimal,
    FieldKind.MONEY: _decimal,
    FieldKind.DATE: _date,
    FieldKind.DATETIME: _datetime,
    FieldKind.BOOL: _bool,
    FieldKind.ENUM: _enum,
    FieldKind.SET: _text,
}
