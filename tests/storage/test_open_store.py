"""``open_store``: the URL picks the adapter; no URL is the embedded default."""

from __future__ import annotations

from pathlib import Path

import pytest

import custdb
from custdb.errors import ValidationError
from custdb.model import Contact
from custdb.storage import MemoryStore, SQLiteStore


def test_no_url_opens_custdb_sqlite_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    store = custdb.open_store()
    try:
        assert isinstance(store, SQLiteStore)
        with store.begin() as tx:
            tx.contacts.add(Contact(first_name="Ola"))
    finally:
        store.close()
    assert (tmp_path / "custdb.sqlite").is_file()
    reopened = custdb.open_store()
    try:
        with reopened.begin() as tx:
            assert [c.first_name for c in tx.contacts.select()] == ["Ola"]
    finally:
        reopened.close()


def test_memory_url_opens_the_reference_store() -> None:
    assert isinstance(custdb.open_store("memory://"), MemoryStore)


@pytest.mark.parametrize("url", ["mysql://x", "custdb.sqlite", "", "memory:/"])
def test_unknown_url_names_the_value_and_the_known_forms(url: str) -> None:
    with pytest.raises(ValidationError) as caught:
        custdb.open_store(url)
    assert caught.value.value == url
    assert "sqlite:///" in str(caught.value)
