"""The ``settings`` rows of a SQL store inside one transaction (``_settings.SettingsTable``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from custdb.storage._driver import guarded
from custdb.storage._settings import Stored
from custdb.storage._tables import SETTINGS, TABLES

__all__ = ["SQLSettings"]

_ROWS = sa.select(SETTINGS.c.name, SETTINGS.c.value, SETTINGS.c.version)
_CURRENCIES = sa.select(TABLES["orders"].c.currency).distinct()


class SQLSettings:
    def __init__(self, connection: sa.Connection) -> None:
        self._conn = connection

    @guarded
    def read(self) -> Stored:
        return {row.name: (row.value, row.version) for row in self._conn.execute(_ROWS)}

    @guarded
    def write(self, name: str, value: Any, based_on: int | None, now: dt.datetime) -> bool:
        """Insert a new row (False if another transaction inserted it first: PostgreSQL
        makes this one wait for it, then reports the clash) or update version ``based_on``."""
        row = {"name": name, "value": value, "updated_at": now}
        if based_on is None:
            try:
                with self._conn.begin_nested():
                    self._conn.execute(SETTINGS.insert(), {**row, "version": 1})
            except sa.exc.IntegrityError:
                return False
            return True
        change = (
            SETTINGS.update()
            .where(SETTINGS.c.name == name, SETTINGS.c.version == based_on)
            .values(value=value, version=based_on + 1, updated_at=now)
        )
        return bool(self._conn.execute(change).rowcount == 1)

    @guarded
    def order_currencies(self) -> set[str]:
        return set(self._conn.execute(_CURRENCIES).scalars())
