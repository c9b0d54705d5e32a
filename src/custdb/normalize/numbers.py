"""Numbers as spreadsheets and people write them: comma or dot decimals, grouped thousands."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal

from custdb.errors import ValidationError
from custdb.normalize._text import text_of

__all__ = ["MAX_DECIMAL_PLACES", "decimal_fault", "parse_decimal"]

MAX_DECIMAL_PLACES = 5_000
"""Digits a number may have before, and after, its decimal point.

What every store keeps exactly: SQLite's sortable decimal text holds magnitudes up to
1E+5000 and PostgreSQL's ``numeric`` at most 16,383 digits after the point."""
_MAX_INT_BITS = int(MAX_DECIMAL_PLACES * 3.33)  # bit_length of an integer of ~5,000 digits
_MAX_NUMBER_TEXT = 3 * MAX_DECIMAL_PLACES  # digits on both sides, grouping marks, a sign
_LIMIT_HINT = (
    f"numbers keep at most {MAX_DECIMAL_PLACES:,} digits before and after the decimal point"
)

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


def decimal_fault(number: Decimal | int) -> tuple[str, str] | None:
    """``(reason, hint)`` when a finite number is beyond what every store keeps, else None.

    Linear in the size of the number: an integer is measured by its bit length, never
    turned into digits.
    """
    if isinstance(number, int):
        if number.bit_length() > _MAX_INT_BITS:
            return f"has more than {MAX_DECIMAL_PLACES:,} digits", _LIMIT_HINT
        number = Decimal(number)
    exponent = number.as_tuple().exponent
    if number and number.adjusted() >= MAX_DECIMAL_PLACES:
        return f"has more than {MAX_DECIMAL_PLACES:,} digits before the decimal point", _LIMIT_HINT
    if isinstance(exponent, int) and exponent < -MAX_DECIMAL_PLACES:
        return f"has more than {MAX_DECIMAL_PLACES:,} digits after the decimal point", _LIMIT_HINT
    return None


def _bounded(number: Decimal | int, raw: object) -> Decimal:
    fault = decimal_fault(number)
    if fault is not None:
        raise ValidationError(fault[0], value=raw, hint=fault[1])
    return Decimal(number)


def parse_decimal(raw: object, *, decimal_mark: str) -> Decimal:
    """The number a cell holds, with ``decimal_mark`` ("," or ".") saying which mark is which.

    ``133 127,75`` (spaces, no-break spaces or dots between thousands) with ``","``;
    ``1,234.50`` with ``"."``. A leading ``-``, ``−`` or ``+``, or accountants'
    parentheses, give the sign. Currency symbols are refused, not dropped: the amount
    and its currency travel together (``Money.parse``). ``int`` and finite ``Decimal``
    pass through; a ``float`` is read from its shortest repr (0.1 gives Decimal('0.1')).
    Numbers beyond :data:`MAX_DECIMAL_PLACES` digits on either side of the point are
    refused.
    """
    if decimal_mark not in _NUMBER_PATTERNS:
        raise ValidationError(
            "is not a decimal mark", field="decimal_mark", value=decimal_mark, hint='use "," or "."'
        )
    if isinstance(raw, bool):
        raise ValidationError("is a bool, not a number", value=raw)
    if isinstance(raw, int):
        return _bounded(raw, raw)
    if isinstance(raw, (Decimal, float)):
        if not (raw.is_finite() if isinstance(raw, Decimal) else math.isfinite(raw)):
            raise ValidationError("is not a finite number", value=raw)
        return _bounded(raw if isinstance(raw, Decimal) else Decimal(repr(raw)), raw)
    text = text_of(raw, "a number", _MAX_NUMBER_TEXT)
    number = _decimal_from_text(text, decimal_mark)
    if number is None:
        with_currency = any(unicodedata.category(char) == "Sc" for char in text)
        raise ValidationError(
            f"is not a number written with {decimal_mark!r} as the decimal mark",
            value=raw,
            hint=_CURRENCY_HINT if with_currency else _NUMBER_HINT,
        )
    return _bounded(number, raw)
