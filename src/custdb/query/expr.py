"""The filter expressions: ``F("total_spent") >= 1000``, combined with ``&``, ``|``, ``~``.

An expression is plain data (attrs frozen classes): it knows field names and values,
not entities or tables. Checking it against an entity and evaluating it are the jobs of
``bind``, the in-memory evaluator and the storage compiler, so that one query gives the
same rows wherever it runs.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, Union

import attrs

__all__ = ["ALL", "And", "Condition", "F", "Not", "Op", "Or", "Query"]


class Op(str, enum.Enum):
    """Every operator, by the name the JSON form uses."""

    EQ = "eq"
    NE = "ne"
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"
    BETWEEN = "between"
    IN = "in"
    IS_NULL = "is_null"
    NOT_NULL = "not_null"
    CONTAINS = "contains"
    CONTAINS_ANY = "contains_any"
    WITHIN_DAYS = "within_days"
    OLDER_THAN = "older_than"
    NEWER_THAN = "newer_than"


class _Combinable:
    """``&``, ``|`` and ``~`` for every expression node."""

    def __and__(self, other: Query) -> And:
        return And(_flatten(And, (self, other)))  # type: ignore[arg-type]

    def __or__(self, other: Query) -> Or:
        return Or(_flatten(Or, (self, other)))  # type: ignore[arg-type]

    def __invert__(self) -> Query:
        if isinstance(self, Not):
            return self.part
        return Not(self)  # type: ignore[arg-type]


@attrs.frozen
class Condition(_Combinable):
    """One test of one field: ``field op value``."""

    field: str
    op: Op = attrs.field(converter=Op)
    value: Any = None


def _to_parts(parts: Iterable[Query]) -> tuple[Query, ...]:
    return tuple(parts)


@attrs.frozen
class And(_Combinable):
    """All parts hold. ``And(())`` holds for every record (see ``ALL``)."""

    parts: tuple[Query, ...] = attrs.field(converter=_to_parts)


@attrs.frozen
class Or(_Combinable):
    """At least one part holds. ``Or(())`` holds for no record."""

    parts: tuple[Query, ...] = attrs.field(converter=_to_parts)


@attrs.frozen
class Not(_Combinable):
    """The part does not hold. Two-valued: a comparison on an empty field is false, so
    its negation is true."""

    part: Query


Query = Union[Condition, And, Or, Not]  # noqa: UP007 - attrs needs a runtime alias on 3.10

ALL: Query = And(())
"""The query every record matches."""


def _flatten(kind: type[And | Or], parts: Iterable[Query]) -> tuple[Query, ...]:
    flat: list[Query] = []
    for part in parts:
        flat.extend(part.parts if isinstance(part, kind) else (part,))
    return tuple(flat)


class F:
    """A field to filter on: core (``"email"``), roll-up (``"total_spent"``) or custom.

    A plain class, not attrs: its comparison operators build conditions, and attrs (and
    its mypy plugin) would claim them for comparing ``F`` objects.
    """

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"F({self.name!r})"

    def __eq__(self, value: object) -> Condition:  # type: ignore[override]
        return Condition(self.name, Op.EQ, value)

    def __ne__(self, value: object) -> Condition:  # type: ignore[override]
        return Condition(self.name, Op.NE, value)

    def __lt__(self, value: Any) -> Condition:
        return Condition(self.name, Op.LT, value)

    def __le__(self, value: Any) -> Condition:
        return Condition(self.name, Op.LE, value)

    def __gt__(self, value: Any) -> Condition:
        return Condition(self.name, Op.GT, value)

    def __ge__(self, value: Any) -> Condition:
        return Condition(self.name, Op.GE, value)

    __hash__ = None  # type: ignore[assignment]  # == builds a Condition, so F is not a key

    def between(self, low: Any, high: Any) -> Condition:
        """``low <= field <= high``."""
        return Condition(self.name, Op.BETWEEN, (low, high))

    def is_in(self, values: Iterable[Any]) -> Condition:
        return Condition(self.name, Op.IN, tuple(values))

    def is_null(self) -> Condition:
        """The field is empty (``None``; for tags and other sets: no element)."""
        return Condition(self.name, Op.IS_NULL)

    def not_null(self) -> Condition:
        return Condition(self.name, Op.NOT_NULL)

    def contains(self, value: Any) -> Condition:
        """A set field holds ``value``; a text field holds it as a substring, any case."""
        return Condition(self.name, Op.CONTAINS, value)

    def contains_any(self, values: Iterable[Any]) -> Condition:
        """A set field holds at least one of ``values``; an empty list matches nothing."""
        return Condition(self.name, Op.CONTAINS_ANY, tuple(values))

    def within_days(self, days: int) -> Condition:
        """The date falls in the next ``days`` days, today included.

        On ``birthday`` it is the next anniversary that counts, not the year of birth.
        """
        return Condition(self.name, Op.WITHIN_DAYS, days)

    def older_than(self, *, days: int) -> Condition:
        """The date is more than ``days`` days before now. Empty fields do not match:
        add ``| F(name).is_null()`` to include records that never had one."""
        return Condition(self.name, Op.OLDER_THAN, days)

    def newer_than(self, *, days: int) -> Condition:
        """The date is at most ``days`` days before now (or later)."""
        return Condition(self.name, Op.NEWER_THAN, days)
