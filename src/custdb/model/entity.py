"""What every stored record has: an id, a version, external ids, custom properties.

Entities are ``@attrs.frozen(kw_only=True)`` subclasses of :class:`Entity`; a change is
``attrs.evolve(record, field=value)``, which makes a new record and runs the converters
and validators again.

Identity and equality. The same customer is the same ``id``; ``==`` compares the whole
state (attrs compares every field), so a record and its edited copy are *not* equal
though they are the same entity. Entities are hashable, and the hash follows ``==``:
every field type is immutable (tuples, frozensets, :class:`FrozenMap`, value objects),
so records can go in sets and be dict keys as snapshots. To group by identity, key on
``record.id``.

Display. ``repr`` is one short line: the kind, the id and the few fields that say which
record it is (a contact's name, e-mail and phone; a deal's name, stage and amount), as
each class lists them in ``SUMMARY``. In Jupyter, ``_repr_html_`` shows every field that
is set as a small table, HTML-escaped.
"""

from __future__ import annotations

import enum
import html
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from custdb.model._checks import (
    check_aware,
    check_count,
    check_custom,
    check_external_ids,
    check_key,
)
from custdb.model.frozen import EMPTY_MAP, FrozenMap, to_frozen_map
from custdb.model.ids import new_id

__all__ = ["Entity"]


@attrs.frozen(kw_only=True, repr=False)
class Entity:
    """The fields every entity shares; the store owns ``version`` and the timestamps.

    ``version`` goes up by one on every write, and a write whose version is not the
    stored one fails (optimistic concurrency). ``external_ids`` maps a source system to
    that system's id (``{"1c": "000123"}``) so re-imports and syncs find the record.
    ``custom`` holds the custom properties a :class:`~custdb.model.Schema` declares.
    """

    ENTITY: ClassVar[str] = "entity"
    SUMMARY: ClassVar[tuple[str, ...]] = ()
    """The attributes (fields or properties) ``repr`` shows after the id."""

    id: str = attrs.field(factory=new_id, validator=check_key)
    version: int = attrs.field(default=0, validator=check_count)
    # One shared empty map, not a new one per record: they are frozen, and a record
    # built without external ids or custom values then allocates nothing for them.
    external_ids: FrozenMap[str, str] = attrs.field(
        default=EMPTY_MAP, converter=to_frozen_map, validator=check_external_ids
    )
    custom: FrozenMap[str, Any] = attrs.field(
        default=EMPTY_MAP, converter=to_frozen_map, validator=check_custom
    )
    created_at: datetime | None = attrs.field(default=None, validator=check_aware)
    updated_at: datetime | None = attrs.field(default=None, validator=check_aware)

    def __repr__(self) -> str:
        shown = [f"id={_short(self.id)}"]
        for name in self.SUMMARY:
            value = getattr(self, name)
            if not _empty(value):
                shown.append(f"{name}={_short(value)}")
        return f"<{type(self).__name__} {' '.join(shown)}>"

    def _repr_html_(self) -> str:
        """The fields that are set, as a two-column HTML table (Jupyter shows it)."""
        rows = "".join(
            f"<tr><th>{html.escape(name)}</th><td>{html.escape(_cell(value))}</td></tr>"
            for name, value in _set_fields(self)
        )
        title = html.escape(f"{type(self).__name__} {self.id}")
        return f"<table><caption>{title}</caption>{rows}</table>"


_MAX_SHOWN = 40


def _short(value: object) -> str:
    """A value for a one-line repr: numbers and moments as they are, the rest quoted
    (``'Olga Petrova'``, ``'10.00 EUR'``, ``'olga@example.com'``), long text cut."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, (int, Decimal)):
        return str(value)
    text = value.isoformat() if isinstance(value, (date, datetime)) else repr(str(value))
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 4] + "...'"


def _set_fields(record: Entity) -> list[tuple[str, Any]]:
    """``(name, value)`` of each field holding something (not None, not empty)."""
    values = ((field.name, getattr(record, field.name)) for field in attrs.fields(type(record)))
    return [(name, value) for name, value in values if not _empty(value)]


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, (str, tuple, frozenset, Mapping)) and not value)


def _cell(value: object) -> str:
    """A table cell: value objects and collections readable, long text cut."""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, Mapping):
        return ", ".join(f"{key}: {_cell(item)}" for key, item in value.items())
    if isinstance(value, (tuple, frozenset)):
        items = sorted(map(_cell, value)) if isinstance(value, frozenset) else map(_cell, value)
        return ", ".join(items)
    if attrs.has(type(value)) and type(value).__str__ is object.__str__:  # ClientStats...
        fields = ((f.name, getattr(value, f.name)) for f in attrs.fields(type(value)))  # type: ignore[arg-type]
        text = ", ".join(f"{name}: {_cell(item)}" for name, item in fields if not _empty(item))
    else:
        text = str(value)
    return text if len(text) <= 200 else text[:197] + "..."
