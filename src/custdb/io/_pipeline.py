"""The rows of an import, read and checked, a batch at a time, on a second core if it pays.

Reading a file, checking its cells (decoding, splitting, normalizing phones and
e-mails, parsing dates) and making the record each row would create cost about as much
as writing the records, and need nothing from the database. So for a large file the
reading side runs in a process of its own that sends the checked batches to the writer
through a bounded queue: the two halves overlap, and memory holds at most a few
batches whatever the file's size. A small
file, a DataFrame or a list of dicts is read in the writer's own process, where
starting another would cost more than it saves.

The reader process is a daemon: if the writer dies (killed mid-file), it goes too.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from custdb.errors import ValidationError
from custdb.io._matching import Key
from custdb.io.mapping import ColumnMapping
from custdb.io.row_values import RowReader, RowValues, invalid_record
from custdb.io.tables import SourceRow, SourceTable, read_table
from custdb.model import Contact, Provenance

__all__ = ["Checked", "checked_batches"]

PARALLEL_FROM = 4 * 2**20
"""Files from this size (bytes) are read in a second process, when there is a core for it."""
_QUEUED = 4  # batches in flight between the processes
_RELAXED = 50_000  # the reader process's first-generation threshold (Python's: 700)


@attrs.frozen
class ReaderSpec:
    """What the reader process needs to read and check the file the way the writer
    would, to make each row's new record (``cls``, with ``provenance`` for a contact
    when the file gives none) and its value of each of the ``keys``."""

    path: str
    mapping: ColumnMapping
    entity: str
    region: str | None
    region_column: str | None
    schema: Any
    batch: int
    cls: type
    provenance: Provenance | None = None
    keys: tuple[Key, ...] = ()

    def reader(self) -> RowReader:
        return RowReader(
            self.mapping,
            entity=self.entity,
            region=self.region,
            region_column=self.region_column,
            schema=self.schema,
        )

    def new_record(self, values: RowValues) -> Any:
        """The record a row makes when it matches none, or the :class:`Problem` saying
        why it cannot (a row that updates a record may still be good)."""
        fields = values.fields
        if self.provenance is not None and self.cls is Contact and "provenance" not in fields:
            fields = {**fields, "provenance": self.provenance}
        try:
            return self.cls(**fields)
        except ValidationError as e:
            return invalid_record(values.line, self.mapping, e)


Keyed = list[tuple[Any, ...] | None]
Checked = list[tuple[SourceRow, RowValues, Any, Keyed]]
"""Each row, its values, its new record (or why it cannot make one) and its value of
each key (the last two None and empty when its values have problems)."""


def checked_batches(source: Any, table: SourceTable, spec: ReaderSpec) -> Iterator[Checked]:
    """Batches of (row, its values); ``table`` is ``source`` already opened (its notes
    receive the reader process's)."""
    if _parallel(source):
        table.close()
        yield from _from_process(spec, table.notes)
    else:
        yield from _checked(table.rows(), spec)


def _parallel(source: Any) -> bool:
    if not isinstance(source, str | os.PathLike) or (os.cpu_count() or 1) < 2:
        return False
    try:
        return Path(source).stat().st_size >= PARALLEL_FROM
    except OSError:
        return False


def _checked(rows: Iterable[SourceRow], spec: ReaderSpec) -> Iterator[Checked]:
    read, size, new_record, keys = spec.reader().read, spec.batch, spec.new_record, spec.keys
    batch: Checked = []
    for row in rows:
        values = read(row)
        if values.problems:
            batch.append((row, values, None, []))
        else:
            fields = values.fields
            batch.append((row, values, new_record(values), [key.value(fields) for key in keys]))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _from_process(spec: ReaderSpec, notes: list[str]) -> Iterator[Checked]:
    context = multiprocessing.get_context("spawn")
    queue: Any = context.Queue(_QUEUED)
    process = context.Process(target=_read_into, args=(spec, queue), daemon=True)
    process.start()
    try:
        while True:
            kind, payload = _received(queue)
            if kind == "batch":
                yield payload
            elif kind == "error":
                raise payload
            else:
                notes[:] = payload
                return
    finally:
        process.kill()
        process.join()
        queue.close()


def _received(queue: Any) -> Any:
    """The next message, unpickled with the cyclic garbage collector paused: a batch is
    tens of thousands of new objects, none of them garbage, and the collector's passes
    over them cost about a third of the unpickling."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return queue.get()
    finally:
        if collecting:
            gc.enable()


def _read_into(spec: ReaderSpec, queue: Any) -> None:
    """The reader process: every checked batch onto ``queue``, then the table's notes
    (or the error that stopped it, pickled with its attributes)."""
    gc.freeze()  # the modules just imported: never garbage, never scanned again
    gc.set_threshold(_RELAXED, 20, 100)  # a batch makes objects by the ten thousand
    try:
        with read_table(spec.path) as table:
            for batch in _checked(table.rows(), spec):
                queue.put(("batch", batch))
            queue.put(("done", list(table.notes)))
    except Exception as e:  # noqa: BLE001 - every failure goes back to the writer to raise
        queue.put(("error", e))
