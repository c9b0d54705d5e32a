"""Row mapping: how an entity becomes a row of its generated table and back.

Rows are written in the database's storage form (decimal keys and UTC text on SQLite,
JSON as text) and go to the driver's ``executemany`` as they are; rows are read back
through the codec's trusted decoder, since the store validated them on the way in.
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import attrs
import sqlalchemy as sa

from custdb import codec
from custdb.model.schema import Schema
from custdb.query import FieldKind, Source, fields_for
from custdb.storage._dialect import Dialect
from custdb.storage._tables import TABLES, dumps
from custdb.storage.base import ENTITIES

__all__ = ["Plan", "insert_many", "json_text"]

# --- columns and documents ------------------------------------------------------------------------

Getter = Callable[[Any], Any]
_quoted: Callable[[str], str] = json.encoder.encode_basestring


def _field_value(kind: FieldKind) -> Getter | None:
    """What a field's column holds, from its attribute value (``None`` passed by)."""
    if kind is FieldKind.MONEY:
        return lambda value: value.amount
    if kind is FieldKind.ENUM:
        return lambda value: str(getattr(value, "value", value))
    if kind is FieldKind.SET:  # a JSON array of strings, written without the encoder
        return lambda value: "[" + ",".join(map(_quoted, sorted(value))) + "]"
    return None


def _getter(read: Getter, *steps: Getter | None) -> Getter:
    chain = [step for step in steps if step is not None]
    if not chain:
        return read

    def get(record: Any) -> Any:
        value = read(record)
        if value is None:
            return None
        for step in chain:
            value = step(value)
        return value

    return get


def _attr(name: str) -> Getter:
    return operator.attrgetter(name)


def _via_stats(name: str, get: Getter) -> Getter:
    if isinstance(get, operator.attrgetter):  # a plain attribute: one C-level lookup
        return operator.attrgetter(f"stats.{name}")
    return lambda record: get(record.stats)


def json_text(value: dict[str, Any]) -> str:
    """A JSON column's text; an empty object costs no encoder call."""
    return dumps(value) if value else "{}"


@attrs.frozen
class Plan:
    """How one entity becomes a row and back, worked out once per class and dialect.

    Rows are written in the database's storage form (decimal keys and UTC text on
    SQLite, JSON as text) through an untyped table clause, so an ``executemany`` of a
    hundred thousand rows costs no per-value type processing in SQLAlchemy.
    """

    cls: type
    table: sa.Table
    writes: sa.TableClause  # the same table, untyped: values go to the driver as they are
    getters: tuple[tuple[str, Getter], ...]
    stats_getters: tuple[tuple[str, Getter], ...]
    sparse: frozenset[str]  # fields whose default is None: left out of ``doc`` when None
    read: tuple[sa.Column[Any], ...]
    by_id: sa.Select[Any]  # statements built once: executing them again skips compiling
    update: sa.Update
    update_stats: sa.Update
    delete: sa.Delete
    build: codec.TrustedDecoder  # rows are the store's own, validated when written
    statements: dict[Hashable, Any] = attrs.field(factory=dict, eq=False)  # by query shape

    @classmethod
    def of(cls, name: str, dialect: Dialect) -> Plan:
        entity, table = ENTITIES[name], TABLES[name]
        getters, stats_getters = [], []
        for info in fields_for(entity).values():
            stored = _getter(
                _attr(info.name), _field_value(info.kind), dialect.storage.get(info.kind)
            )
            if info.source is Source.STATS:
                stats_getters.append((info.name, stored))
                getters.append((info.name, _via_stats(info.name, stored)))
            else:
                getters.append((info.name, stored))
        sparse = frozenset(f.name for f in attrs.fields(entity) if f.default is None)
        read = tuple(table.c[n] for n in ("doc", "custom", "external_ids", "stats") if n in table.c)
        writes = sa.table(name, *(sa.column(column.name) for column in table.columns))
        same_id = writes.c.id == sa.bindparam("_id")
        return cls(
            entity,
            table,
            writes,
            tuple(getters),
            tuple(stats_getters),
            sparse,
            read,
            by_id=sa.select(*read).where(table.c.id == sa.bindparam("_id")),
            update=writes.update().where(same_id, writes.c.version == sa.bindparam("_version")),
            update_stats=writes.update().where(same_id),
            delete=writes.delete().where(same_id),
            build=codec.trusted_decoder(entity),
        )

    def row(self, entity: Any, data: dict[str, Any]) -> dict[str, Any]:
        """The row for ``entity``, whose ``codec.encode`` form is ``data`` (left as is)."""
        row = {name: get(entity) for name, get in self.getters}
        row["custom"] = json_text(data["custom"])
        row["external_ids"] = json_text(data["external_ids"])
        if len(self.read) > 3:  # the entity keeps roll-ups
            row["stats"] = dumps(data["stats"])
        skip = self.sparse
        row["doc"] = dumps(
            {
                k: v
                for k, v in data.items()
                if k not in _OWN_COLUMNS and (v is not None or k not in skip)
            }
        )
        return row

    def stats_row(self, stats: Any) -> dict[str, Any]:
        row = {name: get(stats) for name, get in self.stats_getters}
        row["stats"] = dumps(codec.encode(stats))
        return row

    def entity(self, row: Sequence[Any], schema: Schema | None) -> Any:
        data = row[0]
        data["custom"], data["external_ids"] = row[1], row[2]
        if len(row) > 3:
            data["stats"] = row[3]
        return self.build(data, schema)


_OWN_COLUMNS = frozenset({"custom", "external_ids", "stats"})  # JSON beside ``doc``, not in it


@functools.cache
def _insert_sql(
    table: sa.TableClause, columns: tuple[str, ...], dialect: sa.Dialect
) -> tuple[str, tuple[str, ...] | None]:
    """The driver's INSERT text for ``columns``, and their order if it is positional."""
    values: dict[str, Any] = {name: sa.bindparam(name) for name in columns}
    compiled = table.insert().values(values).compile(dialect=dialect)
    return compiled.string, tuple(compiled.positiontup or ()) if compiled.positional else None


def insert_many(
    connection: sa.Connection, table: sa.TableClause, rows: list[dict[str, Any]]
) -> None:
    """``executemany`` straight to the driver: the rows hold storage-form values already,
    so SQLAlchemy's per-row parameter processing would only cost time."""
    sql, order = _insert_sql(table, tuple(rows[0]), connection.dialect)
    if order is None:
        connection.exec_driver_sql(sql, rows)
    else:
        connection.exec_driver_sql(sql, [tuple(map(row.__getitem__, order)) for row in rows])
