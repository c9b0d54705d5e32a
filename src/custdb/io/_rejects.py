"""The reject file of an import: each bad row as it was read, and why.

A CSV in UTF-8 with a BOM (so Excel opens it with the right letters) holding the
source's own columns and four more: ``line`` (the row's physical line in the source,
header = 1), ``field``, ``value`` and ``reason``. A row with several bad cells is one
line whose last columns list each problem, ``; ``-separated in the same order, so the
file stays one row per source row: fix the cells and import the reject file itself
(the importer ignores the four extra columns, see :data:`REJECT_COLUMNS`). A cell a
spreadsheet would run as a formula is written as text, as an export writes it.

Rows are written as they are found, so the file costs no memory however many rows are
rejected.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from custdb.errors import ValidationError
from custdb.io._neutralise import neutralised_cell
from custdb.io.row_values import Problem

__all__ = ["REJECT_COLUMNS", "RejectFile"]

REJECT_COLUMNS = ("line", "field", "value", "reason")
"""The columns a reject file adds after the source's own."""


class RejectFile:
    """Bad rows written to ``path`` as they come; opened on the first one, so an import
    without bad rows leaves no file behind (and removes a stale one of an earlier run)."""

    def __init__(self, path: str | os.PathLike[str], headers: Sequence[str]) -> None:
        self.path = Path(path)
        self._headers = [h for h in headers if h not in REJECT_COLUMNS]
        self._kept = [i for i, h in enumerate(headers) if h not in REJECT_COLUMNS]
        self._file: IO[str] | None = None
        self._writer: Any = None
        self.rows = 0
        self.path.unlink(missing_ok=True)

    def write(self, cells: Sequence[Any], problems: Sequence[Problem]) -> None:
        if self._writer is None:
            self._open()
        kept = [_cell_text(cells[i]) if i < len(cells) else "" for i in self._kept]
        self._writer.writerow(
            [
                *kept,
                problems[0].line,
                "; ".join(p.field for p in problems),
                "; ".join(_cell_text(p.value) for p in problems),
                "; ".join(p.reason for p in problems),
            ]
        )
        self.rows += 1

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _open(self) -> None:
        try:
            self._file = self.path.open("w", encoding="utf-8-sig", newline="")
        except OSError as e:
            raise ValidationError(
                f"cannot be written ({e.strerror})",
                field="errors",
                value=str(self.path),
                hint="give a reject file in a folder that exists and you may write to",
            ) from e
        self._writer = csv.writer(self._file)
        self._writer.writerow([*self._headers, *REJECT_COLUMNS])


def _cell_text(value: Any) -> str:
    """A cell as the user typed it: dates in ISO form, nothing as an empty cell, a
    formula made harmless (the import that reads the file back takes the mark off)."""
    if value is None:
        return ""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return neutralised_cell(str(value))
