"""The driver's side of a store: URLs read into engines, and driver errors as custdb
errors.

Every way a URL or a driver can fail ends as a custdb error naming the URL without its
password: a malformed URL or an unknown driver is a ``ValidationError``, a driver that
is not installed a ``MissingDependencyError`` naming what to install, a database error a
``StoreError`` whose message says what to do, the driver's own error chained as
``__cause__`` (``from e``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

import sqlalchemy as sa

from custdb.errors import MissingDependencyError, StoreError, ValidationError
from custdb.storage._lifecycle import COUNT_CAP
from custdb.storage._tables import TABLES
from custdb.storage._urls import redacted

__all__ = [
    "create_engine",
    "driver_errors",
    "guarded",
    "parse_url",
    "row_counts",
    "set_once",
    "store_error",
]

P = ParamSpec("P")
R = TypeVar("R")

_LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for a lock_timeout that ran out
_READ_ONLY_TRANSACTION = "25006"  # PostgreSQL's SQLSTATE for a write on a replica
_PORT_HINT = (
    "write the port as digits after the host (@localhost:5432/db), or leave it out; "
    "an '@' in the password is written %40"
)
_FORMS = {
    "sqlite": "sqlite:///path/to/base.sqlite (Python's own sqlite3 driver)",
    "postgresql": "postgresql+psycopg://user:password@host:5432/db",
}


def store_error(error: sa.exc.DBAPIError) -> StoreError:
    text = str(error.orig)
    if getattr(error.orig, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
        return StoreError(
            "waited for the store's lock timeout on a record another transaction is "
            "writing, and gave up; nothing of this transaction was written",
            hint="retry once the other transaction has ended (keep transactions short), or "
            "open the store with a longer lock_timeout",
        )
    if getattr(error.orig, "sqlstate", None) == _READ_ONLY_TRANSACTION:
        return StoreError(
            "the database only reads (a read replica, or default_transaction_read_only "
            "is on); nothing of this transaction was written",
            hint="write through the primary server's URL; a replica serves reads",
        )
    if "locked" in text or "busy" in text:
        return StoreError(
            "the database stayed locked by another writer for the store's lock timeout",
            hint="retry; keep write transactions short so others can get in, or open the "
            "store with a longer lock_timeout",
        )
    if "readonly" in text:
        return StoreError(
            "the database is read-only",
            hint="it was opened with mode=ro, or the file is not writable: open it writable "
            "to change it",
        )
    first_line = text.strip().splitlines()[0] if text.strip() else type(error.orig).__name__
    return StoreError(
        f"the database reported an error: {first_line}",
        hint="the driver's own error is chained as __cause__",
    )


def guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Driver errors leave as ``StoreError``, the driver's own chained with ``from``."""

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except sa.exc.DBAPIError as error:
            raise store_error(error) from error

    return call


@contextmanager
def driver_errors() -> Iterator[None]:
    try:
        yield
    except sa.exc.DBAPIError as error:
        raise store_error(error) from error


def set_once(dbapi_connection: Any, record: Any, key: str, value: Any, statement: str) -> None:
    """Run a session ``statement`` on a pooled connection unless it ran already (with
    this ``value``): pool checkout hooks call this, so the setting costs nothing after."""
    if record.info.get(key) == value:
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(statement)
    finally:
        cursor.close()
    dbapi_connection.commit()  # a session setting: kept beyond this transaction
    record.info[key] = value


_COUNTS = sa.select(
    *(
        sa.select(sa.func.count())
        .select_from(sa.select(table.c.id).limit(COUNT_CAP + 1).subquery())
        .scalar_subquery()
        .label(name)
        for name, table in TABLES.items()
    )
)


def row_counts(connection: sa.Connection) -> dict[str, int]:
    """Each entity table's rows, counted up to ``COUNT_CAP + 1``, in one statement."""
    row = connection.execute(_COUNTS).one()
    return dict(zip(TABLES, row, strict=True))


def parse_url(url: str | sa.URL) -> sa.URL:
    """``url`` read as SQLAlchemy reads it, or a ``ValidationError`` naming it redacted."""
    if isinstance(url, sa.URL):
        return url
    try:
        address = sa.make_url(url)
    except ValueError as error:  # int() of the port
        raise _bad_url(url, "has a port that is not a number", _PORT_HINT) from error
    except sa.exc.ArgumentError as error:
        raise _bad_url(url, "is not a URL SQLAlchemy can read", _form_hint(url)) from error
    if address.host and "@" in address.host:
        raise _bad_url(
            url,
            "has an '@' after the password",
            "write an '@' of the password itself as %40 (a '%' as %25)",
        )
    return address


def create_engine(address: sa.URL, **options: Any) -> sa.Engine:
    """``sa.create_engine``, with an unknown, missing or asynchronous driver refused."""
    url = address.render_as_string(hide_password=False)
    try:
        engine = sa.create_engine(address, **options)
    except sa.exc.NoSuchModuleError as error:
        raise _bad_url(
            url, f"names the driver {address.drivername!r}, which is unknown", _form_hint(url)
        ) from error
    except ImportError as error:
        raise _missing_driver(address, error) from error
    if engine.dialect.is_async:
        engine.dispose()
        raise _bad_url(
            url, "names an asyncio driver; custdb's stores are synchronous", _form_hint(url)
        )
    return engine


def _missing_driver(address: sa.URL, error: ImportError) -> MissingDependencyError:
    module = (error.name or "").split(".")[0]
    if module == "psycopg":
        return MissingDependencyError.for_extra("psycopg", "postgres")
    return MissingDependencyError(
        f"the driver {address.drivername!r} needs the package {module or '?'!r}, which is "
        "not installed",
        field="url",
        value=redacted(address.render_as_string(hide_password=False)),
        hint=f"custdb works with the drivers it installs: {_form_hint(str(address))}"
        ' (pip install "custdb[postgres]" for PostgreSQL)',
    )


def _bad_url(url: str | sa.URL, reason: str, hint: str) -> ValidationError:
    text = url if isinstance(url, str) else url.render_as_string(hide_password=False)
    return ValidationError(reason, field="url", value=redacted(text), hint=hint)


def _form_hint(url: str) -> str:
    family = "sqlite" if url.lower().startswith("sqlite") else "postgresql"
    return f"write it as {_FORMS[family]}"
