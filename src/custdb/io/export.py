"""Export a segment: the records any query selects, chosen fields, to CSV or XLSX.

``export_records(store, "vip.xlsx", where=F("total_spent") >= 1000)`` writes the
records' fields (core fields, roll-ups, custom properties, ``full_name``...) as the
database gives them, page by page, so a million contacts cost the memory of one page.
Cells a spreadsheet would run as formulas are neutralised (``_neutralise``), numbers
stay numbers.

Every export is an event in the change log (``tx.log_event("export", ...)``): who
(the transaction's actor), when (the change's time), which entity and query (its JSON
form), which fields, how many rows and which file. Data leaving the base is what an
audit asks about, so the rule is "no file without its log entry": the rows are read and
the entry written in one transaction, the file is written under a temporary name beside
its destination, and it takes its name only once that transaction has committed. A
file that cannot be written, or a query that cannot run, leaves no file and no entry.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from custdb.errors import ValidationError
from custdb.io._export_fields import columns_for, default_fields, rows_of
from custdb.io._export_files import FORMATS
from custdb.model.ids import new_id
from custdb.query import Query, to_json
from custdb.storage.base import ENTITIES

__all__ = ["ExportReport", "export_records"]


@attrs.frozen
class ExportReport:
    """What an export wrote: the file, how many rows (the header not counted), which
    fields, and the id of its entry in the change log (``store.history("export", id)``)."""

    path: Path
    rows: int
    fields: tuple[str, ...]
    export_id: str


def export_records(
    store: Any,
    out: str | os.PathLike[str],
    *,
    entity: str = "contacts",
    where: Query | None = None,
    fields: Sequence[str] | None = None,
    actor: str | None = None,
) -> ExportReport:
    """Write the ``entity`` records ``where`` selects (all when ``None``), in id order,
    to ``out``: CSV or XLSX by its suffix, one column per name in ``fields`` (a readable
    set when ``None``), and log the export as ``actor``.

    ``entity`` is a repository's name (``"contacts"``, ``"companies"``, ``"deals"``...).
    ``fields`` are named as queries name them, plus ``full_name``, ``emails`` and
    ``phones`` (every address, joined by ``"; "``). An unknown field or a bad query is a
    ``QueryError``, a folder that is missing or not writable a ``ValidationError``
    naming the path; either way no file is written and nothing is logged.
    """
    path = Path(os.fspath(out))
    write = _writer_for(path)
    cls = _entity_class(entity)
    schema = getattr(store, "schemas", {}).get(cls.ENTITY)
    names = tuple(fields) if fields is not None else default_fields(entity, cls, schema)
    columns = columns_for(cls, schema, list(names))
    query = None if where is None else to_json(where)
    export_id = new_id()
    with _staged(path, export_id) as staging, store.begin(actor=actor) as tx:
        rows = rows_of(getattr(tx, entity), columns, where)
        try:
            count = write(staging, names, rows, entity)
        except OSError as error:
            raise _unwritable(path, error) from error
        details = {
            "entity": entity,
            "query": query,
            "fields": list(names),
            "rows": count,
            "file": path.name,
            "path": str(path.absolute()),
            "format": path.suffix.lower().lstrip("."),
        }
        tx.log_event("export", export_id, details)
    return ExportReport(path, count, names, export_id)


def _writer_for(path: Path) -> Any:
    write = FORMATS.get(path.suffix.lower())
    if write is None:
        raise ValidationError(
            "is not a file type an export writes",
            entity="export",
            field="out",
            value=str(path),
            hint=f"end the file name with {' or '.join(FORMATS)}",
        )
    return write


def _entity_class(entity: Any) -> Any:
    cls = ENTITIES.get(entity) if isinstance(entity, str) else None
    if cls is None:
        raise ValidationError(
            "is not a kind of record the store keeps",
            entity="export",
            field="entity",
            value=entity,
            hint=f"give one of {', '.join(ENTITIES)}",
        )
    return cls


@contextlib.contextmanager
def _staged(path: Path, export_id: str) -> Iterator[Path]:
    """A temporary file beside ``path``, renamed to ``path`` when the block succeeds and
    removed when it fails; a destination that cannot be written fails before anything
    is read."""
    if path.is_dir():
        raise _unwritable(path, IsADirectoryError(21, "is a folder"))
    staging = path.with_name(f".{path.name}.{export_id}.partial")
    try:
        staging.touch(exist_ok=False)
    except OSError as error:
        raise _unwritable(path, error) from error
    try:
        yield staging
        try:
            staging.replace(path)
        except OSError as error:
            raise _unwritable(path, error) from error
    finally:
        staging.unlink(missing_ok=True)


def _unwritable(path: Path, error: OSError) -> ValidationError:
    return ValidationError(
        f"cannot be written: {error.strerror or error}",
        entity="export",
        field="out",
        value=str(path),
        hint="check that the folder exists and that you may write there",
    )
