"""custdb: a customer database library.

The domain (``custdb.model``, ``custdb.normalize``, ``custdb.query``) is pure Python and
imports no database driver. Stores are reached through :func:`open_store`, which this
module loads on first use so that ``import custdb`` stays cheap and free of SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from custdb import errors
from custdb.errors import (
    CustdbError,
    NotFoundError,
    StaleVersionError,
    ValidationError,
)

if TYPE_CHECKING:
    from custdb.io.frame import frame, from_pandas
    from custdb.storage import open_store

__version__ = "0.1.0"

__all__ = [
    "CustdbError",
    "NotFoundError",
    "StaleVersionError",
    "ValidationError",
    "__version__",
    "errors",
    "frame",
    "from_pandas",
    "open_store",
]


def __getattr__(name: str) -> Any:
    if name == "open_store":
        from custdb.storage import open_store  # noqa: PLC0415 - keep SQLAlchemy off `import custdb`

        return open_store
    if name in {"frame", "from_pandas"}:
        from custdb.io import frame as frames  # noqa: PLC0415 - pandas loads with a frame

        return getattr(frames, name)
    raise AttributeError(f"module 'custdb' has no attribute {name!r}")
