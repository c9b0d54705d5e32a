"""``distinct`` in SQL: the values a field holds with their counts, grouped inside the
database (``GROUP BY``; a set field's elements through ``json_each`` on SQLite,
``jsonb_array_elements_text`` on PostgreSQL), never by loading records.

The database gives counts per (folded key, spelling); ``custdb.query.case.tally`` turns
them into the answer every store gives: most common first, each tag or e-mail address in
the spelling most records use.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from custdb.query import FieldInfo, FieldKind, Source
from custdb.query.case import folds, key_column, tally
from custdb.storage._compile import operand
from custdb.storage._dialect import Dialect, Expr

__all__ = ["distinct_in_sql"]


def distinct_in_sql(
    connection: sa.Connection,
    table: sa.Table,
    dialect: Dialect,
    info: FieldInfo,
    *,
    where: Expr | None,
    params: Mapping[str, Any],
) -> dict[Any, int]:
    """The values of ``info`` in the rows ``where`` selects, counted by the database."""
    if info.kind is FieldKind.SET:
        return _set_tally(connection, table, dialect, info, where=where, params=params)
    value = operand(info, table, dialect)
    key = table.c[key_column(info)] if folds(info) else value
    counted = sa.select(key, value, sa.func.count()).where(value.is_not(None))
    if where is not None:
        counted = counted.where(where)
    rows = connection.execute(counted.group_by(key, value), dict(params))
    return tally({(found, spelling): n for found, spelling, n in rows})


def _set_tally(
    connection: sa.Connection,
    table: sa.Table,
    dialect: Dialect,
    info: FieldInfo,
    *,
    where: Expr | None,
    params: Mapping[str, Any],
) -> dict[Any, int]:
    """A set field: one row per element held. A record may hold two spellings of one
    tag, so a folded field counts records per key in a second grouping."""
    custom = info.source is Source.CUSTOM
    each = dialect.set_elements(dialect.custom_set(table, info) if custom else table.c[info.name])
    joined = table.join(each, sa.true())
    key = each.c.value
    if folds(info):
        keys = dialect.set_elements(table.c[key_column(info)])
        joined = joined.join(keys, keys.c.key == each.c.key)
        key = keys.c.value
    pairs = sa.select(table.c.id, key.label("k"), each.c.value.label("v")).select_from(joined)
    if where is not None:
        pairs = pairs.where(where)
    found = pairs.distinct().cte("pairs")
    spellings = sa.select(found.c.k, found.c.v, sa.func.count()).group_by(found.c.k, found.c.v)
    counts = {(k, v): n for k, v, n in connection.execute(spellings, dict(params))}
    if not folds(info):
        return tally(counts)
    per_key = sa.select(found.c.k, sa.func.count(found.c.id.distinct())).group_by(found.c.k)
    records = {row[0]: row[1] for row in connection.execute(per_key, dict(params))}
    return tally(counts, records)
