"""Which line of the file first gave each key, in memory that does not grow with the file.

An import refuses a key that repeats in the file and a second row landing on a record
another row already changes; both need every key seen so far. Held in a dict, a
million e-mails cost about 200 MB, so past :data:`SPILL` keys they move to a temporary
SQLite file of their own (``sqlite3.connect("")``: private, on disk, removed when
closed), looked up a batch at a time with one ``IN`` query per few hundred keys.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Hashable, Sequence
from decimal import Decimal

__all__ = ["SPILL", "FirstLines"]

SPILL = 100_000
"""Keys held in memory before they move to disk (about 20 MB of e-mails)."""
_CHUNK = 500  # keys per IN (...) lookup


class FirstLines:
    """The first line of each key given to :meth:`earlier`, batch after batch."""

    def __init__(self, spill: int | None = None) -> None:
        self._spill = SPILL if spill is None else spill
        self._held: dict[Hashable, int] = {}
        self._disk: sqlite3.Connection | None = None

    def earlier(self, pairs: Sequence[tuple[Hashable, int]]) -> dict[int, int]:
        """For each ``(key, line)`` whose key an earlier pair (of this batch or one
        before) gave: its position in ``pairs`` -> that earlier line. Every new key is
        remembered with its line."""
        found: dict[int, int] = {}
        stored = self._stored([key for key, _ in pairs])
        for position, (key, line) in enumerate(pairs):
            first = stored.get(key)
            if first is None:
                first = self._held.setdefault(key, line)
            if first != line:
                found[position] = first
        if len(self._held) >= self._spill:
            self._move_to_disk()
        return found

    def close(self) -> None:
        if self._disk is not None:
            self._disk.close()
            self._disk = None

    def _stored(self, keys: Sequence[Hashable]) -> dict[Hashable, int]:
        """The keys of ``keys`` already on disk, with their lines."""
        if self._disk is None:
            return {}
        texts = {_text(key): key for key in keys}
        found: dict[Hashable, int] = {}
        names = list(texts)
        for start in range(0, len(names), _CHUNK):
            chunk = names[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            query = f"SELECT key, line FROM seen WHERE key IN ({marks})"  # noqa: S608 - marks only
            for text, line in self._disk.execute(query, chunk):
                found[texts[text]] = line
        return found

    def _move_to_disk(self) -> None:
        if self._disk is None:
            self._disk = sqlite3.connect("")
            self._disk.execute(
                "CREATE TABLE seen (key TEXT PRIMARY KEY, line INTEGER) WITHOUT ROWID"
            )
        with self._disk:
            self._disk.executemany(
                "INSERT INTO seen VALUES (?, ?)", ((_text(k), n) for k, n in self._held.items())
            )
        self._held.clear()


def _text(key: Hashable) -> str:
    """The key as text, equal for equal keys (``Decimal("1.50")`` as ``Decimal("1.5")``)."""
    if isinstance(key, tuple):
        return repr(tuple(v.normalize() if isinstance(v, Decimal) else v for v in key))
    return repr(key)
