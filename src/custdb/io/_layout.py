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
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

import attrs

from custdb.errors import ValidationError
from custdb.model import Email, Entity, Money, Phone, PostalCode, Schema
from custdb.model.frozen import FrozenMap

__all__ = ["ABSENT", "Column", "Kind", "Layout", "layout_for"]


class Kind(enum.Enum):
    """What a column holds; the frame builder gives each kind its pandas dtype."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"
    DURATION = "duration"
    CATEGORY = "category"
    LIST = "list"
    OBJECT = "object"


@attrs.frozen
class Column:
    name: str
    kind: Kind
    categories: tuple[str, ...] = ()  # a CATEGORY column's options, in their order


ABSENT: Any = object()
"""A slot's value when the row has none of its columns: the field keeps its default."""

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


class Slot(Protocol):
    """One field's columns: how its values flatten, and how a row gives the value back."""

    @property
    def columns(self) -> tuple[Column, ...]: ...
    def columns_of(self, values: Sequence[Any]) -> list[list[Any]]: ...
    def value(self, row: Mapping[str, Any]) -> Any: ...


def _as_is(value: Any) -> Any:
    return value


def _choice_value(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _sorted_list(value: Any) -> list[Any]:
    return sorted(value, key=str)


def _to_dict(value: Any) -> Any:
    return dict(value) if isinstance(value, FrozenMap) else value


@attrs.frozen
class Scalar:
    """A field that is one column: ``to_cell`` makes the cell, ``from_cell`` reads it,
    and an empty cell gives ``empty`` (a list field's is ``()``)."""

    column: Column
    to_cell: Callable[[Any], Any] = _as_is
    from_cell: Callable[[Any], Any] = _as_is
    empty: Any = None

    @property
    def columns(self) -> tuple[Column, ...]:
        return (self.column,)

    def columns_of(self, values: Sequence[Any]) -> list[list[Any]]:
        to_cell = self.to_cell
        if to_cell is _as_is:
            return [list(values)]
        return [[None if value is None else to_cell(value) for value in values]]

    def value(self, row: Mapping[str, Any]) -> Any:
        if self.column.name not in row:
            return ABSENT
        cell = row[self.column.name]
        return self.empty if cell is None else self.from_cell(cell)


def _build(cls: type, fields: dict[str, Any], columns: Mapping[str, str]) -> Any:
    """``cls(**fields)``, a failing field named by its column."""
    try:
        return cls(**fields)
    except ValidationError as error:
        column = columns.get(error.field or "", error.field)
        raise ValidationError(
            error.reason, entity=error.entity, field=column, value=error.value, hint=error.hint
        ) from error


@attrs.frozen
class Parts:
    """A nested record (a value object, the roll-ups): one child slot per part."""

    cls: type
    children: tuple[tuple[str, Slot], ...]
    columns: tuple[Column, ...] = attrs.field(init=False)
    _names: Mapping[str, str] = attrs.field(init=False, repr=False)

    @columns.default
    def _columns(self) -> tuple[Column, ...]:
        return tuple(column for _, child in self.children for column in child.columns)

    @_names.default
    def _part_columns(self) -> Mapping[str, str]:
        return {part: child.columns[0].name for part, child in self.children}

    def columns_of(self, values: Sequence[Any]) -> list[list[Any]]:
        out: list[list[Any]] = []
        for part, child in self.children:
            parts = [None if value is None else getattr(value, part) for value in values]
            out += child.columns_of(parts)
        return out

    def value(self, row: Mapping[str, Any]) -> Any:
        given = {part: child.value(row) for part, child in self.children}
        given = {part: value for part, value in given.items() if value is not ABSENT}
        if not given:
            return ABSENT
        if all(value is None for value in given.values()):
            return None
        return _build(self.cls, given, self._names)


@attrs.frozen
class Repeated:
    """A tuple of value objects with a main part (e-mails, phones): a list column of the
    main parts and an aligned list column per other part."""

    cls: type
    main: str
    column: Column
    parts: tuple[tuple[str, Column], ...]

    @property
    def columns(self) -> tuple[Column, ...]:
        return (self.column, *(column for _, column in self.parts))

    def columns_of(self, values: Sequence[Any]) -> list[list[Any]]:
        names = (self.main, *(part for part, _ in self.parts))
        return [
            [[getattr(item, name) for item in value or ()] for value in values] for name in names
        ]

    def value(self, row: Mapping[str, Any]) -> Any:
        if self.column.name not in row:
            return ABSENT
        mains = tuple(row[self.column.name] or ())
        given = {part: row[c.name] or () for part, c in self.parts if c.name in row}
        for part, items in given.items():
            if len(items) != len(mains):
                raise ValidationError(
                    f"holds {len(items)} items for {len(mains)} in {self.column.name!r}",
                    field=f"{self.column.name.removesuffix('s')}_{part}s",
                    value=items,
                    hint="keep the lists aligned, one entry (or None) per item",
                )
        names = {self.main: self.column.name} | {part: c.name for part, c in self.parts}
        return tuple(
            _build(self.cls, {self.main: main, **{p: v[i] for p, v in given.items()}}, names)
            for i, main in enumerate(mains)
        )


@attrs.frozen
class Custom:
    """The custom properties: one child slot per property, checked by the schema."""

    children: tuple[tuple[str, Slot], ...]
    schema: Schema | None
    columns: tuple[Column, ...] = attrs.field(init=False)

    @columns.default
    def _columns(self) -> tuple[Column, ...]:
        return tuple(column for _, child in self.children for column in child.columns)

    def columns_of(self, values: Sequence[Any]) -> list[list[Any]]:
        out: list[list[Any]] = []
        for name, child in self.children:
            out += child.columns_of([value.get(name) for value in values])
        return out

    def value(self, row: Mapping[str, Any]) -> Any:
        given = {name: child.value(row) for name, child in self.children}
        if all(value is ABSENT for value in given.values()):
            return ABSENT
        kept = {name: value for name, value in given.items() if value not in (None, ABSENT)}
        return kept if self.schema is None else self.schema.validate(kept)


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
        record = _build(self.cls, given, self._names)
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
        return Scalar(Column(name, Kind.CATEGORY, options), _choice_value)
    if isinstance(hint, type) and attrs.has(hint):
        return _parts(name, hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (tuple, frozenset) and args:
        item = args[0]
        if isinstance(item, type) and item in _MAIN_PART:
            return _repeated(name, item)
        to_cell = _sorted_list if origin is frozenset else list
        return Scalar(Column(name, Kind.LIST), to_cell, tuple, ())
    if origin is FrozenMap or hint is FrozenMap:
        return Scalar(Column(name, Kind.OBJECT), _to_dict)
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
            slots.append((field.name, Scalar(Column(field.name, Kind.LIST), _sorted_list, tuple)))
        else:
            slots.append((field.name, _slot(field.name, _CUSTOM_HINTS[kind])))
    return Custom(tuple(slots), schema)


def _strip_optional(hint: Any) -> Any:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint
