"""Links to clients kept whole, on every store (tests/conftest.py parametrizes
``store``): a record may only name a client the store holds, and a client that records
still link to cannot be removed (E1, E5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest

from custdb.errors import ConflictError, NotFoundError
from custdb.model import Activity, Affiliation, Company, Contact, Money, Order, OrderItem, Ticket

UTC = dt.timezone.utc


def contact(**fields: Any) -> Contact:
    return Contact(**{"first_name": "Юлия", "last_name": "Иванова", **fields})


def order(contact_id: str, amount: str, when: dt.datetime, **fields: Any) -> Order:
    item = OrderItem(name="Стрижка", amount=Money(Decimal(amount), "RUB"))
    return Order(contact_id=contact_id, placed_at=when, currency="RUB", items=(item,), **fields)


class TestLinks:
    WHEN = dt.datetime(2026, 5, 1, tzinfo=UTC)

    @pytest.mark.parametrize(
        ("make", "field"),
        [
            (lambda client: order(client, "100", TestLinks.WHEN), "contact_id"),
            (
                lambda client: Ticket(
                    subject="?", opened_at=TestLinks.WHEN, contact_id="c1", company_id=client
                ),
                "company_id",
            ),
            (
                lambda client: Activity(
                    kind="call", occurred_at=TestLinks.WHEN, contact_ids=("c1", client)
                ),
                "contact_ids",
            ),
            (lambda client: Affiliation(contact_id="c1", company_id=client), "company_id"),
        ],
        ids=["order", "ticket", "activity", "affiliation"],
    )
    def test_a_record_linking_to_a_client_the_store_lacks_is_refused(
        self, store: Any, make: Any, field: str
    ) -> None:
        """E1/E5: an order for a missing contact would count toward no one's roll-ups."""
        with store.begin() as tx:
            tx.contacts.add(contact(id="c1"))
            tx.companies.add(Company(id="f1", name="Ромашка"))
        good, bad = make("c1" if field.startswith("contact") else "f1"), make("gone")
        name = {Order: "orders", Ticket: "tickets", Activity: "activities"}.get(
            type(bad), "affiliations"
        )
        with pytest.raises(NotFoundError) as caught, store.begin() as tx:
            getattr(tx, name).add_many([good, bad])
        error = caught.value
        assert (error.id, error.field, error.value) == (bad.id, field, "gone")
        with store.begin() as tx:
            assert getattr(tx, name).count() == 0

    def test_a_client_added_in_the_same_transaction_may_be_linked_at_once(self, store: Any) -> None:
        with store.begin() as tx:
            firm = tx.companies.add(Company(name="Лютик"))
            person = tx.contacts.add(contact())
            tx.affiliations.add(Affiliation(contact_id=person.id, company_id=firm.id))
            tx.orders.add(order(person.id, "100", self.WHEN, company_id=firm.id))
        with store.begin() as tx:
            assert tx.contacts.get(person.id).stats.order_count == 1

    def test_putting_a_record_onto_a_missing_client_is_refused(self, store: Any) -> None:
        with store.begin() as tx:
            person = tx.contacts.add(contact())
            bought = tx.orders.add(order(person.id, "100", self.WHEN))
        refused = pytest.raises(NotFoundError, match="which the store does not hold")
        with refused, store.begin() as tx:
            tx.orders.put(attrs.evolve(bought, contact_id="gone"))
        with store.begin() as tx:
            assert tx.orders.get(bought.id) == bought

    def test_a_client_that_records_link_to_cannot_be_removed(self, store: Any) -> None:
        """Nothing is removed in cascade: the error says what still links to it."""
        with store.begin() as tx:
            firm = tx.companies.add(Company(name="Ромашка"))
            person = tx.contacts.add(contact())
            tx.affiliations.add(Affiliation(contact_id=person.id, company_id=firm.id))
            bought = tx.orders.add(order(person.id, "100", self.WHEN))
            tx.activities.add(
                Activity(kind="call", occurred_at=self.WHEN, contact_ids=(person.id,))
            )
        with pytest.raises(ConflictError) as caught, store.begin() as tx:
            tx.contacts.remove(person.id)
        assert caught.value.id == person.id
        assert "orders (1)" in str(caught.value)
        assert "activities (1)" in str(caught.value)
        assert "affiliations (1)" in str(caught.value)
        with pytest.raises(ConflictError, match=r"affiliations \(1\)"), store.begin() as tx:
            tx.companies.remove(firm.id)
        with store.begin() as tx:
            assert tx.contacts.count() == tx.companies.count() == tx.orders.count() == 1
        with store.begin() as tx:  # once nothing links to it, it goes
            tx.orders.remove(bought.id)
            for kind in ("activities", "affiliations"):
                for record in getattr(tx, kind).select():
                    getattr(tx, kind).remove(record.id)
            tx.contacts.remove(person.id)
            tx.companies.remove(firm.id)
        with store.begin() as tx:
            assert tx.contacts.count() == tx.companies.count() == 0
