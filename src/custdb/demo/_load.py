"""Reading the demo sample: CSV rows whose cells parse in their branch's local forms.

Each row knows its file, its line and its country, so a cell that does not parse raises
a ``ValidationError`` naming all three (and the field), and the rest of the loader never
sees raw text. Local forms follow the row's ``country``: ``dd.mm.yyyy`` and comma decimals
for Russia, Norway and Spain, ISO dates and point decimals elsewhere, phone numbers read
with the country as default region.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

import attrs

from custdb import normalize
from custdb.errors import ValidationError
from custdb.model import Address, Email, FrozenMap, Money, Phone, PostalCode, Schema

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:
    from importlib.abc import Traversable

__all__ = ["LOCALES", "Ids", "Locale", "Row", "Traversable", "bundled", "read_rows"]

T = TypeVar("T")


@attrs.frozen
class Locale:
    """How one branch writes dates, numbers and phones; ``tz`` is its standard time
    (the demo ignores summer time: a visit's hour is what matters, not its offset)."""

    region: str
    dayfirst: bool
    decimal_mark: str
    tz: dt.timezone


def _tz(hours: int) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours))


LOCALES: Mapping[str, Locale] = {
    "RU": Locale("RU", dayfirst=True, decimal_mark=",", tz=_tz(3)),
    "NO": Locale("NO", dayfirst=True, decimal_mark=",", tz=_tz(1)),
    "ES": Locale("ES", dayfirst=True, decimal_mark=",", tz=_tz(1)),
    "US": Locale("US", dayfirst=False, decimal_mark=".", tz=_tz(-5)),
    "GB": Locale("GB", dayfirst=True, decimal_mark=".", tz=_tz(0)),
}
_YES = frozenset({"yes", "y", "true", "1", "да", "ja", "sí", "si"})
_NO = frozenset({"no", "n", "false", "0", "нет", "nei"})


class Ids:
    """Sample keys to record ids, per repository: stored ids for records a previous run
    added, fresh ones for the rest, so records can point at each other before any is added."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], str] = {}

    def __getitem__(self, item: tuple[str, str]) -> str:
        return self._ids[item]

    def get(self, repo: str, key: str) -> str | None:
        return self._ids.get((repo, key))

    def set(self, repo: str, key: str, id: str) -> None:  # noqa: A002
        self._ids[repo, key] = id


class Row:
    """One CSV row with its place, parsing cells on request."""

    def __init__(
        self, file: str, number: int, cells: Mapping[str, str], ids: Ids, entity: str
    ) -> None:
        self.file = file
        self.number = number
        self.cells = cells
        self.ids = ids
        self.entity = entity

    def error(self, field: str, reason: str, hint: str | None = None) -> ValidationError:
        """A ValidationError that names the file, the row (its line: the header is 1)
        and the field."""
        return ValidationError(
            f"{reason} (in demo file {self.file})",
            entity=self.entity,
            row=self.number,
            field=field,
            value=self.cells.get(field),
            hint=hint,
        )

    def text(self, field: str) -> str | None:
        """The cell trimmed, with inner runs of spaces collapsed; None when empty."""
        if field not in self.cells:
            raise self.error(field, "is missing from the file", "add the column")
        raw = self.cells[field] or ""
        return " ".join(unicodedata.normalize("NFC", raw).split()) or None

    def required(self, field: str) -> str:
        value = self.text(field)
        if value is None:
            raise self.error(field, "is empty", "every row needs it")
        return value

    def parsed(self, field: str, parse: Callable[[str], T]) -> T | None:
        """``parse`` applied to the cell, None when it is empty; its errors get our place."""
        raw = self.text(field)
        if raw is None:
            return None
        try:
            return parse(raw)
        except ValidationError as e:
            raise self.error(field, e.reason, e.hint) from e
        except ValueError as e:
            raise self.error(field, str(e)) from e

    @property
    def locale(self) -> Locale:
        country = self.required("country")
        if country not in LOCALES:
            raise self.error("country", "is not a branch country", f"use one of {sorted(LOCALES)}")
        return LOCALES[country]

    def date(self, field: str) -> dt.date | None:
        dayfirst = self.locale.dayfirst
        return self.parsed(field, lambda raw: normalize.parse_date(raw, dayfirst=dayfirst))

    def moment(self, date_field: str, time_field: str | None = None) -> dt.datetime | None:
        """The date and the ``HH:MM`` time of two cells (noon without a time cell), in the
        branch's time zone."""
        day = self.date(date_field)
        if day is None:
            return None
        hour = None if time_field is None else self.parsed(time_field, dt.time.fromisoformat)
        hour = hour or dt.time(12)
        return dt.datetime.combine(day, hour, tzinfo=self.locale.tz)

    def decimal(self, field: str) -> Decimal | None:
        mark = self.locale.decimal_mark
        return self.parsed(field, lambda raw: normalize.parse_decimal(raw, decimal_mark=mark))

    def money(self, field: str, currency: str) -> Money | None:
        amount = self.decimal(field)
        return None if amount is None else Money(amount, currency)

    def integer(self, field: str) -> int | None:
        return self.parsed(field, int)

    def percent(self, field: str) -> Decimal | None:
        """``"25 %"`` or ``"25%"`` as the fraction 0.25."""
        mark = self.locale.decimal_mark
        share = self.parsed(
            field, lambda raw: normalize.parse_decimal(raw.rstrip("% "), decimal_mark=mark)
        )
        return None if share is None else share / 100

    def flag(self, field: str) -> bool:
        """Yes or no in any of the branches' languages; empty is no."""
        word = (self.text(field) or "no").casefold()
        if word not in _YES | _NO:
            raise self.error(field, "is neither yes nor no", "write yes/no, да/нет, ja/nei, sí/no")
        return word in _YES

    def phone(self, field: str) -> Phone | None:
        region = self.locale.region
        return self.parsed(field, lambda raw: Phone.parse(raw, region=region))

    def email(self, field: str) -> Email | None:
        return self.parsed(field, Email.parse)

    def address(self) -> Address:
        country = self.locale.region
        return Address(
            street=self.text("street"),
            city=self.text("city"),
            postal_code=self.parsed("postal_code", lambda raw: PostalCode.parse(raw, country)),
            country=country,
        )

    def custom(self, schema: Schema) -> FrozenMap[str, Any]:
        """The cells of ``schema``'s fields, typed by the schema in the branch's local
        forms (``15.03.2019`` in Russia, ``2019-03-15`` in the United States)."""
        locale = self.locale
        cells = {field.name: self.text(field.name) for field in schema.fields}
        try:
            return schema.validate(
                cells,
                region=locale.region,
                dayfirst=locale.dayfirst,
                decimal_mark=locale.decimal_mark,
            )
        except ValidationError as e:
            raise self.error(e.field or schema.entity, e.reason, e.hint) from e

    def words(self, field: str) -> tuple[str, ...]:
        """A ``;``-separated list, empty parts dropped."""
        return tuple(part.strip() for part in (self.text(field) or "").split(";") if part.strip())

    def ref(self, field: str, repo: str) -> str | None:
        """The id of the record the cell's key names in ``repo``; None when empty."""
        key = self.text(field)
        if key is None:
            return None
        found = self.ids.get(repo, key)
        if found is None:
            raise self.error(field, f"names no record of {repo} in the sample", "check the key")
        return found


def bundled() -> Traversable:
    """The sample shipped in the package."""
    return files("custdb.demo.data")


def read_rows(source: Traversable | Path, file: str, ids: Ids, entity: str) -> Iterator[Row]:
    """The rows of ``source/file`` (UTF-8 CSV with a header, a BOM allowed), numbered as
    a spreadsheet shows them. The sample is small, so each file is read whole."""
    text = source.joinpath(file).read_text(encoding="utf-8-sig")
    for number, cells in enumerate(csv.DictReader(io.StringIO(text, newline="")), start=2):
        yield Row(file, number, cells, ids, entity)
