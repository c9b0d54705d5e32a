"""How the records of one attrs class lie in flat, typed columns, and how a row comes back.

No pandas here. A :class:`Layout` is read off the class's fields and their types (and
the custom-property ``Schema``), so a field added to the model gets its column at once:

- a scalar field is one column of its kind (text, integer, decimal, date, ...);
- an enum field is a category column that lists all the enum's options;
- a value object (``Money``, ``Address``, ``Phone``...) is its main part under the
  field's name (``amount``) and its other parts beside it (``amount_currency``);
- e-mails and phones are a list column (``emails``) with aligned lists of their labels
  (``email_labels``), next to the derived main value (``email``);
- the roll-ups in ``stats`` are columns under their bare names (``total_spent``), as
  queries name them; custom properties are columns under their own names.

``columns_of`` flattens records into column values (name -> list of Python values),
which is what the frame builder takes; ``build`` turns one row of such values back
into a record.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import inspect
import operator
import types
import typing
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from custdb.errors import ValidationError
from custdb.io._slots import (
    ABSENT,
    Column,
    Custom,
    Kind,
    Parts,
    Repeated,
    Scalar,
    Slot,
    build,
    choice_value,
    sorted_list,
    to_dict,
)
from custdb.model import Email, Entity, Money, Phone, PostalCode, Schema
from custdb.model.frozen import FrozenMap

__all__ = ["Column", "Kind", "Layout", "layout_for"]

_SCALARS: Mapping[Any, Kind] = {
    str: Kind.TEXT,
    int: Kind.INTEGER,
    bool: Kind.BOOL,
    Decimal: Kind.DECIMAL,
    dt.date: Kind.DATE,
    dt.datetime: Kind.DATETIME,
    dt.timedelta: Kind.DURATION,
}
_MAIN_PART: Mapping[type, str] = {
    Money: "amount",
    Email: "address",
    Phone: "e164",
    PostalCode: "value",
}
"""The part of a value object that takes the field's own column name."""
_BARE = frozenset({"stats"})
"""Nested records whose parts are columns under their bare names (queries say
``F("total_spent")``, not ``stats.total_spent``)."""
_DERIVED: Mapping[str, str] = {"email": "emails", "phone": "phones", "total": "items"}
"""Read-only properties framed as columns, each placed before the field it comes from."""
_LAST = ("version", "created_at", "updated_at", "external_ids")
"""Entity fields placed last, after the record's own fields and its custom ones."""


@attrs.frozen
class Layout:
    """The columns of one class, in order: ``(field, slot, derived)`` entries, where a
    derived entry is a read-only property, framed but not read back."""

    cls: type
    entries: tuple[tuple[str, Slot, bool], ...]
    columns: tuple[Column, ...] = attrs.field(init=False)
    _by_name: Mapping[str, Column] = attrs.field(init=False, repr=False)
    _names: Mapping[str, str] = attrs.field(init=False, repr=False)

    @columns.default
    def _columns(self) -> tuple[Column, ...]:
        return tuple(column for _, slot, _ in self.entries for column in slot.columns)

    @_names.default
    def _field_columns(self) -> Mapping[str, str]:
        return {field: _first(slot, field) for field, slot, _ in self.entries}

    @_by_name.default
    def _index(self) -> Mapping[str, Column]:
        index: dict[str, Column] = {}
        for column in self.columns:
            if column.name in index:
                raise ValidationError(
                    "two columns would take this name",
                    entity=_label(self.cls),
                    field=column.name,
                    hint="rename the custom field, so it does not shadow a core column",
                )
            index[column.name] = column
        return types.MappingProxyType(index)

    def column(self, name: str) -> Column | None:
        return self._by_name.get(name)

    def columns_of(self, records: Sequence[Any]) -> dict[str, list[Any]]:
        """The records as column values, one list per column, in the layout's order."""
        out: dict[str, list[Any]] = {}
        for field, slot, _ in self.entries:
            values = list(map(operator.attrgetter(field), records))
            for column, cells in zip(slot.columns, slot.columns_of(values), strict=True):
                out[column.name] = cells
        return out

    def required(self) -> list[str]:
        """Columns a frame must have: those of fields without a default."""
        fields = attrs.fields_dict(self.cls)
        return [
            _first(slot, field)
            for field, slot, derived in self.entries
            if not derived and fields[field].default is attrs.NOTHING
        ]

    def build(self, row: Mapping[str, Any]) -> Any:
        """The record one row describes; ValidationError naming the column at fault."""
        given = {}
        for field, slot, derived in self.entries:
            if not derived:
                value = slot.value(row)
                if value is not ABSENT:
                    given[field] = value
        record = build(self.cls, given, self._names)
        for field, slot, derived in self.entries:
            if derived:
                _check_derived(record, field, slot, row)
        return record


def _first(slot: Slot, field: str) -> str:
    """The column errors about ``field`` name: its first one (its main part)."""
    return slot.columns[0].name if slot.columns else field


def _check_derived(record: Any, field: str, slot: Slot, row: Mapping[str, Any]) -> None:
    """A derived column, when the row has it, must say what the record works out."""
    worked_out = slot.columns_of([getattr(record, field)])
    for column, cells in zip(slot.columns, worked_out, strict=True):
        if column.name in row and row[column.name] != cells[0]:
            source = _DERIVED[field]
            raise ValidationError(
                f"is worked out from {source!r}, which gives {cells[0]!r}",
                entity=_label(type(record)),
                field=column.name,
                value=row[column.name],
                hint=f"edit {source!r} instead, or drop the {column.name!r} column",
            )


def _label(cls: type) -> str:
    return str(getattr(cls, "ENTITY", cls.__name__))


@functools.cache
def layout_for(cls: type, schema: Schema | None = None, untyped: tuple[str, ...] = ()) -> Layout:
    """The layout of ``cls``; ``schema`` types its custom properties, and without one the
    custom properties named in ``untyped`` are columns of values as they are."""
    if not attrs.has(cls):
        raise ValidationError(
            f"cannot frame a {cls.__name__}: not a custdb record",
            value=cls,
            hint="give entities (Contact, Order...) or their value objects",
        )
    hints = typing.get_type_hints(cls)
    fields = [field.name for field in attrs.fields(cls)]
    if issubclass(cls, Entity):
        own = [name for name in fields if name not in {"id", "custom", *_LAST}]
        fields = ["id", *own, "custom", *_LAST]
    derived = {_DERIVED[name]: name for name in _DERIVED if _is_property(cls, name)}
    entries: list[tuple[str, Slot, bool]] = []
    for name in fields:
        if name in derived:
            prop = inspect.getattr_static(cls, derived[name])
            hint = typing.get_type_hints(prop.fget)["return"]
            entries.append((derived[name], _slot(derived[name], hint), True))
        slot = _custom(schema, untyped) if name == "custom" else _slot(name, hints[name])
        entries.append((name, slot, False))
    return Layout(cls, tuple(entries))


def _is_property(cls: type, name: str) -> bool:
    return isinstance(inspect.getattr_static(cls, name, None), property)


def _slot(name: str, hint: Any) -> Slot:
    hint = _strip_optional(hint)
    if hint in _SCALARS:
        return Scalar(Column(name, _SCALARS[hint]))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        options = tuple(str(member.value) for member in hint)
        return Scalar(Column(name, Kind.CATEGORY, options), choice_value)
    if isinstance(hint, type) and attrs.has(hint):
        return _parts(name, hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (tuple, frozenset) and args:
        item = args[0]
        if isinstance(item, type) and item in _MAIN_PART:
            return _repeated(name, item)
        to_cell = sorted_list if origin is frozenset else list
        return Scalar(Column(name, Kind.LIST), to_cell, tuple, ())
    if origin is FrozenMap or hint is FrozenMap:
        return Scalar(Column(name, Kind.OBJECT), to_dict)
    return Scalar(Column(name, Kind.OBJECT))


def _parts(name: str, cls: type) -> Parts:
    hints = typing.get_type_hints(cls)
    main = _MAIN_PART.get(cls)
    children = []
    for field in attrs.fields(cls):
        if name in _BARE:
            column = field.name
        else:
            column = name if field.name == main else f"{name}_{field.name}"
        children.append((field.name, _slot(column, hints[field.name])))
    return Parts(cls, tuple(children))


def _repeated(name: str, cls: type) -> Repeated:
    main = _MAIN_PART[cls]
    singular = name.removesuffix("s")
    parts = tuple(
        (field.name, Column(f"{singular}_{field.name}s", Kind.LIST))
        for field in attrs.fields(cls)
        if field.name != main
    )
    return Repeated(cls, main, Column(name, Kind.LIST), parts)


_CUSTOM_HINTS: Mapping[str, Any] = {
    "string": str,
    "email": str,
    "phone": str,
    "url": str,
    "integer": int,
    "decimal": Decimal,
    "money": Money,
    "date": dt.date,
    "datetime": dt.datetime,
    "bool": bool,
}


def _custom(schema: Schema | None, untyped: tuple[str, ...]) -> Custom:
    if schema is None:
        children = tuple((name, _slot(name, Any)) for name in untyped)
        return Custom(children, None)
    slots: list[tuple[str, Slot]] = []
    for field in schema.fields:
        kind = str(field.type.value)
        if kind == "enum":
            column = Column(field.name, Kind.CATEGORY, tuple(sorted(field.options)))
            slots.append((field.name, Scalar(column)))
        elif kind == "multi_enum":
            slots.append((field.name, Scalar(Column(field.name, Kind.LIST), sorted_list, tuple)))
        else:
            slots.append((field.name, _slot(field.name, _CUSTOM_HINTS[kind])))
    return Custom(tuple(slots), schema)


def _strip_optional(hint: Any) -> Any:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint
