"""``rebuild_rollups()`` on the SQL stores: every client's figures from a few GROUP BY
queries inside the database, written once for SQLite and PostgreSQL, instead of one
client at a time in Python.

Per kind of client, one query per kind of record gives a row per client (and currency,
for orders): completed orders' sums, counts, first and last days and visits; tickets'
counts; the last activity; the latest survey answer (a window over (answered_at, id)).
A company's records are its own and its contacts' through affiliations, each record
once (a UNION of (company, record) pairs). The rows become ``custdb.rollups.Tally``s,
so the figures come out of the same code as the ones kept on write. Money stays exact:
PostgreSQL sums ``numeric``; SQLite keeps decimals as text keys (``decimal_key``), which
no SQL sum reads, so each group's keys come back concatenated and are added as
``Decimal`` here. Clients with no figures get the empty ones in one UPDATE.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from custdb.model import ClientStats, OrderKind, OrderStatus
from custdb.model.schema import Schema
from custdb.rollups import Tally
from custdb.storage._dialect import Dialect, decimal_from_key
from custdb.storage._rows import Plan
from custdb.storage._tables import TABLES

__all__ = ["rebuild_in_sql"]

_EMPTY = ClientStats()
_ORDERS, _TICKETS = TABLES["orders"], TABLES["tickets"]
_ACTIVITIES, _SURVEYS = TABLES["activities"], TABLES["surveys"]
_AFFILIATIONS = TABLES["affiliations"]
_ROWS_PER_WRITE = 5000  # clients' figures per executemany


def rebuild_in_sql(backend: Any, exchange: Any) -> None:
    """Recompute and write every contact's and company's roll-ups (``backend``: a
    ``_sql.SQLBackend``; ``exchange``: the base currency and rates ``total_spent`` is
    counted in)."""
    connection, dialect, plans = backend.connection, backend.dialect, backend.plans
    surveys = _Surveys(plans["surveys"], backend.schemas.get("survey_response"))
    for name in ("contacts", "companies"):
        tallies: defaultdict[str, Tally] = defaultdict(Tally)
        owned = _company_pairs if name == "companies" else _contact_pairs
        _add_orders(connection, dialect, owned, tallies)
        _add_tickets(connection, owned, tallies)
        _add_activities(connection, dialect, name, tallies)
        _add_surveys(connection, owned, surveys, tallies)
        _write(connection, backend.table(name), plans[name], tallies, exchange)


# --- who owns which records ---------------------------------------------------------------

Owned = Callable[[sa.Table, Any], sa.Subquery]
"""The (client, record) pairs of a kind of record, filtered by a condition on it."""


def _contact_pairs(table: sa.Table, condition: Any) -> sa.Subquery:
    pairs = sa.select(table.c.contact_id.label("client"), table.c.id.label("record"))
    return pairs.where(table.c.contact_id.is_not(None), condition).subquery()


def _company_pairs(table: sa.Table, condition: Any) -> sa.Subquery:
    """A company's own records and its contacts' (through affiliations), each pair once:
    a UNION, not UNION ALL, so a record of a contact of its own company counts once."""
    link = _AFFILIATIONS.c
    through = (
        sa.select(link.company_id.label("client"), table.c.id.label("record"))
        .select_from(table.join(_AFFILIATIONS, link.contact_id == table.c.contact_id))
        .where(condition)
    )
    if "company_id" not in table.c:  # surveys: a contact's answers only
        return through.distinct().subquery()
    own = sa.select(table.c.company_id.label("client"), table.c.id.label("record")).where(
        table.c.company_id.is_not(None), condition
    )
    return sa.union(own, through).subquery()


# --- the groups -------------------------------------------------------------------------


def _add_orders(
    connection: sa.Connection,
    dialect: Dialect,
    owned: Owned,
    tallies: Mapping[str, Tally],
) -> None:
    """Completed orders per client and currency."""
    o = _ORDERS
    pairs = owned(o, o.c.status == OrderStatus.COMPLETED.value)
    visit = o.c.kind == OrderKind.VISIT.value
    exact = _decimal_sum(dialect)
    query = (
        sa.select(
            pairs.c.client,
            o.c.currency,
            exact(o.c.total),
            sa.func.count(),
            sa.func.min(o.c.placed_at),
            sa.func.max(o.c.placed_at),
            sa.func.sum(sa.case((visit, 1), else_=0)),
            sa.func.max(sa.case((visit, o.c.placed_at))),
        )
        .select_from(pairs.join(o, o.c.id == pairs.c.record))
        .group_by(pairs.c.client, o.c.currency)
    )
    for client, *group in connection.execute(query):
        tallies[client].add_orders(*group)


def _add_tickets(connection: sa.Connection, owned: Owned, tallies: Mapping[str, Tally]) -> None:
    t = _TICKETS
    pairs = owned(t, sa.true())
    is_open = sa.func.sum(sa.case((t.c.resolved_at.is_(None), 1), else_=0))
    query = (
        sa.select(pairs.c.client, sa.func.count(), is_open)
        .select_from(pairs.join(t, t.c.id == pairs.c.record))
        .group_by(pairs.c.client)
    )
    for client, count, still_open in connection.execute(query):
        tallies[client].add_tickets(count, still_open)


def _add_activities(
    connection: sa.Connection, dialect: Dialect, name: str, tallies: Mapping[str, Tally]
) -> None:
    """The last activity naming each client (companies: named as companies)."""
    a = _ACTIVITIES
    each = dialect.set_elements(a.c.contact_ids if name == "contacts" else a.c.company_ids)
    query = (
        sa.select(each.c.value, sa.func.max(a.c.occurred_at))
        .select_from(a.join(each, sa.true()))
        .group_by(each.c.value)
    )
    for client, moment in connection.execute(query):
        tallies[client].add_activity_at(moment)


def _add_surveys(
    connection: sa.Connection, owned: Owned, surveys: _Surveys, tallies: Mapping[str, Tally]
) -> None:
    """Each client's latest answer: rank 1 by (answered_at, id), newest first."""
    s = _SURVEYS
    pairs = owned(s, sa.true())
    rank = sa.func.row_number().over(
        partition_by=pairs.c.client, order_by=(s.c.answered_at.desc(), s.c.id.desc())
    )
    ranked = (
        sa.select(pairs.c.client, s.c.id.label("survey"), rank.label("rank"))
        .select_from(pairs.join(s, s.c.id == pairs.c.record))
        .subquery()
    )
    query = (
        sa.select(ranked.c.client, *surveys.plan.read)
        .select_from(ranked.join(s, s.c.id == ranked.c.survey))
        .where(ranked.c.rank == 1)
    )
    for row in connection.execute(query):
        tallies[row[0]].add_survey(surveys.decode(row[1:]))


class _Surveys:
    """Survey rows as records: their scale lives in the row's document."""

    def __init__(self, plan: Plan, schema: Schema | None) -> None:
        self.plan, self._schema = plan, schema

    def decode(self, row: Any) -> Any:
        return self.plan.entity(row, self._schema)


def _decimal_sum(dialect: Dialect) -> Callable[[Any], Any]:
    """An exact sum of a decimal column: ``numeric`` sums exactly; SQLite's text keys
    are concatenated and added as ``Decimal`` on the way out (:class:`_KeySum`)."""
    if dialect.name == "postgresql":
        return sa.func.sum
    return lambda column: sa.type_coerce(sa.func.group_concat(column, ","), _KeySum())


class _KeySum(sa.TypeDecorator[Decimal]):
    """A group's ``decimal_key`` texts, comma-separated, read as their exact sum."""

    impl = sa.Text
    cache_ok = True

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> Decimal:  # noqa: ARG002
        return sum(map(_amount, value.split(",")), Decimal(0))


@functools.lru_cache(maxsize=65536)
def _amount(key: str) -> Decimal:
    """Amounts repeat (prices, fees): each key is parsed once in a while, not per order."""
    return decimal_from_key(key)


# --- writing ----------------------------------------------------------------------------


def _write(
    connection: sa.Connection,
    table: Any,
    plan: Plan,
    tallies: Mapping[str, Tally],
    exchange: Any,
) -> None:
    """Empty figures for every client that holds others, then each client's own
    (``table``: the backend's ``SQLTable``, whose ``set_stats`` writes them)."""
    t = plan.writes
    held = sa.or_(
        t.c.order_count != 0,
        t.c.ticket_count != 0,
        t.c.last_activity_at.is_not(None),
        t.c.last_satisfaction.is_not(None),
        t.c.stats.is_(None),
    )
    connection.execute(t.update().where(held).values(plan.stats_row(_EMPTY)))
    base, rates = exchange.base, exchange.rates
    figures = (
        (id_, tally.added_to(_EMPTY, base_currency=base, rates=rates))
        for id_, tally in tallies.items()
    )
    for batch in _batches(figures, _ROWS_PER_WRITE):
        table.set_stats(dict(batch))


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
