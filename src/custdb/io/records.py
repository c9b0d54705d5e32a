"""What ``select`` returns: a real list of records that also knows how to frame itself."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from custdb.model import Schema

__all__ = ["Records"]

T = TypeVar("T")


class Records(list[T]):
    """A ``list`` of records of one class, with the entity class and the custom-property
    schema of the repository that read them, so ``to_pandas()`` can type every column
    (and frame an empty result with the right columns). Everything else is the list's:
    slicing or adding gives a plain ``list``, and a ``Records`` equals a ``list`` with
    the same records.
    """

    __slots__ = ("entity", "schema")

    def __init__(
        self,
        records: Iterable[T] = (),
        /,
        *,
        entity: type[T] | None = None,
        schema: Schema | None = None,
    ) -> None:
        super().__init__(records)
        self.entity = entity
        self.schema = schema

    def to_pandas(self, *, decimals: Literal["decimal", "float"] = "decimal") -> Any:
        """These records as a pandas DataFrame, one row each: see :func:`custdb.frame`."""
        from custdb.io.frame import frame  # noqa: PLC0415 - pandas only when asked for

        return frame(self, entity=self.entity, schema=self.schema, decimals=decimals)
