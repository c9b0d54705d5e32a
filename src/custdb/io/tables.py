"""Any table a user brings (a CSV or XLSX file, a DataFrame, dicts) as headers and rows.

:func:`read_table` is the one door: what comes out is a :class:`SourceTable` whose
rows stream (memory stays flat however large the file), each with the physical line
it starts on, so every message about a row names the line the user sees in their
editor (the header is line 1). Headers come as written, minus a byte-order mark and
surrounding spaces; a repeated header is kept, for the importer to refuse naming both.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import attrs

from custdb.errors import FormatError, MissingDependencyError, ValidationError
from custdb.io._csv_source import CsvSource

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self is 3.11+; annotations only

__all__ = ["SourceRow", "SourceTable", "read_table"]

CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv", ".tab"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})


@attrs.frozen
class SourceRow:
    """One data row: its first physical line (header = 1; a sheet's row number; a
    frame's or list's position + 2) and one cell per header."""

    line: int
    cells: tuple[Any, ...]


class SourceTable:
    """Headers, and rows read once as they stream; a context manager that closes the file."""

    def __init__(
        self,
        name: str,
        headers: Iterable[str],
        rows: Iterator[SourceRow],
        *,
        encoding: str | None = None,
        delimiter: str | None = None,
        notes: list[str] | None = None,
        close: Any = None,
    ) -> None:
        self.name = name
        self.headers = tuple(headers)
        self.encoding = encoding
        self.delimiter = delimiter
        self.notes: list[str] = [] if notes is None else notes
        self._rows = rows
        self._close = close

    def rows(self) -> Iterator[SourceRow]:
        return self._rows

    def close(self) -> None:
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_table(
    source: Any,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
    name: str | None = None,
) -> SourceTable:
    """``source`` as a table: a path (``.csv``/``.txt``/``.tsv`` or ``.xlsx``), a binary
    file object (CSV), a pandas DataFrame, or an iterable of dicts (their keys are the
    headers, in the first one's order)."""
    if isinstance(source, str | os.PathLike):
        return _from_path(Path(source), encoding, delimiter, sheet, name)
    if hasattr(source, "read"):
        return _from_csv(
            source, name or str(getattr(source, "name", "<file>")), encoding, delimiter
        )
    if type(source).__name__ == "DataFrame" and hasattr(source, "itertuples"):
        return _from_frame(source, name or "<frame>")
    if isinstance(source, Iterable) and not isinstance(source, str | bytes | Mapping):
        return _from_dicts(iter(source), name or "<records>")
    raise ValidationError(
        "cannot be read as a table",
        field="source",
        value=type(source).__name__,
        hint="give a path to a .csv or .xlsx file, a binary file, a DataFrame or a list of dicts",
    )


def _from_path(
    path: Path,
    encoding: str | None,
    delimiter: str | None,
    sheet: str | int | None,
    name: str | None,
) -> SourceTable:
    suffix = path.suffix.casefold()
    if suffix not in CSV_SUFFIXES | XLSX_SUFFIXES:
        raise ValidationError(
            "is neither a CSV nor an XLSX file",
            field="source",
            value=str(path),
            hint="give a .csv, .txt, .tsv or .xlsx file (save an .xls as .xlsx first)",
        )
    try:
        file = path.open("rb")
    except OSError as e:
        raise ValidationError(
            f"cannot be opened ({e.strerror})",
            field="source",
            value=str(path),
            hint="check the path",
        ) from e
    label = name or path.name
    if suffix in XLSX_SUFFIXES:
        return _from_xlsx(file, label, sheet)
    return _from_csv(file, label, encoding, delimiter, owned=True)


def _from_csv(
    file: IO[bytes],
    name: str,
    encoding: str | None,
    delimiter: str | None,
    *,
    owned: bool = False,
) -> SourceTable:
    try:
        source = CsvSource(file, name, encoding=encoding, delimiter=delimiter)
    except BaseException:
        if owned:
            file.close()
        raise
    rows = (SourceRow(line, cells) for line, cells in source.rows())
    return SourceTable(
        name,
        source.headers,
        rows,
        encoding=source.encoding,
        delimiter=source.delimiter,
        notes=source.notes,
        close=file.close if owned else None,
    )


def _from_xlsx(file: IO[bytes], name: str, sheet: str | int | None) -> SourceTable:
    try:
        import openpyxl  # type: ignore[import-untyped]  # noqa: PLC0415
    except ImportError as e:
        file.close()
        raise MissingDependencyError(
            "reading .xlsx files needs openpyxl",
            hint='pip install "custdb[xlsx]"',
        ) from e
    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises zipfile, KeyError and its own errors alike
        file.close()
        raise FormatError(
            f"is not a readable .xlsx workbook ({type(e).__name__}: {e})",
            entity=name,
            hint="open it in a spreadsheet and save it again as .xlsx",
        ) from e
    worksheet = _sheet(book, sheet, name)
    cells = worksheet.iter_rows()
    headers: list[str] = []
    header_line = 0
    for row in cells:
        header_line += 1
        values = [_xlsx_value(c) for c in row]
        if any(v not in (None, "") for v in values):
            headers = [("" if v is None else str(v)).strip() for v in values]
            break
    while headers and not headers[-1]:
        headers.pop()

    def close() -> None:
        book.close()
        file.close()

    def rows() -> Iterator[SourceRow]:
        for line, row in enumerate(cells, start=header_line + 1):
            values = [_xlsx_value(c) for c in row[: len(headers)]]
            if not any(v not in (None, "") for v in values):
                continue
            values += [None] * (len(headers) - len(values))
            yield SourceRow(line, tuple(values))

    return SourceTable(name, headers, rows(), close=close)


def _sheet(book: Any, sheet: str | int | None, name: str) -> Any:
    if sheet is None:
        return book.worksheets[0]
    try:
        return book.worksheets[sheet] if isinstance(sheet, int) else book[sheet]
    except (IndexError, KeyError):
        raise ValidationError(
            "is not a sheet of the workbook",
            entity=name,
            field="sheet",
            value=sheet,
            hint=f"give one of {', '.join(book.sheetnames)} (or its index from 0)",
        ) from None


def _xlsx_value(cell: Any) -> Any:
    """A cell's value; a date-formatted cell at midnight is a date, not a datetime."""
    value = cell.value
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        fmt = (getattr(cell, "number_format", "") or "").casefold()
        if not any(mark in fmt for mark in ("h", "s")):
            return value.date()
    if isinstance(value, str):
        return value.strip()
    return value


def _from_frame(frame: Any, name: str) -> SourceTable:
    headers = [str(column).strip() for column in frame.columns]

    def rows() -> Iterator[SourceRow]:
        for line, values in enumerate(frame.itertuples(index=False, name=None), start=2):
            yield SourceRow(line, tuple(_frame_value(v) for v in values))

    return SourceTable(name, headers, rows())


def _frame_value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ in {"NaTType", "NAType"}:
        return None
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if hasattr(value, "item") and type(value).__module__ == "numpy":
        return value.item()
    return value


def _from_dicts(records: Iterator[Any], name: str) -> SourceTable:
    first = next(records, None)
    if first is None:
        return SourceTable(name, (), iter(()))
    if not isinstance(first, Mapping):
        raise ValidationError(
            "is not a dict: a list of records must hold dicts",
            entity=name,
            row=2,
            value=type(first).__name__,
            hint="give dicts of header -> value",
        )
    headers = [str(key) for key in first]

    def rows() -> Iterator[SourceRow]:
        known = set(headers)
        yield SourceRow(2, tuple(first.get(h) for h in headers))
        for line, record in enumerate(records, start=3):
            if not isinstance(record, Mapping) or not set(map(str, record)) <= known:
                extra = ""
                if isinstance(record, Mapping):
                    extra = ", ".join(sorted(set(map(str, record)) - known))
                raise FormatError(
                    f"has keys the first record has not: {extra}" if extra else "is not a dict",
                    entity=name,
                    row=line,
                    hint="give every record the same keys (None where empty)",
                    line=line,
                )
            yield SourceRow(line, tuple(record.get(h) for h in headers))

    return SourceTable(name, headers, rows())
