"""Driver errors as ``StoreError``: the message says what to do, the driver's own error
is chained as ``__cause__`` (``from e``)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

import sqlalchemy as sa

from custdb.errors import StoreError

__all__ = ["driver_errors", "guarded", "store_error"]

P = ParamSpec("P")
R = TypeVar("R")


def store_error(error: sa.exc.DBAPIError) -> StoreError:
    text = str(error.orig)
    if "locked" in text or "busy" in text:
        return StoreError(
            "the database stayed locked by another writer",
            hint="retry; keep write transactions short so others can get in",
        )
    first_line = text.strip().splitlines()[0] if text.strip() else type(error.orig).__name__
    return StoreError(
        f"the database reported an error: {first_line}",
        hint="the driver's own error is chained as __cause__",
    )


def guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Driver errors leave as ``StoreError``, the driver's own chained with ``from``."""

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except sa.exc.DBAPIError as error:
            raise store_error(error) from error

    return call


@contextmanager
def driver_errors() -> Iterator[None]:
    try:
        yield
    except sa.exc.DBAPIError as error:
        raise store_error(error) from error
