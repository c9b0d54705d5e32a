"""MemoryStore's own concurrency: transactions work on private overlays and are checked
again when they commit, so one that committed first wins as on the SQL stores."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest

from custdb.errors import ConflictError, NotFoundError
from custdb.model import Contact, Money, Order, OrderItem
from custdb.storage import MemoryStore

WHEN = dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)


def _order(contact_id: str) -> Order:
    item = OrderItem(name="Стрижка", amount=Money(Decimal(100), "RUB"))
    return Order(contact_id=contact_id, placed_at=WHEN, currency="RUB", items=(item,))


def _in_one(store: MemoryStore, work: Callable[..., object]) -> None:
    with store.begin() as tx:
        work(tx)


def _meanwhile(job: Callable[[], None]) -> None:
    """Run ``job`` to its end in another thread (one thread may not nest transactions)."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            job()
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not errors, errors


def test_a_link_to_a_client_removed_meanwhile_is_refused_at_commit() -> None:
    store = MemoryStore()
    with store.begin() as tx:
        person = tx.contacts.add(Contact(first_name="Юлия"))
    with pytest.raises(NotFoundError) as caught, store.begin() as linking:
        linking.orders.add(_order(person.id))  # the contact is there when checked
        _meanwhile(lambda: _in_one(store, lambda tx: tx.contacts.remove(person.id)))
    assert (caught.value.field, caught.value.value) == ("contact_id", person.id)
    with store.begin() as tx:
        assert (tx.orders.count(), tx.contacts.count()) == (0, 0)


def test_removing_a_client_linked_meanwhile_is_refused_at_commit() -> None:
    store = MemoryStore()
    with store.begin() as tx:
        person = tx.contacts.add(Contact(first_name="Юлия"))
    refused = pytest.raises(ConflictError, match="still linked from orders")
    with refused, store.begin() as removing:
        removing.contacts.remove(person.id)  # nothing links to it when checked
        _meanwhile(lambda: _in_one(store, lambda tx: tx.orders.add(_order(person.id))))
    with store.begin() as tx:
        assert (tx.orders.count(), tx.contacts.count()) == (1, 1)
