"""Exporting the records a query selects to CSV and XLSX on every store (``store`` is
parametrized in tests/conftest.py): chosen fields with custom and roll-up ones, cells
made harmless (I4), the export in the change log, the bad paths leaving no file and no
entry, and an export edited and imported back (I2)."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custdb.errors import QueryError, ValidationError
from custdb.io._export_fields import PAGE
from custdb.io._neutralise import TRIGGERS, neutralised, neutralised_cell, restored
from custdb.io.export import export_records
from custdb.io.importer import import_file
from custdb.model import (
    Contact,
    Email,
    FieldDef,
    Money,
    Order,
    OrderItem,
    Phone,
    Schema,
)
from custdb.query import F, from_json

UTC = dt.timezone.utc
TIERS = Schema(
    "contact",
    [
        FieldDef("tier", "enum", options={"gold", "silver"}),
        FieldDef("credit", "decimal"),
        FieldDef("joined", "date"),
        FieldDef("deposit", "money"),
    ],
)


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


@pytest.fixture
def base(open_test_store: Any) -> Any:
    """Three contacts, one of them with a formula for a name and a negative credit, and
    an order, so the roll-ups hold figures."""
    store = open_test_store(schemas=[TIERS])
    with store.begin() as tx:
        tx.contacts.add_many(
            [
                Contact(
                    id="c1",
                    first_name="Olga",
                    last_name="Ivanova",
                    emails=[Email("olga@example.ru", "work"), Email("o@mail.ru")],
                    phones=[Phone("+79123456789")],
                    tags={"vip", "ski"},
                    custom={
                        "tier": "gold",
                        "credit": "-12.5",
                        "joined": "2023-02-01",
                        "deposit": Money("100", "EUR"),
                    },
                ),
                Contact(
                    id="c2",
                    first_name='=HYPERLINK("http://evil.example","Per")',
                    last_name="Hansen",
                    custom={"tier": "silver"},
                ),
                Contact(id="c3", first_name="José", last_name="Muñoz", tags={"vip"}),
            ]
        )
        tx.orders.add(
            Order(
                id="o1",
                contact_id="c1",
                currency="EUR",
                placed_at=dt.datetime(2025, 12, 1, 18, 5, tzinfo=UTC),
                items=[OrderItem(name="Ski pass", amount=Money("250.00", "EUR"))],
            )
        )
    return store


def test_a_query_is_written_with_the_fields_asked_for_in_id_order(
    base: Any, tmp_path: Path
) -> None:
    """I4: any query, chosen fields, custom and roll-up fields included."""
    fields = ["id", "full_name", "tier", "total_spent", "order_count", "last_order_on", "tags"]
    report = export_records(
        base, tmp_path / "vip.csv", where=F("tags").contains("vip"), fields=fields
    )
    assert (report.rows, report.fields) == (2, tuple(fields))
    assert read_csv(report.path) == [
        fields,
        ["c1", "Olga Ivanova", "gold", "250", "1", "2025-12-01", "ski; vip"],
        ["c3", "José Muñoz", "", "0", "0", "", "vip"],
    ]
    assert report.path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8


def test_every_address_of_a_record_is_one_cell(base: Any, tmp_path: Path) -> None:
    report = export_records(
        base, tmp_path / "x.csv", where=F("id") == "c1", fields=["emails", "phones"]
    )
    assert read_csv(report.path)[1] == ["olga@example.ru; o@mail.ru", "'+79123456789"]


def test_a_formula_is_neutralised_and_a_negative_number_stays_a_number(
    base: Any, tmp_path: Path
) -> None:
    """I4: the text is kept behind a quote; -12.5 is still a number."""
    rows = read_csv(
        export_records(base, tmp_path / "x.csv", fields=["id", "first_name", "credit"]).path
    )
    assert rows[1] == ["c1", "Olga", "-12.5"]
    assert rows[2] == ["c2", '\'=HYPERLINK("http://evil.example","Per")', ""]


def test_xlsx_keeps_types_and_neutralises_text(base: Any, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="the xlsx extra is not installed")
    fields = ["id", "first_name", "credit", "joined", "deposit", "created_at"]
    report = export_records(base, tmp_path / "x.xlsx", fields=fields)
    sheet = openpyxl.load_workbook(report.path).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == fields
    assert rows[1][:4] == ["c1", "Olga", -12.5, dt.datetime(2023, 2, 1)]  # noqa: DTZ001 - Excel's dates have no zone
    assert rows[1][4] == 100
    assert sheet["E2"].number_format == '#,##0.00 "EUR"'
    assert isinstance(rows[1][5], dt.datetime)
    assert rows[2][1] == '\'=HYPERLINK("http://evil.example","Per")'
    assert sheet["B3"].data_type == "s"  # text, not a formula


def test_the_export_is_in_the_change_log(base: Any, tmp_path: Path) -> None:
    """I4: who, when, which query, how many rows, which fields."""
    where = F("tags").contains("vip")
    report = export_records(
        base, tmp_path / "vip.csv", where=where, fields=["id", "email"], actor="u-anna"
    )
    [event] = base.history("export", report.export_id)
    assert (event.op, event.actor) == ("event", "u-anna")
    assert event.at is not None
    assert event.after["rows"] == 2
    assert event.after["fields"] == ["id", "email"]
    assert event.after["file"] == "vip.csv"
    assert from_json(event.after["query"]) == where
    assert event.after["entity"] == "contacts"


def test_an_export_with_no_query_writes_everything_and_a_readable_default(
    base: Any, tmp_path: Path
) -> None:
    report = export_records(base, tmp_path / "all.csv")
    header, *rows = read_csv(report.path)
    assert report.rows == len(rows) == 3
    assert header[:4] == ["id", "first_name", "middle_name", "last_name"]
    assert {"tier", "credit", "joined"} <= set(header)  # custom properties follow
    assert "version" not in header


@pytest.mark.parametrize(
    ("options", "error", "field"),
    [
        ({"fields": ["id", "nope"]}, QueryError, "nope"),
        ({"fields": ["id", "id"]}, ValidationError, "id"),
        ({"fields": []}, ValidationError, "fields"),
        ({"entity": "clients"}, ValidationError, "entity"),
        ({"where": F("nope") == 1}, QueryError, "nope"),
    ],
)
def test_a_bad_request_writes_no_file_and_logs_nothing(
    base: Any, tmp_path: Path, options: dict[str, Any], error: type[Exception], field: str
) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(error) as caught:
        export_records(base, tmp_path / "out" / "x.csv", **options)
    assert caught.value.field == field  # type: ignore[attr-defined]
    assert list((tmp_path / "out").iterdir()) == []
    assert base.changes(entity="export") == []


@pytest.mark.parametrize("name", ["x.txt", "missing/x.csv", "folder.csv"])
def test_a_file_that_cannot_be_written_is_named_in_the_error(
    base: Any, tmp_path: Path, name: str
) -> None:
    (tmp_path / "out" / "folder.csv").mkdir(parents=True)
    out = tmp_path / "out" / name
    with pytest.raises(ValidationError) as caught:
        export_records(base, out)
    assert caught.value.field == "out"
    assert caught.value.value == str(out)
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["folder.csv"]
    assert list((tmp_path / "out" / "folder.csv").iterdir()) == []
    assert base.changes(entity="export") == []


def test_a_failure_while_writing_keeps_the_old_file_and_logs_nothing(
    base: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file takes its name only once the rows are written and the entry committed."""
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "x.csv"
    out.write_text("the export of yesterday")

    def broken(*_args: Any) -> Any:
        yield ["c1"]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("custdb.io.export.rows_of", broken)
    with pytest.raises(ValidationError, match="No space left"):
        export_records(base, out, fields=["id"])
    assert out.read_text() == "the export of yesterday"
    assert [p.name for p in out.parent.iterdir()] == ["x.csv"]
    assert base.changes(entity="export") == []


def test_more_rows_than_a_page_come_out_once_each_in_order(store: Any, tmp_path: Path) -> None:
    count = PAGE * 2 + 7
    with store.begin() as tx:
        tx.contacts.add_many(Contact(first_name=f"N{i}") for i in range(count))
    for fields in (["id", "first_name"], ["id", "emails"]):  # from columns, from records
        rows = read_csv(export_records(store, tmp_path / "x.csv", fields=fields).path)[1:]
        ids = [row[0] for row in rows]
        assert len(ids) == count
        assert ids == sorted(set(ids))


def test_an_export_edited_and_imported_again_changes_only_the_edited_cell(
    base: Any, tmp_path: Path
) -> None:
    """I2 with I4: the export's own ids match the records; the formula and the phone
    come back as they were, so an untouched file changes nothing."""
    fields = ["id", "first_name", "email", "phone", "tier", "deposit", "tags"]
    path = export_records(base, tmp_path / "all.csv", fields=fields).path
    again = import_file(base, path)
    assert again.summary() == "created 0, updated 0, unchanged 3, rejected 0"
    rows = read_csv(path)
    rows[3][4] = "gold"  # José becomes gold
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file).writerows(rows)
    assert import_file(base, path).summary() == "created 0, updated 1, unchanged 2, rejected 0"
    with base.begin() as tx:
        assert tx.contacts.get("c3").custom == {"tier": "gold"}
        assert tx.contacts.get("c2").first_name.startswith("=HYPERLINK")
        assert tx.contacts.get("c1").phone == "+79123456789"


def test_a_full_name_column_keeps_how_a_record_splits_its_name(store: Any, tmp_path: Path) -> None:
    """Lucía Jiménez Gil has two surnames: a full-name column that says the same name
    must not turn one of them into a middle name."""
    with store.begin() as tx:
        tx.contacts.add(Contact(id="c1", first_name="Lucía", last_name="Jiménez Gil"))
    path = export_records(store, tmp_path / "x.csv", fields=["id", "full_name"]).path
    assert import_file(store, path).summary() == "created 0, updated 0, unchanged 1, rejected 0"
    with store.begin() as tx:
        assert tx.contacts.get("c1").last_name == "Jiménez Gil"


def test_an_id_of_another_base_is_rejected_not_created(base: Any, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,first_name\nc1,Olga\n01HZZZZZZZZZZZZZZZZZZZZZZZ,Ghost\n,New\n")
    report = import_file(base, path, skip_invalid=True)
    assert report.summary() == "created 1, updated 0, unchanged 1, rejected 1"
    [problem] = report.problems
    assert (problem.line, problem.column, problem.value) == (3, "id", "01HZZZZZZZZZZZZZZZZZZZZZZZ")
    assert "names no contact of this base" in problem.reason


@given(st.text())
def test_neutralised_text_never_starts_a_formula_and_restores_to_itself(text: str) -> None:
    made = neutralised(text)
    assert not made.startswith(TRIGGERS)
    assert restored(made) == text or (text.startswith("'") and text[1:2] in TRIGGERS)


@pytest.mark.parametrize(
    ("cell", "written"),
    [("-12.5", "-12.5"), ("+47", "+47"), ("-3,5", "-3,5"), ("-", "'-"), ("=1+1", "'=1+1")],
)
def test_a_reject_file_cell_keeps_plain_numbers(cell: str, written: str) -> None:
    assert neutralised_cell(cell) == written


def test_export_rows_count_decimal_values_exactly(store: Any, tmp_path: Path) -> None:
    with store.begin() as tx:
        tx.contacts.add(Contact(id="c1", first_name="A"))
        for i, amount in enumerate(("0.10", "0.20")):
            tx.orders.add(
                Order(
                    id=f"o{i}",
                    contact_id="c1",
                    currency="EUR",
                    placed_at=dt.datetime(2025, 1, 1 + i, tzinfo=UTC),
                    items=[OrderItem(name="x", amount=Money(amount, "EUR"))],
                )
            )
    rows = read_csv(export_records(store, tmp_path / "x.csv", fields=["total_spent"]).path)
    assert Decimal(rows[1][0]) == Decimal("0.30")
