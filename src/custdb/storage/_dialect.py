"""What differs between SQLite and PostgreSQL, as a small :class:`Dialect` record of
plain functions (SPLINK), not a class tree: how a custom property is read out of its JSON
column, set membership, case folding, the month and day of a date, and the encodings
SQLite stores and compares (also registered there as SQL functions).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.sql import operators
from sqlalchemy.sql.expression import UnaryExpression

from custdb.errors import ValidationError
from custdb.query import FieldInfo, FieldKind

__all__ = [
    "ICU",
    "POSTGRES",
    "SQLITE",
    "Dialect",
    "Expr",
    "decimal_from_key",
    "decimal_key",
    "fold",
    "instant_key",
    "number_key",
    "postgres",
    "unchanged",
    "utc_text",
]

Expr = sa.ColumnElement[Any]

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
    exponent = value.adjusted() + _EXP_OFFSET
    if not 0 <= exponent <= _EXP_MAX:
        raise ValidationError(
            "is beyond the range SQLite columns hold (about 1E-5000 to 1E+5000)",
            value=value,
            hint="store such a number as text in a custom property",
        )
    # every digit, exactly ("-d.ddde+x"; not normalize(): that rounds to the context)
    text = format(value, "e").partition("e")[0]
    mantissa = text.replace(".", "").lstrip("-0").rstrip("0")
    if text[0] != "-":
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
    """An aware datetime as fixed-width UTC ISO text: text order is time order. The last
    one is remembered: a transaction writes the same ``now`` several times a record."""
    last, text = _LAST_UTC[0]
    if value is last:
        return text
    if value.tzinfo is None:
        raise ValueError(f"{value} has no time zone; custdb stores aware datetimes only")
    text = value.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
    _LAST_UTC[0] = value, text
    return text


_LAST_UTC: list[tuple[dt.datetime | None, str]] = [(None, "")]


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


class SetHasAny(Protocol):
    """A set column holds one of the values in parameter ``name``; ``big``: a list longer
    than the compiler's limit, bound as one array parameter (``many_value``)."""

    def __call__(self, column: Expr, name: str, *, big: bool) -> Expr: ...


@attrs.frozen
class Dialect:
    """What differs between SQLite and PostgreSQL, as plain functions."""

    name: str
    custom: Callable[[sa.Table, FieldInfo], Expr]
    set_has: Callable[[Expr, Expr], Expr]
    set_empty: Callable[[Expr], Expr]
    set_has_any: SetHasAny
    contains: Callable[[Expr, Expr], Expr]  # text holds a part, case folded in SQL
    has_text: Callable[[Expr, Expr], Expr]  # folded text holds a folded part, as it is
    fold_value: Callable[[str], str]  # what ``contains`` binds for the wanted text
    month_day: Callable[[Expr], Expr]
    in_many: Callable[[Expr, str], Expr]
    many_value: Callable[[FieldKind, Sequence[Any]], Any]  # the one parameter in_many binds
    custom_set: Callable[[sa.Table, FieldInfo], Expr]
    custom_set_has: Callable[[sa.Table, FieldInfo, Expr], Expr] | None = None  # else set_has
    # ``custom[name] == value`` for a text or enum property, where the database can serve
    # it from an index on the whole JSON column; else the value read out is compared
    custom_text_equals: Callable[[sa.Table, FieldInfo, Expr], Expr] | None = None
    unindexed: Callable[[Expr], Expr] = lambda expr: expr  # an ORDER BY term no index serves
    # a set column's elements as a table: ``value`` (text) and ``key`` (its position)
    set_elements: Callable[[Expr], Any] = lambda column: sa.func.json_each(column).table_valued(
        "value", "key"
    )
    storage: Mapping[FieldKind, Callable[[Any], Any]] = attrs.field(factory=dict)
    """How values of a kind are written to the driver (what the column types also do);
    custom properties, read out of JSON, compare with values encoded the same way."""
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


def unchanged(value: Any) -> Any:
    """A value a kind is stored as: as it is."""
    return value


def _json_path(info: FieldInfo) -> str:
    suffix = ".amount" if info.kind is FieldKind.MONEY else ""
    return f'$."{info.name}"{suffix}'


def _sqlite_custom(table: sa.Table, info: FieldInfo) -> Expr:
    raw: Expr = sa.func.json_extract(table.c.custom, _json_path(info))
    if info.kind in (FieldKind.DECIMAL, FieldKind.MONEY):
        return sa.func.custdb_deckey(raw)
    if info.kind is FieldKind.DATETIME:
        return sa.func.custdb_instant(raw)
    return raw


def _json_each(source: Expr) -> Any:
    return sa.func.json_each(source).table_valued("value")


def _sqlite_set_has(column: Expr, value: Expr) -> Expr:
    each = _json_each(column)
    return sa.exists(sa.select(sa.literal(1)).select_from(each).where(each.c.value == value))


def _sqlite_set_has_any(column: Expr, name: str, *, big: bool) -> Expr:
    """``EXISTS (SELECT 1 FROM json_each(column) WHERE value IN (...))``; a long list
    travels as one JSON parameter, as ``in_many`` does."""
    each = _json_each(column)
    wanted = (
        _sqlite_in_many(each.c.value, name)
        if big
        else each.c.value.in_(sa.bindparam(name, expanding=True))
    )
    return sa.exists(sa.select(sa.literal(1)).select_from(each).where(wanted))


def _sqlite_set_empty(column: Expr) -> Expr:
    return ~sa.exists(sa.select(sa.literal(1)).select_from(_json_each(column)))


def _sqlite_custom_set(table: sa.Table, info: FieldInfo) -> Expr:
    return sa.func.json_extract(table.c.custom, _json_path(info))


def _sqlite_contains(column: Expr, folded: Expr) -> Expr:
    return sa.func.instr(sa.func.custdb_fold(column), folded) > 0


def _sqlite_in_many(expr: Expr, name: str) -> Expr:
    each = _json_each(sa.bindparam(name, type_=sa.String()))
    return expr.in_(sa.select(each.c.value))


def _sqlite_many_value(kind: FieldKind, values: Sequence[Any]) -> str:
    encode = _SQLITE_ENCODE.get(kind, unchanged)
    return json.dumps([encode(value) for value in values], ensure_ascii=False)


SQLITE = Dialect(
    name="sqlite",
    custom=_sqlite_custom,
    set_has=_sqlite_set_has,
    set_empty=_sqlite_set_empty,
    set_has_any=_sqlite_set_has_any,
    contains=_sqlite_contains,
    has_text=lambda column, folded: sa.func.instr(column, folded) > 0,
    fold_value=str.casefold,
    # "MM-DD" of ISO "YYYY-MM-DD"
    month_day=lambda column: sa.func.substr(column, 6, 5, type_=sa.Text()),
    in_many=_sqlite_in_many,
    many_value=_sqlite_many_value,
    custom_set=_sqlite_custom_set,
    # SQLite would rather walk the primary key in order than sort a few matches found
    # through another index; "+id" is its documented way to say no.
    unindexed=lambda expr: UnaryExpression(
        expr, operator=operators.custom_op("+"), type_=expr.type
    ),
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


def _pg_custom(table: sa.Table, info: FieldInfo) -> Expr:
    column: Any = table.c.custom
    element = column[(info.name, "amount")] if info.kind is FieldKind.MONEY else column[info.name]
    text: Expr = element.as_string()
    cast = _PG_CASTS.get(info.kind)
    return text.collate("C") if cast is None else sa.cast(text, cast)


def _pg_fold(text: Expr, collation: str | None = ICU) -> Expr:
    """``casefold`` in SQL: ICU full upper then lower case (ß and ẞ become ss), with the
    three letters where that differs from Python mapped first: ẞ to ß, dotless ı kept
    apart (through a noncharacter), and final ς read as σ. Both sides of ``contains``
    go through it, so only the classes of letters that fold together must agree with
    Python's, and they do for every code point (Cherokee folds to the other case, the
    same way on both sides). Without ICU the database's own ctype does the casing."""
    protected: Expr = sa.func.translate(text, "ẞı", "ß\ufdd0")
    if collation is not None:
        protected = protected.collate(collation)
    return sa.func.translate(sa.func.lower(sa.func.upper(protected)), "ς", "σ")


def _pg_contains(column: Expr, wanted: Expr, collation: str | None = ICU) -> Expr:
    return sa.func.strpos(_pg_fold(column, collation), _pg_fold(wanted, collation)) > 0


def _pg_set_has(column: Expr, value: Expr) -> Expr:
    return column.op("?", is_comparison=True)(value)  # set columns are never NULL: indexable


def _pg_set_has_any(column: Expr, name: str, *, big: bool) -> Expr:  # noqa: ARG001
    """``column ?| :values``: one text-array parameter, served by the column's GIN index."""
    return column.op("?|", is_comparison=True)(sa.bindparam(name, type_=pg.ARRAY(sa.Text())))


def _pg_custom_text_equals(table: sa.Table, info: FieldInfo, value: Expr) -> Expr:
    """``custom @> {"name": value}``: the same rows as ``custom ->> 'name' = value`` (text
    and enum values are stored as JSON strings), served by the GIN index on ``custom``."""
    wanted = sa.func.jsonb_build_object(info.name, value)
    return table.c.custom.op("@>", is_comparison=True)(wanted)  # custom is never NULL


def _pg_custom_set_has(table: sa.Table, info: FieldInfo, value: Expr) -> Expr:
    """``custom @> {"name": [value]}``: containment, which the GIN index on ``custom`` serves."""
    wanted = sa.func.jsonb_build_object(info.name, sa.func.jsonb_build_array(value))
    return table.c.custom.op("@>", is_comparison=True)(wanted)  # custom is never NULL


def _pg_set_empty(column: Expr) -> Expr:
    is_array = sa.func.jsonb_typeof(column) == "array"
    return sa.case((is_array, sa.func.jsonb_array_length(column) == 0), else_=sa.true())


def _pg_in_many(expr: Expr, name: str) -> Expr:
    return expr == sa.any_(sa.bindparam(name, type_=pg.ARRAY(expr.type)))


POSTGRES = Dialect(
    name="postgresql",
    custom=_pg_custom,
    set_has=_pg_set_has,
    set_empty=_pg_set_empty,
    set_has_any=_pg_set_has_any,
    contains=_pg_contains,
    has_text=lambda column, folded: sa.func.strpos(column, folded) > 0,
    fold_value=unchanged,  # folded in SQL, like the column
    month_day=lambda column: sa.func.to_char(column, "MM-DD", type_=sa.Text()),
    in_many=_pg_in_many,
    many_value=lambda _kind, values: list(values),
    custom_set=lambda table, info: table.c.custom[info.name],
    custom_set_has=_pg_custom_set_has,
    custom_text_equals=_pg_custom_text_equals,
    set_elements=lambda column: (
        sa.func.jsonb_array_elements_text(column)
        .table_valued("value", with_ordinality="key")
        .render_derived()
    ),
    locks_rows=True,
    # Transaction-level advisory locks, released at commit: change records get their
    # sequence numbers in commit order (so a reader's cursor skips nothing), and two
    # processes opening one new database do not both create its tables.
    serialize_log=sa.text("SELECT pg_advisory_xact_lock(6368305)"),
    serialize_migrations=sa.text("SELECT pg_advisory_xact_lock(6368306)"),
)


def postgres(*, icu: bool) -> Dialect:
    """The PostgreSQL dialect; ``icu`` false for a server built without ICU."""
    if icu:
        return POSTGRES
    return attrs.evolve(POSTGRES, contains=functools.partial(_pg_contains, collation=None))
