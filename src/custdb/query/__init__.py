"""The one filter language: ``F("total_spent") >= 1000``, ``&``, ``|``, ``~``.

Segments, access rules, triggers and ``Repository.select`` all take these queries. The
same query gives the same rows in memory and inside every database: ``predicate`` is the
reference evaluator, and the storage adapters compile the same bound form to SQL.
"""

from custdb.query.bind import Bound, BoundCondition, BoundGroup, BoundNot, bind
from custdb.query.expr import ALL, And, Condition, F, Not, Op, Or, Query
from custdb.query.fields import FieldInfo, FieldKind, Source, fields_for
from custdb.query.memory import OrderBy, matches, order_by, predicate, predicate_of, sort
from custdb.query.serial import from_json, to_json

__all__ = [
    "ALL",
    "And",
    "Bound",
    "BoundCondition",
    "BoundGroup",
    "BoundNot",
    "Condition",
    "F",
    "FieldInfo",
    "FieldKind",
    "Not",
    "Op",
    "Or",
    "OrderBy",
    "Query",
    "Source",
    "bind",
    "fields_for",
    "from_json",
    "matches",
    "order_by",
    "predicate",
    "predicate_of",
    "sort",
    "to_json",
]
