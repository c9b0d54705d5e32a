"""``rebuild_rollups()`` in SQL (``_sql_rollups``): sums exact whatever the amounts, on
every store. SQLite sums the usual amounts as whole numbers in SQL and falls back to
adding ``Decimal``s for the others (negative, many decimals, huge, or a sum past 2**63);
figures that already match are not rewritten."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from custdb.model import ClientStats, Contact, Money, Order, OrderItem
from custdb.query import F
from custdb.rollups import client_stats
from custdb.storage import _sql

WHEN = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)

AMOUNTS = {
    "usual": ["10", "0.05", "1234.5", "0", "0.00", "99999999999999.9999"],
    "decimals": ["0.00001", "3.1234567", "2"],
    "negative": ["-5.25", "10"],
    "huge": ["100000000000000", "1E+20", "7.5"],
    "overflow": ["99999999999999.9999"] * 120,
}


def _order(contact_id: str, amount: str) -> Order:
    item = OrderItem(name="Стрижка", amount=Money(Decimal(amount), "RUB"))
    return Order(contact_id=contact_id, placed_at=WHEN, currency="RUB", items=(item,))


@pytest.mark.parametrize("kind", sorted(AMOUNTS))
def test_rebuilt_sums_are_exact_for_any_amounts(store: Any, kind: str) -> None:
    with store.begin() as tx:
        plain = tx.contacts.add(Contact(first_name="Обычный")).id
        odd = tx.contacts.add(Contact(first_name="Особый")).id
        tx.orders.add_many([_order(plain, "12.50"), _order(plain, "0.5")])
        tx.orders.add_many([_order(odd, amount) for amount in AMOUNTS[kind]])
    with store.begin() as tx:
        kept = {c.id: c.stats for c in tx.contacts.iterate()}
    store.rebuild_rollups()
    with store.begin() as tx:
        rebuilt = {c.id: c.stats for c in tx.contacts.iterate()}
        orders = {id_: tx.orders.select(F("contact_id") == id_) for id_ in (plain, odd)}
    assert rebuilt == kept
    for id_, records in orders.items():
        assert rebuilt[id_] == client_stats(records)
    total = sum((Decimal(a) for a in AMOUNTS[kind]), Decimal(0))
    assert rebuilt[odd].total_spent == total


@pytest.fixture
def store_kind() -> None:
    """Opts a test out of conftest's four-store parametrization."""


@pytest.mark.parametrize(
    "store_url",
    [
        pytest.param("sqlite-file", id="sqlite-file"),
        pytest.param("sqlite-memory", id="sqlite-memory"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ],
    indirect=True,
)
def test_a_rebuild_rewrites_only_figures_that_differ(
    open_test_store: Any, store_kind: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SQL stores' set-based rebuild (the memory store keeps no rows to rewrite)."""
    store = open_test_store()
    with store.begin() as tx:
        ids = [tx.contacts.add(Contact(first_name=f"К{i}")).id for i in range(5)]
        tx.orders.add_many([_order(id_, "10") for id_ in ids[:3]])
    written: list[set[str]] = []
    set_stats = _sql.SQLTable.set_stats

    def spy(table: Any, stats_by_id: Any) -> None:
        written.append(set(stats_by_id))
        set_stats(table, stats_by_id)

    with store.begin() as tx:  # figures gone wrong outside the unit of work
        tx.backend.table("contacts").set_stats(
            {ids[0]: ClientStats(), ids[4]: ClientStats(order_count=1)}
        )
    monkeypatch.setattr(_sql.SQLTable, "set_stats", spy)
    store.rebuild_rollups()
    assert set().union(*written) == {ids[0], ids[4]}
    written.clear()
    store.rebuild_rollups()
    assert set().union(*written) == set()
    with store.begin() as tx:
        assert tx.contacts.get(ids[0]).stats.total_spent == 10
        assert tx.contacts.get(ids[4]).stats == ClientStats()
