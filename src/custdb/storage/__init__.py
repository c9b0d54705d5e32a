"""Stores behind one interface: ``open_store(url)`` picks the adapter from the URL.

open_store()                                  ./custdb.sqlite, the embedded default
open_store("memory://")                       MemoryStore, for tests and notebooks
open_store("sqlite:///path/to/base.sqlite")   SQLiteStore on a file
open_store("sqlite://")                       SQLiteStore in memory
open_store("postgresql+psycopg://user:pw@host/db")   PostgresStore
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from custdb.errors import ValidationError
from custdb.model.schema import Schema
from custdb.storage._links import UsersOption
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
) -> Any:
    """Open the store ``url`` names; with no URL, ``./custdb.sqlite`` (created if new).

    ``schemas`` declares custom properties per entity, kept in the base: a schema the
    base holds already must be given unchanged or not at all (``store.evolve_schema``
    changes it). ``base_currency`` is the currency roll-ups count money in, chosen once
    (by default the first order's); ``rates`` maps each other currency to the base
    units one unit is worth, kept until other rates are given. ``users`` says where the
    users that owner, staff and "brought by" fields name live: ``"kept"`` (in
    ``tx.users``, which must hold them) or ``"external"`` (outside custdb, so those ids
    are not checked). ``clock`` (a function returning a timezone-aware now) lets tests
    and replays fix the time stamped on writes.
    """
    url = DEFAULT_URL if url is None else url
    options: dict[str, Any] = {
        "schemas": tuple(schemas),
        "base_currency": base_currency,
        "rates": rates,
        "users": users,
    }
    if clock is not None:
        options["clock"] = clock
    scheme = url.split("://", 1)[0].split("+", 1)[0].lower()
    if url == "memory://":
        return MemoryStore(**options)
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


def redacted(url: str) -> str:
    """``url`` with its password, if it has one, written ``***``: what messages, logs and
    summaries show, so a database password never lands in a terminal or a log file."""
    parts = urllib.parse.urlsplit(url)
    userinfo, at, host = parts.netloc.rpartition("@")
    user, colon, _password = userinfo.partition(":")
    if not at or not colon:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def __getattr__(name: str) -> Any:
    if name == "SQLiteStore":
        from custdb.storage.sqlite import SQLiteStore  # noqa: PLC0415

        return SQLiteStore
    if name == "PostgresStore":
        from custdb.storage.postgres import PostgresStore  # noqa: PLC0415

        return PostgresStore
    raise AttributeError(f"module 'custdb.storage' has no attribute {name!r}")
