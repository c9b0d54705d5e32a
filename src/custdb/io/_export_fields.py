"""Which columns an export writes, and how their values are read, page by page.

A column is a field as queries name it (core fields, roll-ups such as ``total_spent``,
``email`` and ``phone``, address parts, custom properties, ``custom.NAME``), or one of
the few an export adds: ``full_name`` (made of the name parts, as ``Contact.full_name``
makes it) and ``emails`` / ``phones`` (every address of the record, in order).

When every column is made of query fields, the values are read straight from the
database with ``select_columns``, a page at a time by id (keyset paging: each page
starts after the last id of the one before, so a page costs the same at the end of a
million rows as at the start, and only one page is held). ``emails`` and ``phones``
live in the record alone: a column list naming them reads whole records through
``iterate``, which pages the same way.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from custdb.errors import QueryError, ValidationError
from custdb.model.schema import Schema
from custdb.query import F, FieldInfo, Query, Source, bind, fields_for

__all__ = ["PAGE", "Column", "columns_for", "default_fields", "rows_of"]

PAGE = 2000
"""Rows read per statement: enough to make the round trips cheap, few enough that a
page's values are a few megabytes whatever the table's size."""

_CUSTOM_PREFIX = "custom."
_NAME_PARTS = ("first_name", "middle_name", "last_name")  # Contact.full_name's, in order
_LISTS = ("emails", "phones")  # every address, from the record itself

_DEFAULTS: Mapping[str, tuple[str, ...]] = {
    "contacts": (
        "id",
        "first_name",
        "middle_name",
        "last_name",
        "email",
        "phone",
        "city",
        "country",
        "lifecycle_stage",
        "tags",
        "total_spent",
        "order_count",
        "last_order_on",
        "created_at",
    ),
    "companies": (
        "id",
        "name",
        "domain",
        "industry",
        "employee_count",
        "email",
        "phone",
        "city",
        "country",
        "tags",
        "total_spent",
        "order_count",
        "created_at",
    ),
}
_LEFT_OUT = frozenset({"version", "updated_at"})  # bookkeeping, not what a reader wants


@attrs.frozen
class Column:
    """One column of the file: its header, the query fields it is made of (``None``
    when only a whole record gives it), what makes its value of several fields'
    values (``None``: it is the one field's value), and its value from a record."""

    name: str
    reads: tuple[str, ...] | None
    combine: Callable[[tuple[Any, ...]], Any] | None
    of_record: Callable[[Any], Any]


def default_fields(repository: str, entity: type, schema: Schema | None) -> tuple[str, ...]:
    """The columns of an export that names none: for contacts and companies a readable
    set (who, how to reach them, where, stage, tags, what they bought); for the other
    records every field but the version stamps; then each custom property."""
    catalog = fields_for(entity, schema)
    chosen = _DEFAULTS.get(repository)
    if chosen is None:
        chosen = tuple(
            name
            for name, info in catalog.items()
            if info.source in (Source.CORE, Source.DERIVED) and name not in _LEFT_OUT
        )
    custom = tuple(name for name, info in catalog.items() if info.source is Source.CUSTOM)
    return chosen + tuple(name for name in custom if name not in chosen)


def columns_for(entity: type, schema: Schema | None, fields: Any) -> tuple[Column, ...]:
    """``fields`` as columns, each checked (a ``QueryError`` names an unknown one and
    those that exist, as a query does); a field named twice is a ``ValidationError``."""
    label = getattr(entity, "ENTITY", entity.__name__)
    if isinstance(fields, str) or not isinstance(fields, Sequence) or not fields:
        raise ValidationError(
            "takes a non-empty list of field names",
            entity=label,
            field="fields",
            value=fields,
            hint='e.g. fields=["id", "full_name", "email", "total_spent"]',
        )
    repeated = next((name for i, name in enumerate(fields) if name in fields[:i]), None)
    if repeated is not None:
        raise ValidationError(
            "names a field twice", entity=label, field=repeated, hint="name each field once"
        )
    return tuple(_column(entity, schema, name) for name in fields)


def _column(entity: type, schema: Schema | None, name: Any) -> Column:
    if name == "full_name" and isinstance(getattr(entity, name, None), property):
        return Column(name, _NAME_PARTS, _joined_name, operator.attrgetter(name))
    if name in _LISTS and name in attrs.fields_dict(entity):
        return Column(name, None, None, _listed(name))
    info = _info(entity, schema, name)
    return Column(name, (name,), None, info.value_of)


def _info(entity: type, schema: Schema | None, name: Any) -> FieldInfo:
    """The field ``name`` names, checked as the query language checks one."""
    if isinstance(name, str) and name.startswith(_CUSTOM_PREFIX):
        info = fields_for(entity, schema).get(name.removeprefix(_CUSTOM_PREFIX))
        if info is not None and info.source is Source.CUSTOM:
            return info
    try:
        bound = bind(F(name).is_null(), entity, schema=schema)
    except QueryError as error:
        extra = [n for n in ("full_name", *_LISTS) if _column_exists(entity, n)]
        if extra and error.hint is not None:
            error = QueryError(
                error.reason,
                entity=error.entity,
                field=error.field,
                value=error.value,
                hint=f"{error.hint}; an export also writes {', '.join(extra)}",
            )
        raise error from None
    return bound.field  # type: ignore[union-attr]  # one condition binds as one condition


def _column_exists(entity: type, name: str) -> bool:
    if name == "full_name":
        return isinstance(getattr(entity, name, None), property)
    return name in attrs.fields_dict(entity)


def _joined_name(parts: tuple[Any, ...]) -> str:
    """``Contact.full_name`` of the name parts: those given, joined by spaces."""
    return " ".join(part for part in parts if part)


def _listed(name: str) -> Callable[[Any], Any]:
    return lambda record: tuple(getattr(record, name))


def rows_of(repository: Any, columns: Sequence[Column], where: Query | None) -> Iterator[list[Any]]:
    """Each matching record's column values, in id order, a page at a time."""
    if any(column.reads is None for column in columns):
        for record in repository.iterate(where, batch_size=PAGE):
            yield [column.of_record(record) for column in columns]
        return
    yield from _read_columns(repository, columns, where)


def _read_columns(
    repository: Any, columns: Sequence[Column], where: Query | None
) -> Iterator[list[Any]]:
    """Pages of ``select_columns`` by id; each field is read once however many
    columns use it, and ``id`` is read to know where the next page starts."""
    reads = list(dict.fromkeys(["id", *(name for c in columns for name in c.reads or ())]))
    getters = [_getter(column, {name: i for i, name in enumerate(reads)}) for column in columns]
    after: str | None = None
    while True:
        page_where = where if after is None else _after(where, after)
        page = repository.select_columns(reads, page_where, limit=PAGE)
        for row in page:
            yield [get(row) for get in getters]
        if len(page) < PAGE:
            return
        after = page[-1][0]


def _getter(column: Column, at: Mapping[str, int]) -> Callable[[tuple[Any, ...]], Any]:
    """The column's value of a row of ``select_columns`` (fields at the ``at`` indexes)."""
    picked = operator.itemgetter(*(at[name] for name in column.reads or ()))
    combine = column.combine
    if combine is None:
        return picked
    return lambda row: combine(picked(row))


def _after(where: Query | None, after: str) -> Query:
    following = F("id") > after
    return following if where is None else where & following
