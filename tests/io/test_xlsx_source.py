"""XLSX sheets through openpyxl's read-only mode (I1): real date cells, sheets by name
or position, trailing empty rows and columns dropped, a missing openpyxl named."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from custdb.errors import FormatError, MissingDependencyError, ValidationError
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


# --- XLSX -------------------------------------------------------------------------------


def _workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Контакты"
    sheet.append(["Фамилия", "Дата рождения", "Создан", "Полночь", "Сумма", "Клиент", "Код"])
    sheet.append(["Иванов", dt.date(1990, 2, 1), naive(2024, 5, 6, 13, 45), None, 1234.5])
    sheet.append([])
    sheet.append(["Петрова", dt.date(1985, 12, 31), None, naive(2024, 1, 2), 10, True, 7])
    sheet["B2"].number_format = "DD.MM.YYYY"
    sheet["B4"].number_format = '[$-419]DD MMMM YYYY" г."'
    sheet["D4"].number_format = "dd.mm.yyyy hh:mm"
    sheet["I2"].font = openpyxl.styles.Font(bold=True)  # formatted, empty: not a column
    sheet["A9"].fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")
    sheet["A10"] = "   "
    other = book.create_sheet("Компании")
    other.append(["Название", "ИНН"])
    other.append(["ООО Ромашка", "7707083893"])
    book.save(path)
    return path


def test_xlsx_with_real_date_cells(tmp_path: Path) -> None:
    """I1: an amoCRM-style workbook: date cells come back as dates, a date-time as a
    datetime (even at midnight, when its format shows the time), numbers as numbers;
    the empty row is skipped, trailing empty rows and columns are dropped."""
    table, rows = read(_workbook(tmp_path / "amocrm.xlsx"))
    assert table.headers == (
        "Фамилия",
        "Дата рождения",
        "Создан",
        "Полночь",
        "Сумма",
        "Клиент",
        "Код",
    )
    assert (table.encoding, table.delimiter) == (None, None)
    assert lines(rows) == [2, 4]
    assert cells(rows) == [
        ("Иванов", dt.date(1990, 2, 1), naive(2024, 5, 6, 13, 45), None, 1234.5, None, None),
        ("Петрова", dt.date(1985, 12, 31), None, naive(2024, 1, 2), 10, True, 7),
    ]
    assert type(rows[0].cells[1]) is dt.date
    assert type(rows[1].cells[6]) is int
    assert table.notes == ["skipped 1 empty row inside the data (the first is row 3)"]


def test_xlsx_sheet_by_name_or_position(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "book.xlsx")
    by_name, rows = read(path, sheet="Компании")
    assert (by_name.headers, cells(rows)) == (("Название", "ИНН"), [("ООО Ромашка", "7707083893")])
    assert read(path, sheet=1)[0].headers == ("Название", "ИНН")
    assert read(path, sheet=0)[0].headers[0] == "Фамилия"
    with pytest.raises(ValidationError, match=r"no sheet 'Deals'.*'Контакты', 'Компании'"):
        read_table(path, sheet="Deals")


def test_xlsx_is_recognised_by_its_bytes_whatever_its_name(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "book.xlsx")
    renamed = tmp_path / "export.csv"
    renamed.write_bytes(path.read_bytes())
    assert read(renamed)[0].headers[0] == "Фамилия"
    assert read(io.BytesIO(path.read_bytes()))[0].headers[0] == "Фамилия"


def test_xlsx_value_in_a_column_without_header(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Name", "Email"])
    book.active.append(["Ann", "a@x.org", None, "note"])
    book.save(tmp_path / "x.xlsx")
    with read_table(tmp_path / "x.xlsx") as table, pytest.raises(FormatError) as caught:
        list(table.rows())
    assert caught.value.line == 2
    assert "column D, which has no header" in str(caught.value)


def test_xlsx_report_footer_needs_its_words(tmp_path: Path) -> None:
    """I1: in a workbook a one-cell row is no sign of a footer (its other cells are
    just empty), so only the known words make one."""
    book = openpyxl.Workbook()
    for row in (["Name", "Email"], ["Ann", "a@x.org"], ["Bob"], [], ["Grand Totals (2 records)"]):
        book.active.append(row)
    book.save(tmp_path / "r.xlsx")
    table, rows = read(tmp_path / "r.xlsx")
    assert cells(rows) == [("Ann", "a@x.org"), ("Bob", None)]
    assert table.notes == [
        "skipped 2 rows after row 3: not data (a report's footer, beginning 'Grand Totals (2 records)')"
    ]
    book = openpyxl.Workbook()
    for row in (["Name", "Email"], ["Ann", "a@x.org"], [], ["Bob"]):
        book.active.append(row)
    book.save(tmp_path / "d.xlsx")
    table, rows = read(tmp_path / "d.xlsx")
    assert (cells(rows), lines(rows)) == ([("Ann", "a@x.org"), ("Bob", None)], [2, 4])


def test_a_broken_xlsx_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(FormatError, match=r"broken.xlsx: cannot be read as an .xlsx workbook"):
        read_table(path)


def test_without_openpyxl_the_message_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _workbook(tmp_path / "book.xlsx")
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(MissingDependencyError, match=r'pip install "custdb\[xlsx\]"'):
        read_table(path)
