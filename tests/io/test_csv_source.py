"""CSV records (I1): the delimiter detected among , ; tab and |, broken files refused
with the line at fault, and whatever csv.writer writes read back as written."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custdb.errors import FormatError, ValidationError
from custdb.io.tables import SourceRow, SourceTable, read_table


def read(source: Any, **options: Any) -> tuple[SourceTable, list[SourceRow]]:
    with read_table(source, **options) as table:
        return table, list(table.rows())


def cells(rows: list[SourceRow]) -> list[tuple[Any, ...]]:
    return [row.cells for row in rows]


def lines(rows: list[SourceRow]) -> list[int]:
    return [row.line for row in rows]


# --- delimiters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "delimiter", "first"),
    [
        (
            "ФИО;Адрес;Сумма покупок\nИванов И.;Москва, ул. Ленина, 1;1234,50\nПетров П.;Казань, пр. Мира, 2;10,00\n",
            ";",
            ("Иванов И.", "Москва, ул. Ленина, 1", "1234,50"),
        ),
        (
            'Name,Tags,Note\nAnn,"a;b;c",x;y\nBob,"d;e",z|w\n',
            ",",
            ("Ann", "a;b;c", "x;y"),
        ),
        ("Name|Email|Phone\nAnn|a@x.org|1, 2; 3\n", "|", ("Ann", "a@x.org", "1, 2; 3")),
        ("Name\tEmail\nAnn, Lee\ta@x.org\n", "\t", ("Ann, Lee", "a@x.org")),
        (
            "Name;Sales, RUB;Phone\nAnn;1,5;1\nBob;2,25;2\nCid;3;3\n",
            ";",
            ("Ann", "1,5", "1"),
        ),
    ],
)
def test_the_delimiter_is_detected(text: str, delimiter: str, first: tuple[str, ...]) -> None:
    """I1: the delimiter that splits the header and the rows alike, not the one a
    character count suggests."""
    table, rows = read(text.encode())
    assert table.delimiter == delimiter
    assert rows[0].cells == first


def test_a_given_delimiter_overrides_detection() -> None:
    table, rows = read(b"a;b,c\n1;2,3\n", delimiter=";")
    assert (table.delimiter, table.headers, rows[0].cells) == (";", ("a", "b,c"), ("1", "2,3"))
    with pytest.raises(ValidationError, match="delimiter"):
        read_table(b"a,b\n", delimiter=";;")


def test_one_column_has_the_comma_as_delimiter() -> None:
    table, rows = read(b"Email\na@x.org\n")
    assert (table.delimiter, table.headers, cells(rows)) == (",", ("Email",), [("a@x.org",)])


# --- broken CSV -------------------------------------------------------------------------


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    for content in (b"", b"\r\n\r\n", b" ; \n"):
        path = tmp_path / "empty.csv"
        path.write_bytes(content)
        with pytest.raises(FormatError, match=r"^empty.csv: there is no header line"):
            read_table(path)


def test_an_unclosed_quote_names_the_line_it_opens() -> None:
    data = b'Name,Note\nAnn,"ok"\nBob,"never closed\nCid,x\n'
    with read_table(data) as table, pytest.raises(FormatError) as caught:
        list(table.rows())
    assert caught.value.line == 3
    assert "never closed" in str(caught.value)


def test_a_huge_cell_from_a_stray_quote_is_a_format_error() -> None:
    data = b'a,b\n1,"' + b"x\n" * 100_000 + b'"\n'
    with read_table(data) as table, pytest.raises(FormatError) as caught:
        list(table.rows())
    assert caught.value.line == 2
    assert "double quote" in str(caught.value)


def test_a_row_longer_than_the_header_is_refused() -> None:
    with read_table(b"a;b\n1;2\n3;4;5\n") as table, pytest.raises(FormatError) as caught:
        list(table.rows())
    assert caught.value.line == 3
    assert "3 cells where the header has 2 columns" in str(caught.value)


def test_a_file_without_line_breaks_is_refused() -> None:
    with pytest.raises(FormatError, match="line longer than"):
        read_table(b"a" * (9 << 20))


# --- properties ------------------------------------------------------------------------

_TEXT = st.text(st.sampled_from(list("abcXYZ019 ,;|\t\"'\n\rабвЖЁé€—")), min_size=0, max_size=12)
_CYRILLIC_TEXT = st.lists(
    st.sampled_from(
        ["Иванов", "пётр", "ЁЛКА", "МегаФон", "СПб", "ул.", "№", "5", "—", ",", ";", '"', "\n"]
    ),
    max_size=6,
).map(" ".join)
"""Words as Russian text has them: a few bytes of cp1251 can be valid UTF-8 ("ЖЁ" is
C6 A8, "ƨ"), and "аЁ" is no word; a real file's first Cyrillic line settles it."""


@st.composite
def _tables(
    draw: st.DrawFn, text: st.SearchStrategy[str], names: tuple[str, ...] = ("col",)
) -> list[list[str]]:
    width = draw(st.integers(min_value=2, max_value=5))
    headers = [f"{draw(st.sampled_from(names))}{i}" for i in range(width)]
    rows = draw(st.lists(st.lists(text, min_size=width, max_size=width), max_size=8))
    return [headers, *[row for row in rows if "".join(row).strip()]]


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([",", ";", "\t", "|"]),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    _tables(_TEXT),
)
def test_what_csv_writer_writes_is_read_back(
    delimiter: str, encoding: str, table: list[list[str]]
) -> None:
    """I1: any cells (quotes, delimiters, line breaks), in any of the encodings and
    delimiters, come back as written."""
    _round_trip(delimiter, encoding, table)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([",", ";"]), _tables(_CYRILLIC_TEXT, ("Фамилия", "Телефон", "Код")))
def test_what_csv_writer_writes_in_cp1251_is_read_back(
    delimiter: str, table: list[list[str]]
) -> None:
    _round_trip(delimiter, "cp1251", table)


def _round_trip(delimiter: str, encoding: str, table: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(table)
    source, rows = read(buffer.getvalue().encode(encoding))
    assert source.delimiter == delimiter
    assert source.headers == tuple(table[0])
    assert cells(rows) == [tuple(row) for row in table[1:]]
    expected, line = [], 2
    for row in table[1:]:
        expected.append(line)
        line += sum(cell.count("\n") + cell.replace("\r\n", "\n").count("\r") for cell in row) + 1
    assert lines(rows) == expected
