"""What a transaction will append to the change log: its entries before the log numbers
them, and the shape of a record in them (``logged``, a put's ``diff``). The unit of work
collects them; a backend writes them in the same database transaction as the rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

__all__ = ["Pending", "PendingAdds", "PendingChange", "diff", "logged"]

_BOOKKEEPING = frozenset({"version", "created_at", "updated_at", "stats"})


class PendingChange(NamedTuple):
    """A change record before the log gives it a sequence number. ``after`` may be the
    JSON text of the dict, made by a backend that writes JSON (the SQL row writer's, for
    an add); such a backend writes it as is. A named tuple: one is made per write."""

    entity: str
    id: str
    op: str
    before: dict[str, Any]
    after: dict[str, Any] | str
    actor: str | None
    at: dt.datetime
    cause: str | None


class PendingAdds(NamedTuple):
    """The change records of one batch of adds, kept as one entry until the backend
    writes them: a bulk load makes no object per record for its log."""

    entity: str
    ids: Sequence[str]
    afters: Sequence[dict[str, Any] | str]  # as ``PendingChange.after``, in ``ids`` order
    actor: str | None
    at: dt.datetime
    cause: str | None

    def each(self) -> Iterator[PendingChange]:
        for id_, after in zip(self.ids, self.afters, strict=True):
            yield PendingChange(self.entity, id_, "add", {}, after, self.actor, self.at, self.cause)


Pending = PendingChange | PendingAdds


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [k for k in after if k not in _BOOKKEEPING and before.get(k) != after[k]]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def logged(encoded: dict[str, Any]) -> dict[str, Any]:
    """What the change log keeps of a whole record (an add's ``after``, a removal's
    ``before``): every field but the roll-ups, without None and empty lists or dicts.
    A SQL store's ``doc`` column holds its text, read back with the left-out fields at
    their defaults."""
    return {
        k: v
        for k, v in encoded.items()
        if v is not None and k != "stats" and (v or not isinstance(v, list | dict))
    }
