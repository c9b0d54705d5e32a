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
