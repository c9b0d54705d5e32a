"""Case in tags and e-mail addresses: one rule for every store.

Tags (a contact's or company's categories) and the main e-mail address match without
regard to case: a query's value and the record's are compared in their casefolded
form (Python's ``str.casefold``, so ``ПОСТОЯННЫЙ`` finds ``Постоянный`` and ``STRASSE``
finds ``straße``). Records keep the spelling they were given; counting the values in
use (:func:`tally`) shows each one in the spelling most records use.

The memory evaluator folds both sides; the SQL stores keep the folded form in a column
of its own (``email_key``, ``tags_key``) written with this same function, so the
databases never fold with their own ``lower()``, which differs from Python's for some
scripts, and an index serves the folded comparison.

``contains`` on text ignores case too (the memory evaluator folds both sides). The
fields people search by name (:data:`SEARCHED`) keep a folded copy in a column of their
own (``last_name_folded``: :func:`search_column`), so a SQL store finds a part of them
with a plain ``instr`` on that column and the value folded here, no function call per
row and the very answer of the memory evaluator; other text fields are folded in SQL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from custdb.errors import QueryError
from custdb.query.fields import FieldInfo, FieldKind, Source, fields_for

__all__ = [
    "FOLDED",
    "SEARCHED",
    "counted_field",
    "fold",
    "folds",
    "key_column",
    "search_column",
    "spelled",
    "tally",
    "values_of",
]

FOLDED = frozenset({"email", "tags"})
"""The fields that match without regard to case (core and derived, never custom)."""


def folds(info: FieldInfo) -> bool:
    """Whether ``info`` matches without regard to case."""
    return info.name in FOLDED and info.source is not Source.CUSTOM


def key_column(info: FieldInfo) -> str:
    """The name of the SQL column that holds the folded form of a folded field."""
    return f"{info.name}_key"


SEARCHED = frozenset(
    {"first_name", "last_name", "middle_name", "name", "company_name", "job_title", "subject"}
)
"""The text fields (core, never custom) whose folded copy a SQL store keeps for
``contains``: the names people look records up by. Each costs a column as long as its
text, so fields searched rarely (notes, bodies) are folded per row instead."""


def search_column(info: FieldInfo) -> str | None:
    """The SQL column that holds ``info`` folded for ``contains``: the key column of a
    folded field, ``<column>_folded`` of a searched one, else None (folded in SQL)."""
    if folds(info):
        return key_column(info)
    if info.name in SEARCHED and info.kind is FieldKind.TEXT and info.source is Source.CORE:
        return f"{info.column}_folded"
    return None


def fold(value: Any) -> Any:
    """The folded form of a text, or of each text in a tuple or set (bounds, lists)."""
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, frozenset | set):
        return frozenset(item.casefold() for item in value)
    if isinstance(value, tuple):
        return tuple(item.casefold() if isinstance(item, str) else item for item in value)
    return value


_CUSTOM_COUNTED = frozenset({FieldKind.TEXT, FieldKind.ENUM, FieldKind.SET})


def counted_field(entity: type, name: object, schema: Any = None) -> FieldInfo:
    """The field ``distinct`` counts: any filterable field, custom ones of text, choice
    or multi-choice kind (numbers and dates in JSON have no one spelling to group by)."""
    label = getattr(entity, "ENTITY", entity.__name__)
    catalog = fields_for(entity, schema)
    info = catalog.get(name) if isinstance(name, str) else None
    if info is None:
        raise QueryError(
            "no such field to count values of",
            entity=label,
            field=name if isinstance(name, str) else repr(name),
            hint=f"known fields: {', '.join(sorted(catalog))}",
        )
    if info.source is Source.CUSTOM and info.kind not in _CUSTOM_COUNTED:
        raise QueryError(
            f"distinct counts custom fields of text or choice kinds, not {info.kind.value}",
            entity=label,
            field=info.name,
            hint="count a range instead: count(F(field).between(lo, hi))",
        )
    return info


def values_of(info: FieldInfo, record: Any) -> Iterable[Any]:
    """The values ``record`` holds in field ``info``, as :func:`tally` counts them: the
    elements of a set field, once each; the value of any other, unless empty."""
    value = info.value_of(record)
    if value is None:
        return ()
    if info.kind is FieldKind.SET:
        return set(value)
    if info.kind is FieldKind.MONEY:
        return (value.amount,)
    if info.kind is FieldKind.ENUM:
        return (str(getattr(value, "value", value)),)
    return (value,)


def tally(
    spellings: Mapping[tuple[Any, Any], int], records: Mapping[Any, int] | None = None
) -> dict[Any, int]:
    """Values in use and how many records hold each, most common first (ties in value
    order), from ``spellings``: records per (folded key, spelling). A key is shown in
    the spelling most records use (ties: the first in code-point order). ``records``
    gives the records per key where a record can hold two spellings of one key (a set);
    otherwise the spellings' counts add up."""
    per_key: dict[Any, int] = dict(records) if records is not None else {}
    best: dict[Any, tuple[int, Any]] = {}
    for (key, spelling), count in spellings.items():
        if records is None:
            per_key[key] = per_key.get(key, 0) + count
        held = best.get(key)
        if held is None or (-count, spelling) < (-held[0], held[1]):
            best[key] = (count, spelling)
    rows = sorted((-per_key[key], spelling) for key, (_, spelling) in best.items())
    return {spelling: -negated for negated, spelling in rows}


def spelled(info: FieldInfo, records: Iterable[Any]) -> dict[Any, int]:
    """:func:`tally` of ``records``, counted in Python (the memory store's way)."""
    spellings: Counter[tuple[Any, Any]] = Counter()
    per_key: Counter[Any] = Counter()
    folded = folds(info)
    for record in records:
        values = values_of(info, record)
        if folded:
            per_key.update({fold(value) for value in values})
        spellings.update((fold(value) if folded else value, value) for value in values)
    return tally(spellings, per_key if folded and info.kind is FieldKind.SET else None)
