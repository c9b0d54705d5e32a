"""A sheet of an XLSX workbook as a header and records, through openpyxl's read-only mode.

Read-only mode parses the sheet's XML as it goes, so memory stays flat in the sheet's
size. The sheet's stored dimensions are ignored (``reset_dimensions``): many writers
record them wrong, and a read-only sheet trusts them, cutting the rows short. Cells keep
their types: text, numbers (``int`` when the cell holds a whole number), ``bool``,
``datetime`` and ``time``. Excel stores a date as a day number with a date format, which
openpyxl turns into a ``datetime`` at midnight; a cell whose format shows no time of day
gives a ``date``, so a birthday stays a birthday. Formulas give their last computed
value (``data_only``), not their text.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterator, Sequence
from typing import IO, Any

from custdb.errors import FormatError, MissingDependencyError, ValidationError

__all__ = ["XlsxSource"]

_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_TIME_CODES = re.compile(r"[hs]|am/pm|a/p")


class XlsxSource:
    """The rows of one sheet after its header; ``records()`` is one pass."""

    unit = "row"
    empty = None
    short_rows_are_footers = False
    encoding = None
    delimiter = None
    errors: tuple[type[Exception], ...] = ()  # records() wraps what openpyxl raises
    total = sys.maxsize  # a sheet has no sentinel row past its end

    def __init__(self, file: IO[bytes], *, name: str, sheet: str | int | None = None) -> None:
        self.name = name
        self.notes: list[str] = []
        self.counter = self.lines = self
        self.line_num = 0
        openpyxl = _openpyxl()
        try:
            self._book = openpyxl.load_workbook(file, read_only=True, data_only=True)
        except Exception as error:  # a broken zip or XML fails in many ways
            raise self._broken(error, None) from error
        try:
            self._sheet = self._pick(sheet)
            self._sheet.reset_dimensions()
            self._rows = self._sheet.iter_rows()
            self.headers, self.header_end = self._header()
        except BaseException:
            self._book.close()
            raise

    def _pick(self, sheet: str | int | None) -> Any:
        names = self._book.sheetnames
        if sheet is None:
            return self._book.worksheets[0]
        if isinstance(sheet, int) and -len(names) <= sheet < len(names):
            return self._book.worksheets[sheet]
        if isinstance(sheet, str) and sheet in names:
            return self._book[sheet]
        raise ValidationError(
            f"{self.name} has no sheet {sheet!r}",
            hint=f"its sheets are {', '.join(map(repr, names))}: give a name, or a position "
            "counted from 0",
        )

    def _header(self) -> tuple[tuple[str, ...], int]:
        for cells in self.records():
            headers = [_header_text(cell) for cell in cells]
            if any(headers):
                while not headers[-1]:
                    headers.pop()
                return tuple(headers), self.line_num
        raise FormatError(
            "the sheet is empty: there is no header row",
            source=self.name,
            hint="give a sheet whose first row names the columns",
        )

    def records(self) -> Iterator[list[Any]]:
        """The rows' values; ``line_num`` is the sheet row of the last one (openpyxl
        yields an empty row for each row missing from the sheet's XML)."""
        try:
            for cells in self._rows:
                self.line_num += 1
                yield [_value(cell) for cell in cells]
        except Exception as error:  # a broken sheet fails in many ways
            raise self._broken(error, self.line_num + 1) from error

    def is_blank(self, cells: Sequence[Any]) -> bool:
        return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)

    def overflow(self, line: int, cells: Sequence[Any], width: int) -> FormatError:
        from openpyxl.utils import (  # type: ignore[import-untyped]  # noqa: PLC0415
            get_column_letter,  # an optional extra, there when a workbook is open
        )

        column = next(i for i in range(width, len(cells)) if not self.is_blank(cells[i : i + 1]))
        return FormatError(
            f"a value in column {get_column_letter(column + 1)}, which has no header",
            source=self.name,
            line=line,
            value=cells[column],
            hint="give the column a header, or clear the cell",
        )

    def past_the_end(self, line: int, cells: Sequence[Any]) -> None:
        """Never called: no row is past a sheet's end."""

    def unreadable(self, line: int, error: Exception) -> FormatError:
        return self._broken(error, line)

    def close(self) -> None:
        self._book.close()

    def _broken(self, error: Exception, line: int | None) -> FormatError:
        return FormatError(
            f"cannot be read as an .xlsx workbook ({type(error).__name__}: {error})",
            source=self.name,
            line=line,
            hint="open it in a spreadsheet and save it again as .xlsx, or export CSV",
        )


def _openpyxl() -> Any:
    try:
        import openpyxl  # type: ignore[import-untyped]  # noqa: PLC0415 - an optional extra
    except ImportError as error:
        raise MissingDependencyError.for_extra("openpyxl", "xlsx") from error
    return openpyxl


def _value(cell: Any) -> Any:
    value = cell.value
    if (
        isinstance(value, dt.datetime)
        and value.time() == dt.time()
        and not _shows_time(cell.number_format)
    ):
        return value.date()
    return value


def _shows_time(number_format: str | None) -> bool:
    """Whether an Excel number format shows a time of day: hours, seconds, AM/PM
    outside quoted text, escapes and bracketed colours or locales (``[$-409]``)."""
    if not number_format:
        return False
    return bool(_TIME_CODES.search(_LITERALS.sub("", number_format.lower())))


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).replace("\ufeff", "").strip()
