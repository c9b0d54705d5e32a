"""The cells of a pandas column back as the Python values records hold.

A frame that comes back may have been edited by hand: text typed into a number column,
a timestamp without a time zone, a float where a Decimal was. Each reader takes one
non-missing cell and returns the value, or raises ValidationError saying what the cell
should be; :func:`read` adds the column and the row.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import pandas as pd  # type: ignore[import-untyped]

from custdb.errors import ValidationError
from custdb.io._slots import Column, Kind
from custdb.model.values import to_decimal

__all__ = ["read"]


def read(series: Any, column: Column) -> list[Any]:
    """Python values of ``series``, read as ``column``'s kind; empty cells are None."""
    cells = series.tolist()
    reader = _READERS[column.kind]
    try:
        return [None if _missing(cell) else reader(_plain(cell)) for cell in cells]
    except ValidationError as error:
        row = next(row for row, cell in enumerate(cells) if _fails(reader, cell))
        raise ValidationError(
            error.reason, row=row, field=column.name, value=cells[row], hint=error.hint
        ) from None


def _fails(reader: Callable[[Any], Any], cell: Any) -> bool:
    """Whether ``cell`` is the one that failed: the loop above reads fast, and on an
    error this finds the row again."""
    if _missing(cell):
        return False
    try:
        reader(_plain(cell))
    except ValidationError:
        return True
    return False


def _missing(cell: Any) -> bool:
    if cell is None or cell is pd.NA or cell is pd.NaT:
        return True
    return isinstance(cell, float) and math.isnan(cell)


def _plain(cell: Any) -> Any:
    """A numpy scalar (from an object column) as the Python value it holds."""
    if getattr(cell, "ndim", None) == 0 and hasattr(cell, "item"):
        return cell.item()
    return cell


def _bad(reason: str, hint: str) -> ValidationError:
    return ValidationError(reason, hint=hint)


def _text(cell: Any) -> str:
    if not isinstance(cell, str):
        raise _bad("expected text", "give a string, or leave the cell empty")
    return str(cell)


def _integer(cell: Any) -> int:
    if isinstance(cell, bool):
        raise _bad("not a whole number", "give 1 or 0, not True or False")
    if isinstance(cell, numbers.Integral):
        return int(cell)
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    raise _bad("not a whole number", "give digits only, e.g. 12, or leave the cell empty")


def _decimal(cell: Any) -> Decimal:
    if isinstance(cell, (Decimal, str)):
        return to_decimal(cell)
    if isinstance(cell, bool):
        raise _bad("not a number", "give a number, not True or False")
    if isinstance(cell, numbers.Integral):
        return Decimal(int(cell))
    if isinstance(cell, float):
        return to_decimal(float(cell))  # a numpy float's repr is not a number
    raise _bad("not a number", "give a Decimal, a number or a numeric string")


def _bool(cell: Any) -> bool:
    if not isinstance(cell, bool):
        raise _bad("not True or False", "give a bool; the column's dtype is 'boolean'")
    return cell


def _date(cell: Any) -> dt.date:
    if isinstance(cell, dt.datetime):
        if cell.tzinfo is not None or cell.time() != dt.time():
            raise _bad("a date has no time of day or zone", "give midnight, or a date")
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, str):
        try:
            return dt.date.fromisoformat(cell.strip())
        except ValueError:
            pass
    raise _bad("not a date", "give a date or 2024-05-31; custdb.normalize.parse_date reads others")


def _datetime(cell: Any) -> dt.datetime:
    if isinstance(cell, str):
        text = cell.strip()
        try:
            cell = dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
        except ValueError:
            raise _bad("not a date and time", "write it like 2024-05-31T09:30:00+03:00") from None
    if not isinstance(cell, dt.datetime):
        raise _bad("not a date and time", "give a timezone-aware datetime or Timestamp")
    if cell.utcoffset() is None:
        raise _bad("has no time zone", "localize the column first: .dt.tz_localize('UTC')")
    if isinstance(cell, pd.Timestamp):
        if cell.nanosecond:
            raise _bad("has nanoseconds, which a record cannot keep", "round with .dt.floor('us')")
        return cell.to_pydatetime()  # type: ignore[no-any-return]
    return cell


def _duration(cell: Any) -> dt.timedelta:
    if isinstance(cell, pd.Timedelta):
        if cell.nanoseconds:
            raise _bad("has nanoseconds, which a record cannot keep", "round with .dt.floor('us')")
        return cell.to_pytimedelta()  # type: ignore[no-any-return]
    if not isinstance(cell, dt.timedelta):
        raise _bad("not a duration", "give a timedelta or a pandas Timedelta")
    return cell


def _category(cell: Any) -> str:
    if not isinstance(cell, str):
        raise _bad("not one of the options", "give the option's text")
    return str(cell)


def _list(cell: Any) -> tuple[Any, ...]:
    if hasattr(cell, "tolist") and not isinstance(cell, (list, tuple)):
        cell = cell.tolist()  # a numpy array, as some readers give lists back
    if not isinstance(cell, (list, tuple, set, frozenset)):
        raise _bad("not a list", "give a list, e.g. ['vip'], or an empty one")
    return tuple(cell)


def _object(cell: Any) -> Any:
    return cell


_READERS: Mapping[Kind, Callable[[Any], Any]] = {
    Kind.TEXT: _text,
    Kind.INTEGER: _integer,
    Kind.DECIMAL: _decimal,
    Kind.BOOL: _bool,
    Kind.DATE: _date,
    Kind.DATETIME: _datetime,
    Kind.DURATION: _duration,
    Kind.CATEGORY: _category,
    Kind.LIST: _list,
    Kind.OBJECT: _object,
}
