"""``PostgresStore``: the server and scale path, over psycopg 3.

Transactions run at READ COMMITTED. ``put`` updates with ``WHERE version = :held``, so of
two writers of one record the second waits for the first to commit and then finds the
version moved (``StaleVersionError``); roll-ups lock their client rows (``SELECT ... FOR
UPDATE``) before recomputing, so they are computed from committed data. Text columns use
the "C" collation so that sorting is by code point, as in the other stores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from custdb.model.schema import Schema
from custdb.storage._dialect import ICU, postgres
from custdb.storage._driver import create_engine, driver_errors, parse_url
from custdb.storage._lifecycle import LOCK_TIMEOUT
from custdb.storage._links import UsersOption
from custdb.storage._sql import SQLStore
from custdb.storage._tables import dumps, loads

__all__ = ["PostgresStore"]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class PostgresStore(SQLStore):
    """A store in one PostgreSQL database; give it an ``Engine`` or use :meth:`from_url`.

    ``lock_timeout`` (seconds) is set as PostgreSQL's ``lock_timeout`` on every
    connection the store uses: a transaction that waits longer for a row another one is
    writing gives up with a ``StoreError`` instead of waiting for ever.
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
        super().__init__(
            engine,
            dialect=postgres(icu=_has_icu(engine)),
            schemas=schemas,
            clock=clock,
            base_currency=base_currency,
            rates=rates,
            users=users,
            lock_timeout=lock_timeout,
        )

    @classmethod
    def from_url(cls, url: str | sa.URL, **options: Any) -> PostgresStore:
        """``postgresql+psycopg://user:password@host/db``; ``postgresql://`` means psycopg."""
        address = psycopg_url(parse_url(url))
        engine = create_engine(address, json_serializer=dumps, json_deserializer=loads)
        return cls._on_own_engine(engine, **options)

    def _lock_timeout_sql(self, milliseconds: int) -> str:
        return f"SET lock_timeout = {milliseconds}"


def _has_icu(engine: sa.Engine) -> bool:
    """Whether the server has the ICU root collation ``contains`` folds case with."""
    query = sa.text("SELECT count(*) FROM pg_collation WHERE collname = :name")
    with driver_errors(), engine.connect() as connection:
        return bool(connection.execute(query, {"name": ICU}).scalar())


def psycopg_url(url: str | sa.URL) -> sa.URL:
    """``url`` with the psycopg 3 driver named (``postgres://`` and ``postgresql://``)."""
    address = sa.make_url(url)
    if address.drivername in ("postgresql", "postgres"):
        address = address.set(drivername="postgresql+psycopg")
    return address
