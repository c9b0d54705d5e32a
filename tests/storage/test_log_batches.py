"""A big transaction hands its change records to the backend in batches as it goes
(Foundation IV item 3): the log is the same entries, in the same order, with the same
numbers as when they all waited for the commit, and a rollback takes them all back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest

from custdb import open_store
from custdb.model import Contact, Money, Order, OrderItem
from custdb.storage import _unit

WHEN = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)


def _write(store: Any, people: list[Contact], orders: list[Order]) -> None:
    with store.begin(actor="anna", cause="import") as tx:
        tx.contacts.add_many(people[:-1], batch_size=2)
        first = tx.contacts.get(people[0].id)
        tx.contacts.put(attrs.evolve(first, job_title="CEO"))
        for order in orders:
            tx.orders.add(order)
        tx.orders.remove(orders[0].id)
    with store.begin() as tx:
        tx.contacts.add(people[-1])


def test_a7_a_log_handed_over_in_batches_is_the_log_written_at_commit(
    open_test_store: Any, clock: Any
) -> None:
    people = [Contact(first_name=f"P{i}") for i in range(8)]  # the last in a second one
    item = OrderItem(name="Стрижка", amount=Money(Decimal(10), "RUB"))
    orders = [
        Order(contact_id=p.id, placed_at=WHEN, currency="RUB", items=(item,)) for p in people[:4]
    ]
    reference = open_store("memory://", clock=clock)
    _write(reference, people, orders)
    store = open_test_store()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_unit, "LOG_BATCH", 3)
        _write(store, people, orders)
    assert store.changes() == reference.changes()
    logged = [(c.entity, c.op) for c in store.changes()]
    assert logged == [
        *[("contact", "add")] * 7,
        ("contact", "put"),
        ("setting", "add"),  # the first order's currency adopted as the base one
        *[("order", "add")] * 4,
        ("order", "remove"),
        ("contact", "add"),
    ]
    assert [c.seq for c in store.changes()] == list(range(1, len(logged) + 1))
    with store.begin() as tx:
        assert tx.contacts.get(people[1].id).stats.total_spent == Decimal(10)


def test_a7_a_rolled_back_transaction_leaves_none_of_its_batches(open_test_store: Any) -> None:
    store = open_test_store()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_unit, "LOG_BATCH", 2)
        with pytest.raises(RuntimeError), store.begin() as tx:
            tx.contacts.add_many([Contact(first_name=f"P{i}") for i in range(5)], batch_size=1)
            raise RuntimeError
    assert store.changes() == []
    with store.begin() as tx:
        assert tx.contacts.count() == 0


def test_a7_an_add_many_of_whole_batches_logs_each_record_once(open_test_store: Any) -> None:
    """The log handed over just as the last batch ends leaves nothing empty to write."""
    store = open_test_store()
    people = [Contact(first_name=f"P{i}") for i in range(4)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_unit, "LOG_BATCH", 2)
        with store.begin() as tx:
            assert tx.contacts.add_many(people, batch_size=2) == 4
    assert [c.id for c in store.changes()] == [p.id for p in people]
