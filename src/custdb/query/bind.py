"""Check a query against an entity and turn its values into the fields' own types.

Binding is where every mistake in a query is caught, before any evaluator runs: an
unknown field, an operator the field's kind lacks, a value of the wrong type. Relative
dates (``older_than``, ``within_days``) become plain comparisons against ``now`` here, so
the in-memory evaluator and the SQL compiler only ever see fixed values.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
from collections.abc import Mapping
from typing import Any, Union

import attrs

from custdb.errors import QueryError
from custdb.query.expr import And, Condition, F, Not, Op, Or, Query
from custdb.query.fields import FieldInfo, FieldKind, aliases_for, fields_for, why_unfilterable
from custdb.query.values import check_text, coerce, shown

__all__ = [
    "ANNIVERSARY",
    "MAX_CONDITIONS",
    "MAX_DEPTH",
    "Bound",
    "BoundCondition",
    "BoundGroup",
    "BoundNot",
    "bind",
    "field_hint",
]

MAX_DEPTH = 16
"""Nested and/or/not levels in one query: far beyond a real segment, and within what
every database parses (SQLite's parser takes about twenty levels of parentheses)."""
MAX_CONDITIONS = 15_000
"""Conditions in one query: each is a parameter or two, and SQLite takes 32,766."""

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

    ``now`` (timezone-aware) is needed only by relative-date conditions. An ``or`` of
    equalities on one field binds as one ``in``, an ``and`` of ``ne`` as one ``not in``
    (the same rows, one test per record, one parameter in SQL however long the list).
    """
    binder = _Binder(fields_for(entity, schema), entity, now)
    return binder.bind(query, 0)


@attrs.define
class _Binder:
    catalog: Mapping[str, FieldInfo]
    cls: type
    now: Any
    conditions: int = 0

    @property
    def label(self) -> str:
        return str(getattr(self.cls, "ENTITY", self.cls.__name__))

    def bind(self, query: Any, depth: int) -> Bound:
        if isinstance(query, And | Or | Not):
            if depth >= MAX_DEPTH:
                raise QueryError(
                    f"nests and/or/not more than {MAX_DEPTH} levels deep",
                    entity=self.label,
                    hint="flatten it: & and | (and JSON 'and'/'or') take any number of parts",
                )
            if isinstance(query, Not):
                return BoundNot(self.bind(query.part, depth + 1))
            parts = tuple(self.bind(part, depth + 1) for part in query.parts)
            return _merged(isinstance(query, And), parts)
        if isinstance(query, Condition):
            self.conditions += 1
            if self.conditions > MAX_CONDITIONS:
                raise QueryError(
                    f"holds more than {MAX_CONDITIONS:,} conditions",
                    entity=self.label,
                    hint="test many values of one field with .is_in([...]), which takes any number",
                )
            return self.condition(query)
        raise _not_a_query(query, self.label)

    def condition(self, condition: Condition) -> BoundCondition:
        info = self.field(condition.field)
        if info.kind not in _ALLOWED[condition.op]:
            raise QueryError(
                f"operator {condition.op.value!r} does not apply to a {info.kind.value} field",
                entity=self.label,
                field=info.name,
                hint=_operator_hint(info, condition.op),
            )
        try:
            return _typed(info, condition.op, condition.value, self.now)
        except QueryError as error:
            raise QueryError(
                error.reason,
                entity=self.label,
                field=info.name,
                value=shown(condition.value),
                hint=error.hint,
            ) from None

    def field(self, name: Any) -> FieldInfo:
        if not isinstance(name, str):
            raise QueryError("a field name must be text", entity=self.label, value=shown(name))
        info = self.catalog.get(name) or self.catalog.get(aliases_for(self.cls).get(name, ""))
        if info is not None:
            return info
        cut = name if len(name) <= _LONG_NAME else name[:_LONG_NAME] + "..."
        why = why_unfilterable(self.cls, name) if len(name) <= _LONG_NAME else None
        if why is not None:
            raise QueryError(f"cannot filter on this field: it {why}", entity=self.label, field=cut)
        raise QueryError(
            "no such field to filter on",
            entity=self.label,
            field=cut,
            hint=field_hint(name, self.catalog, aliases_for(self.cls)),
        )


_LONG_NAME = 100  # longer names are no field's: shown cut, and not matched for a hint


def field_hint(name: str, catalog: Mapping[str, Any], aliases: Mapping[str, str]) -> str:
    """``did you mean ...?`` (the closest names) and the known fields."""
    known = sorted(catalog)
    close = []
    if len(name) <= _LONG_NAME:
        close = difflib.get_close_matches(name, [*known, *aliases], n=3, cutoff=0.6)
    text = f"known fields: {', '.join(known)}"
    return f"did you mean {' or '.join(close)}? {text}" if close else text


def _not_a_query(value: Any, entity: str) -> QueryError:
    """What was given instead of a query, and how to make one of it."""
    if isinstance(value, F):
        name = value.name
        return QueryError(
            "is a field, not a query: it tests nothing",
            entity=entity,
            value=value,
            hint=f"compare it: F({name!r}) == value, F({name!r}) >= 1000, F({name!r}).not_null()",
        )
    if isinstance(value, Mapping):
        return QueryError(
            "is a dict, not a query",
            entity=entity,
            value=shown(value),
            hint="a dict is the JSON form: read it with custdb.query.from_json(document)",
        )
    return QueryError(
        f"is not a query (a {type(value).__name__})",
        entity=entity,
        value=shown(value),
        hint='build one with F("field") == value, & | ~, or read JSON with custdb.query.from_json',
    )


def _merged(every: bool, parts: tuple[Bound, ...]) -> BoundGroup:  # noqa: FBT001
    """An ``or`` with its equalities on one field merged into one ``in``; an ``and`` with
    its ``ne`` on one field into one ``not in`` (two-valued: an empty field passes both)."""
    op = Op.NE.value if every else Op.EQ.value
    same: dict[FieldInfo, list[Any]] = {}
    for part in parts:
        if _mergeable(part, op):
            same.setdefault(part.field, []).append(part.value)  # type: ignore[union-attr]
    if all(len(values) < 2 for values in same.values()):
        return BoundGroup(every, parts)
    merged: list[Bound] = []
    done: set[FieldInfo] = set()
    for part in parts:
        field = part.field if _mergeable(part, op) else None  # type: ignore[union-attr]
        if field is None or len(same[field]) < 2:
            merged.append(part)
        elif field not in done:  # the first of them: all their values, in order, once
            listed = BoundCondition(field, Op.IN.value, tuple(dict.fromkeys(same[field])))
            merged.append(BoundNot(listed) if every else listed)
            done.add(field)
    return BoundGroup(every, tuple(merged))


def _mergeable(part: Bound, op: str) -> bool:
    return isinstance(part, BoundCondition) and part.op == op and part.field.kind in _ALLOWED[Op.IN]


def _operator_hint(info: FieldInfo, op: Op) -> str:
    """What to write instead of an operator the field's kind lacks."""
    if info.kind is FieldKind.SET:
        if op is Op.IN:
            return (
                f"a {info.name} field holds several values: "
                f"use F({info.name!r}).contains_any([...])"
            )
        return (
            f"{info.name} holds several values: test one with F({info.name!r}).contains(value), "
            f"several with .contains_any([...]), none with .is_null()"
        )
    usable = ", ".join(o.value for o in Op if info.kind in _ALLOWED[o])
    return f"a {info.kind.value} field takes: {usable}"


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
        return BoundCondition(info, op.value, check_text(value))
    return BoundCondition(info, op.value, coerce(info, value))


def _listed(info: FieldInfo, op: Op, value: Any) -> BoundCondition:
    """The operators whose value is a list."""
    if op is Op.CONTAINS_ANY:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise QueryError("'contains_any' needs a list of text values", hint='e.g. ["VIP"]')
        return BoundCondition(info, op.value, tuple(check_text(v) for v in value))
    if op is Op.IN:
        if not isinstance(value, list | tuple | set | frozenset):
            raise QueryError("'in' needs a list of values")
        return BoundCondition(info, op.value, tuple(coerce(info, item) for item in value))
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise QueryError("'between' needs two values: low and high")
    return BoundCondition(info, op.value, (coerce(info, value[0]), coerce(info, value[1])))


def _relative(info: FieldInfo, op: Op, days: int, now: dt.datetime) -> BoundCondition:
    today = now.date()
    if op is Op.WITHIN_DAYS and info.yearly:
        window = (today + dt.timedelta(days=n) for n in range(min(days, 366) + 1))
        return BoundCondition(info, ANNIVERSARY, _month_days(window))
    start: dt.date | dt.datetime = now if info.kind is FieldKind.DATETIME else today
    try:
        if op is Op.WITHIN_DAYS:
            span = (start, start + dt.timedelta(days=days))
            return BoundCondition(info, Op.BETWEEN.value, span)
        cutoff = start - dt.timedelta(days=days)
    except OverflowError:
        raise QueryError(f"reaches past the years 1 to 9999 from {today}") from None
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
