"""``open_store``: the URL picks the adapter; no URL is the embedded default."""

from __future__ import annotations

import sys
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import custdb
from custdb.errors import MissingDependencyError, StoreError, ValidationError
from custdb.model import Contact
from custdb.storage import MemoryStore, SQLiteStore, redacted


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


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda folder: folder / "missing" / "base.sqlite", "in a folder that does not exist"),
        (lambda folder: folder, "is a folder, not a database file"),
        (lambda folder: _written(folder / "notes.sqlite", b"name;phone\n"), "not a SQLite"),
    ],
    ids=["missing-folder", "folder", "not-a-database"],
)
def test_a_path_sqlite_cannot_open_is_named_with_what_to_do(
    tmp_path: Path, make: Callable[[Path], Path], reason: str
) -> None:
    path = make(tmp_path)
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(ValidationError, match=reason) as caught:
        custdb.open_store(f"sqlite:///{path}")
    assert (caught.value.field, caught.value.value) == ("url", str(path))
    assert caught.value.hint
    assert (path.read_bytes() if path.is_file() else None) == before  # left as it was


def test_an_empty_file_opens_as_a_new_database(tmp_path: Path) -> None:
    path = _written(tmp_path / "new.sqlite", b"")
    store = custdb.open_store(f"sqlite:///{path}")
    try:
        with store.begin() as tx:
            assert tx.contacts.count() == 0
    finally:
        store.close()


def _written(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql+psycopg://crm:s3cr%40t@db:5432/crm",
            "postgresql+psycopg://crm:***@db:5432/crm",
        ),
        ("postgresql://:pw@db/crm", "postgresql://:***@db/crm"),
        ("postgresql://crm@db/crm", "postgresql://crm@db/crm"),
        ("sqlite:///base.sqlite", "sqlite:///base.sqlite"),
    ],
)
def test_redacted_hides_a_password_and_keeps_the_rest(url: str, shown: str) -> None:
    assert redacted(url) == shown


def test_an_unknown_url_is_named_without_its_password() -> None:
    with pytest.raises(ValidationError) as caught:
        custdb.open_store("mysql://crm:hunter2@db/crm")
    assert "hunter2" not in str(caught.value)
    assert caught.value.value == "mysql://crm:***@db/crm"


# --- Foundation III items 11 and 18: URLs, drivers and secrets ---------------------------

_PASSWORDS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=4
).filter(lambda pw: "***" not in pw)


@given(password=_PASSWORDS, safe=st.sampled_from(["", "/#?:&=+ "]))
@settings(max_examples=200, deadline=None)
def test_redacted_never_shows_the_password_however_it_is_written(password: str, safe: str) -> None:
    written = urllib.parse.quote(password, safe=safe)
    url = f"postgresql+psycopg://crm:{written}@db.example:5432/crm"
    assert redacted(url) == "postgresql+psycopg://crm:***@db.example:5432/crm"
    query = f"postgresql+psycopg://crm@db/crm?password={urllib.parse.quote(password, safe='')}"
    assert redacted(query) == "postgresql+psycopg://crm@db/crm?password=***"


@pytest.mark.parametrize(
    ("url", "error", "reason"),
    [
        ("postgresql+psycopg://u:pa/ss#9@db:port/crm", ValidationError, "port"),
        ("postgresql+psycopgg://u:pa/ss#9@db/crm", ValidationError, "psycopgg"),
        ("postgresql+psycopg_async://u:pa/ss#9@db/crm", ValidationError, "asyncio"),
        ("postgresql://u:pa/ss#9@x@db/crm", ValidationError, "%40"),
    ],
)
def test_a_bad_url_is_a_custdb_error_without_its_password(
    url: str, error: type[Exception], reason: str
) -> None:
    with pytest.raises(error, match=reason) as caught:
        custdb.open_store(url)
    assert "pa/ss" not in str(caught.value)
    assert caught.value.value.startswith("postgresql")  # type: ignore[attr-defined]


def test_a_driver_custdb_does_not_ship_names_what_to_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg2", None)
    with pytest.raises(MissingDependencyError, match="psycopg2") as caught:
        custdb.open_store("postgresql+psycopg2://u:pa/ss#9@db/crm")
    assert "postgresql+psycopg://" in str(caught.value)
    assert "pa/ss" not in str(caught.value)


def test_a_relative_sqlite_path_in_a_missing_folder_points_to_four_slashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValidationError, match=r"sqlite:////data/x\.sqlite"):
        custdb.open_store("sqlite:///data/x.sqlite")


def test_sqlite_uri_filenames_open_and_read_only_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite"
    with custdb.open_store(f"sqlite:///file:{path}?uri=true") as store, store.begin() as tx:
        tx.contacts.add(Contact(first_name="Ola"))
    with custdb.open_store(f"sqlite:///file:{path}?mode=ro&uri=true") as store:
        with store.begin() as tx:
            assert tx.contacts.count() == 1
        with pytest.raises(StoreError, match="read-only"), store.begin() as tx:
            tx.contacts.add(Contact(first_name="Kari"))
    with pytest.raises(ValidationError, match="mode=rw opens only an existing file"):
        custdb.open_store(f"sqlite:///file:{tmp_path / 'none.sqlite'}?mode=rw&uri=true")
    with pytest.raises(ValidationError, match="in memory"):
        custdb.open_store("sqlite:///file::memory:?uri=true")


@pytest.mark.postgres
def test_a_read_only_postgres_connection_reads_and_refuses_writes_clearly(
    postgres_url: str,
) -> None:
    """Foundation IV item 7: a read replica (here a connection whose transactions are
    read-only, as on a hot standby) opens an existing base, reads it and its change
    log, and refuses a write with a message that says where writes go."""
    with custdb.open_store(postgres_url) as store, store.begin() as tx:
        written = tx.contacts.add(Contact(first_name="Replica"))
        before = tx.contacts.count()
    joiner = "&" if "?" in postgres_url else "?"
    replica = f"{postgres_url}{joiner}options=-c%20default_transaction_read_only%3Don"
    with custdb.open_store(replica) as store:
        with store.begin() as tx:
            assert tx.contacts.get(written.id) == written
        assert store.changes(0)[-1].id == written.id
        with pytest.raises(StoreError, match="read replica") as refused, store.begin() as tx:
            tx.contacts.add(Contact(first_name="Kari"))
        assert "primary" in str(refused.value)
    with custdb.open_store(postgres_url) as store, store.begin() as tx:
        assert tx.contacts.count() == before
