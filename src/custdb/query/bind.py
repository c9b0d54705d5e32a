"""Check a query against an entity and turn its values into the fields' own types.

Binding is where every mistake in a query is caught, before any evaluator runs: an
unknown field, an operator the field's kind lacks, a value of the wrong type. Relative
dates (``older_than``, ``within_days``) become plain comparisons against ``now`` here, so
the in-memory evaluator and the SQL compiler only ever see fixed values.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Union

import attrs

from custdb.errors import QueryError
from custdb.query.expr import And, Condition, Not, Op, Or, Query
from custdb.query.fields import FieldInfo, FieldKind, fields_for

__all__ = ["ANNIVERSARY", "Bound", "BoundCondition", "BoundGroup", "BoundNot", "bind"]

ANNIVERSARY = "anniversary_in"
"""The bound form of ``within_days`` on a yearly date: the value is a set of "MM-DD"."""

_MAX_DAYS = 36_600

_ORDERED = frozenset(
    {
        FieldKind.TEXT,
        FieldKind.INTEGER,
        FieldKind.DECIMAL,
        FieldKind.MONEY,
        FieldKind.DATE,
        FieldKind.DATETIME,
    }
)
_DATES = frozenset({FieldKind.DATE, FieldKind.DATETIME})
_ALLOWED: Mapping[Op, frozenset[FieldKind]] = {
    Op.EQ: frozenset(FieldKind) - {FieldKind.SET},
    Op.NE: frozenset(FieldKind) - {FieldKind.SET},
    Op.IN: frozenset(FieldKind) - {FieldKind.SET, FieldKind.BOOL},
    Op.LT: _ORDERED,
    Op.LE: _ORDERED,
    Op.GT: _ORDERED,
    Op.GE: _ORDERED,
    Op.BETWEEN: _ORDERED,
    Op.IS_NULL: frozenset(FieldKind),
    Op.NOT_NULL: frozenset(FieldKind),
    Op.CONTAINS: frozenset({FieldKind.TEXT, FieldKind.SET}),
    Op.CONTAINS_ANY: frozenset({FieldKind.SET}),
    Op.WITHIN_DAYS: _DATES,
    Op.OLDER_THAN: _DATES,
    Op.NEWER_THAN: _DATES,
}


@attrs.frozen
class BoundCondition:
    """A condition whose field is known and whose value has the field's type."""

    field: FieldInfo
    op: str  # an ``Op`` value, or ``ANNIVERSARY``
    value: Any = None


@attrs.frozen
class BoundGroup:
    """``all`` true: every part holds (AND); false: at least one does (OR)."""

    all: bool
    parts: tuple[Bound, ...]


@attrs.frozen
class BoundNot:
    part: Bound


Bound = Union[BoundCondition, BoundGroup, BoundNot]  # noqa: UP007 - runtime alias on 3.10


def bind(
    query: Query,
    entity: type,
    *,
    schema: Any = None,
    now: dt.datetime | None = None,
) -> Bound:
    """Check ``query`` against ``entity`` (and its custom ``schema``); raise ``QueryError``.

    ``now`` (timezone-aware) is needed only by relative-date conditions.
    """
    catalog = fields_for(entity, schema)
    return _bind(query, catalog, getattr(entity, "ENTITY", entity.__name__), now)


def _bind(query: Query, catalog: Mapping[str, FieldInfo], entity: str, now: Any) -> Bound:
    if isinstance(query, And | Or):
        parts = tuple(_bind(part, catalog, entity, now) for part in query.parts)
        return BoundGroup(isinstance(query, And), parts)
    if isinstance(query, Not):
        return BoundNot(_bind(query.part, catalog, entity, now))
    if isinstance(query, Condition):
        return _bind_condition(query, catalog, entity, now)
    raise QueryError(
        "is not a query", entity=entity, value=query, hint='build one with F("field") ...'
    )


def _bind_condition(
    condition: Condition, catalog: Mapping[str, FieldInfo], entity: str, now: Any
) -> BoundCondition:
    info = catalog.get(condition.field)
    if info is None:
        raise QueryError(
            "no such field to filter on",
            entity=entity,
            field=condition.field,
            hint=f"known fields: {', '.join(sorted(catalog))}",
        )
    if info.kind not in _ALLOWED[condition.op]:
        raise QueryError(
            f"operator {condition.op.value!r} does not apply to a {info.kind.value} field",
            entity=entity,
            field=info.name,
        )
    try:
        return _typed(info, condition.op, condition.value, now)
    except QueryError as error:
        raise QueryError(
            error.reason, entity=entity, field=info.name, value=condition.value, hint=error.hint
        ) from None


def _typed(info: FieldInfo, op: Op, value: Any, now: Any) -> BoundCondition:
    if op in (Op.IS_NULL, Op.NOT_NULL):
        return BoundCondition(info, op.value)
    if op in (Op.WITHIN_DAYS, Op.OLDER_THAN, Op.NEWER_THAN):
        return _relative(info, op, _days(value), _now(now))
    if op in (Op.IN, Op.BETWEEN, Op.CONTAINS_ANY):
        return _listed(info, op, value)
    if op is Op.CONTAINS:
        if not isinstance(value, str):
            raise QueryError("'contains' needs a text value")
        return BoundCondition(info, op.value, value)
    return BoundCondition(info, op.value, _coerce(info, value))


def _listed(info: FieldInfo, op: Op, value: Any) -> BoundCondition:
    """The operators whose value is a list."""
    if op is Op.CONTAINS_ANY:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise QueryError("'contains_any' needs a list of text values", hint='e.g. ["VIP"]')
        return BoundCondition(info, op.value, tuple(value))
    if op is Op.IN:
        if not isinstance(value, list | tuple | set | frozenset):
            raise QueryError("'in' needs a list of values")
        return BoundCondition(info, op.value, tuple(_coerce(info, item) for item in value))
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise QueryError("'between' needs two values: low and high")
    return BoundCondition(info, op.value, (_coerce(info, value[0]), _coerce(info, value[1])))


def _relative(info: FieldInfo, op: Op, days: int, now: dt.datetime) -> BoundCondition:
    today = now.date()
    if op is Op.WITHIN_DAYS and info.yearly:
        window = (today + dt.timedelta(days=n) for n in range(min(days, 366) + 1))
        return BoundCondition(info, ANNIVERSARY, _month_days(window))
    start: dt.date | dt.datetime = now if info.kind is FieldKind.DATETIME else today
    if op is Op.WITHIN_DAYS:
        return BoundCondition(info, Op.BETWEEN.value, (start, start + dt.timedelta(days=days)))
    cutoff = start - dt.timedelta(days=days)
    return BoundCondition(info, (Op.LT if op is Op.OLDER_THAN else Op.GE).value, cutoff)


def _month_days(window: Any) -> frozenset[str]:
    """The "MM-DD" of each day; 29 February counts on the 28th in a common year."""
    days: set[str] = set()
    for day in window:
        days.add(day.strftime("%m-%d"))
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            days.add("02-29")
    return frozenset(days)


def _days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_DAYS:
        raise QueryError(f"needs a whole number of days from 0 to {_MAX_DAYS}")
    return value


def _now(now: Any) -> dt.datetime:
    if not isinstance(now, dt.datetime) or now.tzinfo is None:
        raise QueryError(
            "a relative date needs the current time",
            hint="pass now=datetime.now(timezone.utc) (timezone-aware)",
        )
    return now


def _coerce(info: FieldInfo, value: Any) -> Any:
    if value is None:
        raise QueryError("cannot compare with None", hint="use .is_null() or .not_null()")
    return _COERCE[info.kind](info, value)


def _text(_: FieldInfo, value: Any) -> str:
    if not isinstance(value, str):
        raise QueryError(f"needs text, not {type(value).__name__}")
    return value


def _integer(info: FieldInfo, value: Any) -> int:
    number = _decimal(info, value)
    if number != number.to_integral_value():
        raise QueryError("needs a whole number")
    return int(number)


def _decimal(_: FieldInfo, value: Any) -> Decimal:
    if isinstance(value, bool):
        raise QueryError("needs a number, not a yes/no value")
    amount = getattr(value, "amount", value)  # a Money value compares by its amount
    try:
        number = Decimal(str(amount)) if isinstance(amount, int | float | str) else amount
    except InvalidOperation:
        raise QueryError("needs a number", hint='write it as 1000 or "1000.50"') from None
    if not isinstance(number, Decimal) or not number.is_finite():
        raise QueryError("needs a finite number")
    return number


def _date(_: FieldInfo, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise QueryError("needs a date, not a date and time")
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise QueryError("needs an ISO date", hint="write it as 2024-03-31") from None
    if not isinstance(value, dt.date):
        raise QueryError("needs a date")
    return value


def _datetime(_: FieldInfo, value: Any) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise QueryError(
                "needs an ISO date and time", hint="write it as 2024-03-31T09:30:00+00:00"
            ) from None
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(), dt.timezone.utc)
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise QueryError("needs a timezone-aware date and time", hint="add +00:00 or tzinfo")
    return value


def _bool(_: FieldInfo, value: Any) -> bool:
    if not isinstance(value, bool):
        raise QueryError("needs true or false")
    return value


def _enum(info: FieldInfo, value: Any) -> str:
    text = str(value.value) if isinstance(value, enum.Enum) else value
    if text not in info.options:
        raise QueryError(
            "is not one of the field's options",
            hint=f"use one of: {', '.join(sorted(info.options))}",
        )
    return str(text)


_COERCE: Mapping[FieldKind, Callable[[FieldInfo, Any], Any]] = {
    FieldKind.TEXT: _text,
    FieldKind.INTEGER: _integer,
    FieldKind.DECIMAL: _decimal,
    FieldKind.MONEY: _decimal,
    FieldKind.DATE: _date,
    FieldKind.DATETIME: _datetime,
    FieldKind.BOOL: _bool,
    FieldKind.ENUM: _enum,
    FieldKind.SET: _text,
}
