"""Readers of tables to import (I1): CSV in the encodings and shapes real exports take,
XLSX with real date cells, DataFrames and dicts; rows stream with their physical lines
(I3: a reject names the line the user sees) and what cannot be read is a FormatError
that names the file, the line and the byte.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import custdb
from custdb.errors import FormatError, ValidationError
from custdb.io.tables import SourceRow, SourceTable, read_table


def read(source: Any, **options: Any) -> tuple[SourceTable, list[SourceRow]]:
    with read_table(source, **options) as table:
        return table, list(table.rows())


def cells(rows: list[SourceRow]) -> list[tuple[Any, ...]]:
    return [row.cells for row in rows]


def lines(rows: list[SourceRow]) -> list[int]:
    return [row.line for row in rows]


def naive(*parts: int) -> dt.datetime:
    """A date and time as a workbook or a frame holds it: without a time zone."""
    return dt.datetime(*parts)  # noqa: DTZ001


def write(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- the shapes real files take ---------------------------------------------------------


def test_bitrix24_cp1251_with_a_semicolon_at_the_end_of_every_line(tmp_path: Path) -> None:
    """I1: cp1251, ";" and the trailing ";" of a Bitrix24 export: the empty last column
    is dropped, cells are read in Cyrillic."""
    path = write(
        tmp_path / "contacts.csv",
        "ID;Фамилия;Имя;Рабочий телефон;Дата рождения;\r\n"
        "17;Иванов;Иван;8 (912) 345-67-89;01.02.1990;\r\n"
        "18;Пётрова;Анна;;;\r\n",
        "cp1251",
    )
    table, rows = read(path)
    assert table.name == "contacts.csv"
    assert table.headers == ("ID", "Фамилия", "Имя", "Рабочий телефон", "Дата рождения")
    assert (table.encoding, table.delimiter) == ("cp1251", ";")
    assert cells(rows) == [
        ("17", "Иванов", "Иван", "8 (912) 345-67-89", "01.02.1990"),
        ("18", "Пётрова", "Анна", "", ""),
    ]
    assert lines(rows) == [2, 3]
    assert any("cp1251" in note for note in table.notes)


def test_a_value_under_the_dropped_empty_header_is_refused(tmp_path: Path) -> None:
    """I1: a trailing empty header drops the column only while it stays empty."""
    path = write(tmp_path / "b.csv", "ID;Имя;\r\n1;Иван;\r\n2;Анна;лишнее\r\n", "cp1251")
    with read_table(path) as table, pytest.raises(FormatError) as caught:
        list(table.rows())
    assert caught.value.line == 3
    assert "b.csv, line 3" in str(caught.value)
    assert "'лишнее'" in str(caught.value)
    assert "header" in str(caught.value)


def test_utf8_with_a_bom_as_excel_csv_utf8_writes_it(tmp_path: Path) -> None:
    """I1: the BOM is not part of the first header."""
    path = tmp_path / "hubspot.csv"
    path.write_text("Record ID,First Name,Email\r\n1,Zoë,z@example.com\r\n", encoding="utf-8-sig")
    table, rows = read(path)
    assert table.headers == ("Record ID", "First Name", "Email")
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ",")
    assert cells(rows) == [("1", "Zoë", "z@example.com")]
    assert table.notes == []


def test_utf16_tab_separated_as_excel_unicode_text_writes_it(tmp_path: Path) -> None:
    """I1: Excel's "Unicode text": UTF-16 LE with a BOM, tabs, CRLF, cells with a tab
    or a line break quoted."""
    text = (
        "Имя\tТелефон\tЗаметка\r\n"
        'Иван\t+7 912 345-67-89\t"строка 1\nстрока 2"\r\n'
        'Анна\t+7 912 000-00-00\t"a\tb, c; d"\r\n'
    )
    path = write(tmp_path / "unicode.txt", text, "utf-16")
    assert path.read_bytes().startswith(b"\xff\xfe")
    table, rows = read(path)
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.headers == ("Имя", "Телефон", "Заметка")
    assert cells(rows) == [
        ("Иван", "+7 912 345-67-89", "строка 1\nстрока 2"),
        ("Анна", "+7 912 000-00-00", "a\tb, c; d"),
    ]
    assert lines(rows) == [2, 4]


def test_utf16_big_endian_and_utf32_with_their_bom(tmp_path: Path) -> None:
    for encoding, reported in (("utf-16-be", "utf-16"), ("utf-32", "utf-32")):
        bom = "\ufeff" if encoding != "utf-32" else ""
        path = write(tmp_path / "u.csv", f"{bom}a;b\n1;ё\n", encoding)
        table, rows = read(path)
        assert (table.encoding, table.headers, cells(rows)) == (reported, ("a", "b"), [("1", "ё")])


def test_salesforce_report_footer_is_skipped_with_a_note(tmp_path: Path) -> None:
    """I1: a Salesforce report export ends with an empty line, the report's name, the
    copyright, the confidentiality line, who generated it and the company; none of it
    is data."""
    data = "".join(f'"Contact {i}","c{i}@example.com","Acme"\n' for i in range(3))
    footer = (
        "\n"
        "\n"
        '"Contacts by Account"\n'
        '"Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved."\n'
        '"Confidential Information - Do Not Distribute"\n'
        '"Generated By:  Dana Scully  9/8/2025 11:22 AM"\n'
        '"Acme Corporation"\n'
    )
    path = tmp_path / "report1700000000000.csv"
    path.write_text('"Full Name","Email","Account Name"\n' + data + footer, encoding="utf-8")
    table, rows = read(path)
    assert cells(rows) == [(f"Contact {i}", f"c{i}@example.com", "Acme") for i in range(3)]
    assert table.notes == [
        "skipped 7 lines after line 4: not data (a report's footer, beginning 'Contacts by Account')"
    ]


def test_salesforce_grand_totals_footer(tmp_path: Path) -> None:
    """I1: the summary form: "Grand Totals (N records)" between empty lines."""
    text = (
        "First Name,Last Name,Email\n"
        "Ann,Lee,ann@example.com\n"
        "Bob,Ray,bob@example.com\n"
        "\n"
        '"Grand Totals (2 records)"\n'
        "\n"
        '"Confidential Information - Do Not Distribute"\n'
        '"Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved."\n'
    )
    table, rows = read(write(tmp_path / "r.csv", text, "utf-8"))
    assert lines(rows) == [2, 3]
    assert len(table.notes) == 1
    assert "after line 3" in table.notes[0]
    assert "Grand Totals (2 records)" in table.notes[0]


def test_one_cell_lines_followed_by_data_are_data(tmp_path: Path) -> None:
    """I1: only what runs to the end of the file is a footer; short lines in the middle
    are rows whose missing cells are empty (and a note says so)."""
    text = "Name,Email,City\nAnn,a@x.org,Oslo\n\nBob\nCid,c@x.org,Bergen\n"
    table, rows = read(write(tmp_path / "m.csv", text, "utf-8"))
    assert cells(rows) == [
        ("Ann", "a@x.org", "Oslo"),
        ("Bob", "", ""),
        ("Cid", "c@x.org", "Bergen"),
    ]
    assert lines(rows) == [2, 4, 5]
    assert "skipped 1 empty line inside the data (the first is line 3)" in table.notes
    assert any("fewer cells than the header (the first is line 4)" in n for n in table.notes)


def test_a_last_row_after_an_empty_line_is_kept_when_it_has_every_cell(tmp_path: Path) -> None:
    text = "Name,Email,City\nAnn,a@x.org,Oslo\n\nBob,,\n"
    table, rows = read(write(tmp_path / "m.csv", text, "utf-8"))
    assert cells(rows) == [("Ann", "a@x.org", "Oslo"), ("Bob", "", "")]
    assert not any("footer" in note for note in table.notes)


def test_a_one_column_file_keeps_its_last_rows_unless_they_say_footer(tmp_path: Path) -> None:
    text = "Email\na@x.org\n\nb@x.org\n"
    assert cells(read(write(tmp_path / "e.csv", text, "utf-8"))[1]) == [("a@x.org",), ("b@x.org",)]
    text = "Email\na@x.org\n\nConfidential Information - Do Not Distribute\n"
    table, rows = read(write(tmp_path / "f.csv", text, "utf-8"))
    assert cells(rows) == [("a@x.org",)]
    assert "footer" in table.notes[0]


def test_multiline_quoted_cells_keep_physical_line_numbers(tmp_path: Path) -> None:
    """I3: a row's line is where it starts in the file (header = 1), so a reject file
    points at the line an editor shows."""
    text = (
        "Name,Notes,Phone\r\n"
        'Ann,"first\r\nsecond\r\nthird",1\r\n'
        'Bob,"one ""quoted"" word",2\r\n'
        "\r\n"
        'Cid,"a\n\nb",3\r\n'
        "Dan,,4"
    )
    _, rows = read(write(tmp_path / "ml.csv", text, "utf-8"))
    assert lines(rows) == [2, 5, 7, 10]
    assert cells(rows) == [
        ("Ann", "first\r\nsecond\r\nthird", "1"),
        ("Bob", 'one "quoted" word', "2"),
        ("Cid", "a\n\nb", "3"),
        ("Dan", "", "4"),
    ]


def test_old_mac_line_endings_count_as_lines(tmp_path: Path) -> None:
    _, rows = read(write(tmp_path / "cr.csv", "a,b\r1,2\r\r3,4\r", "utf-8"))
    assert (cells(rows), lines(rows)) == ([("1", "2"), ("3", "4")], [2, 4])


def test_line_numbers_stay_right_across_chunks(tmp_path: Path) -> None:
    """I3: lines and a ``\\r\\n`` split between two reads of 256 KiB are not lost."""
    body = "".join(
        f'{i},"x\r\ny",{"z" * (i % 97)}\r\n' if i % 10 == 0 else f"{i},y,{'z' * (i % 97)}\r\n"
        for i in range(20_000)
    )
    path = write(tmp_path / "big.csv", "n,a,b\r\n" + body, "utf-8")
    _, rows = read(path)
    expected, line = [], 2
    for i in range(20_000):
        expected.append(line)
        line += 2 if i % 10 == 0 else 1
    assert lines(rows) == expected
    assert [row.cells[0] for row in rows] == [str(i) for i in range(20_000)]
    assert all(row.cells[1] == ("x\r\ny" if i % 10 == 0 else "y") for i, row in enumerate(rows))


def test_headers_are_stripped_and_duplicates_kept(tmp_path: Path) -> None:
    """I2: the importer refuses duplicate headers, so the reader must keep them."""
    table, _ = read(write(tmp_path / "d.csv", " Email ;Телефон;Email\n1;2;3\n", "utf-8"))
    assert table.headers == ("Email", "Телефон", "Email")


def test_leading_empty_lines_before_the_header(tmp_path: Path) -> None:
    _, rows = read(write(tmp_path / "l.csv", "\n\nName,Phone\nAnn,1\n", "utf-8"))
    assert (cells(rows), lines(rows)) == ([("Ann", "1")], [4])


def test_a_header_without_rows_is_a_table_without_rows(tmp_path: Path) -> None:
    table, rows = read(write(tmp_path / "h.csv", "Name;Phone\n", "utf-8"))
    assert (table.headers, rows) == (("Name", "Phone"), [])


# --- what sources are accepted ----------------------------------------------------------


def test_a_binary_file_object_is_read_and_left_open() -> None:
    stream = io.BytesIO("Имя;Телефон\nИван;1\n".encode("cp1251"))
    table, rows = read(stream, name="upload.csv")
    assert (table.name, table.encoding, cells(rows)) == ("upload.csv", "cp1251", [("Иван", "1")])
    assert not stream.closed


def test_a_text_stream_is_read_as_it_is_decoded() -> None:
    table, rows = read(io.StringIO("a;b\n1;ё\n"))
    assert (table.encoding, table.name, cells(rows)) == (None, "<file>", [("1", "ё")])


def _open_files() -> list[str]:
    fds = Path("/proc/self/fd")
    return [str(fd.readlink()) for fd in fds.iterdir() if fd.is_symlink()]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_a_path_is_closed_after_the_rows_or_on_close(tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", "a,b\n1,2\n", "utf-8")
    table = read_table(path)
    rows = table.rows()
    next(rows)
    assert str(path) in _open_files()
    assert list(rows) == []
    assert str(path) not in _open_files()
    with read_table(path):
        assert str(path) in _open_files()
    assert str(path) not in _open_files()


def test_rows_are_read_once() -> None:
    with read_table(b"a,b\n1,2\n") as table:
        list(table.rows())
        with pytest.raises(ValidationError, match="already read"):
            table.rows()


def test_something_that_is_no_table_is_refused() -> None:
    with pytest.raises(ValidationError, match="cannot read a table from a int"):
        read_table(42)


# --- frames and dicts -------------------------------------------------------------------


def test_a_dataframe_gives_python_values_and_none_for_missing() -> None:
    """I1: NaN, NaT and NA are None; numpy scalars and Timestamps are Python's own."""
    frame = pd.DataFrame(
        {
            "name": ["Ann", None],
            "score": [1.5, np.nan],
            "seen": pd.to_datetime(["2024-05-06 13:45", None]),
            "count": pd.array([3, None], dtype="Int64"),
            "vip": [True, False],
        },
        index=[10, 20],
    )
    table, rows = read(frame)
    assert (table.name, table.headers) == ("<frame>", ("name", "score", "seen", "count", "vip"))
    assert lines(rows) == [2, 3]
    assert cells(rows) == [
        ("Ann", 1.5, naive(2024, 5, 6, 13, 45), 3, True),
        (None, None, None, None, False),
    ]
    assert [type(value) for value in rows[0].cells] == [str, float, dt.datetime, int, bool]


def test_a_dataframe_keeps_duplicate_columns() -> None:
    frame = pd.DataFrame([[1, 2]], columns=["Email", "Email"])
    assert read(frame)[0].headers == ("Email", "Email")


def test_dicts_stream_with_the_first_ones_keys() -> None:
    consumed = []

    def records() -> Iterator[dict[str, Any]]:
        for i in range(3):
            consumed.append(i)
            yield {"name": f"n{i}", "email": f"e{i}"} if i != 1 else {"name": "n1"}

    with read_table(records()) as table:
        assert table.headers == ("name", "email")
        assert consumed == [0]
        rows = list(table.rows())
    assert (lines(rows), cells(rows)) == ([2, 3, 4], [("n0", "e0"), ("n1", None), ("n2", "e2")])


def test_a_dict_with_a_key_the_first_lacks_is_refused() -> None:
    with read_table([{"a": 1}, {"a": 2, "b": 3}]) as table, pytest.raises(FormatError) as caught:
        list(table.rows())
    assert caught.value.line == 3
    assert "'b'" in str(caught.value)
    with read_table([{"a": 1}, [1]]) as table, pytest.raises(FormatError, match="not a dict"):
        list(table.rows())


def test_no_dicts_is_an_empty_table() -> None:
    table, rows = read([])
    assert (table.name, table.headers, rows) == ("<records>", (), [])


# --- streaming --------------------------------------------------------------------------


def test_memory_stays_flat_reading_a_50_mb_file(tmp_path: Path) -> None:
    """I1: reading streams: a 50 MB cp1251 file with multi-line cells is read in a fresh
    process whose peak memory grows by far less than the file."""
    path = tmp_path / "big.csv"
    block = "".join(
        f'Иванов{i};Иван;ivan{i}@example.ru;8 (912) 345-{i % 100:02d}-89;"строка\nвторая"\r\n'
        if i % 50 == 0
        else f"Иванов{i};Иван;ivan{i}@example.ru;8 (912) 345-{i % 100:02d}-89;\r\n"
        for i in range(10_000)
    ).encode("cp1251")
    with path.open("wb") as out:
        out.write("Фамилия;Имя;E-mail;Телефон;Заметка\r\n".encode("cp1251"))
        for _ in range(50_000_000 // len(block) + 1):
            out.write(block)
    size = path.stat().st_size
    assert size > 50_000_000
    code = (
        "import resource, sys\n"
        "from custdb.io.tables import read_table\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "with read_table(sys.argv[1]) as table:\n"
        "    count = sum(1 for row in table.rows())\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(count, (after - before) * 1024, table.encoding)\n"
    )
    src = str(Path(custdb.__file__).parents[1])
    result = subprocess.run(  # noqa: S603 - our own interpreter, our own code
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": src},
    )
    count, grown, encoding = result.stdout.split()
    assert int(count) == (50_000_000 // len(block) + 1) * 10_000
    assert encoding == "cp1251"
    assert int(grown) < 24 * 2**20, f"peak memory grew by {int(grown) >> 20} MB"


# --- properties -------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [b'"', b",", b";", b"\t", b"|", b"\n", b"\r", b"\r\n", b" ", b"a", b"1", b"\xd0\x98",
     b"\xc8", b"\x98", b"\x81", b"\xff\xfe", b"\xef\xbb\xbf", b"\x00", b"PK\x03\x04", b"\xe2\x80"]
)  # fmt: skip
_BYTES = st.one_of(st.binary(max_size=300), st.lists(_PIECES, max_size=80).map(b"".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_BYTES)
def test_any_bytes_are_read_or_refused_with_a_format_error(data: bytes) -> None:
    """I1: whatever the bytes, reading them ends in rows or a FormatError, never in
    anything else."""
    refused: FormatError | None = None
    try:
        with read_table(data) as table:
            rows = list(table.rows())
    except FormatError as error:
        refused = error
    if refused is not None:
        assert str(refused)
    else:
        assert all(len(row.cells) == len(table.headers) for row in rows)
        assert all(isinstance(row.line, int) and row.line >= 2 for row in rows)
        assert [row.line for row in rows] == sorted({row.line for row in rows})


def test_a_path_that_cannot_be_opened_is_named_in_the_error(tmp_path: Path) -> None:
    for path in (tmp_path / "nope.csv", tmp_path):
        with pytest.raises(ValidationError) as caught:
            read_table(path)
        assert (caught.value.field, caught.value.value) == ("source", str(path))
