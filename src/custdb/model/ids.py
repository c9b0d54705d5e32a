"""Record ids: ULIDs, so ids sort by creation time and need no database sequence.

A ULID is 128 bits written as 26 Crockford base32 characters: a 48-bit millisecond
timestamp, then 80 random bits. Ids made in one process are strictly increasing, even
within one millisecond (the random part is incremented) and when the wall clock steps
back, so ``sorted(ids)`` is creation order and an import keeps its row order. Reading
the clock here is the one exception to "the domain takes ``now``": an id is not a fact
about the customer, only a unique, sortable key.
"""

from __future__ import annotations

import os
import threading
import time

__all__ = ["new_id"]

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RANDOM_BITS = 80
_RANDOM_LIMIT = 1 << _RANDOM_BITS
_LENGTH = 26


class _Sequence:
    """The last id's parts, so the next one can be made strictly greater."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.millis = -1
        self.random = 0

    def next(self) -> int:
        with self.lock:
            millis = time.time_ns() // 1_000_000
            if millis > self.millis:
                self.millis, self.random = millis, _fresh_random()
            elif self.random + 1 < _RANDOM_LIMIT:
                self.random += 1
            else:
                self.millis, self.random = self.millis + 1, _fresh_random()
            return self.millis << _RANDOM_BITS | self.random


def _fresh_random() -> int:
    # The top bit stays clear so thousands of increments within one millisecond
    # cannot overflow into the next one.
    return int.from_bytes(os.urandom(10), "big") >> 1


_SEQUENCE = _Sequence()


def new_id() -> str:
    """A new 26-character ULID, greater than every id made before it in this process."""
    return _crockford(_SEQUENCE.next())


# Two characters per lookup: 130 bits are 13 groups of 10, each an index into the 1024
# pairs of characters, written out (a loop of divmod, a character at a time, costs 6x).
_PAIRS = [high + low for high in _ALPHABET for low in _ALPHABET]


def _crockford(number: int) -> str:
    """``number`` (below 2**128) as 26 Crockford base32 characters, most significant first."""
    p = _PAIRS
    return "".join(
        (
            p[number >> 120 & 1023],
            p[number >> 110 & 1023],
            p[number >> 100 & 1023],
            p[number >> 90 & 1023],
            p[number >> 80 & 1023],
            p[number >> 70 & 1023],
            p[number >> 60 & 1023],
            p[number >> 50 & 1023],
            p[number >> 40 & 1023],
            p[number >> 30 & 1023],
            p[number >> 20 & 1023],
            p[number >> 10 & 1023],
            p[number & 1023],
        )
    )
