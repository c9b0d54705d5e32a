"""Undo an import: every record it created removed, every record it changed restored.

The change log says what an import did: each of its writes carries the batch id as
its ``cause``, with the fields it changed before and after. Reverting reads those
writes newest first and undoes each in one transaction (its cause ``revert:<batch>``),
so a revert is all or nothing like the import. It refuses, naming the record, when a
later write touched a record of the batch: undoing the import would silently undo
that write too. A reverted batch gets an ``import`` event saying so, and a second
revert is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from custdb import codec
from custdb.errors import ConflictError, NotFoundError
from custdb.storage.base import ENTITIES, Change

__all__ = ["RevertReport", "revert_import"]

_PAGE = 10_000  # change-log entries read at a time
_REPOSITORY = {cls.ENTITY: name for name, cls in ENTITIES.items()}  # type: ignore[attr-defined]


@attrs.frozen
class RevertReport:
    """What a revert undid."""

    batch_id: str
    removed: int  # records the import had created
    restored: int  # records it had changed, back as they were


def revert_import(store: Any, batch_id: str, *, actor: str | None = None) -> RevertReport:
    """Undo import ``batch_id`` (``ImportReport.batch_id``); raise ``NotFoundError`` for
    an unknown batch and ``ConflictError`` naming the record a later write touched."""
    events = store.history("import", batch_id)
    if not events:
        raise NotFoundError(
            "is no import batch of this base",
            entity="import",
            id=batch_id,
            hint="give the batch_id an import reported; store.changes(entity='import') lists them",
        )
    if any(event.after.get("reverted") for event in events):
        raise ConflictError(
            f"was reverted already, at {events[-1].at.isoformat()}",
            entity="import",
            id=batch_id,
            hint="nothing to do: its records are as they were before it",
        )
    writes = [c for c in _changes(store, cause=batch_id) if c.op != "event"]
    _refuse_later_writes(store, batch_id, writes, after=events[0].seq)
    removed = restored = 0
    with store.begin(actor=actor, cause=f"revert:{batch_id}") as tx:
        for change in reversed(writes):
            repo = getattr(tx, _REPOSITORY[change.entity])
            if change.op == "add":
                repo.remove(change.id)
                removed += change.entity in {"contact", "company"}
            else:
                repo.put(_restored(repo.get(change.id), change, store))
                restored += 1
        tx.log_event(
            "import", batch_id, {"reverted": True, "removed": removed, "restored": restored}
        )
    return RevertReport(batch_id, removed, restored)


def _changes(store: Any, **wanted: Any) -> Iterator[Change]:
    since = 0
    while page := store.changes(since, limit=_PAGE, **wanted):
        yield from page
        since = page[-1].seq


def _refuse_later_writes(store: Any, batch_id: str, writes: list[Change], *, after: int) -> None:
    """Any write after the batch to one of its records stops the revert."""
    ours = {(c.entity, c.id) for c in writes}
    for change in _changes_after(store, after):
        if change.cause != batch_id and (change.entity, change.id) in ours:
            raise ConflictError(
                f"was changed after the import (change {change.seq}, "
                f"{change.at.isoformat()}, by {change.actor or 'an unnamed actor'}): "
                "reverting would undo that change too, so nothing was reverted",
                entity=change.entity,
                id=change.id,
                hint="undo that change first, or fix the import's records by hand",
            )


def _changes_after(store: Any, seq: int) -> Iterator[Change]:
    since = seq
    while page := store.changes(since, limit=_PAGE):
        yield from page
        since = page[-1].seq


def _restored(current: Any, change: Change, store: Any) -> Any:
    """``current`` with the fields ``change`` wrote set back to their ``before``."""
    data = codec.encode(current)
    data.update(change.before)
    schema = store.schemas.get(change.entity)
    return attrs.evolve(codec.decode(type(current), data, schema), version=current.version)
