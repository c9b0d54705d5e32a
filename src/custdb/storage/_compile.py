"""A bound query as an SQLAlchemy Core expression, for SQLite and PostgreSQL alike.

The compiler is written once; what differs between the two databases is the
:class:`~custdb.storage._dialect.Dialect` it is given. Under ``NOT`` every leaf compiles
to a strictly true-or-false expression, never SQL ``NULL``, so ``NOT`` is plain negation
exactly as in ``custdb.query.memory``. Values are always bound parameters; column names
come only from the field catalog. Tags and e-mail addresses are compared through their
folded key columns with the value folded in Python (``custdb.query.case``), as the
memory evaluator folds both sides; so is ``contains`` on the searched name fields,
through their ``_folded`` columns (other text is folded in SQL, row by row).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BooleanClauseList, Grouping

from custdb.query import Bound, BoundCondition, BoundGroup, BoundNot, FieldInfo, FieldKind, OrderBy
from custdb.query.bind import ANNIVERSARY
from custdb.query.case import fold, folds, key_column, search_column
from custdb.query.expr import Op
from custdb.query.fields import Source
from custdb.storage._dialect import Dialect, Expr, unchanged

__all__ = ["compile_order", "compile_where", "operand", "shape", "where_values"]

_BIG_IN = 500  # longer value lists travel as one array parameter (SQLite and psycopg cap them)
_MAX_PARAMS = 30_000  # beyond this many, every list is one parameter (SQLite may take 32,766)
_CHUNK = 64  # an and/or of more parts is nested in groups of about sqrt(n) (see _chained)
_LISTS = frozenset({Op.IN.value, Op.CONTAINS_ANY.value, ANNIVERSARY})


# --- the compiler -----------------------------------------------------------------------
#
# A query compiles to an expression whose values are named parameters (``w``, ``w_0``,
# ``w_0_lo`` ...: the condition's place in the tree), so the expression depends only on
# the query's ``shape``; stores keep compiled statements by shape, and a repeated query
# with other values (a roll-up for the next client) reuses its statement.


def shape(bound: Bound) -> Hashable:
    """What the compiled expression depends on: fields, operators, structure; no values."""
    return _shape(bound, _crowded(bound))


def _shape(bound: Bound, crowded: bool) -> Hashable:  # noqa: FBT001
    if isinstance(bound, BoundGroup):
        return (bound.all, *(_shape(part, crowded) for part in bound.parts))
    if isinstance(bound, BoundNot):
        return ("not", _shape(bound.part, crowded))
    return (bound.field, bound.op, _big(bound, crowded))


def _big(condition: BoundCondition, crowded: bool) -> bool:  # noqa: FBT001
    """A value list that travels as one array parameter: a long one, or any one in a
    query whose lists would otherwise take more parameters than a database allows."""
    if condition.op not in _LISTS:
        return False
    return crowded or (condition.op != ANNIVERSARY and len(condition.value) > _BIG_IN)


def _crowded(bound: Bound) -> bool:
    """Whether the query's parameters, each short list's values counted, pass the limit."""
    return _parameters(bound) > _MAX_PARAMS


def _parameters(bound: Bound) -> int:
    if isinstance(bound, BoundGroup):
        return sum(_parameters(part) for part in bound.parts)
    if isinstance(bound, BoundNot):
        return _parameters(bound.part)
    if bound.op in _LISTS:
        return len(bound.value) if len(bound.value) <= _BIG_IN else 1
    return 2 if bound.op == Op.BETWEEN.value else 1


def compile_where(bound: Bound, table: sa.Table, dialect: Dialect) -> Expr:
    """``bound`` as a boolean expression over ``table``, values left as parameters.

    Under an odd number of ``NOT``s each comparison is guarded (``x IS NOT NULL AND ...``)
    so that it is false, never ``NULL``, on an empty field; elsewhere ``NULL`` already
    counts as false through ``AND`` and ``OR`` and the plain comparison is kept."""
    return _where(bound, _Place(table, dialect, _crowded(bound)), "w", negated=False)


@attrs.frozen
class _Place:
    """What every node of one query compiles against."""

    table: sa.Table
    dialect: Dialect
    crowded: bool


def _where(bound: Bound, place: _Place, name: str, *, negated: bool) -> Expr:
    table, dialect = place.table, place.dialect
    if isinstance(bound, BoundGroup):
        parts = [
            _where(part, place, f"{name}_{i}", negated=negated)
            for i, part in enumerate(bound.parts)
        ]
        if not parts:
            return sa.true() if bound.all else sa.false()
        return _chained(bound.all, parts)
    if isinstance(bound, BoundNot):
        return sa.not_(_where(bound.part, place, f"{name}n", negated=not negated))
    if bound.field.kind is FieldKind.SET:
        return _set_condition(bound, place, name)
    expr = _matched(bound.field, table, dialect)
    equals = _custom_text_equals(bound, dialect)
    if equals is not None:
        value = sa.bindparam(name, type_=sa.Text())
        test = _Test(equals(table, bound.field, value), expr.is_not(None))
    else:
        test = _condition(bound, expr, place, name)
    return test.expr if test.guard is None or not negated else sa.and_(test.guard, test.expr)


def _chained(every: bool, parts: list[Expr]) -> Expr:  # noqa: FBT001
    """``a AND b AND ...`` (``every``) or ``a OR b OR ...`` of any length. SQLite parses a
    chain as a tree as deep as it is long and stops at 1,000, so a long one is cut into
    parenthesized groups of about the square root of its length: depth about twice that
    root, one more level of brackets. ``and_``/``or_`` would flatten the groups back
    into one chain, so the outer list is built raw, keeping its parts as they are."""
    join, op = (sa.and_, operators.and_) if every else (sa.or_, operators.or_)
    if len(parts) <= _CHUNK:
        return join(*parts)
    size = math.isqrt(len(parts) - 1) + 1
    groups = [Grouping(join(*parts[i : i + size])) for i in range(0, len(parts), size)]
    return BooleanClauseList._construct_raw(op, groups)  # noqa: SLF001


def _custom_text_equals(
    condition: BoundCondition, dialect: Dialect
) -> Callable[[sa.Table, FieldInfo, Expr], Expr] | None:
    """The dialect's indexed form of ``==`` on a custom text or enum property, if any."""
    info = condition.field
    text = info.source is Source.CUSTOM and info.kind in (FieldKind.TEXT, FieldKind.ENUM)
    return dialect.custom_text_equals if text and condition.op == Op.EQ.value else None


def where_values(bound: Bound, dialect: Dialect) -> dict[str, Any]:
    """The parameters :func:`compile_where` named, with this query's values."""
    found: dict[str, Any] = {}
    _collect(bound, dialect, _crowded(bound), "w", found)
    return found


def _collect(
    bound: Bound,
    dialect: Dialect,
    crowded: bool,  # noqa: FBT001
    name: str,
    found: dict[str, Any],
) -> None:
    if isinstance(bound, BoundGroup):
        for i, part in enumerate(bound.parts):
            _collect(part, dialect, crowded, f"{name}_{i}", found)
    elif isinstance(bound, BoundNot):
        _collect(bound.part, dialect, crowded, f"{name}n", found)
    else:
        found.update(_values(bound, dialect, name, crowded))


def compile_order(
    keys: Sequence[OrderBy], table: sa.Table, dialect: Dialect, *, every_match: bool = False
) -> list[Any]:
    """``ORDER BY`` terms: empty values last in both directions, as ``query.sort``. A
    column that cannot be empty sorts plainly, so its index can serve the order; but when
    the query returns ``every_match`` of a filter, sorting them beats walking the table."""
    terms = []
    for key in keys:
        expr = operand(key.field, table, dialect)
        plain = isinstance(expr, sa.Column) and not expr.nullable
        if plain and every_match:
            expr = dialect.unindexed(expr)
        term = expr.desc() if key.descending else expr.asc()
        terms.append(term if plain else term.nulls_last())
    return terms


def operand(info: FieldInfo, table: sa.Table, dialect: Dialect) -> Expr:
    """The expression a field reads as; its name comes from the catalog, never the user."""
    if info.source is Source.CUSTOM:
        return dialect.custom(table, info)
    return table.c[info.column]


def _matched(info: FieldInfo, table: sa.Table, dialect: Dialect) -> Expr:
    """What a condition compares: the folded key column of a tag or e-mail field."""
    return table.c[key_column(info)] if folds(info) else operand(info, table, dialect)


_COMPARE: Mapping[str, Callable[[Any, Any], Any]] = {
    Op.EQ.value: operator.eq,
    Op.LT.value: operator.lt,
    Op.LE.value: operator.le,
    Op.GT.value: operator.gt,
    Op.GE.value: operator.ge,
}


@attrs.frozen
class _Test:
    expr: Expr
    guard: Expr | None = None  # what makes ``expr`` true-or-false rather than NULL


def _condition(condition: BoundCondition, expr: Expr, place: _Place, name: str) -> _Test:  # noqa: C901
    op, dialect, big = condition.op, place.dialect, _big(condition, place.crowded)
    if op == Op.IS_NULL.value:
        return _Test(expr.is_(None))
    if op == Op.NOT_NULL.value:
        return _Test(expr.is_not(None))
    if op == Op.NE.value:
        return _Test(sa.or_(expr.is_(None), expr != sa.bindparam(name)))
    if op in _COMPARE:
        test = _COMPARE[op](expr, sa.bindparam(name))
    elif op == Op.BETWEEN.value:  # not BETWEEN: PostgreSQL takes no COLLATE in its bounds
        test = sa.and_(expr >= sa.bindparam(f"{name}_lo"), expr <= sa.bindparam(f"{name}_hi"))
    elif op == Op.IN.value and big:
        test = dialect.in_many(expr, name)
    elif op == Op.IN.value:
        test = expr.in_(sa.bindparam(name, expanding=True))
    elif op == Op.CONTAINS.value:
        test = _contains(condition.field, expr, place, sa.bindparam(name, type_=sa.Text()))
    elif op == ANNIVERSARY and big:
        test = dialect.in_many(dialect.month_day(expr), name)
    elif op == ANNIVERSARY:
        test = dialect.month_day(expr).in_(sa.bindparam(name, expanding=True))
    else:  # bind() lets no other operator through
        raise AssertionError(op)
    return _Test(test, expr.is_not(None))


def _contains(info: FieldInfo, expr: Expr, place: _Place, wanted: Expr) -> Expr:
    """A part of a text, ignoring case: found in its folded column where it has one
    (``wanted`` then comes folded, see ``_values``), else folded in SQL."""
    column = search_column(info)
    if column is not None:
        return place.dialect.has_text(place.table.c[column], wanted)
    return place.dialect.contains(expr, wanted)


def _values(
    condition: BoundCondition,
    dialect: Dialect,
    name: str,
    crowded: bool,  # noqa: FBT001
) -> dict[str, Any]:
    op, value, info = condition.op, condition.value, condition.field
    big = _big(condition, crowded)
    if folds(info):
        value = fold(value)
    custom = info.source is Source.CUSTOM
    encode = dialect.storage.get(info.kind, unchanged) if custom else unchanged
    if op in (Op.IS_NULL.value, Op.NOT_NULL.value):
        return {}
    if op == Op.BETWEEN.value:
        return {f"{name}_lo": encode(value[0]), f"{name}_hi": encode(value[1])}
    if op == Op.CONTAINS_ANY.value:
        return {name: dialect.many_value(info.kind, value) if big else list(value)}
    if op == Op.IN.value and big:
        return {name: dialect.many_value(info.kind, value)}
    if op == Op.IN.value:
        return {name: [encode(item) for item in value]}
    if op == Op.CONTAINS.value and info.kind is FieldKind.TEXT:
        searched = search_column(info) is not None
        return {name: value.casefold() if searched else dialect.fold_value(value)}
    if op == Op.CONTAINS.value:
        return {name: value}
    if op == ANNIVERSARY:
        return {name: dialect.many_value(FieldKind.TEXT, sorted(value)) if big else sorted(value)}
    return {name: encode(value)}


def _set_condition(condition: BoundCondition, place: _Place, name: str) -> Expr:
    info, table, dialect = condition.field, place.table, place.dialect
    column = (
        dialect.custom_set(table, info)
        if info.source is Source.CUSTOM
        else _matched(info, table, dialect)
    )
    empty = dialect.set_empty(column)
    if condition.op == Op.IS_NULL.value:
        return empty
    if condition.op == Op.NOT_NULL.value:
        return sa.not_(empty)
    if condition.op == Op.CONTAINS_ANY.value:
        test = dialect.set_has_any(column, name, big=_big(condition, place.crowded))
        custom = info.source is Source.CUSTOM  # a missing property reads as NULL
        return sa.func.coalesce(test, sa.false()) if custom else test
    value = sa.bindparam(name, type_=sa.Text())
    if info.source is Source.CUSTOM and dialect.custom_set_has is not None:
        return dialect.custom_set_has(table, info, value)
    return dialect.set_has(column, value)
