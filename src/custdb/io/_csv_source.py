"""A CSV file as a header and records, each with the physical line where it starts.

The text comes from ``_encoding`` 256 KiB at a time and is cut into physical lines
(at ``\\r\\n``, ``\\n`` or ``\\r`` only, as Excel and the csv module count them, not at
the other separators ``str.splitlines`` knows), so ``csv.reader.line_num`` counts
physical lines and a quoted cell spanning three lines moves the next record's line by
three. The delimiter is chosen among ``,`` ``;`` tab and ``|`` by parsing the first lines
with each and keeping the one that splits the header into the most columns with the
rows agreeing (csv.Sniffer guesses from character frequencies and picks the comma inside
"Москва, ул. Ленина" of a semicolon file). A quote left open to the end of the file
is found with a sentinel line fed after the last: it ends up inside the open cell.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from typing import IO, Any

from custdb.errors import FormatError, ValidationError
from custdb.io._encoding import CHUNK, DecodedText

__all__ = ["CsvSource"]

DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_LINES = 64
_SAMPLE_CHARS = 1 << 20
_SAMPLE_RECORDS = 20
_MAX_LINE = 8 << 20
_SENTINEL = "\ufdd0"
_FIELD_LIMIT = csv.field_size_limit()


class CsvSource:
    """The records of one CSV file after its header; ``records()`` is one pass."""

    unit = "line"
    empty = ""
    short_rows_are_footers = True
    errors: tuple[type[Exception], ...] = (csv.Error,)

    def __init__(
        self,
        stream: IO[bytes] | IO[str],
        *,
        name: str,
        encoding: str | None = None,
        delimiter: str | None = None,
        head: bytes | str = b"",
    ) -> None:
        self.name = name
        self.notes: list[str] = []
        self._text: DecodedText | None = None
        if isinstance(head, str):
            chunks: Iterable[str] = _text_chunks(head, stream)  # type: ignore[arg-type]
        else:
            self._text = DecodedText(
                stream,  # type: ignore[arg-type]
                name=name,
                encoding=encoding,
                head=head,
                notes=self.notes,
            )
            chunks = self._text.chunks()
        self.lines = _Lines(chunks, name)
        batches = self.lines.batches()
        sample, complete = _sample(batches)
        self.delimiter = _checked(delimiter) if delimiter else _detect(sample, complete=complete)
        self._reader = csv.reader(
            chain(sample, chain.from_iterable(batches), (_SENTINEL,)),
            delimiter=self.delimiter,
            strict=False,
        )
        self.counter = self._reader
        self.headers, self.header_end = self._header()

    @property
    def encoding(self) -> str | None:
        return self._text.encoding if self._text is not None else None

    def _header(self) -> tuple[tuple[str, ...], int]:
        reader, end = self._reader, 0
        try:
            for cells in reader:
                line, end = end + 1, reader.line_num
                if end > self.lines.total:
                    self.past_the_end(line, cells)
                    break
                headers = [cell.replace("\ufeff", "").strip() for cell in cells]
                if any(headers):
                    while not headers[-1]:
                        headers.pop()
                    return tuple(headers), end
        except csv.Error as error:
            raise self.unreadable(end + 1, error) from error
        raise FormatError(
            "there is no header line: the file is empty",
            source=self.name,
            hint="give a file whose first line names the columns",
        )

    def records(self) -> Iterator[list[str]]:
        return self._reader

    def is_blank(self, cells: Sequence[Any]) -> bool:
        for cell in cells:  # noqa: SIM110 - faster than all(): it runs for every row
            if cell and not cell.isspace():
                return False
        return True

    def overflow(self, line: int, cells: Sequence[Any], width: int) -> FormatError:
        shown = "tab" if self.delimiter == "\t" else repr(self.delimiter)
        return FormatError(
            f"{len(cells)} cells where the header has {width} columns",
            source=self.name,
            line=line,
            value=next(cell for cell in cells[width:] if cell.strip()),
            hint=f"put a cell that holds the delimiter {shown} in double quotes, "
            "or give the extra column a header",
        )

    def past_the_end(self, line: int, cells: Sequence[Any]) -> None:
        """The record that holds the sentinel fed after the last line: the sentinel
        alone, or a cell whose quote was never closed, with the sentinel at its end."""
        if list(cells) != [_SENTINEL]:
            raise FormatError(
                "a double quote opens a cell here and is never closed, so the rest of the "
                "file would be read into that cell",
                source=self.name,
                line=line,
                hint='close the quote, or double a quote that is part of the text ("")',
            )

    def unreadable(self, line: int, error: Exception) -> FormatError:
        if "field larger than field limit" in str(error):
            return FormatError(
                f"a cell longer than {_FIELD_LIMIT} characters starts here: most likely "
                "a double quote is not closed",
                source=self.name,
                line=line,
                hint='close the quote, or double a quote that is part of the text ("")',
            )
        return FormatError(f"cannot be read as CSV: {error}", source=self.name, line=line)

    def close(self) -> None:
        """Nothing to release: the stream belongs to whoever opened it."""


def _text_chunks(head: str, stream: IO[str]) -> Iterator[str]:
    """The text of a stream opened in text mode (decoded by its owner)."""
    chunk = head + stream.read(CHUNK)
    while chunk:
        if "\x00" in chunk:
            raise FormatError(
                "a NUL character: this is binary, not CSV text",
                hint="give a CSV, TSV or .xlsx file",
            )
        yield chunk
        chunk = stream.read(CHUNK)


class _Lines:
    """Physical lines with their endings, cut at ``\r\n``, ``\n`` and ``\r`` only
    (a ``\r`` ending a chunk waits for the next one, which may start with ``\n``), in
    batches so that csv.reader pulls them through ``chain`` without a Python call per
    line. ``total`` is the number of lines, known once the last batch is out."""

    __slots__ = ("_chunks", "_name", "total")

    def __init__(self, chunks: Iterable[str], name: str) -> None:
        self._chunks = chunks
        self._name = name
        self.total = sys.maxsize

    def batches(self) -> Iterator[list[str]]:
        carry = ""
        number = 0
        for chunk in self._chunks:
            lines = io.StringIO(carry + chunk if carry else chunk, newline="").readlines()
            carry = lines.pop()
            if carry[-1] == "\n":
                lines.append(carry)
                carry = ""
            elif len(carry) > _MAX_LINE:
                raise FormatError(
                    f"a line longer than {_MAX_LINE >> 20} MB: this is not CSV text",
                    source=self._name,
                    line=number + len(lines) + 1,
                    hint="give a CSV file whose rows end with line breaks",
                )
            number += len(lines)
            yield lines
        if carry:
            number += 1
            yield [carry]
        self.total = number


def _sample(batches: Iterator[list[str]]) -> tuple[list[str], bool]:
    """The first batches of lines, at least 64 lines or 1 MiB unless the file is
    shorter, and whether they are the whole file."""
    sample: list[str] = []
    size = 0
    for lines in batches:
        sample += lines
        size += sum(map(len, lines))
        if len(sample) >= _SAMPLE_LINES or size >= _SAMPLE_CHARS:
            return sample, False
    return sample, True


def _detect(sample: list[str], *, complete: bool) -> str:
    """The delimiter whose split of the first records agrees most, then gives the
    header the most columns; a comma when none splits the header at all."""
    if len(sample) > _SAMPLE_LINES:
        sample, complete = sample[:_SAMPLE_LINES], False
    best, chosen = (0.0, 0), ","
    for delimiter in DELIMITERS:
        try:
            records = [r for r in csv.reader(sample, delimiter=delimiter, strict=False) if r]
        except csv.Error:
            continue
        if not complete and len(records) > 1:
            records.pop()
        records = records[:_SAMPLE_RECORDS]
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        rows = records[1:]
        agree = sum(1 for row in rows if len(row) == width) / len(rows) if rows else 1.0
        if (agree, width) > best:
            best, chosen = (agree, width), delimiter
    return chosen


def _checked(delimiter: str) -> str:
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise ValidationError(
            "is not a delimiter",
            value=delimiter,
            hint='give one character other than a quote or line break, such as ";"',
        )
    return delimiter
