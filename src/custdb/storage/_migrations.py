"""The database schema's version, and the ordered steps that bring a database up to it.

A store runs :func:`migrate` when it opens, inside one write transaction (``BEGIN
IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL, so two processes opening the same
new database do not both create it). Each step is a function of the connection and the
``MetaData``; it is applied once, in order, and recorded in ``schema_version``. A database
whose recorded version is newer than the last step here was written by a newer custdb:
opening it raises ``SchemaVersionError`` rather than guessing.

Adding a step: append ``Step(n + 1, "what it does", function)``. Step 1 creates the
tables as the model has them *now*, so later steps must tolerate a database that already
has their change (``add_missing_columns`` does). A new filterable field is a new column,
backfilled from ``doc``: the row mapping recomputes every column from the decoded record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs
import sqlalchemy as sa

from custdb.errors import SchemaVersionError, StoreError

__all__ = [
    "STEPS",
    "Step",
    "add_filter_columns",
    "add_missing_columns",
    "foreign_problem",
    "migrate",
    "schema_version",
]


@attrs.frozen
class Step:
    version: int
    description: str
    apply: Callable[[sa.Connection, sa.MetaData], None]


def _create_tables(connection: sa.Connection, metadata: sa.MetaData) -> None:
    metadata.create_all(connection)


def add_missing_columns(connection: sa.Connection, metadata: sa.MetaData) -> None:
    """Add each column ``metadata`` has and the database lacks (nullable, no default)."""
    inspector = sa.inspect(connection)
    preparer = connection.dialect.identifier_preparer
    for table in metadata.sorted_tables:
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                kind = column.type.compile(dialect=connection.dialect)
                connection.exec_driver_sql(
                    f"ALTER TABLE {preparer.format_table(table)} "
                    f"ADD COLUMN {preparer.format_column(column)} {kind}"
                )


def _missing_columns(connection: sa.Connection, metadata: sa.MetaData) -> dict[str, list[str]]:
    """The columns ``metadata`` has and the database lacks, by table."""
    inspector = sa.inspect(connection)
    missing: dict[str, list[str]] = {}
    for table in metadata.sorted_tables:
        if inspector.has_table(table.name):
            present = {column["name"] for column in inspector.get_columns(table.name)}
            names = [column.name for column in table.columns if column.name not in present]
            if names:
                missing[table.name] = names
    return missing


def add_filter_columns(connection: sa.Connection, metadata: sa.MetaData) -> None:
    """Add the entity columns the database lacks and fill them from each row's ``doc``,
    through the row mapping (which computes every column from the decoded record)."""
    from custdb.storage._dialect import POSTGRES, SQLITE  # noqa: PLC0415 - migration-time only
    from custdb.storage._rows import Plan  # noqa: PLC0415
    from custdb.storage.base import ENTITIES  # noqa: PLC0415

    missing = _missing_columns(connection, metadata)
    add_missing_columns(connection, metadata)
    dialect = POSTGRES if connection.dialect.name == "postgresql" else SQLITE
    for name, columns in missing.items():
        if name in ENTITIES:
            _backfill(connection, Plan.of(name, dialect), columns)


def _backfill(connection: sa.Connection, plan: Any, columns: list[str]) -> None:
    """``columns`` of every row of ``plan``'s table, recomputed from the stored record,
    a thousand rows at a time in id order."""
    writes = plan.writes
    update = writes.update().where(writes.c.id == sa.bindparam("_id"))
    update = update.values({name: sa.bindparam(name) for name in columns})
    query = sa.select(plan.table.c.id, *plan.read).order_by(plan.table.c.id).limit(1000)
    after = None
    while True:
        page = query if after is None else query.where(plan.table.c.id > after)
        rows = connection.execute(page).all()
        if not rows:
            return
        values = []
        for row in rows:
            full = plan.row(plan.entity(tuple(row[1:]), None))
            values.append({"_id": row[0], **{name: full[name] for name in columns}})
        connection.execute(update, values)
        after = rows[-1][0]


def _create_settings(connection: sa.Connection, metadata: sa.MetaData) -> None:
    """The ``settings`` table (schemas, base currency, rates) for a base made before it;
    what goes in it is worked out when the store opens (``_settings.open_settings``)."""
    metadata.tables["settings"].create(connection, checkfirst=True)


def _add_folded_keys(connection: sa.Connection, metadata: sa.MetaData) -> None:
    """``email_key`` and ``tags_key`` (``_tables``): added, filled from ``email`` and
    ``tags`` with Python's ``casefold`` as the row mapping writes them, and indexed;
    the GIN index on ``tags`` goes, since queries read ``tags_key`` instead."""
    add_missing_columns(connection, metadata)
    for table in metadata.sorted_tables:
        keys = [column for column in ("email_key", "tags_key") if column in table.c]
        if not keys:
            continue
        _fill_folded_keys(connection, table)
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"DROP INDEX IF EXISTS ix_{table.name}_tags")
        for index in table.indexes:
            if {column.name for column in index.columns} & set(keys):
                index.create(connection, checkfirst=True)


def _fill_folded_keys(connection: sa.Connection, table: sa.Table, batch: int = 1000) -> None:
    """Write each row's keys, ``batch`` rows an ``executemany`` at a time, in id order."""
    update = table.update().where(table.c.id == sa.bindparam("_id"))
    read = sa.select(table.c.id, table.c.email, table.c.tags).order_by(table.c.id)
    after = None
    while True:
        page = read if after is None else read.where(table.c.id > after)
        rows = connection.execute(page.limit(batch)).all()
        if not rows:
            return
        connection.execute(
            update,
            [
                {
                    "_id": id_,
                    "email_key": None if email is None else email.casefold(),
                    "tags_key": [tag.casefold() for tag in tags or ()],
                }
                for id_, email, tags in rows
            ],
        )
        after = rows[-1][0]


STEPS: tuple[Step, ...] = (
    Step(1, "create the tables", _create_tables),
    Step(2, "keep the custom-property schemas and the base currency", _create_settings),
    Step(3, "address parts and order totals as filter columns", add_filter_columns),
    Step(4, "fold e-mails and tags for matching (email_key, tags_key)", _add_folded_keys),
    Step(5, "fold the name fields for contains (last_name_folded ...)", add_filter_columns),
)
"""Every schema change custdb has made, oldest first; ``STEPS[-1].version`` is current."""


def schema_version(connection: sa.Connection, metadata: sa.MetaData) -> int:
    """The version recorded in the database; 0 for a new, empty one."""
    table = metadata.tables["schema_version"]
    table.create(connection, checkfirst=True)
    found = connection.execute(sa.select(sa.func.max(table.c.version))).scalar()
    return int(found or 0)


def foreign_problem(tables: Iterable[str]) -> tuple[str, str] | None:
    """(what is wrong, what to do) for a database that holds tables but no custdb
    ``schema_version``: another application's, which custdb must neither read as its own
    (its tables would look half-migrated) nor add its tables to; None otherwise."""
    names = sorted(tables)
    if not names or "schema_version" in names:
        return None
    shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
    return (
        f"was not made by custdb: it holds other tables ({shown}) and no schema_version",
        "give custdb a new file or an empty database of its own; nothing was changed",
    )


def migrate(
    connection: sa.Connection,
    metadata: sa.MetaData,
    *,
    steps: Sequence[Step] = STEPS,
    lock: sa.Executable | None = None,
) -> int:
    """Apply the steps the database lacks; return its version. ``lock`` is run first."""
    if lock is not None:
        connection.execute(lock)
    problem = foreign_problem(sa.inspect(connection).get_table_names())
    if problem is not None:
        raise StoreError(f"the database {problem[0]}", hint=problem[1])
    current, latest = schema_version(connection, metadata), steps[-1].version
    if current > latest:
        raise SchemaVersionError(
            f"the database has schema version {current}; this custdb knows up to {latest}",
            hint="upgrade custdb (pip install -U custdb) to open this database",
        )
    table = metadata.tables["schema_version"]
    for step in steps:
        if step.version > current:
            step.apply(connection, metadata)
            connection.execute(
                table.insert(),
                {
                    "version": step.version,
                    "description": step.description,
                    "applied_at": dt.datetime.now(dt.timezone.utc),
                },
            )
    _check_columns(connection, metadata)
    return latest


def _check_columns(connection: sa.Connection, metadata: sa.MetaData) -> None:
    """Every column the model needs exists: the tables are generated from the model, so a
    filterable field added without a migration step is caught here, not in a query."""
    found = sa.inspect(connection).get_multi_columns()
    present = {
        (table, column["name"]) for (_, table), columns in found.items() for column in columns
    }
    missing = [
        f"{table.name}.{column.name}"
        for table in metadata.sorted_tables
        for column in table.columns
        if (table.name, column.name) not in present
    ]
    if missing:
        raise SchemaVersionError(
            f"the database lacks {', '.join(missing)} at the schema version it records",
            hint="a field was added to the model without a migration step; add one",
        )
