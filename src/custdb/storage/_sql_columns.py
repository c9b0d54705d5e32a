"""The SQL side of ``select_columns``: one SELECT of only the chosen columns, with the
filter and order compiled as ``select`` compiles them, and a converter per column.

Analytics over a million contacts needs a few fields of each, not a million entities.
The driver's tuples are taken as they are and each column is turned from its storage
form (decimal keys and UTC text on SQLite, JSON text) into the value the entity
attribute holds (``_columns`` says which), by one converter chosen once per column. A
column already in its Python form (text, whole numbers, most of PostgreSQL's) costs
nothing: then the rows are the driver's own tuples.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import typing
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
import orjson
import sqlalchemy as sa

from custdb.model.schema import Schema, custom_value_from_json
from custdb.model.values import Money
from custdb.query import FieldInfo, FieldKind, Source
from custdb.storage._dialect import Dialect, Expr, decimal_from_key
from custdb.storage._rows import Plan

__all__ = ["ColumnReader", "decimal_of_key", "reader_for"]

Decode = Callable[[Any], Any]


@attrs.frozen
class ColumnReader:
    """One statement of the chosen columns and the converter of each (None: as fetched)."""

    statement: sa.Select[Any]
    decoders: tuple[Decode | None, ...]

    def read(self, connection: sa.Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The rows, each a tuple of the entity's values. The driver's cursor is read
        directly: its tuples need no SQLAlchemy row around them."""
        result = connection.execute(self.statement, params)
        try:
            rows: list[tuple[Any, ...]] = result.cursor.fetchall()
        finally:
            result.close()
        if not rows or all(decode is None for decode in self.decoders):
            return rows
        columns = [
            column if decode is None else list(map(decode, column))
            for column, decode in zip(zip(*rows, strict=True), self.decoders, strict=True)
        ]
        return list(zip(*columns, strict=True))


def reader_for(
    infos: Sequence[FieldInfo],
    query: sa.Select[Any],
    plan: Plan,
    dialect: Dialect,
    schema: Schema | None,
) -> ColumnReader:
    """``query`` (filtered, ordered and limited as ``select``'s) reading ``infos`` only."""
    read = [_column(info, plan.table, dialect, plan.cls, schema) for info in infos]
    return ColumnReader(query.with_only_columns(*(e for e, _ in read)), tuple(d for _, d in read))


def _column(
    info: FieldInfo, table: sa.Table, dialect: Dialect, entity: type, schema: Schema | None
) -> tuple[Expr, Decode | None]:
    """What to select for a field, as the driver gives it raw, and how it becomes the
    entity's value."""
    sqlite = dialect.name == "sqlite"
    if info.source is Source.CUSTOM:
        return _custom(info, table, sqlite=sqlite, schema=schema)
    if info.kind is FieldKind.MONEY:
        return _money(info, table, sqlite=sqlite)
    if info.kind is FieldKind.SET:
        return _set(info, table, entity, sqlite=sqlite)
    column = table.c[info.column]  # read from the driver's cursor: no type processing
    decode = _member_of(info, entity) if info.kind is FieldKind.ENUM else _scalar(info, sqlite)
    if decode is None:
        return column, None
    return column, decode if not column.nullable else functools.partial(_unless_none, decode)


def _unless_none(decode: Decode, value: Any) -> Any:
    return None if value is None else decode(value)


def _scalar(info: FieldInfo, sqlite: bool) -> Decode | None:  # noqa: FBT001
    if sqlite:
        return _SQLITE_SCALARS.get(info.kind)
    return _in_utc if info.kind is FieldKind.DATETIME else None


def decimal_of_key(key: str) -> Decimal:
    """The number of a decimal key (``_dialect.decimal_key``), as ``decimal_from_key``
    reads it; a positive number, the common case, in one ``Decimal`` parse."""
    if key[0] != "2":
        return decimal_from_key(key)
    digits = key[5:]
    return Decimal(f"{digits}E{int(key[1:5]) - 5000 - len(digits) + 1}")


def _in_utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is dt.timezone.utc else value.astimezone(dt.timezone.utc)


_SQLITE_SCALARS: Mapping[FieldKind, Decode] = {
    FieldKind.DECIMAL: decimal_of_key,
    FieldKind.DATE: dt.date.fromisoformat,
    FieldKind.DATETIME: dt.datetime.fromisoformat,  # fixed-width "+00:00" text: aware UTC
    FieldKind.BOOL: bool,
}


def _member_of(info: FieldInfo, entity: type) -> Decode | None:
    """An enum field's member by its stored value (the attribute holds members)."""
    hint = typing.get_type_hints(entity).get(info.name)
    members = [a for a in (*typing.get_args(hint), hint) if isinstance(a, type)]
    cls = next((a for a in members if issubclass(a, enum.Enum)), None)
    return None if cls is None else {m.value: m for m in cls}.get


def _doc_element(table: sa.Table, name: str, *, sqlite: bool) -> Expr:
    """A field of the record's ``doc``, as JSON text (SQLite) or a decoded value."""
    if sqlite:
        return sa.func.json_extract(table.c.doc, f'$."{name}"')
    return table.c.doc.op("->", return_type=sa.types.NullType())(name)


def _money(info: FieldInfo, table: sa.Table, *, sqlite: bool) -> tuple[Expr, Decode]:
    """A money field: an order's ``total`` from its amount and currency columns, any
    other from the record's ``doc``, which keeps the amount exactly as written."""
    if info.source is Source.DERIVED:
        amount = sa.cast(table.c[info.column], sa.Text())
        pair = table.c.currency.concat(" ").concat(amount)
        return pair, functools.partial(_money_pair, sqlite=sqlite)
    element = _doc_element(table, info.name, sqlite=sqlite)
    return element, _money_json if sqlite else _money_object


def _money_pair(text: str | None, *, sqlite: bool) -> Money | None:
    if text is None:
        return None
    currency, _, amount = text.partition(" ")
    return Money(decimal_of_key(amount) if sqlite else Decimal(amount), currency)


def _money_object(value: Mapping[str, Any] | None) -> Money | None:
    return None if value is None else Money(Decimal(value["amount"]), value["currency"])


def _money_json(text: str | None) -> Money | None:
    return None if text is None else _money_object(orjson.loads(text))


def _set(info: FieldInfo, table: sa.Table, entity: type, *, sqlite: bool) -> tuple[Expr, Decode]:
    """A set field: a ``frozenset`` from its sorted column; a ``tuple`` (whose order
    the column does not keep) from the record's ``doc``, or worked out of the deal's
    people for ``contact_ids``."""
    hint = typing.get_type_hints(entity).get(info.name)
    if typing.get_origin(hint) is frozenset:
        return table.c[info.column], _json_set if sqlite else _list_set
    if info.source is Source.DERIVED:  # a deal's contact_ids: its people's, in order
        expr = _doc_element(table, "contacts", sqlite=sqlite)
        return expr, _contact_ids_json if sqlite else _contact_ids
    return _doc_element(table, info.name, sqlite=sqlite), _json_tuple if sqlite else _list_tuple


def _json_set(text: str) -> frozenset[str]:
    return frozenset(orjson.loads(text))


def _list_set(values: list[str]) -> frozenset[str]:
    return frozenset(values)


def _json_tuple(text: str | None) -> tuple[str, ...]:
    return () if text is None else tuple(orjson.loads(text))


def _list_tuple(values: list[str] | None) -> tuple[str, ...]:
    return () if values is None else tuple(values)


def _contact_ids(links: list[dict[str, Any]] | None) -> tuple[str, ...]:
    return () if links is None else tuple(link["contact_id"] for link in links)


def _contact_ids_json(text: str | None) -> tuple[str, ...]:
    return () if text is None else _contact_ids(orjson.loads(text))


def _custom(
    info: FieldInfo, table: sa.Table, *, sqlite: bool, schema: Schema | None
) -> tuple[Expr, Decode]:
    """A custom property out of the ``custom`` JSON column, typed as the record's own
    custom values are (``custom_value_from_json``)."""
    field = schema.field(info.name) if schema is not None else None
    typed = functools.partial(custom_value_from_json, field)
    if sqlite:
        expr = table.c.custom.op("->", return_type=sa.types.NullType())(f'$."{info.name}"')
        return expr, functools.partial(_custom_json, typed)
    expr = table.c.custom.op("->", return_type=sa.types.NullType())(info.name)
    return expr, typed


def _custom_json(typed: Decode, text: str | None) -> Any:
    return None if text is None else typed(orjson.loads(text))
