"""A bound query as an SQLAlchemy Core expression, for SQLite and PostgreSQL alike.

The compiler is written once; what differs between the two databases (how a custom
property is read out of its JSON column, set membership, case folding, the month and day
of a date) is a handful of functions on a small :class:`Dialect` record (SPLINK), not a
class tree. Every leaf compiles to a strictly true-or-false expression, never SQL
``NULL``, so ``NOT`` is plain negation exactly as in ``custdb.query.memory``. Values are
always bound parameters; column names come only from the field catalog.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from custdb.query import Bound, BoundCondition, BoundGroup, BoundNot, FieldInfo, FieldKind, OrderBy
from custdb.query.bind import ANNIVERSARY
from custdb.query.expr import Op
from custdb.query.fields import Source

__all__ = [
    "POSTGRES",
    "SQLITE",
    "Dialect",
    "compile_order",
    "compile_where",
    "decimal_from_key",
    "decimal_key",
    "fold",
    "instant_key",
    "utc_text",
]

Expr = sa.ColumnElement[Any]
_BIG_IN = 500  # longer value lists travel as one array parameter (SQLite and psycopg cap them)

# --- value encodings SQLite stores and compares (also registered as SQL functions) ------

_EXP_OFFSET, _EXP_MAX = 5000, 9999


def decimal_key(value: Decimal) -> str:
    """A text that sorts like the number: exact, any precision, for SQLite columns.

    ``2`` and a fixed-width exponent then the digits for positives, ``1`` for zero, ``0``
    and the nines' complement (closed by ``~``) for negatives; trailing zeros dropped so
    equal numbers get equal keys.
    """
    if not value:
        return "1"
    sign, digits, _ = value.as_tuple()  # not normalize(): that rounds to the context
    exponent = value.adjusted() + _EXP_OFFSET
    if not 0 <= exponent <= _EXP_MAX:
        raise ValueError(f"{value} is beyond the range custdb stores")
    mantissa = "".join(map(str, digits)).lstrip("0").rstrip("0")
    if not sign:
        return f"2{exponent:04d}{mantissa}"
    flipped = mantissa.translate(_NINES)
    return f"0{_EXP_MAX - exponent:04d}{flipped}~"


_NINES = str.maketrans("0123456789", "9876543210")


def decimal_from_key(key: str) -> Decimal:
    """The number :func:`decimal_key` wrote (trailing zeros aside)."""
    if key == "1":
        return Decimal(0)
    negative = key[0] == "0"
    exponent = int(key[1:5])
    mantissa = key[5:].rstrip("~")
    if negative:
        exponent, mantissa = _EXP_MAX - exponent, mantissa.translate(_NINES)
    digits = tuple(int(d) for d in mantissa)
    return Decimal((int(negative), digits, exponent - _EXP_OFFSET - len(digits) + 1))


def utc_text(value: dt.datetime) -> str:
    """An aware datetime as fixed-width UTC ISO text: text order is time order."""
    if value.tzinfo is None:
        raise ValueError(f"{value} has no time zone; custdb stores aware datetimes only")
    return value.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")


def instant_key(value: Any) -> str | None:
    """SQL function ``custdb_instant``: an ISO text with any offset as :func:`utc_text`."""
    try:
        return utc_text(dt.datetime.fromisoformat(value)) if isinstance(value, str) else None
    except ValueError:
        return None


def number_key(value: Any) -> str | None:
    """SQL function ``custdb_deckey``: a JSON number or numeric text as :func:`decimal_key`."""
    if value is None or isinstance(value, bytes):
        return None
    try:
        return decimal_key(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


def fold(value: Any) -> str | None:
    """SQL function ``custdb_fold``: Python's ``casefold``, as the in-memory evaluator uses."""
    return value.casefold() if isinstance(value, str) else None


# --- the dialect record -----------------------------------------------------------------


@attrs.frozen
class Operand:
    """What a field compiles to: the SQL expression, and how a Python value is made
    comparable with it (identity where the column's own type does that)."""

    expr: Expr
    encode: Callable[[Any], Any] = lambda value: value


@attrs.frozen
class Dialect:
    """What differs between SQLite and PostgreSQL, as plain functions."""

    name: str
    custom: Callable[[sa.Table, FieldInfo], Operand]
    set_has: Callable[[Expr, str], Expr]
    set_empty: Callable[[Expr], Expr]
    contains: Callable[[Expr, str], Expr]
    month_day: Callable[[Expr], Expr]
    in_many: Callable[[Operand, FieldKind, Sequence[Any]], Expr]
    custom_set: Callable[[sa.Table, FieldInfo], Expr]
    storage: Mapping[FieldKind, Callable[[Any], Any]] = attrs.field(factory=dict)
    """How values of a kind are written to the driver (what the column types also do)."""
    locks_rows: bool = False  # SELECT ... FOR UPDATE means something
    serialize_log: sa.Executable | None = None  # run before numbering change records
    serialize_migrations: sa.Executable | None = None  # run before checking the schema


# SQLite: JSON1 functions, and three deterministic Python functions registered per
# connection by ``SQLiteStore`` (custdb_fold, custdb_deckey, custdb_instant).

_SQLITE_ENCODE: Mapping[FieldKind, Callable[[Any], Any]] = {
    FieldKind.DECIMAL: decimal_key,
    FieldKind.MONEY: decimal_key,
    FieldKind.DATE: dt.date.isoformat,
    FieldKind.DATETIME: utc_text,
}


def _same(value: Any) -> Any:
    return value


def _json_path(info: FieldInfo) -> str:
    suffix = ".amount" if info.kind is FieldKind.MONEY else ""
    return f'$."{info.name}"{suffix}'


def _sqlite_custom(table: sa.Table, info: FieldInfo) -> Operand:
    raw: Expr = sa.func.json_extract(table.c.custom, _json_path(info))
    if info.kind in (FieldKind.DECIMAL, FieldKind.MONEY):
        raw = sa.func.custdb_deckey(raw)
    elif info.kind is FieldKind.DATETIME:
        raw = sa.func.custdb_instant(raw)
    return Operand(raw, _SQLITE_ENCODE.get(info.kind, _same))


def _json_each(source: Expr, *path: str) -> Any:
    return sa.func.json_each(source, *path).table_valued("value")


def _sqlite_set_has(column: Expr, value: str) -> Expr:
    each = _json_each(column)
    return sa.exists(sa.select(sa.literal(1)).select_from(each).where(each.c.value == value))


def _sqlite_set_empty(column: Expr) -> Expr:
    return ~sa.exists(sa.select(sa.literal(1)).select_from(_json_each(column)))


def _sqlite_custom_set(table: sa.Table, info: FieldInfo) -> Expr:
    return sa.func.json_extract(table.c.custom, _json_path(info))


def _sqlite_contains(column: Expr, wanted: str) -> Expr:
    return sa.func.instr(sa.func.custdb_fold(column), fold(wanted)) > 0


def _sqlite_in_many(operand: Operand, kind: FieldKind, values: Sequence[Any]) -> Expr:
    encode = _SQLITE_ENCODE.get(kind, _same)
    array = json.dumps([encode(value) for value in values], ensure_ascii=False)
    each = _json_each(sa.literal(array))
    return operand.expr.in_(sa.select(each.c.value))


SQLITE = Dialect(
    name="sqlite",
    custom=_sqlite_custom,
    set_has=_sqlite_set_has,
    set_empty=_sqlite_set_empty,
    contains=_sqlite_contains,
    month_day=lambda column: sa.func.strftime("%m-%d", column),
    in_many=_sqlite_in_many,
    custom_set=_sqlite_custom_set,
    storage=_SQLITE_ENCODE,
)

# PostgreSQL: JSONB operators, text in the "C" collation, folding through ICU.

_PG_CASTS: Mapping[FieldKind, sa.types.TypeEngine[Any]] = {
    FieldKind.INTEGER: sa.BigInteger(),
    FieldKind.DECIMAL: sa.Numeric(),
    FieldKind.MONEY: sa.Numeric(),
    FieldKind.DATE: sa.Date(),
    FieldKind.DATETIME: sa.DateTime(timezone=True),
    FieldKind.BOOL: sa.Boolean(),
}
ICU = "und-x-icu"


def _pg_custom(table: sa.Table, info: FieldInfo) -> Operand:
    column: Any = table.c.custom
    element = column[(info.name, "amount")] if info.kind is FieldKind.MONEY else column[info.name]
    text: Expr = element.as_string()
    cast = _PG_CASTS.get(info.kind)
    if cast is None:
        return Operand(text.collate("C"))
    return Operand(sa.cast(text, cast))


def _pg_fold(text: Expr) -> Expr:
    """``casefold`` in SQL: ICU full upper then lower case (ß and ẞ become ss), with the
    three letters where that differs from Python mapped first: ẞ to ß, dotless ı kept
    apart (through a noncharacter), and final ς read as σ."""
    protected = sa.func.translate(text, "ẞı", "ß\ufdd0").collate(ICU)
    return sa.func.translate(sa.func.lower(sa.func.upper(protected)), "ς", "σ")


def _pg_contains(column: Expr, wanted: str) -> Expr:
    return sa.func.strpos(_pg_fold(column), _pg_fold(sa.literal(wanted, sa.Text()))) > 0


def _pg_set_has(column: Expr, value: str) -> Expr:
    has = column.op("?", is_comparison=True)(sa.literal(value, sa.Text()))
    return sa.func.coalesce(has, sa.false())  # a missing custom key reads NULL


def _pg_set_empty(column: Expr) -> Expr:
    is_array = sa.func.jsonb_typeof(column) == "array"
    return sa.case((is_array, sa.func.jsonb_array_length(column) == 0), else_=sa.true())


def _pg_in_many(operand: Operand, _kind: FieldKind, values: Sequence[Any]) -> Expr:
    item_type = operand.expr.type
    array = sa.literal([operand.encode(value) for value in values], pg.ARRAY(item_type))
    return operand.expr == sa.any_(array)


POSTGRES = Dialect(
    name="postgresql",
    custom=_pg_custom,
    set_has=_pg_set_has,
    set_empty=_pg_set_empty,
    contains=_pg_contains,
    month_day=lambda column: sa.func.to_char(column, "MM-DD"),
    in_many=_pg_in_many,
    custom_set=lambda table, info: table.c.custom[info.name],
    locks_rows=True,
    # Transaction-level advisory locks, released at commit: change records get their
    # sequence numbers in commit order (so a reader's cursor skips nothing), and two
    # processes opening one new database do not both create its tables.
    serialize_log=sa.text("SELECT pg_advisory_xact_lock(6368305)"),
    serialize_migrations=sa.text("SELECT pg_advisory_xact_lock(6368306)"),
)


# --- the compiler -----------------------------------------------------------------------


def compile_where(bound: Bound, table: sa.Table, dialect: Dialect) -> Expr:
    """``bound`` as a boolean expression over ``table``'s columns."""
    if isinstance(bound, BoundGroup):
        parts = [compile_where(part, table, dialect) for part in bound.parts]
        if not parts:
            return sa.true() if bound.all else sa.false()
        return sa.and_(*parts) if bound.all else sa.or_(*parts)
    if isinstance(bound, BoundNot):
        return sa.not_(compile_where(bound.part, table, dialect))
    if bound.field.kind is FieldKind.SET:
        return _set_condition(bound, table, dialect)
    return _condition(bound, operand(bound.field, table, dialect), dialect)


def compile_order(keys: Sequence[OrderBy], table: sa.Table, dialect: Dialect) -> list[Any]:
    """``ORDER BY`` terms: empty values last in both directions, as ``query.sort``."""
    terms = []
    for key in keys:
        expr = operand(key.field, table, dialect).expr
        terms.append((expr.desc() if key.descending else expr.asc()).nulls_last())
    return terms


def operand(info: FieldInfo, table: sa.Table, dialect: Dialect) -> Operand:
    """The expression a field reads as; its name comes from the catalog, never the user."""
    if info.source is Source.CUSTOM:
        return dialect.custom(table, info)
    return Operand(table.c[info.name])


_COMPARE: Mapping[str, Callable[[Any, Any], Any]] = {
    Op.EQ.value: operator.eq,
    Op.LT.value: operator.lt,
    Op.LE.value: operator.le,
    Op.GT.value: operator.gt,
    Op.GE.value: operator.ge,
}


def _condition(condition: BoundCondition, field: Operand, dialect: Dialect) -> Expr:
    op, value, expr, encode = condition.op, condition.value, field.expr, field.encode
    if op == Op.IS_NULL.value:
        return expr.is_(None)
    if op == Op.NOT_NULL.value:
        return expr.is_not(None)
    if op == Op.NE.value:
        return sa.or_(expr.is_(None), expr != encode(value))
    if op in _COMPARE:
        test = _COMPARE[op](expr, encode(value))
    elif op == Op.BETWEEN.value:
        test = expr.between(encode(value[0]), encode(value[1]))
    elif op == Op.IN.value:
        test = _in(field, condition.field.kind, value, dialect)
    elif op == Op.CONTAINS.value:
        test = dialect.contains(expr, value)
    elif op == ANNIVERSARY:
        test = dialect.month_day(expr).in_(sorted(value))
    else:  # bind() lets no other operator through
        raise AssertionError(op)
    return sa.and_(expr.is_not(None), test)


def _in(field: Operand, kind: FieldKind, values: Sequence[Any], dialect: Dialect) -> Expr:
    if len(values) > _BIG_IN:
        return dialect.in_many(field, kind, values)
    return field.expr.in_([field.encode(value) for value in values])


def _set_condition(condition: BoundCondition, table: sa.Table, dialect: Dialect) -> Expr:
    info = condition.field
    column = dialect.custom_set(table, info) if info.source is Source.CUSTOM else table.c[info.name]
    empty = dialect.set_empty(column)
    if condition.op == Op.IS_NULL.value:
        return empty
    if condition.op == Op.NOT_NULL.value:
        return sa.not_(empty)
    return dialect.set_has(column, condition.value)
