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
no SQL sum reads: where every amount is a usual one (positive, at most ``_SCALE``
decimals, below 10**14) the keys are turned into whole numbers of 10**-``_SCALE`` by
text in SQL and summed as integers there; where one is not (or a sum overflows) the
keys come back concatenated and are added as ``Decimal`` here, as before. The stored
figures are read page by page and only the clients whose figures differ are written.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

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
        _write(backend.table(name), tallies, exchange)


# --- who owns which records ---------------------------------------------------------------


class Pairs(NamedTuple):
    """The records of a kind with the client each counts for, filtered by a condition on
    the record: select ``client`` (and the record's columns) from ``source`` where
    ``where``."""

    client: Any
    source: sa.FromClause
    where: Any


Owned = Callable[[sa.Table, Any], Pairs]


def _contact_pairs(table: sa.Table, condition: Any) -> Pairs:
    """A contact's records are those naming it: the table itself, no join."""
    return Pairs(table.c.contact_id, table, sa.and_(table.c.contact_id.is_not(None), condition))


def _company_pairs(table: sa.Table, condition: Any) -> Pairs:
    """A company's own records and its contacts' (through affiliations), each pair once:
    a UNION, not UNION ALL, so a record of a contact of its own company counts once."""
    link = _AFFILIATIONS.c
    through = (
        sa.select(link.company_id.label("client"), table.c.id.label("record"))
        .select_from(table.join(_AFFILIATIONS, link.contact_id == table.c.contact_id))
        .where(condition)
    )
    if "company_id" not in table.c:  # surveys: a contact's answers only
        pairs = through.distinct().subquery()
    else:
        own = sa.select(table.c.company_id.label("client"), table.c.id.label("record"))
        pairs = sa.union(own.where(table.c.company_id.is_not(None), condition), through).subquery()
    return Pairs(pairs.c.client, pairs.join(table, table.c.id == pairs.c.record), sa.true())


# --- the groups -------------------------------------------------------------------------


def _add_orders(
    connection: sa.Connection,
    dialect: Dialect,
    owned: Owned,
    tallies: Mapping[str, Tally],
) -> None:
    """Completed orders per client and currency: summed the fast way where every group's
    amounts allow it, else the way that takes any amount (:func:`_decimal_sums`)."""
    o = _ORDERS
    pairs = owned(o, o.c.status == OrderStatus.COMPLETED.value)
    visit = o.c.kind == OrderKind.VISIT.value
    figures = (
        sa.func.count(),
        sa.func.min(o.c.placed_at),
        sa.func.max(o.c.placed_at),
        sa.func.sum(sa.case((visit, 1), else_=0)),
        sa.func.max(sa.case((visit, o.c.placed_at))),
    )
    for sums, spent in _decimal_sums(dialect, o.c.total):
        query = (
            sa.select(pairs.client, o.c.currency, *figures, *sums)
            .select_from(pairs.source)
            .where(pairs.where)
            .group_by(pairs.client, o.c.currency)
        )
        groups = _summed_groups(connection, query, spent, len(figures) + 2)
        if groups is not None:
            break
    for client, currency, total, *group in groups or ():
        tallies[client].add_orders(currency, total, *group)


def _summed_groups(
    connection: sa.Connection, query: sa.Select[Any], spent: _Spent, width: int
) -> list[tuple[Any, ...]] | None:
    """The rows of ``query`` as (client, currency, sum, figures...), None when a group's
    sums cannot be made exact this way (an amount it does not take, an overflow)."""
    try:
        with connection.begin_nested():
            rows = connection.execute(query).all()
    except sa.exc.OperationalError:  # SQLite's "integer overflow" of sum()
        return None
    groups = []
    for row in rows:
        total = spent(row[width:])
        if total is None:
            return None
        groups.append((row[0], row[1], total, *row[2:width]))
    return groups


def _add_tickets(connection: sa.Connection, owned: Owned, tallies: Mapping[str, Tally]) -> None:
    t = _TICKETS
    pairs = owned(t, sa.true())
    is_open = sa.func.sum(sa.case((t.c.resolved_at.is_(None), 1), else_=0))
    query = (
        sa.select(pairs.client, sa.func.count(), is_open)
        .select_from(pairs.source)
        .where(pairs.where)
        .group_by(pairs.client)
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
        partition_by=pairs.client, order_by=(s.c.answered_at.desc(), s.c.id.desc())
    )
    ranked = (
        sa.select(pairs.client.label("client"), s.c.id.label("survey"), rank.label("rank"))
        .select_from(pairs.source)
        .where(pairs.where)
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


_Spent = Callable[[Sequence[Any]], "Decimal | None"]


def _decimal_sums(dialect: Dialect, column: Any) -> list[tuple[list[Any], _Spent]]:
    """The ways to sum a decimal column exactly, fastest first: the aggregates to select,
    and what makes their values one ``Decimal`` (None: not this way). ``numeric`` sums
    exactly; SQLite's text keys are summed as whole numbers where every amount of the
    group is one (:func:`_units_sums`), else concatenated and added as ``Decimal``."""
    if dialect.name == "postgresql":
        return [([sa.func.sum(column)], _first)]
    key = sa.type_coerce(column, sa.Text)
    return [(_units_sums(key), _from_units), ([sa.func.group_concat(key, ",")], _from_keys)]


def _first(values: Sequence[Any]) -> Decimal:
    found: Decimal = values[0]
    return found


_SCALE = 4  # decimals an amount summed in SQL may have
_MOST = "2" + str(5000 + 18 - _SCALE)  # keys from here on: 10**(18 - _SCALE) or more
_ZEROS = "0" * 18


def _units_sums(key: Any) -> list[Any]:
    """A group's amounts summed in SQL as whole numbers of 10**-``_SCALE`` (a sum past
    2**63 fails loudly: ``_summed_groups`` then takes the other way), and what says
    whether that is exact: the least (exponent + 5000 - length of the key) of its
    non-zero keys (4994 - _SCALE or more: no amount has more decimals), its least and
    greatest keys (``1`` or more: none is negative; below ``_MOST``: each amount fits in
    18 digits). A positive key is ``2``, the exponent of its first digit + 5000 in four
    digits, then its digits; zero's is ``1``. Only SQLite's core functions are used."""
    exponent = sa.cast(sa.func.substr(key, 2, 4), sa.Integer)
    last = exponent - sa.func.length(key)
    digits = sa.func.substr(key, 6, type_=sa.Text)
    padded = digits + sa.func.substr(_ZEROS, 1, last - 4994 + _SCALE, type_=sa.Text)
    return [
        sa.func.sum(sa.cast(padded, sa.Integer)),
        sa.func.min(sa.case((key > "1", last))),
        sa.func.min(key),
        sa.func.max(key),
    ]


def _from_units(values: Sequence[Any]) -> Decimal | None:
    """The exact sum :func:`_units_sums` gave, at the least exponent of its amounts (and
    0), as adding them as ``Decimal`` gives; None when it is not exact."""
    units, last, least, most = values
    if least < "1" or most >= _MOST or (last is not None and last - 4994 < -_SCALE):
        return None
    exponent = 0 if last is None else min(0, last - 4994)
    return Decimal(f"{units // 10 ** (_SCALE + exponent)}E{exponent}")  # exact, no context


def _from_keys(values: Sequence[Any]) -> Decimal:
    """A group's keys, comma-separated, added as ``Decimal``."""
    return sum(map(_amount, values[0].split(",")), Decimal(0))


@functools.lru_cache(maxsize=65536)
def _amount(key: str) -> Decimal:
    """Amounts repeat (prices, fees): each key is parsed once in a while, not per order."""
    return decimal_from_key(key)


# --- writing ----------------------------------------------------------------------------


def _write(table: Any, tallies: Mapping[str, Tally], exchange: Any) -> None:
    """Each client's figures where they differ from the stored ones (the empty ones for
    a client without records), ``_ROWS_PER_WRITE`` clients at a time in id order
    (``table``: the backend's ``SQLTable``, whose ``set_stats`` writes them): a rebuild
    of figures kept up to date reads every client's row and rewrites none; a column
    or a JSON text that differs from what the figures write gets the row rewritten."""
    base, rates = exchange.base, exchange.rates
    after: str | None = None
    while page := table.stats_page(after, _ROWS_PER_WRITE):
        changed = {}
        for id_, stored in page:
            tally = tallies.get(id_)
            figures = (
                _EMPTY if tally is None else tally.added_to(_EMPTY, base_currency=base, rates=rates)
            )
            if table.stored_as(figures) != stored:
                changed[id_] = figures
        table.set_stats(changed)
        after = page[-1][0]
