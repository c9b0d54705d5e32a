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

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.pool import StaticPool

from custdb.errors import ValidationError
from custdb.model.schema import Schema
from custdb.storage._dialect import SQLITE, fold, instant_key, number_key
from custdb.storage._links import UsersOption
from custdb.storage._sql import SQLStore
from custdb.storage._tables import dumps, loads

__all__ = ["SQLiteStore"]

BUSY_TIMEOUT_MS = 30_000
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
    not connected yet.
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
            nested=False,
            base_currency=base_currency,
            rates=rates,
            users=users,
        )

    @classmethod
    def from_url(cls, url: str | sa.URL, **options: Any) -> SQLiteStore:
        """``sqlite:///path/to/base.sqlite`` (created if new) or ``sqlite://`` in memory."""
        address = sa.make_url(url)
        if _in_memory(address):
            engine = sa.create_engine(
                address,
                poolclass=StaticPool,
                connect_args={"check_same_thread": False},
                json_serializer=dumps,
                json_deserializer=loads,
            )
        else:
            _check_file(address.database or "")
            engine = sa.create_engine(
                address,
                connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
                json_serializer=dumps,
                json_deserializer=loads,
            )
        return cls._on_own_engine(engine, **options)


_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file


def _check_file(database: str) -> None:
    """Refuse, naming the path, what SQLite could not open as a database."""
    problem = _file_problem(Path(database))
    if problem is not None:
        reason, hint = problem
        raise ValidationError(reason, field="url", value=database, hint=hint)


def _file_problem(path: Path) -> tuple[str, str] | None:
    """(what is wrong, what to do) for a file in a folder that does not exist, a folder,
    or an existing file that is not a database; None if SQLite can open it (an empty
    file is a new database)."""
    if not path.parent.is_dir():
        return (
            "is in a folder that does not exist",
            f"create {path.parent} first, or give a path in an existing folder",
        )
    if path.is_dir():
        return (
            "is a folder, not a database file",
            f"give a file in it, e.g. {path / 'custdb.sqlite'}",
        )
    if path.is_file():
        with path.open("rb") as file:
            header = file.read(len(_HEADER))
        if header and header != _HEADER:
            return (
                "is not a SQLite database",
                "give the path of a custdb SQLite file, or a new file name",
            )
    return None


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
