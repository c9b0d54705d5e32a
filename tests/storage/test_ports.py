"""The adapters conform to the ports without inheriting them (STYLE: ports and adapters).

mypy, run on a small client module, is the proof: assigning each store to ``Store`` and
each transaction to ``Transaction`` type-checks only if every verb matches."""

from __future__ import annotations

import textwrap
from pathlib import Path

from mypy import api

CLIENT = """
from custdb.storage import MemoryStore, PostgresStore, SQLiteStore, Store, Transaction
from custdb.storage._unit import UnitOfWork

def stores(memory: MemoryStore, sqlite: SQLiteStore, postgres: PostgresStore) -> list[Store]:
    return [memory, sqlite, postgres]

def transaction(unit: UnitOfWork) -> Transaction:
    return unit
"""

NOT_A_STORE = """
from custdb.storage import Store

class Notebook:
    def begin(self) -> None: ...

def store(notebook: Notebook) -> Store:
    return notebook
"""


def _mypy(tmp_path: Path, source: str) -> tuple[str, int]:
    module = tmp_path / "client.py"
    module.write_text(textwrap.dedent(source), encoding="utf-8")
    stdout, stderr, status = api.run(
        ["--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), str(module)]
    )
    return stdout + stderr, status


def test_every_store_and_the_unit_of_work_conform_to_the_ports(tmp_path: Path) -> None:
    report, status = _mypy(tmp_path, CLIENT)
    assert status == 0, report


def test_the_check_would_catch_a_store_that_does_not_conform(tmp_path: Path) -> None:
    report, status = _mypy(tmp_path, NOT_A_STORE)
    assert status == 1
    assert "Incompatible return value" in report


OPENED = """
import custdb
from typing_extensions import assert_type
from custdb.io.records import Records
from custdb.model import Contact
from custdb.storage import MemoryStore, Store, Transaction, open_store

store = open_store("sqlite://")
assert_type(store, Store)
with store.begin() as tx:
    assert_type(tx, Transaction)
    assert_type(tx.contacts.get("c-1"), Contact)
    assert_type(tx.contacts.select(), Records[Contact])
with custdb.open_store("memory://") as lazy:
    assert_type(lazy, Store)
    assert_type(lazy.closed, bool)
    with lazy.begin() as tx:
        assert_type(tx.contacts.find("c-1"), Contact | None)
memory: Store = MemoryStore()
with memory as same:
    assert_type(same, Store)
"""

MISTYPED = """
from custdb import open_store

with open_store("sqlite://").begin() as tx:
    name: int = tx.contacts.get("c-1")
"""


def test_open_store_is_typed_down_to_the_records(tmp_path: Path) -> None:
    """Foundation III item 7: ``open_store`` (and the lazy ``custdb.open_store``) returns a
    ``Store``, so a client's transaction and records keep their types under mypy."""
    report, status = _mypy(tmp_path, OPENED)
    assert status == 0, report


def test_a_record_used_as_the_wrong_type_is_caught_so_nothing_is_any(tmp_path: Path) -> None:
    """Foundation III item 7: were anything on the way ``Any``, this would pass."""
    report, status = _mypy(tmp_path, MISTYPED)
    assert status == 1
    assert 'expression has type "Contact", variable has type "int"' in report
