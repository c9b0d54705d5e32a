"""Dates from cells: Excel serials, ISO, numeric day-month-year and month names."""

from __future__ import annotations

import datetime as dt

from custdb.errors import ValidationError
from custdb.normalize import _date_forms
from custdb.normalize._text import text_of

__all__ = ["parse_date"]

_MAX_DATE_TEXT = 100  # "Wednesday, the 31st of December 2024" and then some


def parse_date(raw: object, *, dayfirst: bool) -> dt.date:
    """The date a cell holds, read only where the form leaves no doubt.

    Accepts ``date`` and ``datetime`` (its date), Excel serial numbers (numbers, or
    five-digit texts), ISO ``2024-03-31`` and ``20240331``, ``2024/03/31``, numeric
    day-month-year with ``.``, ``/`` or ``-`` (``dayfirst`` says which comes first:
    ``31.03.2024`` or ``03/31/2024``), and a day, month name and four-digit year in
    English, Russian, Spanish, Norwegian or German (``5 марта 2024``). Two-digit years,
    missing parts and impossible days (``31.02.1990``) are refused, never guessed.
    """
    if not isinstance(dayfirst, bool):  # "false" or 1 from a settings file: not a guess
        raise ValidationError(
            "is not True or False",
            field="dayfirst",
            value=dayfirst,
            hint="pass dayfirst=True where 31.03.2024 is written, False for 03/31/2024",
        )
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return _date_forms.from_excel_serial(raw)
        return _date_forms.from_text(text_of(raw, "a date", _MAX_DATE_TEXT), dayfirst=dayfirst)
    except _date_forms.NotADateError as e:
        raise ValidationError(e.reason, value=raw, hint=e.hint) from e
