"""The JSON form of a query: stable, documented, and safe to take from outside.

    {"field": "total_spent", "op": "ge", "value": 1000}
    {"and": [q, ...]}   {"or": [q, ...]}   {"not": q}

Values are JSON scalars: numbers stay numbers, ``Decimal`` becomes a string (so no digit
is lost), dates and datetimes their ISO text, enums their value, a list for ``in``,
``between`` and ``contains_any``. Binding turns them back into the field's type, so a
query read from JSON selects exactly the rows the original did.
``to_json(from_json(data)) == data`` holds for every document ``to_json`` writes.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from custdb.errors import QueryError
from custdb.query.bind import MAX_DEPTH
from custdb.query.expr import And, Condition, Not, Op, Or, Query
from custdb.query.values import shown

__all__ = ["MAX_DEPTH", "from_json", "to_json"]

_VALUELESS = frozenset({Op.IS_NULL, Op.NOT_NULL})


def to_json(query: Query) -> dict[str, Any]:
    """``query`` as plain JSON-ready data (dicts, lists, strings, numbers, booleans).

    A query nested deeper than ``MAX_DEPTH`` levels is a ``QueryError``, as in
    ``from_json``: no store could run it, and its document could not be read back."""
    return _write(query, 0)


def _write(query: Query, depth: int) -> dict[str, Any]:
    if isinstance(query, And | Or | Not) and depth >= MAX_DEPTH:
        raise _too_deep()
    if isinstance(query, And):
        return {"and": [_write(part, depth + 1) for part in query.parts]}
    if isinstance(query, Or):
        return {"or": [_write(part, depth + 1) for part in query.parts]}
    if isinstance(query, Not):
        return {"not": _write(query.part, depth + 1)}
    if not isinstance(query, Condition):
        raise QueryError(
            f"is not a query (a {type(query).__name__})",
            value=shown(query),
            hint='build one with F("field") == value, & | ~',
        )
    data: dict[str, Any] = {"field": query.field, "op": query.op.value}
    if query.op not in _VALUELESS:
        data["value"] = _json_value(query.value)
    return data


def _json_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(_json_value(item) for item in value)
    if hasattr(value, "amount") and hasattr(value, "currency"):
        return str(value.amount)
    return value


def from_json(data: Any) -> Query:
    """Read a query written by ``to_json`` (or by hand); ``QueryError`` names what is wrong.

    Queries often come from outside (a saved segment, a web form), so nesting deeper than
    ``MAX_DEPTH`` levels is refused rather than left to exhaust Python's stack."""
    return _read(data, MAX_DEPTH)


def _read(data: Any, depth: int) -> Query:
    if not isinstance(data, Mapping):
        raise QueryError("a query must be a JSON object", value=data)
    keys = set(data)
    if keys in ({"and"}, {"or"}, {"not"}) and depth == 0:
        raise _too_deep()
    if keys in ({"and"}, {"or"}):
        parts = data.get("and", data.get("or"))
        if not isinstance(parts, list):
            raise QueryError(f"{next(iter(keys))!r} needs a list of queries", value=shown(parts))
        group = And if "and" in data else Or
        return group(tuple(_read(part, depth - 1) for part in parts))
    if keys == {"not"}:
        return Not(_read(data["not"], depth - 1))
    return _condition(data)


def _too_deep() -> QueryError:
    return QueryError(
        f"nests and/or/not more than {MAX_DEPTH} levels deep",
        hint="flatten it: 'and' and 'or' take a list of any length",
    )


def _condition(data: Mapping[str, Any]) -> Condition:
    field, op_name = data.get("field"), data.get("op")
    if not isinstance(field, str) or not isinstance(op_name, str):
        raise QueryError(
            "a condition needs 'field' and 'op' as text",
            value=shown(dict(data)),
            hint='e.g. {"field": "total_spent", "op": "ge", "value": 1000}',
        )
    try:
        op = Op(op_name)
    except ValueError:
        raise QueryError(
            "unknown operator",
            field=field,
            value=shown(op_name),
            hint=f"use one of: {', '.join(o.value for o in Op)}",
        ) from None
    extra = set(data) - {"field", "op", "value"}
    if extra or (op not in _VALUELESS and "value" not in data):
        raise QueryError(
            "a condition holds 'field', 'op' and (but for is_null/not_null) 'value'",
            field=field,
            value=shown(dict(data)),
        )
    value = data.get("value")
    if isinstance(value, Mapping) or (
        isinstance(value, list) and any(isinstance(item, list | Mapping) for item in value)
    ):
        raise QueryError(
            "a value is a JSON scalar (text, number, true/false) or a list of them",
            field=field,
            value=shown(value),
            hint='e.g. "value": 1000, or "value": ["gold", "silver"] for in',
        )
    return Condition(field, op, tuple(value) if isinstance(value, list) else value)
