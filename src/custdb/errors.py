"""Every error custdb raises, in one tree.

Catch ``CustdbError`` to catch them all; each subclass also subclasses the builtin
that fits it, so code written against ``ValueError`` or ``LookupError`` keeps working::

    CustdbError
    ├── ValidationError (ValueError)        bad input: a field value, a row, a definition
    │   ├── FormatError                     a file that cannot be read as a table
    │   ├── ImportRefusedError              a file refused whole: bad rows, repeated keys
    │   └── QueryError                      a filter names an unknown field or mixes types
    ├── NotFoundError (LookupError)         no record with that id
    ├── ConflictError                       the write would break what is stored
    │   ├── StaleVersionError               someone else changed the record first
    │   └── DuplicateKeyError               a unique field already holds the value
    ├── AccessDeniedError (PermissionError) reserved for access rules: nothing raises it yet
    ├── MissingDependencyError (ImportError) an optional extra is not installed
    └── StoreError                          the database failed; the driver error is chained
        └── SchemaVersionError              the database schema is newer than this library

Every error carries what it is about as attributes (``entity``, ``id``, ``row``,
``field``, ``value``; ``None`` where it does not apply) and a message that says what was
wrong, where, and what to do about it. ``FormatError`` adds where in the file: ``source``
(the file's name), ``line`` and ``offset`` (in bytes).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AccessDeniedError",
    "ConflictError",
    "CustdbError",
    "DuplicateKeyError",
    "FormatError",
    "ImportRefusedError",
    "MissingDependencyError",
    "NotFoundError",
    "QueryError",
    "SchemaVersionError",
    "StaleVersionError",
    "StoreError",
    "ValidationError",
]

_MAX_VALUE_REPR = 80
_MAX_INT_BITS = 256  # beyond this an integer is shown by its size (repr is quadratic)


def _shown(value: Any) -> str:
    """``repr`` of a value, cut short so a megabyte cell cannot flood a log; an integer
    too long for ``repr`` (over 4,300 digits) is shown by its size."""
    if isinstance(value, int) and value.bit_length() > _MAX_INT_BITS:
        return f"<an integer of about {int(value.bit_length() * 0.30103) + 1:,} digits>"
    text = repr(value)
    if len(text) > _MAX_VALUE_REPR:
        text = text[: _MAX_VALUE_REPR - 3] + "..."
    return text


class CustdbError(Exception):
    """The root of every error custdb raises.

    ``str(error)`` reads as one sentence-led message: where (entity, id, row, field),
    the value at fault, what was wrong and what to do.
    """

    def __init__(
        self,
        message: str,
        *,
        entity: str | None = None,
        id: str | None = None,  # noqa: A002 - the record's id is what callers look for
        row: int | None = None,
        field: str | None = None,
        value: Any = None,
        hint: str | None = None,
    ) -> None:
        self.entity = entity
        self.id = id
        self.row = row
        self.field = field
        self.value = value
        self.hint = hint
        self.reason = message
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.entity is not None:
            where.append(self.entity if self.id is None else f"{self.entity} {self.id}")
        elif self.id is not None:
            where.append(f"id {self.id}")
        if self.field is not None:
            where.append(f"field {self.field!r}")
        text = ", ".join(where)
        if self.value is not None:
            text = f"{text}: value {_shown(self.value)}" if text else f"value {_shown(self.value)}"
        text = f"{text}: {self.reason}" if text else self.reason
        if self.hint:
            text = f"{text}; {self.hint}"
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle with the keyword attributes (multiprocessing ETL jobs send errors back)."""
        return (
            _rebuild,
            (
                type(self),
                self.reason,
                {
                    "entity": self.entity,
                    "id": self.id,
                    "row": self.row,
                    "field": self.field,
                    "value": self.value,
                    "hint": self.hint,
                },
            ),
        )


def _rebuild(cls: type[CustdbError], message: str, attrs: dict[str, Any]) -> CustdbError:
    return cls(message, **attrs)


class ValidationError(CustdbError, ValueError):
    """Input that cannot be accepted as given: fix the value, or the definition."""


class ImportRefusedError(ValidationError):
    """A file that was not imported, and nothing of it written: a bad row (unless bad
    rows were to be skipped), a repeated header or key. ``.report`` is the import's
    report, with the problems found."""

    report: Any = None


class QueryError(ValidationError):
    """A filter that cannot run: an unknown field, an operator the field's type lacks."""


class FormatError(ValidationError):
    """A file that cannot be read as a table: bytes that are not text in any encoding
    tried, a row that cannot be split into the header's columns, an empty file.

    ``source`` is the file's name, ``line`` the physical line (header = 1; for a
    workbook the sheet row) and ``offset`` the byte offset from the start of the file,
    each ``None`` where it is not known. The message leads with them.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        offset: int | None = None,
        value: Any = None,
        hint: str | None = None,
    ) -> None:
        self.source = source
        self.line = line
        self.offset = offset
        super().__init__(message, value=value, hint=hint)

    def _compose(self) -> str:
        where = [self.source] if self.source else []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.offset is not None:
            where.append(f"byte {self.offset}")
        text = super()._compose()
        return f"{', '.join(where)}: {text}" if where else text

    def __reduce__(self) -> tuple[Any, ...]:
        where = {"source": self.source, "line": self.line, "offset": self.offset}
        return (_rebuild_format_error, (self.reason, where, self.value, self.hint))


def _rebuild_format_error(
    message: str, where: dict[str, Any], value: Any, hint: str | None
) -> FormatError:
    return FormatError(message, **where, value=value, hint=hint)


class NotFoundError(CustdbError, LookupError):
    """No record has this id (or it was removed)."""


class ConflictError(CustdbError):
    """The write would contradict what is stored; nothing was written."""


class StaleVersionError(ConflictError):
    """The record changed since it was read: read it again, reapply the change, retry."""


class DuplicateKeyError(ConflictError):
    """A unique field (id, external id, unique custom property) already holds the value."""


class AccessDeniedError(CustdbError, PermissionError):
    """The acting user's role does not allow this. Reserved: no call raises it yet; it
    is in the tree so that code catching it keeps working once access rules exist."""


class MissingDependencyError(CustdbError, ImportError):
    """An optional extra is needed: the message names the ``pip install`` to run."""

    @classmethod
    def for_extra(cls, package: str, extra: str) -> MissingDependencyError:
        return cls(
            f"this needs the optional package {package!r}",
            hint=f'install it with: pip install "custdb[{extra}]"',
        )


class StoreError(CustdbError):
    """The database failed; ``__cause__`` holds the driver's own error."""


class SchemaVersionError(StoreError):
    """The database was written by a newer custdb than the one reading it."""
