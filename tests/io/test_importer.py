"""Importing files into every store (``store`` is parametrized in tests/conftest.py):
modes and keys (I2), bad rows and the reject file (I3), matching on import, the batch
in the change log with its provenance (I6) and its revert."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import attrs
import pytest

from custdb.errors import ConflictError, ImportRefusedError, NotFoundError, ValidationError
from custdb.io.importer import import_file
from custdb.io.revert import revert_import
from custdb.model import Address, Contact, Email, FieldDef, PostalCode, Provenance, Schema
from custdb.query import F

HEADERS = ["ID", "First Name", "Last Name", "Email", "Phone", "Birthday", "Company"]
ROWS = [
    [
        "1",
        "Юлия",
        "Иванова",
        "julia@example.ru",
        "8 (912) 345-67-89",
        "01.02.1990",
        "ООО «Ромашка»",
    ],
    ["2", "Ola", "Nordmann", "ola@example.no", "+47 912 34 567", "17.05.1985", "Ромашка"],
    ["3", "José", "Muñoz", "jose@example.es", "+34 612 34 56 78", "", ""],
]


def write_csv(path: Path, rows: list[list[str]], headers: list[str] = HEADERS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def contacts(store: Any) -> list[Contact]:
    with store.begin() as tx:
        return list(tx.contacts.select(order_by="first_name"))


def test_a_new_file_creates_every_row_normalized(store: Any, tmp_path: Path) -> None:
    report = import_file(store, write_csv(tmp_path / "k.csv", ROWS), region="RU")
    assert report.summary() == "created 3, updated 0, unchanged 0, rejected 0"
    assert report.written
    by_name = {c.first_name: c for c in contacts(store)}
    assert by_name["Юлия"].phone == "+79123456789"
    assert by_name["Юлия"].birthday.isoformat() == "1990-02-01"
    assert by_name["Ola"].phone == "+4791234567"
    assert by_name["José"].birthday is None


def test_a_company_cell_finds_or_creates_the_company_and_links_it(
    store: Any, tmp_path: Path
) -> None:
    """ООО «Ромашка» and Ромашка are one company: created once, linked to both."""
    import_file(store, write_csv(tmp_path / "k.csv", ROWS), region="RU")
    with store.begin() as tx:
        [company] = tx.companies.select()
        links = tx.affiliations.select(F("company_id") == company.id)
    assert len(links) == 2
    import_file(store, write_csv(tmp_path / "k.csv", ROWS), region="RU")
    with store.begin() as tx:
        assert tx.companies.count() == 1
        assert tx.affiliations.count() == 2


def test_an_edited_file_imported_again_updates_without_duplicates(
    store: Any, tmp_path: Path
) -> None:
    """I2: the upsert re-imports an edited file; only the edited row changes."""
    path = write_csv(tmp_path / "k.csv", ROWS)
    import_file(store, path, region="RU")
    edited = [row[:] for row in ROWS]
    edited[1][2] = "Hansen"
    report = import_file(store, write_csv(path, edited), region="RU")
    assert report.summary() == "created 0, updated 1, unchanged 2, rejected 0"
    names = sorted(c.last_name or "" for c in contacts(store))
    assert names == ["Hansen", "Muñoz", "Иванова"]


def test_an_empty_cell_leaves_the_field_and_stored_emails_stay(store: Any, tmp_path: Path) -> None:
    """Only what the file holds changes: a blank cell clears nothing, and an e-mail the
    record had beside the file's stays after it."""
    with store.begin() as tx:
        tx.contacts.add(
            Contact(
                first_name="Ola",
                job_title="CTO",
                emails=(Email("ola@example.no"), Email("ola@home.no")),
            )
        )
    path = write_csv(
        tmp_path / "k.csv", [["Ola", "", "OLA@example.no"]], ["Name", "Job Title", "Email"]
    )
    report = import_file(store, path)
    [ola] = contacts(store)
    assert report.unchanged == 1
    assert ola.job_title == "CTO"
    assert [e.address for e in ola.emails] == ["ola@example.no", "ola@home.no"]


def test_an_address_column_changes_only_its_part(store: Any, tmp_path: Path) -> None:
    """Only what the file holds changes: a City column moves the contact to another
    city and keeps the street and postal code it does not mention."""
    with store.begin() as tx:
        tx.contacts.add(
            Contact(
                first_name="Ola",
                emails=(Email("ola@example.no"),),
                address=Address(
                    street="Storgata 1", city="Oslo", postal_code=PostalCode("0155", "NO")
                ),
            )
        )
    path = write_csv(tmp_path / "k.csv", [["ola@example.no", "Bergen"]], ["Email", "City"])
    assert import_file(store, path).updated == 1
    [ola] = contacts(store)
    assert ola.address == Address(
        street="Storgata 1", city="Bergen", postal_code=PostalCode("0155", "NO")
    )


def test_a_formula_cell_is_refused_as_a_value_and_its_quoted_form_read_back(
    store: Any, tmp_path: Path
) -> None:
    """The reject file writes a formula as text (a leading quote), and the import that
    reads it back takes the quote off again."""
    headers = ["Email", "First Name", "Birthday"]
    path = write_csv(tmp_path / "k.csv", [["a@example.com", "=cmd|' /C calc'!A0", "x"]], headers)
    rejects = tmp_path / "rejects.csv"
    with pytest.raises(ImportRefusedError):
        import_file(store, path, errors=rejects)
    with rejects.open(encoding="utf-8-sig", newline="") as file:
        [_, bad] = list(csv.reader(file))
    assert bad[1] == "'=cmd|' /C calc'!A0"
    bad[2] = "1990-01-02"
    write_csv(rejects, [bad[:3]], headers)
    import_file(store, rejects)
    [contact] = contacts(store)
    assert contact.first_name == "=cmd|' /C calc'!A0"


def test_a_bad_row_refuses_the_file_and_the_reject_file_lists_every_bad_cell(
    store: Any, tmp_path: Path
) -> None:
    """I3: all or nothing by default; each bad row once, with all its bad cells."""
    rows = [*ROWS, ["4", "Bad", "Row", "not-an-email", "12", "31.02.1990", ""]]
    rejects = tmp_path / "rejects.csv"
    with pytest.raises(ImportRefusedError) as caught:
        import_file(store, write_csv(tmp_path / "k.csv", rows), region="RU", errors=rejects)
    assert caught.value.row == 5
    assert caught.value.report.rejected == 1
    assert "nothing was imported" in str(caught.value)
    assert contacts(store) == []
    assert store.changes() == []
    assert rejects.read_bytes().startswith(b"\xef\xbb\xbf")
    with rejects.open(encoding="utf-8-sig", newline="") as file:
        [header, bad] = list(csv.reader(file))
    assert header == [*HEADERS, "line", "field", "value", "reason"]
    assert bad[:7] == rows[3]
    assert bad[7] == "5"
    assert bad[8].split("; ") == ["emails", "phones", "birthday"]
    assert bad[9].split("; ")[:2] == ["not-an-email", "12"]


def test_skip_invalid_imports_the_good_rows_and_the_reject_file_imports_once_fixed(
    store: Any, tmp_path: Path
) -> None:
    rows = [*ROWS, ["4", "Bad", "Row", "not-an-email", "", "", ""]]
    rejects = tmp_path / "rejects.csv"
    report = import_file(
        store, write_csv(tmp_path / "k.csv", rows), region="RU", skip_invalid=True, errors=rejects
    )
    assert report.summary() == "created 3, updated 0, unchanged 0, rejected 1"
    with rejects.open(encoding="utf-8-sig", newline="") as file:
        table = list(csv.reader(file))
    table[1][3] = "bad.row@example.com"
    with rejects.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file).writerows(table)
    again = import_file(store, rejects, region="RU")
    assert again.summary() == "created 1, updated 0, unchanged 0, rejected 0"
    assert not again.notes or all("line" not in note for note in again.notes)


def test_repeated_headers_refuse_the_file_naming_both_columns(store: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "k.csv", [["a@b.no", "c@d.no"]], ["Email", "Email"])
    with pytest.raises(ImportRefusedError) as caught:
        import_file(store, path)
    assert caught.value.field == "Email"
    assert "column 1 and column 2" in str(caught.value)


def test_a_repeated_key_refuses_the_file_naming_both_lines(store: Any, tmp_path: Path) -> None:
    rows = [ROWS[0], ROWS[1], [*ROWS[2][:3], "JULIA@example.ru", *ROWS[2][4:]]]
    rows[2][0] = "1"
    with pytest.raises(ImportRefusedError) as caught:
        import_file(store, write_csv(tmp_path / "k.csv", rows), region="RU")
    assert caught.value.row == 4
    assert "line 2" in str(caught.value)
    assert contacts(store) == []


def test_a_row_whose_keys_find_two_records_is_rejected_with_both_ids(
    store: Any, tmp_path: Path
) -> None:
    with store.begin() as tx:
        a = tx.contacts.add(Contact(first_name="A", external_ids={"import": "1"}))
        b = tx.contacts.add(Contact(first_name="B", emails=(Email("julia@example.ru"),)))
    report = import_file(
        store, write_csv(tmp_path / "k.csv", ROWS[:1]), region="RU", skip_invalid=True
    )
    assert report.rejected == 1
    [problem] = report.problems
    assert a.id in problem.reason
    assert b.id in problem.reason


def test_create_mode_rejects_a_stored_record_and_update_mode_an_unknown_one(
    store: Any, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "k.csv", ROWS[:2])
    import_file(store, path, region="RU")
    created = import_file(store, path, region="RU", mode="create", skip_invalid=True)
    assert created.summary() == "created 0, updated 0, unchanged 0, rejected 2"
    assert "already stored" in created.problems[0].reason
    newcomer = write_csv(tmp_path / "n.csv", ROWS[2:])
    updated = import_file(store, newcomer, mode="update", skip_invalid=True)
    assert updated.rejected == 1
    assert "matches no stored contact" in updated.problems[0].reason
    with pytest.raises(ValidationError):
        import_file(store, path, mode="merge")  # type: ignore[arg-type]


def test_a_dry_run_counts_and_writes_nothing(store: Any, tmp_path: Path) -> None:
    report = import_file(store, write_csv(tmp_path / "k.csv", ROWS), region="RU", dry_run=True)
    assert (report.created, report.dry_run, report.written) == (3, True, False)
    assert contacts(store) == []
    assert store.changes() == []


def test_the_batch_is_logged_with_its_file_mapping_and_provenance(
    store: Any, tmp_path: Path
) -> None:
    """I6: provenance kept on each created record and in the batch's event."""
    report = import_file(
        store,
        write_csv(tmp_path / "partner.csv", ROWS),
        region="RU",
        provenance="second_party",
        actor="u-anna",
    )
    [event] = store.changes(entity="import")
    assert event.id == report.batch_id
    assert event.actor == "u-anna"
    assert event.after["source"] == "partner.csv"
    assert event.after["provenance"] == "second_party"
    assert event.after["mapping"]["Email"].startswith("email")
    assert event.after["created"] == 3
    written = [c for c in store.changes() if c.entity == "contact"]
    assert len(written) == 3
    assert {c.cause for c in written} == {report.batch_id}
    assert {c.provenance for c in contacts(store)} == {Provenance.SECOND_PARTY}


def test_revert_removes_what_the_import_created_and_restores_what_it_changed(
    store: Any, tmp_path: Path
) -> None:
    with store.begin() as tx:
        ola = tx.contacts.add(Contact(first_name="Ola", emails=(Email("ola@example.no"),)))
    report = import_file(store, write_csv(tmp_path / "k.csv", ROWS), region="RU")
    assert report.summary() == "created 2, updated 1, unchanged 0, rejected 0"
    undone = revert_import(store, report.batch_id, actor="u-anna")
    assert (undone.removed, undone.restored) == (3, 1)  # two contacts and the company
    [back] = contacts(store)
    assert back.id == ola.id
    assert (back.last_name, back.phones, back.birthday) == (None, (), None)
    with store.begin() as tx:
        assert tx.companies.count() == 0
        assert tx.affiliations.count() == 0
    with pytest.raises(ConflictError, match="reverted already"):
        revert_import(store, report.batch_id)


def test_revert_refuses_when_a_later_write_touched_a_record_naming_it(
    store: Any, tmp_path: Path
) -> None:
    report = import_file(store, write_csv(tmp_path / "k.csv", ROWS), region="RU")
    with store.begin() as tx:
        jose = tx.contacts.select(F("first_name") == "José")[0]
        tx.contacts.put(attrs.evolve(jose, job_title="Chef"))
    before = store.changes()
    with pytest.raises(ConflictError) as caught:
        revert_import(store, report.batch_id)
    assert caught.value.id == jose.id
    assert store.changes() == before
    with pytest.raises(NotFoundError):
        revert_import(store, "import-unknown")


def test_a_large_file_read_in_a_second_process_imports_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader process (io/_pipeline.py) gives the rows, problems and notes the
    writer's own process would."""
    from custdb import open_store  # noqa: PLC0415
    from custdb.io import _pipeline  # noqa: PLC0415

    rows = [*ROWS, ["4", "Bad", "Row", "not-an-email", "", "", ""]]
    path = write_csv(tmp_path / "k.csv", rows)
    reports = {}
    for name, threshold in (("here", 10**12), ("apart", 0)):
        monkeypatch.setattr(_pipeline, "PARALLEL_FROM", threshold)
        store = open_store(f"sqlite:///{tmp_path / name}.sqlite")
        reports[name] = import_file(store, path, region="RU", skip_invalid=True)
        with store.begin() as tx:
            reports[name + " names"] = sorted(c.first_name for c in tx.contacts.select())
        store.close()
    here, apart = reports["here"], reports["apart"]
    assert here.summary() == apart.summary() == "created 3, updated 0, unchanged 0, rejected 1"
    assert here.problems == apart.problems
    assert reports["here names"] == reports["apart names"]


def test_a_column_kept_as_an_undeclared_custom_property_refuses_the_file_up_front(
    open_test_store: Any, tmp_path: Path
) -> None:
    """A base that declares its custom properties takes no other: the refusal names the
    column and the properties it has, before any row is read."""
    store = open_test_store(schemas=[Schema("contact", [FieldDef("tier", "string")])])
    path = write_csv(
        tmp_path / "k.csv", [["a@example.com", "38", "gold"]], ["Email", "Shoe Size", "Tier"]
    )
    before = store.changes()
    with pytest.raises(ValidationError) as caught:
        import_file(store, path, keep_unmapped=True)
    assert (caught.value.field, caught.value.value) == ("map", "Shoe Size")
    assert "declares tier" in str(caught.value)
    assert store.changes() == before
    report = import_file(store, path)
    assert report.summary() == "created 1, updated 0, unchanged 0, rejected 0"
    assert contacts(store)[0].custom == {"tier": "gold"}
