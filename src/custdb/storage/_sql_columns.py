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
from sqlalchemy.sql.elements import Grouping

from custdb.model.schema import Schema, custom_value_from_json
from custdb.model.values import Money
from custdb.query import FieldInfo, FieldKind, Source
from custdb.storage._dialect import Dialect, Expr
from custdb.storage._rows import Plan

__all__ = ["ColumnReader", "decimal_text", "reader_for"]

Decode = Callable[[Any], Any]
RowsDecoder = Callable[[list[tuple[Any, ...]]], list[tuple[Any, ...]]]


@attrs.frozen
class _Read:
    """What one field selects, and how a fetched value becomes the entity's value."""

    expr: Expr
    decode: Decode | None = None  # None: the driver's value is the entity's
    guarded: bool = False  # None passes by without a call (else ``decode`` takes None too)


@attrs.frozen
class ColumnReader:
    """One statement of the chosen columns and what turns its rows into entity values
    (None: the driver's tuples are them already)."""

    statement: sa.Select[Any]
    decode: RowsDecoder | None

    def read(self, connection: sa.Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The rows, each a tuple of the entity's values. The driver's cursor is read
        directly: its tuples need no SQLAlchemy row around them."""
        result = connection.execute(self.statement, params)
        try:
            rows = typing.cast("list[tuple[Any, ...]]", result.cursor.fetchall())
        finally:
            result.close()
        return rows if self.decode is None else self.decode(rows)


def reader_for(
    infos: Sequence[FieldInfo],
    query: sa.Select[Any],
    plan: Plan,
    dialect: Dialect,
    schema: Schema | None,
) -> ColumnReader:
    """``query`` (filtered, ordered and limited as ``select``'s) reading ``infos`` only."""
    reads = [_column(info, plan.table, dialect, plan.cls, schema) for info in infos]
    statement = query.with_only_columns(*(read.expr for read in reads))
    return ColumnReader(statement, _rows_decoder(reads))


def _rows_decoder(reads: Sequence[_Read]) -> RowsDecoder | None:
    """``def decode(rows): return [(v0, d1(v1), ...) for v0, v1, ... in rows]``, made once
    per statement: one tuple per row and one call per converted value, nothing more
    (``None if v1 is None else d1(v1)`` where None passes by)."""
    if all(read.decode is None for read in reads):
        return None
    names: dict[str, Any] = {}
    values = []
    for i, read in enumerate(reads):
        if read.decode is None:
            values.append(f"v{i}")
            continue
        names[f"d{i}"] = read.decode
        call = f"d{i}(v{i})"
        values.append(f"(None if v{i} is None else {call})" if read.guarded else call)
    unpacked = ", ".join(f"v{i}" for i in range(len(reads)))
    code = f"def decode(rows):\n    return [({', '.join(values)},) for {unpacked}, in rows]"
    exec(code, names)  # noqa: S102 - the text holds only generated names
    decode: RowsDecoder = names["decode"]
    return decode


def _column(
    info: FieldInfo, table: sa.Table, dialect: Dialect, entity: type, schema: Schema | None
) -> _Read:
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
    expr = decimal_text(column) if sqlite and info.kind is FieldKind.DECIMAL else column
    return _Read(expr, decode, guarded=column.nullable is not False)


def _scalar(info: FieldInfo, sqlite: bool) -> Decode | None:  # noqa: FBT001
    if sqlite:
        return _SQLITE_SCALARS.get(info.kind)
    return _in_utc if info.kind is FieldKind.DATETIME else None


def decimal_text(key: Expr) -> Expr:
    """SQLite: the decimal text (``"8272E-2"``) of a decimal key (``_dialect.decimal_key``),
    worked out by SQLite's own string functions, so that Python's C ``Decimal`` parses
    it with no Python call per value. ``2`` + exponent + digits for a positive number,
    ``1`` for zero, ``0`` + the exponent's and digits' nines' complements + ``~`` for a
    negative one, whose digits ``_unflipped`` turns back."""
    key = sa.type_coerce(key, sa.Text())
    stored = sa.cast(sa.func.substr(key, _sql(2), _sql(4)), sa.Integer)
    length = sa.func.length(key)
    positive = _joined(sa.func.substr(key, _sql(6)), _sql("E"), stored - length - _sql(4994))
    digits = _unflipped(sa.func.substr(key, _sql(6), length - _sql(6)))
    negative = _joined(_sql("-"), digits, _sql("E"), _sql(5006) - stored - length)
    # a positive key sorts after "2", zero's is "1", a negative one starts with "0"
    return sa.case((key >= _sql("2"), positive), (key == _sql("1"), _sql("0")), else_=negative)


def _sql(constant: str | int) -> Expr:
    """A constant written into the statement (no parameter): a digit, a letter, a number."""
    return sa.literal_column(repr(constant) if isinstance(constant, str) else str(constant))


def _joined(*parts: Expr) -> Expr:
    """``a || b || ...``, each part bracketed: in SQLite ``||`` binds before ``-``."""
    joined = parts[0].self_group()
    for part in parts[1:]:
        joined = joined.op("||", return_type=sa.Text())(Grouping(part))
    return joined


def _unflipped(digits: Expr) -> Expr:
    """Each digit d as 9 - d, through letters so no digit is turned twice."""
    for digit, letter in zip("0123456789", "abcdefghij", strict=True):
        digits = sa.func.replace(digits, _sql(digit), _sql(letter))
    for digit, letter in zip("9876543210", "abcdefghij", strict=True):
        digits = sa.func.replace(digits, _sql(letter), _sql(digit))
    return digits


def _in_utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is dt.timezone.utc else value.astimezone(dt.timezone.utc)


_SQLITE_SCALARS: Mapping[FieldKind, Decode] = {
    FieldKind.DECIMAL: Decimal,  # of ``decimal_text``
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


def _money(info: FieldInfo, table: sa.Table, *, sqlite: bool) -> _Read:
    """A money field: an order's ``total`` from its amount and currency columns, any
    other from the record's ``doc``, which keeps the amount exactly as written."""
    if info.source is Source.DERIVED:
        amount = table.c[info.column]
        text = decimal_text(amount) if sqlite else sa.cast(amount, sa.Text())
        pair = _joined(table.c.currency, _sql(" "), text)
        return _Read(pair, _money_of_text, guarded=True)
    element = _doc_element(table, info.name, sqlite=sqlite)
    return _Read(element, _money_json if sqlite else _money_object, guarded=True)


def _money_of_text(text: str) -> Money:
    currency, _, amount = text.partition(" ")
    return Money(Decimal(amount), currency)


def _money_object(value: Mapping[str, Any]) -> Money:
    return Money(Decimal(value["amount"]), value["currency"])


def _money_json(text: str) -> Money:
    return _money_object(orjson.loads(text))


def _set(info: FieldInfo, table: sa.Table, entity: type, *, sqlite: bool) -> _Read:
    """A set field: a ``frozenset`` from its sorted column (never NULL); a ``tuple``
    (whose order the column does not keep) from the record's ``doc``, where an empty
    one is left out, or worked out of a deal's people for its ``contact_ids``."""
    hint = typing.get_type_hints(entity).get(info.name)
    if typing.get_origin(hint) is frozenset:
        return _Read(table.c[info.column], _json_set if sqlite else frozenset)
    if info.source is Source.DERIVED:  # a deal's contact_ids: its people's, in order
        expr = _doc_element(table, "contacts", sqlite=sqlite)
        return _Read(expr, _contact_ids_json if sqlite else _contact_ids)
    expr = _doc_element(table, info.name, sqlite=sqlite)
    return _Read(expr, _json_tuple if sqlite else _list_tuple)


def _json_set(text: str) -> frozenset[str]:
    return frozenset(orjson.loads(text))


def _json_tuple(text: str | None) -> tuple[str, ...]:
    return () if text is None else tuple(orjson.loads(text))


def _list_tuple(values: list[str] | None) -> tuple[str, ...]:
    return () if values is None else tuple(values)


def _contact_ids(links: list[dict[str, Any]] | None) -> tuple[str, ...]:
    return () if links is None else tuple(link["contact_id"] for link in links)


def _contact_ids_json(text: str | None) -> tuple[str, ...]:
    return () if text is None else _contact_ids(orjson.loads(text))


def _custom(info: FieldInfo, table: sa.Table, *, sqlite: bool, schema: Schema | None) -> _Read:
    """A custom property out of the ``custom`` JSON column (NULL where a record has
    none), typed as the record's own custom values are (``custom_value_from_json``)."""
    field = schema.field(info.name) if schema is not None else None
    typed = functools.partial(custom_value_from_json, field)
    path = f'$."{info.name}"' if sqlite else info.name  # SQLite's ``->`` gives JSON text
    expr = table.c.custom.op("->", return_type=sa.types.NullType())(path)
    decode = functools.partial(_custom_json, typed) if sqlite else typed
    return _Read(expr, decode, guarded=True)


def _custom_json(typed: Decode, text: str) -> Any:
    return typed(orjson.loads(text))
