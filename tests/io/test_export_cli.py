"""``custdb export`` on the demo base: a query in JSON, chosen fields, CSV and XLSX, its
entry in the change log, exit codes 0 / 1 / 2, and the file imported back (I4)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from custdb import open_store
from custdb.cli import REPOSITORIES, main
from custdb.storage import ENTITIES

VIP = json.dumps({"field": "tags", "op": "contains", "value": "vip"})


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}"
    assert main(["demo", "--db", url, "--quiet"]) == 0
    return url


def vip_count(url: str) -> int:
    store = open_store(url)
    try:
        with store.begin() as tx:
            return tx.contacts.count(_vip())
    finally:
        store.close()


def _vip() -> object:
    from custdb.query import F  # noqa: PLC0415

    return F("tags").contains("vip")


def test_an_export_writes_the_query_and_prints_one_line(
    demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "vip.csv"
    argv = ["export", "--db", demo, "--where", VIP, "--fields", "id,full_name,email,total_spent"]
    assert main([*argv, "--out", str(out), "--actor", "u-anna"]) == 0
    count = vip_count(demo)
    assert capsys.readouterr().out == f"exported {count} contacts to {out}\n"
    with out.open(encoding="utf-8-sig", newline="") as file:
        header, *rows = list(csv.reader(file))
    assert header == ["id", "full_name", "email", "total_spent"]
    assert len(rows) == count > 0
    store = open_store(demo)
    try:
        event = store.changes(entity="export")[-1]
    finally:
        store.close()
    assert (event.actor, event.after["rows"], event.after["query"]) == (
        "u-anna",
        count,
        json.loads(VIP),
    )


def test_an_xlsx_export_is_a_workbook(demo: str, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="the xlsx extra is not installed")
    out = tmp_path / "all.xlsx"
    assert main(["export", "--db", demo, "--entity", "companies", "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out, read_only=True)
    try:
        header = next(book.active.iter_rows(values_only=True))
    finally:
        book.close()
    assert header[:2] == ("id", "name")


def test_the_exported_file_imports_back_unchanged(
    demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo base holds two contacts sharing an e-mail: the export's own ids keep
    them apart, so every row finds its record and none changes."""
    out = tmp_path / "all.csv"
    assert main(["export", "--db", demo, "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["import", str(out), "--db", demo]) == 0
    said = capsys.readouterr()
    assert said.out.startswith("created 0, updated 0, unchanged ")
    assert said.out.endswith(", rejected 0\n")
    assert "not imported, the base computes them: total_spent, order_count" in said.err
    assert "no field for" not in said.err


@pytest.mark.parametrize(
    "case",
    [
        (["--where", "{not json"], 2, "is not JSON"),
        (["--fields", "id,,email"], 2, "names an empty field"),
        (["--entity", "clients"], 2, "invalid choice"),
        (["--fields", "id,nope"], 1, "'nope': no such field"),
        (["--where", '{"field": "nope", "op": "eq", "value": 1}'], 1, "'nope'"),
    ],
)
def test_bad_arguments_exit_with_a_message_and_write_nothing(
    demo: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: tuple[list[str], int, str],
) -> None:
    argv, code, said = case
    out = tmp_path / "x.csv"
    assert main(["export", "--db", demo, *argv, "--out", str(out)]) == code
    assert said in capsys.readouterr().err
    assert not out.exists()


def test_a_missing_base_is_an_error_not_an_empty_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.sqlite"
    out = tmp_path / "x.csv"
    assert main(["export", "--db", f"sqlite:///{missing}", "--out", str(out)]) == 1
    assert "the file does not exist" in capsys.readouterr().err
    assert not missing.exists()
    assert not out.exists()


def test_the_entity_names_are_the_stores_repositories() -> None:
    """The parser lists them without importing a store; they must stay the same."""
    assert tuple(REPOSITORIES) == tuple(ENTITIES)
