"""Which fields a query may name on an entity, and of which kind.

The catalog is read off the attrs classes themselves (core fields), their ``stats``
roll-ups, the derived ``email``/``phone``/``contact_ids`` properties, and the custom-property
``Schema``; nothing is listed twice, so a field added to the model is filterable at
once. Fields whose type has no filter meaning (addresses, line items) are left out.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

__all__ = ["FieldInfo", "FieldKind", "Source", "fields_for"]


class FieldKind(str, enum.Enum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    MONEY = "money"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"
    ENUM = "enum"
    SET = "set"


class Source(str, enum.Enum):
    """Where a field's value lives on a record."""

    CORE = "core"  # an attribute of the entity
    STATS = "stats"  # an attribute of ``record.stats``, kept by the store on write
    DERIVED = "derived"  # a read-only property (``Contact.email``: the first address)
    CUSTOM = "custom"  # ``record.custom[name]``, declared in a Schema


@attrs.frozen
class FieldInfo:
    name: str
    kind: FieldKind
    source: Source
    options: frozenset[str] = frozenset()  # the allowed values of an ENUM field
    yearly: bool = False  # a date whose anniversary matters (birthday)

    def value_of(self, record: Any) -> Any:
        """The field's value on ``record``, ``None`` when empty."""
        if self.source is Source.STATS:
            return getattr(record.stats, self.name)
        if self.source is Source.CUSTOM:
            return record.custom.get(self.name)
        return getattr(record, self.name)


_DERIVED: Mapping[str, FieldKind] = {
    "email": FieldKind.TEXT,
    "phone": FieldKind.TEXT,
    "contact_ids": FieldKind.SET,
}
_YEARLY = frozenset({"birthday"})
_SCALARS: Mapping[Any, FieldKind] = {
    str: FieldKind.TEXT,
    int: FieldKind.INTEGER,
    Decimal: FieldKind.DECIMAL,
    dt.date: FieldKind.DATE,
    dt.datetime: FieldKind.DATETIME,
    bool: FieldKind.BOOL,
}
_CUSTOM_KINDS = {
    "string": FieldKind.TEXT,
    "email": FieldKind.TEXT,
    "phone": FieldKind.TEXT,
    "url": FieldKind.TEXT,
    "integer": FieldKind.INTEGER,
    "decimal": FieldKind.DECIMAL,
    "money": FieldKind.MONEY,
    "date": FieldKind.DATE,
    "datetime": FieldKind.DATETIME,
    "bool": FieldKind.BOOL,
    "enum": FieldKind.ENUM,
    "multi_enum": FieldKind.SET,
}


def fields_for(entity: type, schema: Any = None) -> Mapping[str, FieldInfo]:
    """Every filterable field of ``entity``, plus the custom ones ``schema`` declares."""
    catalog = dict(_core_fields(entity))
    if schema is not None:
        for field_def in schema.fields:
            kind = _CUSTOM_KINDS[_enum_value(field_def.type)]
            options = frozenset(str(option) for option in field_def.options)
            catalog[field_def.name] = FieldInfo(field_def.name, kind, Source.CUSTOM, options)
    return types.MappingProxyType(catalog)


@functools.cache
def _core_fields(entity: type) -> Mapping[str, FieldInfo]:
    catalog: dict[str, FieldInfo] = {}
    hints = typing.get_type_hints(entity)
    for field in attrs.fields(entity):
        info = _info(field.name, hints[field.name], Source.CORE)
        if info is not None:
            catalog[field.name] = info
    if "stats" in hints and attrs.has(hints["stats"]):
        stats_hints = typing.get_type_hints(hints["stats"])
        for field in attrs.fields(hints["stats"]):
            info = _info(field.name, stats_hints[field.name], Source.STATS)
            if info is not None:
                catalog[field.name] = info
    for name, kind in _DERIVED.items():
        if isinstance(getattr(entity, name, None), property):
            catalog[name] = FieldInfo(name, kind, Source.DERIVED)
    return types.MappingProxyType(catalog)


def _info(name: str, hint: Any, source: Source) -> FieldInfo | None:
    hint = _strip_optional(hint)
    yearly = name in _YEARLY
    if hint in _SCALARS:
        return FieldInfo(name, _SCALARS[hint], source, yearly=yearly and hint is dt.date)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return FieldInfo(name, FieldKind.ENUM, source, frozenset(str(m.value) for m in hint))
    if getattr(hint, "__name__", None) == "Money":
        return FieldInfo(name, FieldKind.MONEY, source)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (frozenset, tuple) and args and args[0] is str:
        return FieldInfo(name, FieldKind.SET, source)
    return None


def _strip_optional(hint: Any) -> Any:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


def _enum_value(value: Any) -> str:
    return str(value.value if isinstance(value, enum.Enum) else value)
