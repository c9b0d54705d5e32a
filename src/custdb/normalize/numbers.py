"""Numbers as spreadsheets and people write them: comma or dot decimals, grouped thousands."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal

from custdb.errors import ValidationError
from custdb.normalize._text import text_of

__all__ = ["parse_decimal"]

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
    text = text_of(raw, "a number")
    number = _decimal_from_text(text, decimal_mark)
    if number is None:
        with_currency = any(unicodedata.category(char) == "Sc" for char in text)
        raise ValidationError(
            f"is not a number written with {decimal_mark!r} as the decimal mark",
            value=raw,
            hint=_CURRENCY_HINT if with_currency else _NUMBER_HINT,
        )
    return number
