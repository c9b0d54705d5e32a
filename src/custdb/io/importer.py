"""Import a spreadsheet (CSV, XLSX, a DataFrame, dicts) into a store, all or nothing.

The steps, each in its own module: :func:`custdb.io.read_table` streams the rows,
:func:`custdb.io.suggest_mapping` names each column's field, a
:class:`~custdb.io.row_values.RowReader` turns the cells into values and lists every
bad cell (``_pipeline`` runs those two in a second process for a large file),
``_matching`` finds the stored record a row is, and this module decides what each row
does (create, update, nothing) and writes it.

One import is one transaction and one *batch*: every write carries the batch id as
its change-log ``cause``, and an ``import`` event in the log keeps the file's name,
the mapping, the key, the provenance and the counts, so :func:`revert_import` can undo
it. By default a bad row refuses the whole file (nothing is written, the reject file
says why); ``skip_invalid`` imports the good rows and writes the bad ones to the
reject file. A killed import leaves nothing half-written: running it again imports
the file whole, and a re-run of a finished one updates nothing.

Only what the file holds changes: an empty cell leaves the field as it was; e-mails
and phones the file gives come first and the record's others stay after them;
custom properties and external ids the file names are set, the others kept.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs

from custdb.errors import ImportRefusedError, ValidationError
from custdb.io._matching import Key, find_matches, keys_for
from custdb.io._pipeline import Checked, ReaderSpec, checked_batches
from custdb.io._rejects import REJECT_COLUMNS, RejectFile
from custdb.io._seen import FirstLines
from custdb.io.mapping import ROLLUPS, ColumnMapping, suggest_mapping
from custdb.io.row_values import NAME_PARTS, Problem, RowValues, invalid_record, joined_name
from custdb.io.tables import SourceRow, SourceTable, read_table
from custdb.model import Address, Affiliation, Company, Contact, Provenance
from custdb.model.ids import new_id
from custdb.normalize import company_key
from custdb.query import F

__all__ = ["MODES", "ImportReport", "import_file"]

Mode = Literal["create", "update", "upsert"]
MODES: tuple[Mode, ...] = ("create", "update", "upsert")
"""``create`` adds every row (one matching a stored record is rejected), ``update``
changes matched records only (a row matching none is rejected), ``upsert`` does both."""

ENTITIES = {"contacts": Contact, "companies": Company}
"""What a file can be imported as."""

BATCH = 1000  # rows matched and written together
COMPUTED = ROLLUPS | {"created_at", "updated_at", "version"}
"""Fields an export writes that the base keeps itself: never imported, noted apart."""
SHOWN = 20  # problems kept in the report; the reject file holds them all


@attrs.frozen(kw_only=True)
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    batch_id: str
    source: str
    entity: str
    mode: Mode
    mapping: ColumnMapping
    keys: tuple[str, ...]
    created: int
    updated: int
    unchanged: int
    rejected: int
    dry_run: bool
    written: bool  # False for a dry run and a refused file: nothing was committed
    notes: tuple[str, ...]
    problems: tuple[Problem, ...]  # the first ones found; the reject file holds all
    errors_path: Path | None

    def summary(self) -> str:
        """One line: ``created 3, updated 1, unchanged 0, rejected 2``."""
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {self.rejected}"
        )


def import_file(
    store: Any,
    source: Any,
    *,
    entity: str = "contacts",
    mapping: ColumnMapping | None = None,
    overrides: Mapping[str, str] | None = None,
    key: str | Sequence[str] | None = None,
    mode: Mode = "upsert",
    region: str | None = None,
    region_column: str | None = None,
    skip_invalid: bool = False,
    errors: str | os.PathLike[str] | None = None,
    dry_run: bool = False,
    provenance: Provenance | str | None = None,
    keep_unmapped: bool = False,
    actor: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import ``source`` (a path, a binary file, a DataFrame or dicts) as ``entity``.

    ``mapping`` defaults to the one :func:`suggest_mapping` reads off the headers,
    with ``overrides`` (``{"Header": "field"}``) applied and, with ``keep_unmapped``,
    the other columns kept as custom properties. ``key`` names the column(s) or
    field(s) that recognise a stored record (see ``_matching``). ``region`` reads
    phones typed without a country code (``"RU"``), ``region_column`` takes it per row
    from a country column. ``errors`` is the reject file's path. ``provenance`` is
    kept on each record the import creates and in the batch. ``progress`` is called
    with the number of rows read so far, every ``BATCH`` rows.

    Raises :class:`ImportRefusedError` (nothing written, ``.report`` tells what was
    found) when a row is bad and ``skip_invalid`` is False, or a header or a key
    value repeats.
    """
    if mode not in MODES:
        raise ValidationError(
            "is not an import mode",
            field="mode",
            value=mode,
            hint=f"give one of {', '.join(MODES)}",
        )
    cls = _entity_class(entity)
    chosen = None if provenance is None else Provenance(provenance)
    schema = store.schemas.get(cls.ENTITY)
    with contextlib.closing(_table_of(source)) as table:
        _refuse_repeated_headers(table)
        mapping = _mapping_for(
            table, mapping, overrides, keep_unmapped=keep_unmapped, entity=entity, schema=schema
        )
        keys = keys_for(mapping, key, entity=entity)
        run = _Run(
            store,
            table,
            cls=cls,
            mapping=mapping,
            keys=keys,
            mode=mode,
            rows=checked_batches(
                source,
                table,
                ReaderSpec(
                    path=str(source),
                    mapping=mapping,
                    entity=entity,
                    region=region,
                    region_column=region_column,
                    schema=schema,
                    batch=BATCH,
                    cls=cls,
                    provenance=chosen,
                    keys=keys,
                ),
            ),
            rejects=None if errors is None else RejectFile(errors, table.headers),
            provenance=chosen,
        )
        try:
            run.execute(actor=actor, skip_invalid=skip_invalid, dry_run=dry_run, progress=progress)
        finally:
            if run.rejects is not None:
                run.rejects.close()
    return run.report


def _entity_class(entity: str) -> type[Contact | Company]:
    try:
        return ENTITIES[entity]
    except KeyError:
        raise ValidationError(
            "cannot be imported",
            field="entity",
            value=entity,
            hint=f"give one of {', '.join(ENTITIES)}",
        ) from None


def _table_of(source: Any) -> SourceTable:
    return source if isinstance(source, SourceTable) else read_table(source)


def _refuse_repeated_headers(table: SourceTable) -> None:
    seen: dict[str, int] = {}
    for position, header in enumerate(table.headers, start=1):
        if header in REJECT_COLUMNS:
            continue
        if header in seen:
            raise ImportRefusedError(
                f"is the header of both column {seen[header]} and column {position}: "
                "which one holds the field is a guess, so nothing was imported",
                entity=table.name,
                row=1,
                field=header,
                hint="rename or remove one of the two columns",
            )
        seen[header] = position


def _mapping_for(
    table: SourceTable,
    given: ColumnMapping | None,
    overrides: Mapping[str, str] | None,
    *,
    keep_unmapped: bool,
    entity: str,
    schema: Any,
) -> ColumnMapping:
    mapping = given or suggest_mapping(table.headers, entity=entity, schema=schema)
    if overrides:
        mapping = mapping.with_overrides(overrides)
    for column in REJECT_COLUMNS:  # a reject file imported again: its own columns say why
        if column in mapping.headers and mapping.targets[mapping.headers.index(column)] is None:
            mapping = mapping.with_overrides({column: "ignore"})
    mapping = mapping.keep_unmapped() if keep_unmapped else mapping
    _refuse_undeclared_custom(mapping, schema)
    return mapping


def _refuse_undeclared_custom(mapping: ColumnMapping, schema: Any) -> None:
    """A base that declares its custom properties refuses any other, so a column
    mapped to one it lacks refuses the file up front rather than every row of it."""
    if schema is None:
        return
    declared = {field.name for field in schema.fields}
    for header, target in zip(mapping.headers, mapping.targets, strict=True):
        if target is not None and target.kind == "custom" and target.name not in declared:
            raise ValidationError(
                f"is mapped to the custom property {target.name!r}, which the base does "
                f"not declare for {mapping.entity} (it declares "
                f"{', '.join(sorted(declared)) or 'none'})",
                field="map",
                value=header,
                hint="declare it first (store.evolve_schema), or map the column to a "
                f"declared one (--map '{header}=custom:NAME') or to ignore",
            )


class _RollbackError(Exception):
    """Leaves a dry run's transaction (or a refused file's) without committing it."""


def _roll_back() -> None:
    raise _RollbackError


@attrs.define
class _Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    read: int = 0
    problems: list[Problem] = attrs.Factory(list)


class _Run:
    """One import: the rows read, decided and written in batches of ``BATCH``."""

    def __init__(
        self,
        store: Any,
        table: SourceTable,
        *,
        cls: type[Contact | Company],
        mapping: ColumnMapping,
        keys: tuple[Key, ...],
        mode: Mode,
        rows: Iterator[Checked],
        rejects: RejectFile | None,
        provenance: Provenance | None,
    ) -> None:
        self.store, self.table, self.cls = store, table, cls
        self.mapping, self.keys, self.mode = mapping, keys, mode
        self.rows, self.rejects, self.provenance = rows, rejects, provenance
        self.batch_id = f"import-{new_id()}"
        self.tally = _Tally()
        self._first_keys = FirstLines()  # the first key's value -> the line that gave it
        self._claims = FirstLines()  # record id -> the line that changes it
        self.report: ImportReport = self._report(dry_run=False, written=False)

    def execute(
        self,
        *,
        actor: str | None,
        skip_invalid: bool,
        dry_run: bool,
        progress: Callable[[int], None] | None,
    ) -> None:
        try:
            with self.store.begin(actor=actor, cause=self.batch_id) as tx:
                companies = _Companies(tx)
                for checked in self.rows:
                    self._import_batch(tx, checked, companies)
                    if progress is not None:
                        progress(self.tally.read)
                refused = self.tally.rejected and not skip_invalid
                if refused or dry_run:
                    _roll_back()
                tx.log_event("import", self.batch_id, self._event())
        except _RollbackError:
            pass
        except ImportRefusedError as e:
            self.report = self._report(dry_run=dry_run, written=False)
            e.report = self.report
            raise
        finally:
            self._first_keys.close()
            self._claims.close()
        written = not dry_run and not (self.tally.rejected and not skip_invalid)
        self.report = self._report(dry_run=dry_run, written=written)
        if not written and not dry_run:
            raise self._refusal()

    # --- one batch ----------------------------------------------------------------------

    def _import_batch(self, tx: Any, checked: Checked, companies: _Companies) -> None:
        self.tally.read += len(checked)
        good: Checked = []
        for row, values, new, own in checked:
            if values.problems:
                self._reject(row, values.problems)
            else:
                good.append((row, values, new, own))
        self._refuse_repeated_keys(good)
        repo = getattr(tx, _repository(self.cls))
        matches = find_matches(repo, self.keys, [own for *_, own in good])
        existing = _load(repo, {i for found in matches for i in found})
        claimed = self._claimed(good, matches)
        added: list[Any] = []
        links: list[tuple[Any, str]] = []
        for (row, values, new, _), found, other in zip(good, matches, claimed, strict=True):
            record = self._decide(row, values, new, found=found, existing=existing, claimed=other)
            if record is None:
                continue
            if record.id in existing:
                if record == existing[record.id]:
                    self.tally.unchanged += 1
                else:
                    repo.put(record)
                    self.tally.updated += 1
            else:
                added.append(record)
                self.tally.created += 1
            if values.company_name:
                links.append((record, values.company_name))
        repo.add_many(added)
        if links:
            companies.link(links, existing)

    def _refuse_repeated_keys(self, good: Checked) -> None:
        """The first key may not repeat in the file: which row wins would be a guess."""
        if not self.keys:
            return
        pairs = [(own[0], values.line) for _, values, _, own in good if own[0] is not None]
        repeats = self._first_keys.earlier(pairs)
        if repeats:
            position = min(repeats)
            value, line = pairs[position]
            first = repeats[position]
            raise ImportRefusedError(
                f"repeats the {self.keys[0]} of line {first}: a key must be unique in the "
                "file, so nothing was imported",
                entity=self.table.name,
                row=line,
                field=str(self.keys[0]),
                value=value[0] if len(value) == 1 else value,
                hint="merge the two rows or remove one, then import the file again",
            )

    def _claimed(self, good: Checked, matches: Sequence[Mapping[str, str]]) -> list[int | None]:
        """For each row, the earlier line that changes the one record it matches (a later
        key may repeat in the file, but two rows may not change one record)."""
        if self.mode == "create":
            return [None] * len(good)
        single = [
            (position, next(iter(found)), values.line)
            for position, ((_, values, _, _), found) in enumerate(zip(good, matches, strict=True))
            if len(found) == 1
        ]
        earlier = self._claims.earlier([(record_id, line) for _, record_id, line in single])
        claimed: list[int | None] = [None] * len(good)
        for index, first in earlier.items():
            claimed[single[index][0]] = first
        return claimed

    def _decide(
        self,
        row: SourceRow,
        values: RowValues,
        new: Any,
        *,
        found: Mapping[str, str],
        existing: Mapping[str, Any],
        claimed: int | None,
    ) -> Any | None:
        """The record this row writes (an update of the matched one, or ``new``, the
        record the reader made of it), or None when the row is rejected. ``claimed`` is
        the earlier line that changes the record this row matches, if one does."""
        label = self.cls.ENTITY
        if len(found) > 1:
            which = ", ".join(f"{record_id} (by {how})" for record_id, how in found.items())
            return self._refuse_row(
                row,
                values,
                "key",
                f"matches {len(found)} different {label}s: {which}",
                "merge them first, or give the row the key of the one it is",
            )
        if found:
            [record_id] = found
            if self.mode == "create":
                return self._refuse_row(
                    row,
                    values,
                    "key",
                    f"is already stored as {label} {record_id} (by {found[record_id]})",
                    "import with mode upsert or update to change it",
                )
            if claimed is not None:
                return self._refuse_row(
                    row,
                    values,
                    "key",
                    f"matches {label} {record_id}, which line {claimed} already changes",
                    "merge the two rows, or give each its own key",
                )
            record = existing[record_id]
            return self._built(row, values, lambda: _updated(record, _fields_for(record, values)))
        if "id" in values.fields:
            return self._refuse_row(
                row,
                values,
                "id",
                f"names no {label} of this base",
                "leave the id empty to create the row as a new record, or map the column "
                "to another system's id (--map HEADER=external_id)",
            )
        if self.mode == "update":
            keys = " or ".join(str(k) for k in self.keys) or "key"
            return self._refuse_row(
                row,
                values,
                "key",
                f"matches no stored {label} by {keys}",
                "import with mode upsert to create it, or correct its key",
            )
        if isinstance(new, Problem):
            self._reject(row, (new,))
            return None
        return new

    def _built(self, row: SourceRow, values: RowValues, build: Callable[[], Any]) -> Any | None:
        """``build()``, or None with the row rejected when the values do not make a valid
        record together (a check across fields the cells alone could not see)."""
        try:
            return build()
        except ValidationError as e:
            self._reject(row, (invalid_record(values.line, self.mapping, e),))
            return None

    def _refuse_row(
        self, row: SourceRow, values: RowValues, field: str, reason: str, hint: str
    ) -> Any | None:
        """Reject the row for ``reason``; None, as :meth:`_decide` returns for it."""
        keys = [k.value(values.fields) for k in self.keys]
        shown = next((k[0] if len(k) == 1 else k for k in keys if k is not None), "")
        column = self.mapping.header_of(field)
        self._reject(row, (Problem(values.line, column, field, shown, f"{reason}; {hint}"),))
        return None

    def _reject(self, row: SourceRow, problems: Sequence[Problem]) -> None:
        self.tally.rejected += 1
        room = SHOWN - len(self.tally.problems)
        self.tally.problems.extend(problems[: max(room, 0)])
        if self.rejects is not None:
            self.rejects.write(row.cells, problems)

    # --- the record of it ---------------------------------------------------------------

    def _event(self) -> dict[str, Any]:
        t = self.tally
        return {
            "source": self.table.name,
            "entity": _repository(self.cls),
            "mode": self.mode,
            "mapping": self.mapping.to_json(),
            "keys": [str(k) for k in self.keys],
            "provenance": None if self.provenance is None else self.provenance.value,
            "rows": t.read,
            "created": t.created,
            "updated": t.updated,
            "unchanged": t.unchanged,
            "rejected": t.rejected,
        }

    def _report(self, *, dry_run: bool, written: bool) -> ImportReport:
        t = self.tally
        return ImportReport(
            batch_id=self.batch_id,
            source=self.table.name,
            entity=_repository(self.cls),
            mode=self.mode,
            mapping=self.mapping,
            keys=tuple(str(k) for k in self.keys),
            created=t.created,
            updated=t.updated,
            unchanged=t.unchanged,
            rejected=t.rejected,
            dry_run=dry_run,
            written=written,
            notes=(*self.table.notes, *_unmapped_note(self.mapping)),
            problems=tuple(t.problems),
            errors_path=None
            if self.rejects is None or not self.rejects.rows
            else self.rejects.path,
        )

    def _refusal(self) -> ImportRefusedError:
        first = self.tally.problems[0]
        where = (
            f"; the reject file {self.report.errors_path} has them all"
            if self.report.errors_path
            else ""
        )
        error = ImportRefusedError(
            f"{first.reason} (the first of {self.tally.rejected} bad rows out of "
            f"{self.tally.read}, so nothing was imported{where})",
            entity=self.table.name,
            row=first.line,
            field=first.field,
            value=first.value,
            hint="fix those rows and import the file again, or import with skip_invalid "
            "to import the good rows",
        )
        error.report = self.report
        return error


def _unmapped_note(mapping: ColumnMapping) -> tuple[str, ...]:
    """What was left out: columns the base computes itself (an export's roll-ups and
    stamps), and columns nothing matched."""
    computed = [h for h in mapping.unmapped if h.strip() in COMPUTED]
    other = [h for h in mapping.unmapped if h.strip() not in COMPUTED]
    notes = []
    if computed:
        notes.append(f"not imported, the base computes them: {', '.join(computed)}")
    if other:
        notes.append(
            f"not imported, no field for: {', '.join(other)} "
            "(map them, or keep them as custom properties)"
        )
    return tuple(notes)


def _repository(cls: type[Any]) -> str:
    return "contacts" if cls is Contact else "companies"


def _load(repo: Any, ids: set[str]) -> dict[str, Any]:
    """The stored records of ``ids``, by id."""
    if not ids:
        return {}
    return {record.id: record for record in repo.select(F("id").is_in(sorted(ids)))}


def _fields_for(record: Any, values: RowValues) -> Mapping[str, Any]:
    """The row's fields for updating ``record``: without the name parts of a full name
    the record already has, however it splits it (``Lucía Jiménez Gil`` stays first
    name Lucía, last name Jiménez Gil, not middle name Jiménez)."""
    if values.full_name is None:
        return values.fields
    stored = {part: getattr(record, part, None) for part in NAME_PARTS}
    if joined_name(stored) != values.full_name:
        return values.fields
    return {name: v for name, v in values.fields.items() if name not in values.from_full_name}


def _updated(record: Any, fields: Mapping[str, Any]) -> Any:
    """``record`` with what the file gives: lists merged file-first, maps merged, an
    address changed only in the parts the file has columns for."""
    changes: dict[str, Any] = {}
    for name, given in fields.items():
        if name == "emails":
            changes[name] = _merged(given, record.emails, lambda e: e.address.casefold())
        elif name == "phones":
            changes[name] = _merged(given, record.phones, lambda p: p.e164)
        elif name in {"custom", "external_ids"}:
            changes[name] = {**getattr(record, name), **given}
        elif isinstance(given, Address) and getattr(record, name) is not None:
            parts = attrs.asdict(given, recurse=False)
            given_parts = {part: value for part, value in parts.items() if value is not None}
            changes[name] = attrs.evolve(getattr(record, name), **given_parts)
        else:
            changes[name] = given
    return attrs.evolve(record, **changes)


def _merged(
    given: Sequence[Any], stored: Sequence[Any], identity: Callable[[Any], Any]
) -> tuple[Any, ...]:
    """The file's items first, then the record's others. An item the record already
    holds (``OLA@example.no`` for ``ola@example.no``) stays as stored unless the file
    gives it another label, so a re-import of the same file changes nothing."""
    kept = {identity(item): item for item in stored}
    first = [
        kept[key] if key in kept and item.label in {None, kept[key].label} else item
        for item, key in ((item, identity(item)) for item in given)
    ]
    seen = {identity(item) for item in given}
    return (*first, *(item for item in stored if identity(item) not in seen))


class _Companies:
    """A contact row's company: found by its name's key (``ООО «Ромашка»`` is
    ``Ромашка``), created when the base has none, and linked to the contact."""

    def __init__(self, tx: Any) -> None:
        self._tx = tx
        self._by_key: dict[str, str] | None = None  # company_key -> id, read on first use

    def link(self, pairs: Sequence[tuple[Any, str]], existing: Mapping[str, Any]) -> None:
        by_key = self._known()
        new_companies: list[Company] = []
        for _, name in pairs:
            key = company_key(name)
            if key not in by_key:
                company = Company(name=name)
                by_key[key] = company.id
                new_companies.append(company)
        self._tx.companies.add_many(new_companies)
        stored = [contact.id for contact, _ in pairs if contact.id in existing]
        linked = self._linked(stored)
        affiliations = [
            Affiliation(contact_id=contact.id, company_id=by_key[company_key(name)])
            for contact, name in pairs
            if (contact.id, by_key[company_key(name)]) not in linked
        ]
        self._tx.affiliations.add_many(affiliations)

    def _known(self) -> dict[str, str]:
        if self._by_key is None:
            self._by_key = {}
            for company_id, name in self._tx.companies.select_columns(["id", "name"]):
                self._by_key.setdefault(company_key(name), company_id)
        return self._by_key

    def _linked(self, contact_ids: Sequence[str]) -> set[tuple[str, str]]:
        if not contact_ids:
            return set()
        rows = self._tx.affiliations.select_columns(
            ["contact_id", "company_id"], F("contact_id").is_in(contact_ids)
        )
        return {(contact_id, company_id) for contact_id, company_id in rows}
