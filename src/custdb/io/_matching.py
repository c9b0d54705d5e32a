"""Which stored record an imported row is: exact keys only, looked up a batch at a time.

A row is matched through its *keys*, tried in order. A file with this base's own ids
(an ``id`` column, as ``custdb export`` writes it) is matched on them alone: they are
exact, and an exported base may hold two contacts sharing an e-mail. Otherwise the
defaults are the external id (when a column holds one), then the main e-mail; the
phone only when the file has neither, since a phone is often shared (a family's
landline, a company's switchboard). A key the caller names is the only one tried.
Every key the row has is looked up, so a row whose external id finds one record and
whose e-mail finds another is caught, not merged: it matches both, and the importer
rejects it naming both ids. E-mails compare casefolded, phones in E.164 form, as the
store's own queries do.

The first key must be unique in the file (a repeat refuses the whole file: which of
the two rows would win is a guess); a later key may repeat, and the importer refuses
the second row that lands on a record already claimed by another.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from custdb.errors import ValidationError
from custdb.io.mapping import ColumnMapping, Target
from custdb.query import F, Query

__all__ = ["Key", "find_matches", "keys_for"]

_LOOKUP_BATCH = 500  # values per IN (...) lookup: well under every driver's parameter cap


@attrs.frozen
class Key:
    """One way to recognise a record: one field, or several that must all agree."""

    parts: tuple[Target, ...]

    def __str__(self) -> str:
        return " + ".join(_part_name(part) for part in self.parts)

    def value(self, fields: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The row's value of this key (None when a part is missing)."""
        values = tuple([_part_value(part, fields) for part in self.parts])
        return None if None in values else values


def keys_for(
    mapping: ColumnMapping, key: str | Sequence[str] | None, *, entity: str
) -> tuple[Key, ...]:
    """The keys an import matches on: those ``key`` names (headers or field names,
    several for a composite key), else the defaults the mapping allows."""
    if key is None:
        return _default_keys(mapping)
    names = [key] if isinstance(key, str) else list(key)
    if isinstance(key, str) and "," in key:
        names = [n.strip() for n in key.split(",")]
    return (Key(tuple(_named_part(mapping, name, entity) for name in names)),)


def _default_keys(mapping: ColumnMapping) -> tuple[Key, ...]:
    mapped = [t for t in mapping.targets if t is not None]
    if any(t.kind == "id" for t in mapped):
        return (Key((Target("id"),)),)  # the record's own id: exact, nothing else needed
    ids = [t for t in mapped if t.kind == "external_id"]
    keys = [Key((Target("external_id", ids[0].name),))] if ids else []
    if any(t.kind == "email" for t in mapped):
        keys.append(Key((Target("email"),)))
    elif not keys and any(t.kind == "phone" for t in mapped):
        keys.append(Key((Target("phone"),)))
    return tuple(keys)


def _named_part(mapping: ColumnMapping, name: str, entity: str) -> Target:
    """A key part from a header of the file or a field name."""
    if name in mapping.headers:
        target = mapping.targets[mapping.headers.index(name)]
        if target is None or target.kind in {"ignore", "company", "full_name", "address"}:
            raise ValidationError(
                "cannot be the key: the column is "
                + ("not mapped to a field" if target is None else f"mapped to {target}"),
                field="key",
                value=name,
                hint="map it to an id, e-mail, phone or field (--map HEADER=field), "
                "or name another column",
            )
        return _key_target(target)
    try:
        return _key_target(Target.parse(name, entity=entity))
    except ValidationError as e:
        raise ValidationError(
            "is neither a header of the file nor a field",
            field="key",
            value=name,
            hint=f"give one of the headers ({', '.join(mapping.headers)}) or a field name",
        ) from e


def _key_target(target: Target) -> Target:
    """Labels do not matter to a key: any e-mail column keys on the main e-mail."""
    if target.kind in {"email", "phone"}:
        return Target(target.kind)
    return target


def _part_name(part: Target) -> str:
    return {"email": "e-mail", "phone": "phone", "id": "id"}.get(
        part.kind, f"{part.name} id" if part.kind == "external_id" else part.name
    )


def _part_value(part: Target, fields: Mapping[str, Any]) -> Any:
    if part.kind == "email":
        emails = fields.get("emails") or ()
        return emails[0].address.casefold() if emails else None
    if part.kind == "phone":
        phones = fields.get("phones") or ()
        return phones[0].e164 if phones else None
    if part.kind == "id":
        return fields.get("id")
    if part.kind == "external_id":
        return (fields.get("external_ids") or {}).get(part.name)
    if part.kind == "custom":
        return (fields.get("custom") or {}).get(part.name)
    return fields.get(part.name)


def find_matches(
    repo: Any, keys: Sequence[Key], rows: Sequence[Sequence[tuple[Any, ...] | None]]
) -> list[dict[str, str]]:
    """For each row (its value of each key, as :meth:`Key.value` gives it), the ids of
    the records its keys find, each with the key that found it (``{record id:
    "e-mail"}``)."""
    found: list[dict[str, str]] = [{} for _ in rows]
    for position, key in enumerate(keys):
        values = [row[position] for row in rows]
        for index, ids in _look_up(repo, key, values).items():
            for record_id in ids:
                found[index].setdefault(record_id, str(key))
    return found


def _look_up(repo: Any, key: Key, values: Sequence[tuple[Any, ...] | None]) -> dict[int, list[str]]:
    """Row index -> ids of the records holding that row's key value."""
    wanted = {i: v for i, v in enumerate(values) if v is not None}
    if not wanted:
        return {}
    [part] = key.parts if len(key.parts) == 1 else (None,)
    if part is not None and part.kind == "external_id":
        hits = {i: repo.by_external_id(part.name, str(v[0])) for i, v in wanted.items()}
        return {i: [record.id] for i, record in hits.items() if record is not None}
    if part is None or part.kind == "custom":
        return {i: _ids_where(repo, _all_equal(key, v)) for i, v in wanted.items()}
    field = part.name or part.kind  # "email", "phone" or a plain field
    by_value: dict[Any, list[int]] = defaultdict(list)
    for i, v in wanted.items():
        by_value[v[0]].append(i)
    matched: dict[int, list[str]] = {}
    distinct = list(by_value)
    for start in range(0, len(distinct), _LOOKUP_BATCH):
        chunk = distinct[start : start + _LOOKUP_BATCH]
        columns = ["id"] if field == "id" else ["id", field]
        for record_id, *rest in repo.select_columns(columns, F(field).is_in(chunk)):
            stored = rest[0] if rest else record_id
            value = stored.casefold() if field == "email" and stored else stored
            for i in by_value.get(value, ()):
                matched.setdefault(i, []).append(record_id)
    return matched


def _all_equal(key: Key, value: tuple[Any, ...]) -> Query:
    conditions = [
        F(part.kind if part.kind in {"email", "phone"} else part.name) == part_value
        for part, part_value in zip(key.parts, value, strict=True)
    ]
    query: Query = conditions[0]
    for condition in conditions[1:]:
        query &= condition
    return query


def _ids_where(repo: Any, query: Query) -> list[str]:
    return [record_id for (record_id,) in repo.select_columns(["id"], query, limit=3)]
