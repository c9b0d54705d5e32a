"""Tables to import, whatever they come in: CSV and XLSX files, DataFrames, dicts.

:func:`read_table` gives a :class:`SourceTable`: the headers as the file has them and
rows that stream, each a :class:`SourceRow` with the physical line it starts on, so a
reject file and every error can point at the line the user sees in an editor (header =
1; a quoted cell over three lines moves the next row by three). An import reads a file
once, so rows are one pass and memory stays flat in the file's size.

What is detected and how (the encoding, the delimiter, a trailing delimiter, a report's
footer, dates in a workbook) is in the private modules: ``_encoding``, ``_csv_source``,
``_xlsx_source`` and ``_shape``. A file that cannot be read as a table raises
:class:`~custdb.errors.FormatError`, naming the file, the line and the byte offset.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

import attrs

from custdb.errors import FormatError, ValidationError
from custdb.io._csv_source import CsvSource
from custdb.io._shape import shaped
from custdb.io._xlsx_source import XlsxSource
from custdb.model._slots import pickled_by_fields

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self is 3.11+; annotations only

__all__ = ["SourceRow", "SourceTable", "read_table"]

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_MISSING = frozenset({"NAType", "NaTType"})


@pickled_by_fields  # batches of rows cross to the writer's process
@attrs.frozen
class SourceRow:
    """One data row: ``line`` is the physical line where it starts (header = 1; for a
    workbook the sheet's row number; for a frame or dicts the position + 2), ``cells``
    one per header. A CSV gives ``str`` ("" for empty), a workbook ``str``, ``int``,
    ``float``, ``bool``, ``date``, ``datetime`` or ``None``, a frame or dicts the values
    as held (a frame's NaN, NaT and NA as ``None``)."""

    line: int
    cells: tuple[Any, ...]


class SourceTable:
    """A table being read: its headers now, its rows as they are read.

    ``headers`` are as read, the BOM and surrounding spaces stripped, duplicates kept
    (the importer refuses them naming both positions); empty headers at the end of the
    header line are dropped with their column (Bitrix24 ends every line with ``;``).
    ``encoding`` and ``delimiter`` are what the file was read with (``None`` for a
    workbook, a frame or dicts). ``notes`` are sentences for the user about what was
    skipped or guessed; they are complete once the rows are read. Use it as a context
    manager, or call ``close`` (reading the last row closes it too).
    """

    def __init__(
        self,
        name: str,
        headers: tuple[str, ...],
        rows: Iterator[SourceRow],
        *,
        details: Any = None,
        notes: list[str] | None = None,
        close: Callable[[], None] | None = None,
    ) -> None:
        self.name = name
        self.headers = headers
        self.notes: list[str] = notes if notes is not None else []
        self._rows: Iterator[SourceRow] | None = rows
        self._details = details
        self._close = close

    @property
    def encoding(self) -> str | None:
        """The encoding read in; a CSV in plain ASCII says "utf-8" until a later byte
        shows otherwise (then a note says so)."""
        return getattr(self._details, "encoding", None)

    @property
    def delimiter(self) -> str | None:
        return getattr(self._details, "delimiter", None)

    def rows(self) -> Iterator[SourceRow]:
        """The data rows, once: a second call raises, since the file was read."""
        rows, self._rows = self._rows, None
        if rows is None:
            raise ValidationError(
                f"the rows of {self.name} were already read",
                hint="call read_table again to read them again",
            )
        return rows

    def close(self) -> None:
        close, self._close = self._close, None
        if close is not None:
            close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<SourceTable {self.name!r}: {len(self.headers)} columns>"


def read_table(
    source: Any,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
    name: str | None = None,
) -> SourceTable:
    """Open a table to import and read its headers; the rows follow on ``rows()``.

    ``source`` is a path (``str`` or ``os.PathLike``), a binary file object, ``bytes``,
    a pandas DataFrame, or an iterable of dicts (the headers are the first dict's keys,
    in order). A file is a workbook when its bytes are one (a ZIP, whatever its name),
    else CSV text (``.csv``, ``.txt``, ``.tsv``...). ``encoding`` and ``delimiter``
    override the detection for CSV; ``sheet`` picks a workbook's sheet by name or
    position from 0 (the first by default). ``name`` is how messages and notes name the
    source (the file's name by default). A file object stays open: its owner closes it.
    """
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            file = path.open("rb")
        except OSError as error:
            raise ValidationError(
                f"cannot be read: {error.strerror or error}",
                field="source",
                value=str(path),
                hint="check the path, and that it names a file you may read",
            ) from None
        try:
            return _from_file(
                file,
                name=name or path.name,
                encoding=encoding,
                delimiter=delimiter,
                sheet=sheet,
                suffix=path.suffix,
            )
        except BaseException:
            file.close()
            raise
    if isinstance(source, (bytes, bytearray, memoryview)):
        source = io.BytesIO(bytes(source))
        name = name or "<bytes>"
    if hasattr(source, "read"):
        return _from_file(
            source,
            name=name or _name_of(source),
            encoding=encoding,
            delimiter=delimiter,
            sheet=sheet,
            suffix=None,
        )
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(source, pandas.DataFrame):
        return _from_frame(source, name or "<frame>")
    if isinstance(source, Iterable) and not isinstance(source, (str, Mapping)):
        return _from_records(source, name or "<records>")
    raise ValidationError(
        f"cannot read a table from a {type(source).__name__}",
        hint="give a file path, a binary file object, a pandas DataFrame or a list of dicts",
    )


def _name_of(file: Any) -> str:
    name = getattr(file, "name", None)
    return Path(name).name if isinstance(name, str) else "<file>"


def _from_file(
    file: IO[Any],
    *,
    name: str,
    encoding: str | None,
    delimiter: str | None,
    sheet: str | int | None,
    suffix: str | None,
) -> SourceTable:
    owned = suffix is not None
    head = file.read(8)
    if isinstance(head, bytes) and head.startswith(_ZIP):
        book = _rewound(file, head)
        source: CsvSource | XlsxSource = XlsxSource(book, name=name, sheet=sheet)
    else:
        _refuse_other_formats(head, name, suffix)
        source = CsvSource(file, name=name, encoding=encoding, delimiter=delimiter, head=head)

    def close() -> None:
        source.close()
        if owned:
            file.close()

    rows = shaped(source, len(source.headers), SourceRow, done=close)
    return SourceTable(name, source.headers, rows, details=source, notes=source.notes, close=close)


def _rewound(file: IO[bytes], head: bytes) -> IO[bytes]:
    """The file from its start: a ZIP is read from its end, so it needs seeking."""
    if file.seekable():
        file.seek(file.tell() - len(head))
        return file
    return io.BytesIO(head + file.read())


def _refuse_other_formats(head: Any, name: str, suffix: str | None) -> None:
    if not isinstance(head, bytes):
        return
    if head.startswith(_OLE2):
        raise FormatError(
            "is an Excel 97-2003 workbook (.xls), which is not read",
            source=name,
            hint="open it in Excel and save it as .xlsx or as CSV UTF-8",
        )
    if suffix is not None and suffix.lower() in _WORKBOOK_SUFFIXES:
        raise FormatError(
            f"has the name of a workbook ({suffix}) but its bytes are not one",
            source=name,
            hint="open it in a spreadsheet and save it again as .xlsx, or export CSV",
        )


def _from_frame(frame: Any, name: str) -> SourceTable:
    headers = tuple(str(column) for column in frame.columns)

    def rows() -> Iterator[SourceRow]:
        for position, values in enumerate(frame.itertuples(index=False, name=None)):
            yield SourceRow(position + 2, tuple(_as_held(value) for value in values))

    return SourceTable(name, headers, rows())


def _as_held(value: Any) -> Any:
    """A frame's cell as Python holds it: NaN, NaT and NA as None, numpy scalars as
    ``int``/``float``/``bool``, a Timestamp as a ``datetime``."""
    kind = type(value)
    if value is None or kind.__name__ in _MISSING:
        return None
    if kind.__module__ == "numpy":
        value = value.item()
    elif kind.__name__ == "Timestamp":
        return value.to_pydatetime()
    if isinstance(value, float) and value != value:  # noqa: PLR0124 - NaN is unequal to itself
        return None
    return value


def _from_records(records: Iterable[Any], name: str) -> SourceTable:
    items = iter(records)
    first = next(items, None)
    if first is None:
        return SourceTable(name, (), iter(()))
    keys = tuple(_record(first, 2, name))
    return SourceTable(
        name, tuple(str(key) for key in keys), _record_rows(first, items, keys, name)
    )


def _record_rows(
    first: Mapping[Any, Any], items: Iterator[Any], keys: tuple[Any, ...], name: str
) -> Iterator[SourceRow]:
    known = frozenset(keys)
    yield SourceRow(2, tuple(first[key] for key in keys))
    for line, record in enumerate(items, start=3):
        if _record(record, line, name).keys() != known:
            extra = [key for key in record if key not in known]
            if extra:
                raise FormatError(
                    f"the record has the key {extra[0]!r}, which the first record lacks",
                    source=name,
                    line=line,
                    hint="give every record the keys of the first (None for no value)",
                )
        yield SourceRow(line, tuple(record.get(key) for key in keys))


def _record(record: Any, line: int, name: str) -> Mapping[Any, Any]:
    if not isinstance(record, Mapping):
        raise FormatError(
            f"the record is a {type(record).__name__}, not a dict",
            source=name,
            line=line,
            hint="give an iterable of dicts, one per row",
        )
    return record
