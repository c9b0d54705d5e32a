"""One row's cells as the values of a record, with every bad cell named.

A :class:`RowReader` is built once per import from the mapping: each column gets the
function that reads its cells (``_column_reader``), so a row costs one call per
non-empty cell. Cells are read through the same normalizers as every other input
(phones with the row's region, e-mails, dates in the region's order, decimal commas),
and a cell that cannot be read becomes a :class:`Problem` saying what to write
instead: all of a row's bad cells are reported together, never only the first.

An empty cell gives no value: the field is left out of :attr:`RowValues.fields`, so an
import never clears a field the file does not fill.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from custdb.errors import CustdbError, ValidationError
from custdb.io._cell_forms import (
    COUNTRIES,
    GENDERS,
    LABELS,
    STAGES,
    YES_NO,
    several,
    split_full_name,
)
from custdb.io._headers import fold
from custdb.io._neutralise import restored
from custdb.io.mapping import ColumnMapping, Target, label_columns
from custdb.io.tables import SourceRow
from custdb.model import Address, Email, Phone, PostalCode
from custdb.model._slots import pickled_by_fields
from custdb.normalize import parse_date, parse_decimal, person_name, region_code

__all__ = [
    "MONTH_FIRST",
    "NAME_PARTS",
    "Problem",
    "RowReader",
    "RowValues",
    "invalid_record",
    "joined_name",
]

NAME_PARTS = ("first_name", "middle_name", "last_name")

MONTH_FIRST = frozenset({"US", "PH", "FM", "MH", "PW"})
"""Regions that write ``03/31/2024``; every other writes the day first. ISO always reads."""


@pickled_by_fields  # batches of rows cross to the writer's process
@attrs.frozen
class Problem:
    """A cell that could not be read: where, what it held, and what to write instead."""

    line: int
    column: str
    field: str
    value: Any
    reason: str


@pickled_by_fields
@attrs.frozen
class RowValues:
    """What one row gives: constructor values of the record, the company a contact's row
    names, and the row's problems (a row with problems is not imported)."""

    line: int
    fields: dict[str, Any]
    company_name: str | None
    problems: tuple[Problem, ...]
    full_name: str | None = None
    """The name a full-name column gave (its parts, as :func:`joined_name` joins them),
    when the row has one: a record already called so keeps its own split of it (which
    word is a second surname or a middle name is a guess)."""
    from_full_name: frozenset[str] = frozenset()
    """The name parts in :attr:`fields` that came from :attr:`full_name`."""


def invalid_record(line: int, mapping: ColumnMapping, error: ValidationError) -> Problem:
    """The problem of a row whose values, each good, do not make a valid record together
    (a check across fields the cells alone could not see)."""
    field = error.field or "row"
    shown = error.value if error.value is not None else ""
    return Problem(line, mapping.header_of(field), field, shown, str(error))


def joined_name(parts: Mapping[str, str | None]) -> str:
    """First, middle and last name in that order, casefolded: two splits of one name
    into parts join the same."""
    words = (parts.get(name) for name in NAME_PARTS)
    return " ".join(word for word in words if word).casefold()


class _Bad(Exception):  # noqa: N818 - internal signal, never escapes this module
    def __init__(self, reason: str) -> None:
        self.reason = reason


Reader = Callable[[Any, str | None], Any]  # (cell, the row's region) -> value


class RowReader:
    """Reads rows the way ``mapping`` says, for ``entity`` (contacts or companies)."""

    def __init__(
        self,
        mapping: ColumnMapping,
        *,
        entity: str = "contacts",
        region: str | None = None,
        region_column: str | None = None,
        schema: Any = None,
    ) -> None:
        self.entity = entity
        self._region = _region_of(region)
        self._region_index = _index_of(mapping, region_column)
        self._schema = schema
        self._labels = label_columns(mapping)  # a value column -> its label column
        self._numbers = frozenset(
            field.name
            for field in (() if schema is None else schema.fields)
            if field.type.value in _NUMBER_TYPES
        )
        self._columns = [
            (index, header, target, _column_reader(target, mapping.vendor))
            for index, (header, target) in enumerate(
                zip(mapping.headers, mapping.targets, strict=True)
            )
            if target is not None and target.kind != "ignore"
        ]

    def read(self, row: SourceRow) -> RowValues:  # noqa: C901, PLR0912, PLR0915 - one branch per kind
        cells = row.cells
        region = self._row_region(cells)
        fields: dict[str, Any] = {}
        emails: list[Email] = []
        phones: list[Phone] = []
        addresses: dict[str, dict[str, Any]] = {}
        company: str | None = None
        split: dict[str, str] = {}  # the first full-name column's parts
        problems: list[Problem] = []
        for index, header, target, reader in self._columns:
            cell = cells[index] if index < len(cells) else None
            if type(cell) is str:
                if not cell or cell.isspace():
                    continue
                if cell[0] == "'":
                    cell = restored(cell)  # a formula an export or reject file made harmless
            elif cell is None:
                continue
            try:
                value = reader(cell, region)
            except _Bad as bad:
                problems.append(Problem(row.line, header, _field_of(target), cell, bad.reason))
                continue
            except CustdbError as e:
                problems.append(Problem(row.line, header, _field_of(target), cell, _reason(e)))
                continue
            kind = target.kind
            if kind in {"email", "phone"}:
                found = emails if kind == "email" else phones
                label_at = self._labels.get(index)
                if label_at is None:
                    found.extend(value)
                else:
                    value, primary = _relabelled(value, cells[label_at])
                    if primary:
                        found[0:0] = value  # the primary e-mail or phone comes first
                    else:
                        found.extend(value)
            elif kind == "full_name":
                split = split or value
                for name, part in value.items():
                    fields.setdefault(name, part)
            elif kind == "company":
                company = value
            elif kind == "id":
                fields["id"] = value
            elif kind == "external_id":
                fields.setdefault("external_ids", {})[target.name] = value
            elif kind == "custom":
                fields.setdefault("custom", {})[target.name] = value
            elif kind == "address":
                field, _, part = target.name.partition(".")
                addresses.setdefault(field, {})[part] = value
            else:
                fields[target.name] = value
        if emails:
            fields["emails"] = _distinct(emails, lambda e: e.address.casefold())
        if phones:
            fields["phones"] = _distinct(phones, lambda p: (p.e164, p.extension))
        for field, parts in addresses.items():
            address = _address(row.line, parts, self._columns, problems, field)
            if address is not None:
                fields[field] = address
        if "custom" in fields and self._schema is not None:
            self._check_custom(row.line, fields, problems, region)
        if not split:
            return RowValues(row.line, fields, company, tuple(problems))
        own = frozenset(name for name, part in split.items() if fields.get(name) == part)
        return RowValues(row.line, fields, company, tuple(problems), joined_name(split), own)

    def _row_region(self, cells: tuple[Any, ...]) -> str | None:
        if self._region_index is None:
            return self._region
        cell = cells[self._region_index] if self._region_index < len(cells) else None
        if _empty(cell):
            return self._region
        return COUNTRIES.get(fold(str(cell)), self._region)

    def _check_custom(
        self, line: int, fields: dict[str, Any], problems: list[Problem], region: str | None
    ) -> None:
        """Every bad custom value is a problem (the schema stops at the first: each one
        found is set aside and the rest validated again)."""
        given = fields.pop("custom")
        custom = _with_decimal_commas(given, self._numbers)
        found = len(problems)
        while True:
            try:
                typed = self._schema.validate(custom, region=region, dayfirst=_dayfirst(region))
            except ValidationError as e:
                header = next((h for _, h, t, _ in self._columns if t.name == e.field), "")
                value = given.get(e.field, e.value)  # as the cell had it
                problems.append(Problem(line, header, f"custom.{e.field}", value, _reason(e)))
                if e.field not in custom:
                    return  # a required property the row lacks: nothing left to set aside
                del custom[e.field]
                continue
            if len(problems) == found:
                fields["custom"] = dict(typed)
            return


def _relabelled(items: list[Any], label_cell: Any) -> tuple[list[Any], bool]:
    """The e-mails or phones of a column with the label its label column gives
    (``* Work``: work, and the ``* `` marks them primary); an empty label cell keeps
    them as they are, a word custdb does not know labels them ``other``."""
    text = "" if label_cell is None else str(label_cell).strip()
    primary = text.startswith("*")
    word = fold(text.lstrip("* "))
    if not word:
        return items, primary
    label = LABELS.get(word, "other")
    return [attrs.evolve(item, label=label) for item in items], primary


def _region_of(region: str | None) -> str | None:
    """The import's region as a code: ``RU``, ``ru`` or a country's name (``Russia``,
    ``Россия``); anything else is refused before a row is read."""
    if region is None:
        return None
    return COUNTRIES.get(fold(str(region))) or region_code(str(region).strip())


def _index_of(mapping: ColumnMapping, header: str | None) -> int | None:
    if header is None:
        return None
    if header not in mapping.headers:
        raise ValidationError(
            "is not a header of the file",
            field="region_column",
            value=header,
            hint=f"give one of {', '.join(mapping.headers)}",
        )
    return mapping.headers.index(header)


def _reason(error: CustdbError) -> str:
    return error.reason + (f"; {error.hint}" if error.hint else "")


_NUMBER_TYPES = frozenset({"integer", "decimal"})


def _with_decimal_commas(custom: dict[str, Any], numbers: frozenset[str]) -> dict[str, Any]:
    """``custom`` with the texts of the ``numbers`` properties written with a decimal
    comma read as numbers (the schema reads one decimal mark for all; a cell's own mark
    is told as ``_count`` does)."""
    if numbers.isdisjoint(custom):
        return custom
    read = dict(custom)
    for name, raw in custom.items():
        if name in numbers and isinstance(raw, str) and _mark(raw) == ",":
            with contextlib.suppress(ValidationError):  # else left as written, for the schema
                read[name] = parse_decimal(raw, decimal_mark=",")
    return read


def _mark(text: str) -> str:
    """The decimal mark of a number's text: a comma when it has one and no point."""
    return "," if "," in text and "." not in text else "."


def _empty(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _field_of(target: Target) -> str:
    if target.kind in {"email", "phone"}:
        return f"{target.kind}s"
    if target.kind in {"field", "custom", "address", "external_id"}:
        return target.name if target.kind != "external_id" else f"external_ids.{target.name}"
    return target.kind


def _distinct(items: list[Any], identity: Callable[[Any], Any]) -> tuple[Any, ...]:
    seen: set[Any] = set()
    kept = []
    for item in items:
        key = identity(item)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return tuple(kept)


def _dayfirst(region: str | None) -> bool:
    return region not in MONTH_FIRST


def _text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # an id or a code a spreadsheet made a number of
    if isinstance(cell, dt.datetime | dt.date):
        return cell.isoformat()
    return " ".join(str(cell).split())


# --- one reader per kind of column ------------------------------------------------------


def _column_reader(target: Target, vendor: str | None = None) -> Reader:
    kind = target.kind
    if vendor == "google" and target == Target("field", "tags"):
        return _google_labels
    if kind == "email":
        return lambda cell, _region: [Email.parse(v, target.label) for v in several(str(cell))]
    if kind == "phone":
        return lambda cell, region: [
            Phone.parse(v, region, target.label) for v in several(_text(cell))
        ]
    if kind == "full_name":
        return lambda cell, _region: split_full_name(person_name(cell))
    if kind in {"id", "company", "external_id"}:
        return lambda cell, _region: _text(cell)
    if kind == "custom":
        return lambda cell, _region: cell if not isinstance(cell, str) else cell.strip()
    if kind == "address":
        return _ADDRESS_READERS.get(target.name.partition(".")[2], _plain_text)
    return _FIELD_READERS.get(target.name, _plain_text)


def _plain_text(cell: Any, _region: str | None) -> str:
    return _text(cell)


def _name(cell: Any, _region: str | None) -> str:
    return person_name(cell)


def _date(cell: Any, region: str | None) -> dt.date:
    return parse_date(cell, dayfirst=_dayfirst(region))


def _choice(words: Mapping[str, Any], what: str) -> Reader:
    def read(cell: Any, _region: str | None) -> Any:
        folded = fold(_text(cell))
        if folded in words:
            return words[folded]
        raise _Bad(f"is not a {what} custdb knows; give one of: {_known(words)}")

    return read


def _known(words: Mapping[str, Any]) -> str:
    values = sorted({getattr(v, "value", str(v)) for v in words.values()})
    return ", ".join(values)


def _country(cell: Any, _region: str | None) -> str:
    code = COUNTRIES.get(fold(_text(cell)))
    if code is None:
        raise _Bad("is not a country custdb knows; give its two-letter code, e.g. NO or RU")
    return code


def _tags(cell: Any, _region: str | None) -> frozenset[str]:
    return frozenset(several(_text(cell)))


_GOOGLE_EVERYONE = "myContacts"
"""The system group Google puts every contact in (``* myContacts``): no tag's worth."""


def _google_labels(cell: Any, region: str | None) -> frozenset[str]:
    """Google's ``Labels``: the contact's groups, but for the one every contact is in."""
    return _tags(cell, region) - {_GOOGLE_EVERYONE}


def _count(cell: Any, _region: str | None) -> int:
    text = _text(cell).replace(" ", "").replace("\u00a0", "")
    number = parse_decimal(text, decimal_mark=_mark(text))
    if number != number.to_integral_value() or number < 0:
        raise _Bad("is not a whole number of 0 or more")
    return int(number)


def _postal_code(cell: Any, region: str | None) -> tuple[str, str, str | None]:
    """Read with the address's country once all its parts are known (see ``_address``)."""
    return ("postal_code", _text(cell), region)


_FIELD_READERS: dict[str, Reader] = {
    "first_name": _name,
    "last_name": _name,
    "middle_name": _name,
    "birthday": _date,
    "gender": _choice(GENDERS, "gender"),
    "lifecycle_stage": _choice(STAGES, "lifecycle stage"),
    "has_mobile_app": _choice(YES_NO, "yes or no"),
    "country": _country,
    "tags": _tags,
    "employee_count": _count,
}
_ADDRESS_READERS: dict[str, Reader] = {"country": _country, "postal_code": _postal_code}


def _address(
    line: int,
    parts: dict[str, Any],
    columns: list[tuple[int, str, Target, Reader]],
    problems: list[Problem],
    field: str,
) -> Address | None:
    """An address from its parts; the postal code is read in the address's country."""
    postal = parts.pop("postal_code", None)
    if postal is not None:
        _, text, region = postal
        country = parts.get("country") or region
        if country is None:
            parts["street"] = ", ".join(p for p in (parts.get("street"), text) if p)
        else:
            try:
                parts["postal_code"] = PostalCode.parse(text, country)
            except ValidationError as e:
                header = next((h for _, h, t, _ in columns if t.name == f"{field}.postal_code"), "")
                problems.append(Problem(line, header, f"{field}.postal_code", text, _reason(e)))
    try:
        return Address(**parts)
    except ValidationError as e:
        problems.append(Problem(line, "", field, parts, _reason(e)))
        return None
