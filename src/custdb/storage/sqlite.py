"""``SQLiteStore``: the embedded default, on a file or in memory.

Files run in WAL mode (readers never block the writer) with a busy timeout. Every
``store.begin()`` starts with ``BEGIN IMMEDIATE``, set up through SQLAlchemy's event
hooks as its documentation's "serializable isolation" recipe for pysqlite does: writers
queue for the database's one write lock at the start of their transaction instead of
failing half-way, and then the version check decides (two threads putting the same
contact: the first wins, the second gets ``StaleVersionError``).

An in-memory database (``sqlite://``) lives in one connection, shared by every thread
(``StaticPool``); the store lets one transaction at a time use it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.pool import StaticPool

from custdb.errors import ValidationError
from custdb.model.schema import Schema
from custdb.storage._dialect import SQLITE, fold, instant_key, number_key
from custdb.storage._driver import create_engine, parse_url
from custdb.storage._lifecycle import LOCK_TIMEOUT
from custdb.storage._links import UsersOption
from custdb.storage._migrations import foreign_problem
from custdb.storage._sql import SQLStore
from custdb.storage._tables import dumps, loads
from custdb.storage._urls import redacted

__all__ = ["SQLiteStore"]

BUSY_TIMEOUT_MS = round(LOCK_TIMEOUT * 1000)  # until the store sets its own lock_timeout
_FUNCTIONS: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("custdb_fold", fold),
    ("custdb_deckey", number_key),
    ("custdb_instant", instant_key),
)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class SQLiteStore(SQLStore):
    """A store in one SQLite database; give it an ``Engine`` or use :meth:`from_url`.

    An engine made elsewhere is set up on its next new connection, so pass one that has
    not connected yet. ``lock_timeout`` is SQLite's busy timeout: how long a writer
    waits for another one's write lock.
    """

    def __init__(
        self,
        engine: sa.Engine,
        *,
        schemas: Iterable[Schema] = (),
        clock: Callable[[], dt.datetime] = _utc_now,
        base_currency: str | None = None,
        rates: Mapping[str, Any] | None = None,
        users: UsersOption = "kept",
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> None:
        if not event.contains(engine, "connect", _on_connect):
            event.listen(engine, "connect", _on_connect)
            event.listen(engine, "begin", _on_begin)
        memory = _in_memory(engine.url)
        if memory and not isinstance(engine.pool, StaticPool):
            raise ValidationError(
                "an in-memory SQLite engine needs one shared connection",
                field="engine",
                hint='use SQLiteStore.from_url("sqlite://"), or create_engine("sqlite://", '
                'poolclass=StaticPool, connect_args={"check_same_thread": False})',
            )
        super().__init__(
            engine,
            dialect=SQLITE,
            schemas=schemas,
            clock=clock,
            exclusive=memory,
            base_currency=base_currency,
            rates=rates,
            users=users,
            lock_timeout=lock_timeout,
        )

    @classmethod
    def from_url(cls, url: str | sa.URL, **options: Any) -> SQLiteStore:
        """``sqlite:///path/to/base.sqlite`` (created if new) or ``sqlite://`` in memory;
        ``sqlite:///file:path?mode=ro&uri=true`` opens an SQLite URI filename."""
        address = parse_url(url)
        if _in_memory(address):
            engine = create_engine(
                address,
                poolclass=StaticPool,
                connect_args={"check_same_thread": False},
                json_serializer=dumps,
                json_deserializer=loads,
            )
        else:
            _check_file(address)
            engine = create_engine(
                address,
                connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
                json_serializer=dumps,
                json_deserializer=loads,
            )
        return cls._on_own_engine(engine, **options)

    def _lock_timeout_sql(self, milliseconds: int) -> str:
        return f"PRAGMA busy_timeout = {milliseconds}"


_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file
_EXISTING_ONLY = frozenset({"ro", "rw"})  # URI modes that do not create the file
_TABLE_NAMES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"


def _check_file(address: sa.URL) -> None:
    """Refuse, naming the path, what SQLite could not open as a custdb base."""
    path, mode = _file_of(address)
    problem = _file_problem(Path(path), mode)
    if problem is not None:
        reason, hint = problem
        raise ValidationError(reason, field="url", value=path, hint=hint)


def _file_of(address: sa.URL) -> tuple[str, str | None]:
    """The file's path and the URI ``mode`` (None when not given); ``?uri=true`` makes
    the database part an SQLite URI filename (``file:/path/base.sqlite``)."""
    database = address.database or ""
    if str(address.query.get("uri", "")).lower() not in ("true", "1"):
        return database, None
    found = address.query.get("mode")
    mode = found if isinstance(found, str) else None
    parts = urllib.parse.urlsplit(database)
    path = urllib.parse.unquote(parts.path) if parts.scheme == "file" else database
    if mode == "memory" or path in ("", ":memory:"):
        raise ValidationError(
            "is an SQLite URI for a database in memory",
            field="url",
            value=redacted(address.render_as_string(hide_password=False)),
            hint="for a base in memory write sqlite:// (or memory://)",
        )
    return path, mode


def _file_problem(path: Path, mode: str | None = None) -> tuple[str, str] | None:
    """(what is wrong, what to do) for a file in a folder that does not exist, a folder,
    an existing file that is not a database or holds another application's tables, or a
    missing file that ``mode`` will not create; None if it opens as a custdb base (an
    empty file is a new one)."""
    if not path.parent.is_dir():
        return "is in a folder that does not exist", _missing_folder_hint(path)
    if path.is_dir():
        return (
            "is a folder, not a database file",
            f"give a file in it, e.g. {path / 'custdb.sqlite'}",
        )
    if not path.is_file():
        if mode in _EXISTING_ONLY:
            return (
                f"does not exist, and mode={mode} opens only an existing file",
                "check the path, or leave mode= out to create a new base",
            )
        return None
    with path.open("rb") as file:
        header = file.read(len(_HEADER))
    if header and header != _HEADER:
        return (
            "is not a SQLite database",
            "give the path of a custdb SQLite file, or a new file name",
        )
    return _foreign_problem(path) if header else None


def _missing_folder_hint(path: Path) -> str:
    if path.is_absolute():
        return f"create {path.parent} first, or give a path in an existing folder"
    shown = path.as_posix()
    return (
        f"sqlite:///{shown} is the path {shown} relative to the working directory "
        f"({Path.cwd()}); for an absolute path write four slashes, sqlite:////{shown}, "
        f"or create {path.parent} first"
    )


def _foreign_problem(path: Path) -> tuple[str, str] | None:
    """An SQLite file with tables but no custdb ``schema_version``: another application's
    database, read (never written) to tell; the store would add its tables to it."""
    try:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=5)) as connection:
            names = [name for (name,) in connection.execute(_TABLE_NAMES)]
    except sqlite3.Error:
        return None  # the store's own connection reports what is wrong, with its error
    return foreign_problem(names)


def _in_memory(url: sa.URL) -> bool:
    return url.database in (None, "", ":memory:")


def _on_connect(connection: sqlite3.Connection, _record: Any) -> None:
    connection.isolation_level = None  # SQLAlchemy's "begin" hook below starts transactions
    for name, function in _FUNCTIONS:
        connection.create_function(name, 1, function, deterministic=True)
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")  # an in-memory database answers "memory"
    cursor.execute("PRAGMA synchronous = NORMAL")  # safe in WAL mode; fsync at checkpoints
    cursor.close()


def _on_begin(connection: sa.Connection) -> None:
    write = connection.get_execution_options().get("custdb_write", True)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
