"""Stores behind one interface: ``open_store(url)`` picks the adapter from the URL.

open_store()                                  ./custdb.sqlite, the embedded default
open_store("memory://")                       MemoryStore, for tests and notebooks
open_store("sqlite:///path/to/base.sqlite")   SQLiteStore on a file
open_store("sqlite://")                       SQLiteStore in memory
open_store("postgresql+psycopg://user:pw@host/db")   PostgresStore
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from custdb.errors import ValidationError
from custdb.model.schema import Schema
from custdb.storage._lifecycle import check_lock_timeout
from custdb.storage._links import UsersOption
from custdb.storage._urls import redacted
from custdb.storage.base import ENTITIES, Change, Repository, Store, Transaction
from custdb.storage.memory import MemoryStore

if TYPE_CHECKING:
    from custdb.storage.postgres import PostgresStore
    from custdb.storage.sqlite import SQLiteStore

__all__ = [
    "ENTITIES",
    "Change",
    "MemoryStore",
    "PostgresStore",
    "Repository",
    "SQLiteStore",
    "Store",
    "Transaction",
    "open_store",
    "redacted",
]

DEFAULT_URL = "sqlite:///custdb.sqlite"


def open_store(
    url: str | None = None,
    *,
    schemas: Iterable[Schema] = (),
    clock: Callable[[], dt.datetime] | None = None,
    base_currency: str | None = None,
    rates: Mapping[str, Any] | None = None,
    users: UsersOption = "kept",
    lock_timeout: float | None = None,
) -> Store:
    """Open the store ``url`` names; with no URL, ``./custdb.sqlite`` (created if new).

    ``schemas`` declares custom properties per entity, kept in the base: a schema the
    base holds already must be given unchanged or not at all (``store.evolve_schema``
    changes it). ``base_currency`` is the currency roll-ups count money in, chosen once
    (by default the first order's); ``rates`` maps each other currency to the base
    units one unit is worth, kept until other rates are given. ``users`` says where the
    users that owner, staff and "brought by" fields name live: ``"kept"`` (in
    ``tx.users``, which must hold them) or ``"external"`` (outside custdb, so those ids
    are not checked). ``clock`` (a function returning a timezone-aware now) lets tests
    and replays fix the time stamped on writes; ``lock_timeout`` (seconds, 30 by
    default) bounds how long a SQL store's transaction waits for a lock another one
    holds. Use the store in a ``with`` block, or ``close()`` it, to release its
    connections.
    """
    url = DEFAULT_URL if url is None else url
    if not isinstance(url, str):
        raise ValidationError(
            "must be a URL string",
            field="url",
            value=type(url).__name__,
            hint="use memory://, sqlite:///path.sqlite or postgresql+psycopg://user@host/db",
        )
    options: dict[str, Any] = {
        "schemas": tuple(schemas),
        "base_currency": base_currency,
        "rates": rates,
        "users": users,
    }
    if clock is not None:
        options["clock"] = clock
    scheme = url.split("://", 1)[0].split("+", 1)[0].lower()
    if lock_timeout is not None:  # checked on every URL; memory never waits for long
        check_lock_timeout(lock_timeout)
    if url == "memory://":
        return MemoryStore(**options)
    if lock_timeout is not None:
        options["lock_timeout"] = lock_timeout
    if scheme == "sqlite":
        from custdb.storage.sqlite import SQLiteStore  # noqa: PLC0415 - SQLAlchemy on demand

        return SQLiteStore.from_url(url, **options)
    if scheme in ("postgresql", "postgres"):
        from custdb.storage.postgres import PostgresStore  # noqa: PLC0415

        return PostgresStore.from_url(url, **options)
    raise ValidationError(
        "is not a store URL custdb knows",
        field="url",
        value=redacted(url),
        hint="use memory://, sqlite:///path.sqlite or postgresql+psycopg://user@host/db",
    )


def __getattr__(name: str) -> Any:
    if name == "SQLiteStore":
        from custdb.storage.sqlite import SQLiteStore  # noqa: PLC0415

        return SQLiteStore
    if name == "PostgresStore":
        from custdb.storage.postgres import PostgresStore  # noqa: PLC0415

        return PostgresStore
    raise AttributeError(f"module 'custdb.storage' has no attribute {name!r}")
