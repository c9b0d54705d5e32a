"""The pieces a layout is made of: one slot per field, flattening its values into
columns and reading a row's cells back into the field's value.

``Scalar`` is one column; ``Parts`` a nested record (a value object, the roll-ups) as a
column per part; ``Repeated`` a tuple of value objects (e-mails, phones) as aligned list
columns; ``Custom`` the custom properties, checked by their schema on the way back.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import attrs

from custdb.errors import ValidationError
from custdb.model import Schema
from custdb.model.frozen import FrozenMap

__all__ = [
    "ABSENT",
    "Column",
    "Custom",
    "Kind",
    "Parts",
    "Repeated",
    "Scalar",
    "Slot",
    "build",
    "choice_value",
    "sorted_list",
    "to_dict",
]


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


class Slot(Protocol):
    """One field's columns: how its values flatten, and how a row gives the value back."""

    @property
    def columns(self) -> tuple[Column, ...]: ...
    def columns_of(self, values: Sequence[Any]) -> list[list[Any]]: ...
    def value(self, row: Mapping[str, Any]) -> Any: ...


def _as_is(value: Any) -> Any:
    return value


def choice_value(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def sorted_list(value: Any) -> list[Any]:
    return sorted(value, key=str)


def to_dict(value: Any) -> Any:
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


def build(cls: type, fields: dict[str, Any], columns: Mapping[str, str]) -> Any:
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
        return build(self.cls, given, self._names)


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
        for part, column in self.parts:
            items = given.get(part, mains)
            if len(items) != len(mains):
                raise ValidationError(
                    f"holds {len(items)} items for {len(mains)} in {self.column.name!r}",
                    field=column.name,
                    value=items,
                    hint="keep the lists aligned, one entry (or None) per item",
                )
        names = {self.main: self.column.name} | {part: c.name for part, c in self.parts}
        return tuple(
            build(self.cls, {self.main: main, **{p: v[i] for p, v in given.items()}}, names)
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
        kept = {n: value for n, value in given.items() if value is not None and value is not ABSENT}
        return kept if self.schema is None else self.schema.validate(kept)
