"""Which fields a query may name on an entity, and of which kind.

The catalog is read off the attrs classes themselves (core fields), their ``stats``
roll-ups, the derived ``email``/``phone``/``contact_ids``/``total`` properties, the parts
of each address (``address.city``), and the custom-property ``Schema``; nothing is
listed twice, so a field added to the model is filterable at once. Fields whose type
has no filter meaning as a whole (an address, line items) are left out, and
:func:`why_unfilterable` says what to filter on instead.
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

__all__ = ["FieldInfo", "FieldKind", "Source", "aliases_for", "fields_for", "why_unfilterable"]


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
    PART = "part"  # a part of an address, ``address.city``: read as text, None if no address


@attrs.frozen
class FieldInfo:
    name: str
    kind: FieldKind
    source: Source
    options: frozenset[str] = frozenset()  # the allowed values of an ENUM field
    yearly: bool = False  # a date whose anniversary matters (birthday)

    @property
    def column(self) -> str:
        """The name of the field's column in a SQL store (``address.city``: ``address_city``)."""
        return self.name.replace(".", "_")

    def value_of(self, record: Any) -> Any:
        """The field's value on ``record``, ``None`` when empty."""
        if self.source is Source.STATS:
            return getattr(record.stats, self.name)
        if self.source is Source.CUSTOM:
            return record.custom.get(self.name)
        if self.source is Source.PART:
            holder, part = self.name.split(".")
            value = getattr(getattr(record, holder), part, None)
            return None if value is None else str(value)  # a PostalCode reads as its text
        return getattr(record, self.name)


_DERIVED: Mapping[str, FieldKind] = {
    "email": FieldKind.TEXT,
    "phone": FieldKind.TEXT,
    "contact_ids": FieldKind.SET,
    "total": FieldKind.MONEY,
}
_ADDRESS_PARTS = ("street", "city", "region", "postal_code", "country")
_MAIN_ADDRESS = ("address", "actual_address")  # what ``city`` and ``address.city`` mean
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
    for holder in _addresses(entity):
        for part in _ADDRESS_PARTS:
            name = f"{holder}.{part}"
            catalog[name] = FieldInfo(name, FieldKind.TEXT, Source.PART)
    return types.MappingProxyType(catalog)


def _addresses(entity: type) -> list[str]:
    """The entity's fields that hold an ``Address``."""
    hints = typing.get_type_hints(entity)
    return [
        field.name
        for field in attrs.fields(entity)
        if getattr(_strip_optional(hints[field.name]), "__name__", None) == "Address"
    ]


@functools.cache
def aliases_for(entity: type) -> Mapping[str, str]:
    """Short names for the main address's parts: ``city`` and ``address.city`` on a
    contact (``address.city``) and on a company (its actual address, where it works)."""
    catalog, aliases = _core_fields(entity), {}
    main = next((name for name in _MAIN_ADDRESS if name in _addresses(entity)), None)
    if main is not None:
        for part in _ADDRESS_PARTS:
            for alias in (part, f"address.{part}"):
                if alias not in catalog:
                    aliases[alias] = f"{main}.{part}"
    return types.MappingProxyType(aliases)


_WHY: Mapping[str, str] = {
    "emails": "holds every e-mail address; filter on email, the main one",
    "phones": "holds every phone number; filter on phone, the main one",
    "items": "holds the order's line items; filter on total, their sum",
    "line_items": "holds the deal's line items; filter on amount",
    "contacts": "holds the deal's people; filter on contact_ids",
    "custom": "holds the custom properties; filter on each by its name, declared in a Schema",
    "external_ids": "holds other systems' ids; look a record up with by_external_id(system, id)",
    "stats": "holds the roll-ups; filter on each by its name, e.g. total_spent",
}


def why_unfilterable(entity: type, name: str) -> str | None:
    """Why ``name``, a field or property of ``entity``, cannot be filtered on, and what
    to filter on instead; ``None`` when ``entity`` has no such attribute."""
    if name in _addresses(entity):
        parts = ", ".join(f"{name}.{part}" for part in _ADDRESS_PARTS)
        return f"is an address, which compares by its parts: filter on {parts}"
    fields = attrs.fields_dict(entity)
    if name in _WHY and name in fields:
        return _WHY[name]
    if name in fields or isinstance(getattr(entity, name, None), property):
        return "holds a value that has no order or equality to filter on"
    return None


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
