"""Date parsing behind :func:`custdb.normalize.parse_date`: explicit forms, never a guess.

Only forms that say day, month and year are read: ISO, numeric with a four-digit year
(day or month first as the caller says), Excel serial numbers, and a day, a month name
and a four-digit year in English, Russian, Spanish, Norwegian or German. dateutil's
``parse`` is not used as such: it fills a missing day or year from a default and reads
two-digit years against today's date, and a domain function must not depend on the
clock. Its English month and weekday tables are.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

from dateutil.parser import parserinfo

__all__ = ["NotADateError", "from_excel_serial", "from_text"]

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.,+\-Z]*)?", re.ASCII)
_YEAR_FIRST = re.compile(r"(\d{4})([./])(\d{1,2})\2(\d{1,2})", re.ASCII)
_YEAR_LAST = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})", re.ASCII)
_SHORT_YEAR = re.compile(r"\d{1,2}([./-])\d{1,2}\1\d{2}", re.ASCII)
_BASIC = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
_SERIAL = re.compile(r"(\d{5})(?:[.,]\d+)?", re.ASCII)
_WORDS = re.compile(r"\d+|[^\W\d_]+")

_EXCEL_LAST_SERIAL = 2_958_465  # 9999-12-31
_EXCEL_FAKE_LEAP_DAY = 60  # Excel's 1900-02-29, a day that never was
_MONTHS = {
    # Russian: nominative, genitive, abbreviations
    **dict.fromkeys(("январь", "января", "янв"), 1),
    **dict.fromkeys(("февраль", "февраля", "фев", "февр"), 2),
    **dict.fromkeys(("март", "марта"), 3),
    **dict.fromkeys(("апрель", "апреля", "апр"), 4),
    **dict.fromkeys(("май", "мая"), 5),
    **dict.fromkeys(("июнь", "июня", "июн"), 6),
    **dict.fromkeys(("июль", "июля", "июл"), 7),
    **dict.fromkeys(("август", "августа", "авг"), 8),
    **dict.fromkeys(("сентябрь", "сентября", "сен", "сент"), 9),
    **dict.fromkeys(("октябрь", "октября", "окт"), 10),
    **dict.fromkeys(("ноябрь", "ноября", "ноя", "нояб"), 11),
    **dict.fromkeys(("декабрь", "декабря", "дек"), 12),
    # Spanish
    **dict.fromkeys(("enero", "ene"), 1),
    **dict.fromkeys(("febrero",), 2),
    **dict.fromkeys(("marzo",), 3),
    **dict.fromkeys(("abril", "abr"), 4),
    **dict.fromkeys(("mayo",), 5),
    **dict.fromkeys(("junio",), 6),
    **dict.fromkeys(("julio",), 7),
    **dict.fromkeys(("agosto", "ago"), 8),
    **dict.fromkeys(("septiembre", "setiembre"), 9),
    **dict.fromkeys(("octubre",), 10),
    **dict.fromkeys(("noviembre",), 11),
    **dict.fromkeys(("diciembre", "dic"), 12),
    # Norwegian and German (English is dateutil's table)
    **dict.fromkeys(("januar", "jänner"), 1),
    **dict.fromkeys(("februar",), 2),
    **dict.fromkeys(("mars", "märz", "mär", "mrz"), 3),
    **dict.fromkeys(("mai",), 5),
    **dict.fromkeys(("juni",), 6),
    **dict.fromkeys(("juli",), 7),
    **dict.fromkeys(("okt", "oktober"), 10),
    **dict.fromkeys(("des", "desember", "dez", "dezember"), 12),
}
_FILLERS = frozenset(
    {"de", "del", "den", "der", "г", "года", "год", "the", "of", "st", "nd", "rd", "th"}
)
_ENGLISH = parserinfo()


class NotADateError(ValueError):
    """Why a value is not a date, and the hint to give; the caller adds the value."""

    def __init__(self, reason: str, hint: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


_FORMS_HINT = "write it as 2024-03-31, 31.03.2024 or 31 March 2024"


def _date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as e:
        raise NotADateError(f"is not a date: {e}", "check the day and the month") from e


def from_excel_serial(serial: float | Decimal) -> dt.date:
    """The day of an Excel serial number (1900 date system; the time of day is dropped).

    Excel counts 1900-02-29, which never was, as day 60: serials from 61 on are one day
    ahead of a plain count, and 60 itself is no date at all.
    """
    in_range = isinstance(serial, int) or math.isfinite(serial)  # int: no float overflow
    if not (in_range and 1 <= serial < _EXCEL_LAST_SERIAL + 1):
        raise NotADateError(
            "is not an Excel date serial", f"Excel serials run from 1 to {_EXCEL_LAST_SERIAL}"
        )
    days = int(serial)
    if days == _EXCEL_FAKE_LEAP_DAY:
        raise NotADateError("is Excel's 1900-02-29, a day that does not exist", _FORMS_HINT)
    epoch = dt.date(1899, 12, 31) if days < _EXCEL_FAKE_LEAP_DAY else dt.date(1899, 12, 30)
    return epoch + dt.timedelta(days=days)


def from_text(text: str, *, dayfirst: bool) -> dt.date:
    """The date a text spells out in one of the explicit forms, else :class:`NotADateError`."""
    text = text.strip()
    if match := _ISO.fullmatch(text) or _BASIC.fullmatch(text):
        return _date(int(match[1]), int(match[2]), int(match[3]))
    if match := _YEAR_FIRST.fullmatch(text):
        return _date(int(match[1]), int(match[3]), int(match[4]))
    if match := _YEAR_LAST.fullmatch(text):
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        return _date(year, second, first) if dayfirst else _date(year, first, second)
    if _SHORT_YEAR.fullmatch(text):
        raise NotADateError("has a two-digit year", "write the year with four digits")
    if match := _SERIAL.fullmatch(text):
        return from_excel_serial(Decimal(text.replace(",", ".")))
    return _from_words(text)


def _month(word: str) -> int | None:
    month: int | None = _MONTHS.get(word)
    return month if month is not None else _ENGLISH.month(word)


def _from_words(text: str) -> dt.date:
    """A day, a month name and a four-digit year, in any order that is not ambiguous."""
    words = [w for w in _WORDS.findall(text.casefold()) if w not in _FILLERS]
    words = [w for w in words if _ENGLISH.weekday(w) is None]
    months = [m for m in map(_month, words) if m is not None]
    numbers = [w for w in words if w.isdecimal() and w.isascii()]
    if len(months) != 1 or len(numbers) != 2 or len(words) != 3:
        raise NotADateError("is not a date in a form read without guessing", _FORMS_HINT)
    years = [n for n in numbers if len(n) == 4]
    days = [n for n in numbers if len(n) <= 2]
    if len(years) != 1 or len(days) != 1:
        raise NotADateError("needs a day and a four-digit year next to the month", _FORMS_HINT)
    return _date(int(years[0]), months[0], int(days[0]))
