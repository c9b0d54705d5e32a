"""The in-memory evaluator: a query as a Python predicate, and sorting by fields.

This is the reference semantics that the SQL compiler must reproduce (the storage
contract suite runs both on the same data):

- two-valued logic: an ordering or equality test on an empty field is false, ``ne`` on an
  empty field is true, and ``~`` is plain negation;
- text compares by code point; ``contains`` on text ignores case (``str.casefold``);
- tags and e-mail addresses match without regard to case in every operator: both
  sides are casefolded first (``custdb.query.case``), sorting keeps the spelling;
- money compares by amount; datetimes compare as instants, whatever their time zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from custdb.errors import QueryError
from custdb.query.bind import (
    ANNIVERSARY,
    Bound,
    BoundCondition,
    BoundGroup,
    BoundNot,
    bind,
    field_hint,
)
from custdb.query.case import fold, folds
from custdb.query.expr import Op, Query
from custdb.query.fields import FieldInfo, FieldKind, aliases_for, fields_for
from custdb.query.values import shown

__all__ = ["OrderBy", "matches", "order_by", "predicate", "predicate_of", "sort"]

Predicate = Callable[[Any], bool]


def predicate(
    query: Query, entity: type, *, schema: Any = None, now: dt.datetime | None = None
) -> Predicate:
    """``query`` as a function of one record; raises ``QueryError`` if it cannot run."""
    return predicate_of(bind(query, entity, schema=schema, now=now))


def matches(
    record: Any, query: Query, *, schema: Any = None, now: dt.datetime | None = None
) -> bool:
    return predicate(query, type(record), schema=schema, now=now)(record)


def predicate_of(bound: Bound) -> Predicate:
    """An already bound query as a function of one record."""
    if isinstance(bound, BoundGroup):
        parts = [predicate_of(part) for part in bound.parts]
        if bound.all:
            return lambda record: all(part(record) for part in parts)
        return lambda record: any(part(record) for part in parts)
    if isinstance(bound, BoundNot):
        inner = predicate_of(bound.part)
        return lambda record: not inner(record)
    return _leaf(bound)


def _leaf(condition: BoundCondition) -> Predicate:
    info, op, wanted = condition.field, condition.op, condition.value
    test = _TESTS[op]
    if folds(info):
        return _folded(info, test, fold(wanted))

    def check(record: Any) -> bool:
        return test(_comparable(info, info.value_of(record)), wanted)

    return check


def _folded(info: FieldInfo, test: Callable[[Any, Any], bool], wanted: Any) -> Predicate:
    """A condition on a tag or e-mail field: the record's value folded, as ``wanted`` is."""

    def check(record: Any) -> bool:
        return test(fold(_comparable(info, info.value_of(record))), wanted)

    return check


def _comparable(info: FieldInfo, value: Any) -> Any:
    if value is None:
        return None
    if info.kind is FieldKind.MONEY:
        return value.amount
    if info.kind is FieldKind.ENUM:
        return str(getattr(value, "value", value))
    if info.kind is FieldKind.SET and not value:
        return None
    return value


def _ordered(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    return lambda value, wanted: value is not None and test(value, wanted)


def _contains(value: Any, wanted: str) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return wanted.casefold() in value.casefold()
    return wanted in value


def _contains_any(value: Any, wanted: tuple[str, ...]) -> bool:
    return value is not None and any(item in value for item in wanted)


def _anniversary(value: Any, month_days: frozenset[str]) -> bool:
    return value is not None and value.strftime("%m-%d") in month_days


_TESTS: dict[str, Callable[[Any, Any], bool]] = {
    Op.EQ.value: _ordered(lambda value, wanted: value == wanted),
    Op.NE.value: lambda value, wanted: value is None or value != wanted,
    Op.LT.value: _ordered(lambda value, wanted: value < wanted),
    Op.LE.value: _ordered(lambda value, wanted: value <= wanted),
    Op.GT.value: _ordered(lambda value, wanted: value > wanted),
    Op.GE.value: _ordered(lambda value, wanted: value >= wanted),
    Op.BETWEEN.value: _ordered(lambda value, wanted: wanted[0] <= value <= wanted[1]),
    Op.IN.value: _ordered(lambda value, wanted: value in wanted),
    Op.IS_NULL.value: lambda value, _: value is None,
    Op.NOT_NULL.value: lambda value, _: value is not None,
    Op.CONTAINS.value: _contains,
    Op.CONTAINS_ANY.value: _contains_any,
    ANNIVERSARY: _anniversary,
}


@attrs.frozen
class OrderBy:
    """One sort key: a field and its direction. Empty values sort last either way."""

    field: FieldInfo
    descending: bool = False


def order_by(
    spec: str | Sequence[str] | None, entity: type, *, schema: Any = None
) -> tuple[OrderBy, ...]:
    """Parse ``"name"``, ``"-total_spent"`` or a list of them; the id breaks every tie."""
    label = getattr(entity, "ENTITY", entity.__name__)
    catalog, aliases = fields_for(entity, schema), aliases_for(entity)
    keys: list[OrderBy] = []
    for name in _sort_names(spec, label):
        descending = name.startswith("-")
        field = name[1:] if descending else name
        info = catalog.get(field) or catalog.get(aliases.get(field, ""))
        if info is None or info.kind is FieldKind.SET:
            raise _cannot_sort(field, info, label, catalog, aliases)
        keys.append(OrderBy(info, descending))
    if "id" not in {key.field.name for key in keys}:
        keys.append(OrderBy(catalog["id"]))
    return tuple(keys)


def _sort_names(spec: Any, label: str) -> list[str]:
    """The field names of an ``order_by``: one name, a list of them, or none."""
    names = [spec] if isinstance(spec, str) else spec
    if names is None:
        return []
    if not isinstance(names, list | tuple) or not all(isinstance(n, str) for n in names):
        raise QueryError(
            "order_by takes a field name or a list of field names",
            entity=label,
            value=shown(spec),
            hint='e.g. order_by="-total_spent" (descending) or ["last_name", "first_name"]',
        )
    return list(names)


def _cannot_sort(
    field: str,
    info: FieldInfo | None,
    label: str,
    catalog: Mapping[str, FieldInfo],
    aliases: Mapping[str, str],
) -> QueryError:
    cut = field if len(field) <= 100 else field[:100] + "..."
    if info is not None:
        return QueryError(
            "cannot sort by this field: it holds several values",
            entity=label,
            field=cut,
            hint="sort by a field that holds one value",
        )
    sortable = {name: i for name, i in catalog.items() if i.kind is not FieldKind.SET}
    return QueryError(
        "cannot sort by this field: there is no such field",
        entity=label,
        field=cut,
        hint=f"{field_hint(field, sortable, aliases)}; put a minus first for descending",
    )


def sort(records: Iterable[Any], keys: Sequence[OrderBy]) -> list[Any]:
    """Sort stably, least significant key first; empty values last in both directions."""
    rows = list(records)
    for key in reversed(keys):
        present = [row for row in rows if _sort_value(key, row) is not None]
        empty = [row for row in rows if _sort_value(key, row) is None]
        present.sort(key=lambda row, key=key: _sort_value(key, row), reverse=key.descending)  # type: ignore[misc]
        rows = present + empty
    return rows


def _sort_value(key: OrderBy, record: Any) -> Any:
    return _comparable(key.field, key.field.value_of(record))
