"""Reading the change log: the filters of ``store.changes()`` and ``store.history()``,
checked once here so every store refuses a bad one alike, and the one key order every
store hands ``before``/``after`` back in.

A SQL store turns a ``ChangeFilter`` into a WHERE clause (``entity`` and ``record_id``
are served by the log's ``(entity, record_id)`` index); MemoryStore tests each change
with :meth:`ChangeFilter.matches`, over its own per-record index when a record is named.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from custdb.errors import ValidationError
from custdb.storage._lifecycle import Lifecycle
from custdb.storage._unit import check_changes_arguments
from custdb.storage.base import ENTITIES, EVENTS, Change

__all__ = [
    "ChangeFilter",
    "ChangeLogVerbs",
    "entity_label",
    "history_filter",
    "in_key_order",
]

_LABELS: dict[str, str] = {cls.ENTITY: cls.ENTITY for cls in ENTITIES.values()}  # type: ignore[attr-defined]
_LABELS.update((name, cls.ENTITY) for name, cls in ENTITIES.items())  # type: ignore[attr-defined]
_LABELS.update((name, name) for name in (*EVENTS, "setting"))


@attrs.frozen(kw_only=True)
class ChangeFilter:
    """Which changes to return: all the given conditions hold (``None``: any).
    ``start <= at < end``, so consecutive ranges never return a change twice."""

    entity: str | None = None
    record_id: str | None = None
    actor: str | None = None
    cause: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None

    @classmethod
    def of(
        cls,
        *,
        entity: Any = None,
        record_id: Any = None,
        actor: Any = None,
        cause: Any = None,
        start: Any = None,
        end: Any = None,
    ) -> ChangeFilter:
        """The filter of ``store.changes()``'s keywords, or ``ValidationError`` naming
        the one at fault."""
        for name, value in (("record_id", record_id), ("actor", actor), ("cause", cause)):
            if value is not None and not isinstance(value, str):
                raise _bad(name, value, "must be text", f"give e.g. {name}='...'")
        return cls(
            entity=None if entity is None else entity_label(entity),
            record_id=record_id,
            actor=actor,
            cause=cause,
            start=_moment("start", start),
            end=_moment("end", end),
        )

    @property
    def is_empty(self) -> bool:
        return self == _EVERYTHING

    def matches(self, change: Change) -> bool:
        return (
            (self.entity is None or change.entity == self.entity)
            and (self.record_id is None or change.id == self.record_id)
            and (self.actor is None or change.actor == self.actor)
            and (self.cause is None or change.cause == self.cause)
            and (self.start is None or change.at >= self.start)
            and (self.end is None or change.at < self.end)
        )


_EVERYTHING = ChangeFilter()


class ChangeLogVerbs:
    """``changes`` and ``history``, written once for every store: each store provides
    ``_read_log``, one read of its log narrowed by a :class:`ChangeFilter`."""

    _lifecycle: Lifecycle

    def changes(
        self,
        since: int = 0,
        *,
        limit: int | None = None,
        entity: str | type | None = None,
        record_id: str | None = None,
        actor: str | None = None,
        cause: str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
    ) -> list[Change]:
        self._lifecycle.check_open()
        check_changes_arguments(since, limit)
        wanted = ChangeFilter.of(
            entity=entity, record_id=record_id, actor=actor, cause=cause, start=start, end=end
        )
        return self._read_log(since, limit, wanted)

    def history(self, record_or_entity: Any, id: str | None = None) -> list[Change]:  # noqa: A002
        self._lifecycle.check_open()
        return self._read_log(0, None, history_filter(record_or_entity, id))

    def _read_log(self, since: int, limit: int | None, wanted: ChangeFilter) -> list[Change]:
        raise NotImplementedError  # every store reads its own log


def entity_label(entity: Any) -> str:
    """The log's name of an entity, from that name (``"contact"``), the repository's
    (``"contacts"``) or the class (``Contact``)."""
    label = getattr(entity, "ENTITY", None) if isinstance(entity, type) else None
    if label is None and isinstance(entity, str):
        label = _LABELS.get(entity)
    if label is None or label not in _LABELS:
        raise _bad(
            "entity",
            entity,
            "is not an entity the change log knows",
            f"give one of {', '.join(sorted(set(_LABELS.values())))} (or its class)",
        )
    return str(label)


def history_filter(record_or_entity: Any, id: Any = None) -> ChangeFilter:  # noqa: A002
    """``store.history()``'s arguments: a stored record, or an entity and an id."""
    if isinstance(getattr(record_or_entity, "ENTITY", None), str) and not isinstance(
        record_or_entity, type
    ):
        if id is not None and id != record_or_entity.id:
            raise _bad("id", id, "differs from the record's own id", "give the record alone")
        return ChangeFilter.of(entity=record_or_entity.ENTITY, record_id=record_or_entity.id)
    if id is None:
        raise _bad(
            "id",
            None,
            "is needed with an entity name",
            "give a record, e.g. history(contact), or history('contact', contact_id)",
        )
    return ChangeFilter.of(entity=record_or_entity, record_id=id)


def in_key_order(value: Any) -> Any:
    """``value`` with the keys of every mapping in it sorted: the order ``before`` and
    ``after`` come in on every store (PostgreSQL's JSONB keeps no order of its own)."""
    if isinstance(value, dict):
        return {key: in_key_order(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [in_key_order(item) for item in value]
    return value


def _moment(name: str, value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise _bad(
            name,
            value,
            "must be a timezone-aware datetime",
            f"give e.g. {name}=datetime(2026, 1, 1, tzinfo=timezone.utc)",
        )
    try:
        return value.astimezone(dt.timezone.utc)
    except OverflowError:  # within a day of year 1 or 9999
        raise _bad(
            name, value, "is out of the range of dates", "give a date in years 2-9998"
        ) from None


def _bad(field: str, value: Any, reason: str, hint: str) -> ValidationError:
    return ValidationError(reason, entity="change", field=field, value=value, hint=hint)
