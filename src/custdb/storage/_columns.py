"""Chosen fields read as plain values: what ``Repository.select_columns`` takes and
gives, on every store. Which fields (checked as the query language checks them) and
in which form; the SQL stores read the values in ``_sql_columns``, the memory store
with ``FieldInfo.value_of`` of its records.

What each field gives is :meth:`FieldInfo.value_of` of the record, on every store:
``Decimal`` (numerically equal: SQLite's keys keep no trailing zeros), ``date``,
aware UTC ``datetime``, enum members where the entity holds members, ``Money`` for
money, tags as the ``frozenset`` and id lists as the ``tuple`` (in order) the entity
holds, custom values typed by the schema, ``None`` when empty.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from typing import Any, Literal

from custdb.errors import ValidationError
from custdb.model.schema import Schema
from custdb.query import F, FieldInfo, Source, bind, fields_for

__all__ = ["FORMS", "Form", "check_form", "resolve", "shaped"]

Form = Literal["tuples", "dicts", "frame"]
FORMS: tuple[str, ...] = typing.get_args(Form)

_CUSTOM_PREFIX = "custom."


# --- which fields -----------------------------------------------------------------------


def resolve(entity: type, schema: Schema | None, fields: Any) -> tuple[FieldInfo, ...]:
    """``fields`` as catalog entries, each checked as the query language checks a field
    (the same ``QueryError`` naming the field and those that exist). ``custom.NAME``
    is the custom property ``NAME``."""
    label = getattr(entity, "ENTITY", entity.__name__)
    if isinstance(fields, str) or not isinstance(fields, Sequence):
        raise ValidationError(
            "takes a list of field names",
            entity=label,
            field="fields",
            value=fields,
            hint='e.g. select_columns(["id", "total_spent", "address.city"])',
        )
    if not fields:
        raise ValidationError(
            "names no field to read",
            entity=label,
            field="fields",
            value=fields,
            hint='name at least one, e.g. ["id"]; count() counts records without reading them',
        )
    repeated = next((name for i, name in enumerate(fields) if name in fields[:i]), None)
    if repeated is not None:
        raise ValidationError(
            "names a field twice", entity=label, field=repeated, hint="name each field once"
        )
    return tuple(_field(entity, schema, name) for name in fields)


def _field(entity: type, schema: Schema | None, name: Any) -> FieldInfo:
    if isinstance(name, str) and name.startswith(_CUSTOM_PREFIX):
        info = fields_for(entity, schema).get(name.removeprefix(_CUSTOM_PREFIX))
        if info is not None and info.source is Source.CUSTOM:
            return info
    bound = bind(F(name).is_null(), entity, schema=schema)  # the query language's own check
    return bound.field  # type: ignore[union-attr]  # one condition binds as one condition


def check_form(form: Any, entity: type) -> Form:
    if form not in FORMS:
        raise ValidationError(
            "is not a form select_columns returns",
            entity=getattr(entity, "ENTITY", entity.__name__),
            field="form",
            value=form,
            hint=f"give form= one of {', '.join(map(repr, FORMS))}",
        )
    return typing.cast("Form", form)


def shaped(
    names: Sequence[str],
    rows: list[tuple[Any, ...]],
    form: Form,
    *,
    entity: type,
    infos: Sequence[FieldInfo],
    schema: Schema | None,
) -> Any:
    """The rows (tuples in ``names`` order) in the form asked for."""
    if form == "tuples":
        return rows
    if form == "dicts":
        return [dict(zip(names, row, strict=True)) for row in rows]
    from custdb.io.frame import frame_of_fields  # noqa: PLC0415 - pandas only when asked for

    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return frame_of_fields(names, infos, columns, entity=entity, schema=schema)
