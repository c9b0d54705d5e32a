"""The SQL stores' reading of the change log: a ``ChangeFilter`` as one SELECT, whose
``entity`` and ``record_id`` conditions the ``(entity, record_id)`` index serves, and a
row as a ``Change`` with its JSON keys sorted (PostgreSQL's JSONB keys keep no order).

An add's ``after`` is NULL while the record is as it was added: it is then the
record's ``doc``, read from its row here (``_sql._added``; the first put or the removal
copies the text into the log first), so a bulk load does not write each record twice.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from custdb.storage._log import ChangeFilter, in_key_order
from custdb.storage._tables import CHANGES, TABLES
from custdb.storage.base import ENTITIES, Change

__all__ = ["change_of", "select_changes"]


def select_changes(since: int, limit: int | None, wanted: ChangeFilter) -> sa.Select[Any]:
    """The changes after ``since`` that ``wanted`` lets through, oldest first."""
    log = CHANGES.c
    query = sa.select(*_COLUMNS).where(log.seq > since, *_conditions(wanted))
    return query.order_by(log.seq).limit(limit)


def _after() -> sa.ColumnElement[Any]:
    """``after``, or for an add kept by reference the record's ``doc`` from its row."""
    log = CHANGES.c
    docs = [
        (
            log.entity == cls.ENTITY,  # type: ignore[attr-defined]
            sa.select(TABLES[name].c.doc)
            .where(TABLES[name].c.id == log.record_id)
            .scalar_subquery(),
        )
        for name, cls in ENTITIES.items()
    ]
    return sa.func.coalesce(log.after, sa.case(*docs), type_=log.after.type).label("after")


_COLUMNS = [_after() if column.name == "after" else column for column in CHANGES.columns]


def change_of(row: Any) -> Change:
    return Change(
        seq=row.seq,
        entity=row.entity,
        id=row.record_id,
        op=row.op,
        before=in_key_order(row.before or {}),
        after=in_key_order(row.after or {}),
        actor=row.actor,
        at=row.at,
        cause=row.cause,
    )


def _conditions(wanted: ChangeFilter) -> list[sa.ColumnElement[bool]]:
    log = CHANGES.c
    equal = [
        (log.entity, wanted.entity),
        (log.record_id, wanted.record_id),
        (log.actor, wanted.actor),
        (log.cause, wanted.cause),
    ]
    conditions = [column == value for column, value in equal if value is not None]
    if wanted.start is not None:
        conditions.append(log.at >= wanted.start)
    if wanted.end is not None:
        conditions.append(log.at < wanted.end)
    return conditions
