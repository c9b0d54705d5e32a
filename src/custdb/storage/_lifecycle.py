"""What every store does around its transactions, written once: it refuses work after
``close()``, refuses a second ``begin()`` inside the first in one thread, and describes
itself in one line.

Nesting is refused on every store alike because each store would fail it differently:
SQLite's inner transaction would wait for the outer one's write lock, PostgreSQL's for
a row lock the outer one holds (for ever), and memory's would lose to the outer one at
commit. No SQLAlchemy here: ``MemoryStore`` uses it too.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any

from custdb.errors import StoreError, ValidationError

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self is 3.11+; annotations only

__all__ = [
    "COUNT_CAP",
    "LOCK_TIMEOUT",
    "Closable",
    "Lifecycle",
    "check_lock_timeout",
    "closed_error",
    "describe",
    "nested_error",
]

LOCK_TIMEOUT = 30.0
"""Seconds a SQL store's transaction waits for a lock another one holds, then gives up."""
_LONGEST_WAIT = 24 * 3600.0

COUNT_CAP = 100_000
"""A store's repr counts each table up to this many rows (then shows ``100000+``)."""


def check_lock_timeout(seconds: Any) -> float:
    """A lock wait in seconds: more than 0 (0 would mean "wait for ever"), at most a day."""
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, (int, float))
        or not (math.isfinite(seconds) and 0 < seconds <= _LONGEST_WAIT)
    ):
        raise ValidationError(
            f"must be a number of seconds, more than 0 and at most {_LONGEST_WAIT:g}",
            field="lock_timeout",
            value=seconds,
            hint=f"give e.g. lock_timeout={LOCK_TIMEOUT:g}",
        )
    return float(seconds)


def closed_error() -> StoreError:
    return StoreError(
        "this store is closed: close() was called, or its `with` block ended",
        hint="open the base again with custdb.open_store(url) to go on working with it",
    )


def nested_error() -> StoreError:
    return StoreError(
        "this thread already has a transaction open on this store",
        hint="finish the outer `with store.begin()` block before starting another, or do "
        "the work inside the outer block's transaction",
    )


class Lifecycle:
    """Whether the store is closed, and which threads are inside one of its transactions."""

    def __init__(self) -> None:
        self.closed = False
        self._inside = threading.local()

    def check_open(self) -> None:
        if self.closed:
            raise closed_error()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """The block of one ``begin()``: refused when the store is closed or this thread
        is inside another of the store's transactions."""
        self.check_open()
        if getattr(self._inside, "active", False):
            raise nested_error()
        self._inside.active = True
        try:
            yield
        finally:
            self._inside.active = False

    @property
    def in_transaction(self) -> bool:
        """Whether this thread is inside one of the store's transactions."""
        return bool(getattr(self._inside, "active", False))


class Closable:
    """A store's context-manager half: ``with open_store(url) as store:`` closes it when
    the block ends, however it ends. The store provides ``close()`` and ``_lifecycle``."""

    _lifecycle: Lifecycle

    def close(self) -> None:
        raise NotImplementedError

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called; a closed store refuses work."""
        return self._lifecycle.closed

    def __enter__(self) -> Self:
        self._lifecycle.check_open()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def describe(kind: str, url: str, counts: Mapping[str, int] | str) -> str:
    """``<SQLiteStore sqlite:///x.sqlite: 312 contacts, 40 companies>``: the non-empty
    tables with their counts, or ``counts`` itself when it says why there are none."""
    if isinstance(counts, str):
        summary = counts
    else:
        shown = [
            f"{COUNT_CAP}+ {name}" if n > COUNT_CAP else f"{n} {_one(name) if n == 1 else name}"
            for name, n in counts.items()
            if n
        ]
        summary = ", ".join(shown) or "empty"
    return f"<{kind} {url}: {summary}>"


def _one(name: str) -> str:
    """``contacts`` -> ``contact``: the repository names are regular plurals."""
    return name[:-3] + "y" if name.endswith("ies") else name[:-1]
