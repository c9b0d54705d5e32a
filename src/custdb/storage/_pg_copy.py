"""Bulk writes on PostgreSQL through ``COPY ... FROM STDIN``: a batch of new rows and
the change-log rows of a transaction go in as one stream instead of one ``INSERT``
per row, which is what makes ``add_many`` fast there.

The rows are the very tuples ``_rows`` makes for ``executemany`` (storage-form values,
JSON as text), in the order of their columns, so COPY follows whatever columns a table
has. psycopg writes each value in COPY's text form with the dumpers it uses for query
parameters, and the server reads it with the column's own input function: the same
text executemany would send, read the same way (JSONB, numeric, timestamptz...).

COPY is one statement: a row it refuses fails the whole stream, and the error is
raised as SQLAlchemy's own (``IntegrityError`` for a key already taken, ...) so that
the caller finds and names the offending record as after a failed ``executemany``
(``SQLTable._duplicate`` asks which ids are taken, once the savepoint rolled back).
Fewer than ``COPY_LEAST`` rows (a single ``add``) go through ``executemany`` still.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any, cast

import sqlalchemy as sa

from custdb.storage._rows import insert_many

__all__ = ["COPY_LEAST", "copy_rows", "insert_rows"]

COPY_LEAST = 4
"""Fewer rows than this are written with ``executemany``. Measured inside a transaction
(2026-12): one row is quicker by executemany, two cost the same either way, from four
on COPY is quicker and keeps getting more so."""


def insert_rows(
    connection: sa.Connection,
    table: sa.TableClause,
    columns: tuple[str, ...],
    rows: Iterable[tuple[Any, ...]],
    count: int,
) -> list[tuple[Any, ...]]:
    """The ``count`` rows of ``rows`` (values in ``columns`` order) into ``table``: by
    COPY on PostgreSQL when there are ``COPY_LEAST`` or more, else by
    ``_rows.insert_many``. Returns them as a list. ``rows`` may be a generator: COPY
    writes each row as it is made, so the server stores the first ones while the rest
    are being made."""
    if connection.dialect.name == "postgresql" and count >= COPY_LEAST:
        return copy_rows(connection, table.name, columns, rows)
    written = list(rows)
    insert_many(connection, table, columns, written)
    return written


def copy_rows(
    connection: sa.Connection,
    table: str,
    columns: tuple[str, ...],
    rows: Iterable[tuple[Any, ...]],
) -> list[tuple[Any, ...]]:
    """One ``COPY table (columns) FROM STDIN`` of ``rows`` over the connection's psycopg
    connection, inside its transaction; returns the rows written, as a list.

    A driver error leaves as SQLAlchemy's ``DBAPIError`` subclass for it, the psycopg
    error as its ``orig``; the transaction (or the savepoint around this) is then failed
    and must be rolled back. An error making a row (a custom value that does not
    validate) ends the COPY and is raised as it is: psycopg drops (and logs) any error
    the server reported meanwhile, so it comes first as when ``executemany`` had all
    the rows made before writing one."""
    import psycopg  # noqa: PLC0415 - only PostgreSQL stores get here

    statement = _copy_statement(table, columns)
    driver = cast("psycopg.Connection[Any]", connection.connection.driver_connection)
    written: list[tuple[Any, ...]] = []
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            write, keep = copy.write_row, written.append
            for row in rows:
                keep(row)
                write(row)
    except psycopg.Error as error:
        text = statement.as_string(driver)
        wrapped = sa.exc.DBAPIError.instance(
            text, None, error, psycopg.Error, dialect=connection.dialect
        )
        raise wrapped from error
    return written


@functools.cache
def _copy_statement(table: str, columns: tuple[str, ...]) -> Any:
    """``COPY "table" ("a", "b") FROM STDIN``, quoted by psycopg, composed once."""
    from psycopg import sql  # noqa: PLC0415

    return sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
