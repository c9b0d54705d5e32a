"""What a store sets on a record as it writes it: the version, the timestamps, empty
roll-ups for a new client, custom values checked by the schema, and datetimes in UTC.

``stamped`` sets them on a copy without running any converter or validator.
``attrs.evolve`` would run every field's again (~8 µs a contact), to re-check values the
user's record passed when it was constructed; the stamps themselves are the store's own
and valid by construction (the unit of work refuses a clock without a time zone once
per transaction, custom values come typed from their schema). The tests prove the
result equals ``attrs.evolve``'s for every entity kind.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from custdb.model._slots import setter
from custdb.model.frozen import FrozenMap
from custdb.model.schema import Schema

__all__ = ["empty_stats", "fresh", "stamped"]

T = TypeVar("T")


def stamped(entity: T, stamps: dict[str, Any], schema: Schema | None) -> T:
    """``entity`` as it is stored: ``stamps`` (valid values the store made) set, custom
    values checked by ``schema``, datetimes moved to UTC (as every database hands them
    back, so all stores agree on ``.hour`` and ``isoformat()`` as well as the instant)."""
    if schema is not None:
        stamps["custom"] = schema.validate(entity.custom)  # type: ignore[attr-defined]
    for name in _datetime_fields(type(entity)):
        if name not in stamps:
            value = getattr(entity, name)
            if value is not None and value.tzinfo is not dt.timezone.utc:
                stamps[name] = value.astimezone(dt.timezone.utc)
    made: T = _copier(type(entity))(entity)
    for name, value in stamps.items():
        object.__setattr__(made, name, value)
    return made


def fresh(entity: T, custom: FrozenMap[str, Any], now: dt.datetime) -> T:
    """``entity`` as a store adds it at ``now``: version 1, both timestamps ``now``, its
    ``custom`` values as the schema checked them, and roll-ups from none."""
    stamps = {"version": 1, "created_at": now, "updated_at": now, "custom": custom}
    stats = empty_stats(type(entity))
    if stats is not None:
        stamps["stats"] = stats
    return stamped(entity, stamps, None)


def empty_stats(cls: type) -> Any | None:
    """The roll-ups a new client of ``cls`` starts from (none, whatever it carried);
    None for a class without roll-ups."""
    if cls not in _EMPTY_STATS:
        stats = attrs.fields_dict(cls).get("stats")
        default: Any = None if stats is None else stats.default
        _EMPTY_STATS[cls] = default.factory() if isinstance(default, attrs.Factory) else default  # type: ignore[arg-type]
    return _EMPTY_STATS[cls]


_EMPTY_STATS: dict[type, Any] = {}  # by client class: frozen, so one serves all


_COPIERS: dict[type, Callable[[Any], Any]] = {}


def _copier(cls: type) -> Callable[[Any], Any]:
    """``def copy(e): o = new(cls); set0(o, e.id); ...; return o``, once per class."""
    found = _COPIERS.get(cls)
    if found is None:
        namespace: dict[str, Any] = {"cls": cls, "new": object.__new__}
        lines = ["def copy(e):", "    o = new(cls)"]
        for i, field in enumerate(attrs.fields(cls)):
            namespace[f"set{i}"] = setter(cls, field.name)
            lines.append(f"    set{i}(o, e.{field.name})")
        exec("\n".join([*lines, "    return o"]), namespace)  # noqa: S102 - attrs names only
        found = _COPIERS[cls] = namespace["copy"]
    return found


_DATETIME_FIELDS: dict[type, tuple[str, ...]] = {}


def _datetime_fields(cls: type) -> tuple[str, ...]:
    """Fields holding datetimes, read once per class from its type hints."""
    if cls not in _DATETIME_FIELDS:
        hints = typing.get_type_hints(cls)
        _DATETIME_FIELDS[cls] = tuple(
            f.name
            for f in attrs.fields(cls)
            if dt.datetime in (hints[f.name], *typing.get_args(hints[f.name]))
        )
    return _DATETIME_FIELDS[cls]
