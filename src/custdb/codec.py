"""Entities to JSON-ready dicts and back, for the change log, storage rows and export.

Serialization is kept off the entity classes (ATTRS): a plan per class is read once from
its type hints, then applied without further introspection, so turning 100k rows into
entities stays cheap. Custom properties are typed by their ``Schema`` when one is given;
without it they come back as the JSON scalars they were stored as.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from custdb.model.frozen import FrozenMap, to_frozen_map
from custdb.model.schema import Schema, custom_from_json, custom_to_json

__all__ = ["decode", "encode", "encode_value"]

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


def encode(entity: Any) -> dict[str, Any]:
    """``entity`` (any attrs instance) as a dict of JSON values, one key per field."""
    return {name: enc(getattr(entity, name)) for name, enc, _ in _plan(type(entity))}


def decode(cls: type[Any], data: Mapping[str, Any], schema: Schema | None = None) -> Any:
    """The ``cls`` instance that ``encode`` wrote as ``data``; missing keys take defaults."""
    values = {name: dec(data[name]) for name, _, dec in _plan(cls) if name in data}
    if "custom" in values or "custom" in data:
        values["custom"] = custom_from_json(schema, data.get("custom") or {})
    return cls(**values)


def encode_value(value: Any) -> Any:
    """One value in its JSON form, whatever its type (for the change log's diffs)."""
    if attrs.has(type(value)):
        return encode(value)
    return _encoder_for_value(value)(value)


_Plan = tuple[tuple[str, Encoder, Decoder], ...]
_PLANS: dict[type[Any], _Plan] = {}


def _plan(cls: type[Any]) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        hints = typing.get_type_hints(cls)
        plan = tuple((f.name, *_codec_for(hints[f.name])) for f in attrs.fields(cls) if f.init)
        _PLANS[cls] = plan
    return plan


def _codec_for(hint: Any) -> tuple[Encoder, Decoder]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in args if arg is not type(None)]
        enc, dec = _codec_for(inner[0]) if len(inner) == 1 else (_any, _any)
        return _optional(enc), _optional(dec)
    if origin in (tuple, frozenset):
        enc, dec = _codec_for(args[0]) if args else (_any, _any)
        if origin is tuple:
            return (lambda v: [enc(x) for x in v]), (lambda v: tuple(dec(x) for x in v))
        return (lambda v: sorted(enc(x) for x in v)), (lambda v: frozenset(dec(x) for x in v))
    if origin is FrozenMap or hint is FrozenMap:
        return custom_to_json, to_frozen_map
    if isinstance(hint, type):
        return _codec_for_type(hint)
    return _any, _any


def _codec_for_type(cls: type[Any]) -> tuple[Encoder, Decoder]:
    if attrs.has(cls):
        return encode, functools.partial(decode, cls)
    if issubclass(cls, enum.Enum):
        return (lambda v: v.value), cls
    if cls is Decimal:
        return str, Decimal
    if cls is dt.datetime:
        return _encode_datetime, dt.datetime.fromisoformat
    if cls is dt.date:
        return dt.date.isoformat, dt.date.fromisoformat
    if cls is dt.timedelta:
        return (lambda v: v.total_seconds()), (lambda v: dt.timedelta(seconds=v))
    return _any, _any


def _encoder_for_value(value: Any) -> Encoder:
    if isinstance(value, tuple | list):
        return lambda v: [encode_value(x) for x in v]
    if isinstance(value, frozenset | set):
        return lambda v: sorted(encode_value(x) for x in v)
    if isinstance(value, FrozenMap):
        return custom_to_json
    if value is None:
        return _any
    return _codec_for_type(type(value))[0]


def _encode_datetime(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).isoformat()


def _optional(inner: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda v: None if v is None else inner(v)


def _any(value: Any) -> Any:
    return value
