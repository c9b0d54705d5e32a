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
from custdb.query.expr import And, Condition, Not, Op, Or, Query

__all__ = ["from_json", "to_json"]

_VALUELESS = frozenset({Op.IS_NULL, Op.NOT_NULL})


def to_json(query: Query) -> dict[str, Any]:
    """``query`` as plain JSON-ready data (dicts, lists, strings, numbers, booleans)."""
    if isinstance(query, And):
        return {"and": [to_json(part) for part in query.parts]}
    if isinstance(query, Or):
        return {"or": [to_json(part) for part in query.parts]}
    if isinstance(query, Not):
        return {"not": to_json(query.part)}
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


MAX_DEPTH = 64  # nested and/or/not levels: far beyond a real segment, far below the stack


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
        raise QueryError(
            f"nests and/or/not more than {MAX_DEPTH} levels deep",
            hint="flatten it: 'and' and 'or' take a list of any length",
        )
    if keys in ({"and"}, {"or"}):
        parts = data.get("and", data.get("or"))
        if not isinstance(parts, list):
            raise QueryError(f"{next(iter(keys))!r} needs a list of queries", value=parts)
        group = And if "and" in data else Or
        return group(tuple(_read(part, depth - 1) for part in parts))
    if keys == {"not"}:
        return Not(_read(data["not"], depth - 1))
    return _condition(data)


def _condition(data: Mapping[str, Any]) -> Condition:
    field, op_name = data.get("field"), data.get("op")
    if not isinstance(field, str) or not isinstance(op_name, str):
        raise QueryError(
            "a condition needs 'field' and 'op' as text",
            value=dict(data),
            hint='e.g. {"field": "total_spent", "op": "ge", "value": 1000}',
        )
    try:
        op = Op(op_name)
    except ValueError:
        raise QueryError(
            "unknown operator",
            field=field,
            value=op_name,
            hint=f"use one of: {', '.join(o.value for o in Op)}",
        ) from None
    extra = set(data) - {"field", "op", "value"}
    if extra or (op not in _VALUELESS and "value" not in data):
        raise QueryError(
            "a condition holds 'field', 'op' and (but for is_null/not_null) 'value'",
            field=field,
            value=dict(data),
        )
    value = data.get("value")
    return Condition(field, op, tuple(value) if isinstance(value, list) else value)
