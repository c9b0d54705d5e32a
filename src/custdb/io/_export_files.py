"""The two file formats an export writes, a row at a time as the rows are read.

CSV is what every tool reads: UTF-8 with a byte-order mark (without one, Excel takes
UTF-8 for the local code page and shows Cyrillic or Chinese names as mojibake), ``,``
between cells, RFC 4180 quoting (a cell holding a comma, a quote or a line break is
quoted, quotes doubled) and CRLF line ends. A number is written as a number, a date as
ISO ``2024-03-31``, a time as ISO UTC ``2024-03-31 18:05:00+00:00``, a decimal without
trailing zeros (``250``, ``12.5``: SQLite's columns keep none, so every store writes
the same), money as ``250.00 EUR``, tags and other lists joined by ``"; "``.

XLSX keeps types: numbers are numeric cells, money a numeric cell formatted with its
currency, dates and times date cells (times in UTC: Excel has no time zones),
booleans boolean cells. openpyxl's write-only mode streams the rows to disk, so memory
stays flat; it is an optional extra, imported when an XLSX file is written.

Either way every text cell goes through :func:`neutralised` first, and nothing else
does: the decision is made on the value's type.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from custdb.errors import MissingDependencyError
from custdb.io._neutralise import neutralised
from custdb.model.values import Money

__all__ = ["FORMATS", "write_csv", "write_xlsx"]

Convert = Callable[[Any], Any]

_SEPARATOR = "; "
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters an XLSX file cannot hold (tab, line feed and carriage return it
can); they are written as U+FFFD, the replacement character."""


def write_csv(
    path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]], _sheet: str
) -> int:
    """Write the file; return the number of rows written (the header not counted). A
    CSV file has no sheet to name."""
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)  # the "excel" dialect: RFC 4180 quoting, CRLF
        writer.writerow([neutralised(header) for header in headers])
        for row in rows:
            writer.writerow([_convert(_CSV, value) for value in row])
            count += 1
    return count


def write_xlsx(
    path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str
) -> int:
    """Write the file, one sheet named ``sheet``; return the number of rows written."""
    try:
        from openpyxl import Workbook  # type: ignore[import-untyped]  # noqa: PLC0415 - an optional extra
        from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]  # noqa: PLC0415
        from openpyxl.styles import Font  # type: ignore[import-untyped]  # noqa: PLC0415
        from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]  # noqa: PLC0415
    except ImportError as error:
        raise MissingDependencyError.for_extra("openpyxl", "xlsx") from error
    book = Workbook(write_only=True)
    worksheet = book.create_sheet(sheet)
    for number, header in enumerate(headers, 1):
        width = min(max(len(header) + 4, 10), 40)
        worksheet.column_dimensions[get_column_letter(number)].width = width
    worksheet.freeze_panes = "A2"
    worksheet.append([_header_cell(WriteOnlyCell(worksheet, _xlsx_text(h)), Font) for h in headers])
    converters = dict(_XLSX)
    converters[Money] = _money_cell(worksheet, WriteOnlyCell)
    count = 0
    for row in rows:
        worksheet.append([_convert(converters, value) for value in row])
        count += 1
    last = get_column_letter(max(len(headers), 1))
    worksheet.auto_filter.ref = f"A1:{last}{count + 1}"
    book.save(path)
    return count


def _convert(converters: dict[type, Convert], value: Any) -> Any:
    """``value`` as a cell, by the converter of its exact type (found once per type)."""
    kind = type(value)
    convert = converters.get(kind)
    if convert is None:
        convert = converters[kind] = _fallback(converters, kind)
    return convert(value)


def _fallback(converters: dict[type, Convert], kind: type) -> Convert:
    """The converter for a type with none of its own: a subclass (an enum member, a
    value object) converts as what it is."""
    if issubclass(kind, enum.Enum):
        return lambda member: _convert(converters, member.value)
    for base, convert in _BASES:
        if issubclass(kind, base):
            return lambda value: convert(converters, value)
    return lambda value: converters[str](str(value))


def _joined_set(converters: dict[type, Convert], values: Any) -> Any:
    return converters[str](_SEPARATOR.join(sorted(str(value) for value in values)))


def _joined_list(converters: dict[type, Convert], values: Any) -> Any:
    return converters[str](_SEPARATOR.join(str(value) for value in values))


def _via_money(converters: dict[type, Convert], value: Any) -> Any:
    return converters[Money](value)


_BASES: tuple[tuple[type, Callable[[dict[type, Convert], Any], Any]], ...] = (
    (frozenset, _joined_set),
    (set, _joined_set),
    (tuple, _joined_list),
    (list, _joined_list),
    (Money, _via_money),
)


def _csv_money(money: Money) -> str:
    return neutralised(f"{money.amount:f} {money.currency}")


_CSV: dict[type, Convert] = {
    type(None): lambda _: "",
    str: neutralised,
    bool: lambda flag: "true" if flag else "false",
    int: str,
    float: repr,
    Decimal: lambda number: f"{number.normalize():f}",  # the same from every store
    dt.date: dt.date.isoformat,
    dt.datetime: lambda moment: moment.isoformat(sep=" "),
    Money: _csv_money,
}


def _xlsx_text(text: str) -> str:
    return neutralised(_NOT_IN_XML.sub("\ufffd", text))


def _naive_utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _same(value: Any) -> Any:
    return value


_XLSX: dict[type, Convert] = {
    type(None): _same,
    str: _xlsx_text,
    bool: _same,
    int: _same,
    float: _same,
    Decimal: _same,
    dt.date: _same,
    dt.datetime: _naive_utc,
}


def _header_cell(cell: Any, font_class: Any) -> Any:
    cell.font = font_class(bold=True)
    return cell


def _money_cell(worksheet: Any, cell_class: Any) -> Convert:
    """Money as a numeric cell shown with its currency (``1,250.00 EUR``)."""

    def cell(money: Money) -> Any:
        made = cell_class(worksheet, money.amount)
        made.number_format = f'#,##0.00 "{money.currency}"'
        return made

    return cell


FORMATS: dict[str, Callable[[Path, Sequence[str], Iterable[Sequence[Any]], str], int]] = {
    ".csv": write_csv,
    ".xlsx": write_xlsx,
}
"""The writer for each file suffix an export takes."""
