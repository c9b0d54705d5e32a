"""Which encoding a CSV file's bytes are in (I1): a BOM, strict UTF-8, then cp1251 or
cp1252 only where the letters read as words; a FormatError naming the byte offset when
none fits, and an explicit encoding that overrides the guess."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from custdb.errors import FormatError, ValidationError
from custdb.io.tables import SourceRow, SourceTable, read_table


def read(source: Any, **options: Any) -> tuple[SourceTable, list[SourceRow]]:
    with read_table(source, **options) as table:
        return table, list(table.rows())


def cells(rows: list[SourceRow]) -> list[tuple[Any, ...]]:
    return [row.cells for row in rows]


def write(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- encodings --------------------------------------------------------------------------


def test_cp1252_from_a_western_excel(tmp_path: Path) -> None:
    """I1: Excel's plain "CSV" on a German or Spanish Windows writes cp1252."""
    text = "Name;Straße;Teléfono\r\nJürgen Müller;Hauptstraße 5;+34 912 34 56 78\r\n"
    table, rows = read(write(tmp_path / "de.csv", text, "cp1252"))
    assert table.encoding == "cp1252"
    assert table.headers == ("Name", "Straße", "Teléfono")
    assert rows[0].cells[:2] == ("Jürgen Müller", "Hauptstraße 5")


def test_plain_english_with_curly_quotes_in_cp1252_is_not_called_cyrillic() -> None:
    table, rows = read("Name,Note\nAnn,O’Brien – ok\n".encode("cp1252"))
    assert table.encoding == "cp1252"
    assert rows[0].cells == ("Ann", "O’Brien – ok")


def test_ascii_then_cp1251_late_in_the_file_is_still_read(tmp_path: Path) -> None:
    """I1: nothing is decided while the bytes are ASCII: a file sorted with its Latin
    names first switches to cp1251 where the first Cyrillic byte shows."""
    ascii_rows = "".join(f"{i};Smith;s{i}@example.com\r\n" for i in range(40_000))
    text = "id;name;email\r\n" + ascii_rows + "40000;Иванов;ivanov@example.ru\r\n"
    path = write(tmp_path / "late.csv", text, "cp1251")
    with read_table(path) as table:
        assert table.encoding == "utf-8"  # plain ASCII so far
        rows = list(table.rows())
        assert table.encoding == "cp1251"
        assert any("cp1251" in note for note in table.notes)
    assert rows[-1].cells == ("40000", "Иванов", "ivanov@example.ru")
    assert rows[-1].line == 40_002


def test_undecodable_bytes_name_the_offset_and_line(tmp_path: Path) -> None:
    """I1: bytes no encoding fits: 0x98 is not cp1251, 0x81 not cp1252."""
    path = tmp_path / "bad.csv"
    path.write_bytes(b"name,phone\nAnn,\x98\x81\n")
    with pytest.raises(FormatError) as caught:
        read_table(path)
    error = caught.value
    assert (error.source, error.line, error.offset) == ("bad.csv", 2, 15)
    assert str(error).startswith("bad.csv, line 2, byte 15: the byte 0x98 is not text in UTF-8")
    assert "encoding" in str(error)
    assert isinstance(error, ValidationError)


def test_random_bytes_are_not_taken_for_cyrillic() -> None:
    """cp1251 decodes almost any byte; the letters must look like words to count."""
    noise = bytes(range(128, 256)) * 64
    with pytest.raises(FormatError) as caught:
        read_table(b"a,b\n1," + noise + b"\n")
    assert caught.value.offset == 6


def test_utf8_that_breaks_later_is_a_mixed_file(tmp_path: Path) -> None:
    good = "".join(f"{i};Иванов\n" for i in range(20_000)).encode()
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"id;name\n" + good + "1;Петров\n".encode("cp1251"))
    with read_table(path) as table, pytest.raises(FormatError) as caught:
        list(table.rows())
    error = caught.value
    assert error.line == 20_002
    assert error.offset == len(b"id;name\n" + good) + 2
    assert "mixes encodings" in str(error)


def test_a_given_encoding_overrides_detection() -> None:
    data = "имя;город\nиван;москва\n".encode("koi8-r")
    table, rows = read(data, encoding="koi8-r")
    assert (table.encoding, table.headers, rows[0].cells) == (
        "koi8-r",
        ("имя", "город"),
        ("иван", "москва"),
    )
    with pytest.raises(FormatError, match=r"byte 9: the byte 0xff is not valid utf-8"):
        read_table(b"a,b\n1,2\nx\xff", encoding="utf-8")
    with pytest.raises(ValidationError, match="not an encoding"):
        read_table(b"a,b\n", encoding="no-such-codec")


def test_a_given_utf8_skips_the_bom() -> None:
    table, _ = read("\ufeffa,b\n".encode(), encoding="utf-8")
    assert (table.headers, table.encoding) == (("a", "b"), "utf-8-sig")


def test_utf16_without_a_bom_is_recognised_by_its_zero_bytes() -> None:
    table, rows = read("Name\tPhone\r\nAnn\t1\r\n".encode("utf-16-le"))
    assert (table.encoding, table.headers, cells(rows)) == (
        "utf-16-le",
        ("Name", "Phone"),
        [("Ann", "1")],
    )


def test_binary_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=r"byte 3: a NUL byte"):
        read_table(b"a,b\x00\x01\x02\x03\n")
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(FormatError, match=r"old.xls: is an Excel 97-2003 workbook"):
        read_table(path)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("a,b\n1,2\n")
    with pytest.raises(FormatError, match="not one"):
        read_table(fake)
