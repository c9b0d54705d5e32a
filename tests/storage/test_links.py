"""Links to clients kept whole, on every store (tests/conftest.py parametrizes
``store``): a record may only name a client the store holds, and a client that records
still link to cannot be removed (E1, E5)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal
from typing import Any

import attrs
import pytest

from custdb import open_store
from custdb.errors import ConflictError, NotFoundError, ValidationError
from custdb.model import (
    Activity,
    Affiliation,
    Company,
    Consent,
    Contact,
    Deal,
    DealContact,
    Lead,
    LineItem,
    Money,
    Order,
    OrderItem,
    Team,
    Ticket,
    User,
)
from custdb.storage import ENTITIES, MemoryStore
from custdb.storage._links import LINKS

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


# --- Foundation III item 2: deals, leads, consents and users keep their links ------------


def user(id_: str) -> User:
    return User(id=id_, name=f"Менеджер {id_}")


def _deal(**fields: Any) -> Deal:
    return Deal(**{"name": "Годовой контракт", "stage": "new", **fields})


WHEN = TestLinks.WHEN
_STAFF_ITEM = OrderItem(name="Стрижка", staff_id="u1", amount=Money(Decimal(100), "RUB"))
# (repository, a record naming user "u1", the field the error names)
STAFF_LINKS = [
    ("contacts", lambda: contact(owner_ids=("u0", "u1")), "owner_ids"),
    ("contacts", lambda: contact(brought_by_id="u1"), "brought_by_id"),
    ("companies", lambda: Company(name="Ромашка", owner_ids=("u1",)), "owner_ids"),
    ("deals", lambda: _deal(owner_id="u1"), "owner_id"),
    ("leads", lambda: Lead(first_name="Иван", owner_id="u1"), "owner_id"),
    ("tickets", lambda: Ticket(subject="?", opened_at=WHEN, owner_id="u1"), "owner_id"),
    ("activities", lambda: Activity(kind="call", occurred_at=WHEN, actor_id="u1"), "actor_id"),
    (
        "orders",
        lambda: Order(placed_at=WHEN, currency="RUB", items=(_STAFF_ITEM,)),
        "items.staff_id",
    ),
    ("teams", lambda: Team(name="Москва", head_id="u1"), "head_id"),
]
STAFF_IDS = [f"{repo}.{field}" for repo, _, field in STAFF_LINKS]


class TestDealsAndLeadsKeepTheirLinks:
    """Foundation III item 2 (E3, E4, A4): a deal's company and contacts, a lead's
    converted contact, company and deal, a consent's contact and an activity's deals
    must name records the store holds, and those records cannot be removed under them."""

    @pytest.mark.parametrize(
        ("name", "make", "field"),
        [
            ("deals", lambda gone: _deal(company_id=gone), "company_id"),
            (
                "deals",
                lambda gone: _deal(contacts=(DealContact("c1"), DealContact(gone))),
                "contacts",
            ),
            ("leads", lambda gone: Lead(converted_contact_id=gone), "converted_contact_id"),
            ("leads", lambda gone: Lead(converted_company_id=gone), "converted_company_id"),
            ("leads", lambda gone: Lead(converted_deal_id=gone), "converted_deal_id"),
            (
                "consents",
                lambda gone: Consent(contact_id=gone, purpose="newsletter", channel="email"),
                "contact_id",
            ),
            (
                "activities",
                lambda gone: Activity(kind="call", occurred_at=WHEN, deal_ids=("d1", gone)),
                "deal_ids",
            ),
        ],
        ids=[
            "deal-company",
            "deal-contact",
            "lead-contact",
            "lead-company",
            "lead-deal",
            "consent-contact",
            "activity-deal",
        ],
    )
    def test_a_link_to_a_record_the_store_lacks_is_refused(
        self, store: Any, name: str, make: Any, field: str
    ) -> None:
        with store.begin() as tx:
            tx.contacts.add(contact(id="c1"))
            tx.deals.add(_deal(id="d1"))
        bad = make("gone")
        with pytest.raises(NotFoundError) as caught, store.begin() as tx:
            getattr(tx, name).add(bad)
        error = caught.value
        assert (error.entity, error.id, error.field, error.value) == (
            bad.ENTITY,
            bad.id,
            field,
            "gone",
        )
        assert "which the store does not hold" in str(error)
        with store.begin() as tx:
            assert getattr(tx, name).find(bad.id) is None

    def test_putting_a_deal_onto_a_missing_company_is_refused(self, store: Any) -> None:
        with store.begin() as tx:
            firm = tx.companies.add(Company(name="Ромашка"))
            deal = tx.deals.add(_deal(company_id=firm.id))
        with pytest.raises(NotFoundError, match="company 'gone'"), store.begin() as tx:
            tx.deals.put(attrs.evolve(deal, company_id="gone"))
        with store.begin() as tx:
            assert tx.deals.get(deal.id) == deal

    def test_removing_what_a_deal_or_lead_links_to_is_refused_and_names_them(
        self, store: Any
    ) -> None:
        with store.begin() as tx:
            firm = tx.companies.add(Company(name="Ромашка"))
            person = tx.contacts.add(contact())
            deal = tx.deals.add(_deal(company_id=firm.id, contacts=(DealContact(person.id),)))
            tx.leads.add(Lead(converted_contact_id=person.id, converted_deal_id=deal.id))
            tx.activities.add(Activity(kind="call", occurred_at=WHEN, deal_ids=(deal.id,)))
            tx.consents.add(Consent(contact_id=person.id, purpose="offers", channel="sms"))
        for repo, id_, holding in [
            ("contacts", person.id, "deals (1), leads (1), consents (1)"),
            ("companies", firm.id, "deals (1)"),
            ("deals", deal.id, "activities (1), leads (1)"),
        ]:
            with pytest.raises(ConflictError) as caught, store.begin() as tx:
                getattr(tx, repo).remove(id_)
            assert caught.value.id == id_
            for part in holding.split(", "):
                assert part in str(caught.value)
        with store.begin() as tx:
            assert (tx.contacts.count(), tx.companies.count(), tx.deals.count()) == (1, 1, 1)

    def test_once_nothing_links_to_a_deal_it_can_be_removed(self, store: Any) -> None:
        with store.begin() as tx:
            deal = tx.deals.add(_deal())
            lead = tx.leads.add(Lead(converted_deal_id=deal.id))
        with store.begin() as tx:
            tx.leads.put(attrs.evolve(lead, converted_deal_id=None))
            tx.deals.remove(deal.id)
        with store.begin() as tx:
            assert tx.deals.count() == 0


class TestUsersKeepTheirLinks:
    """Foundation III item 2 (E9, A1): owners, staff, actors, the one who brought a
    client in and a team's head name users the store holds, unless the store was opened
    with ``users="external"`` (users kept outside custdb)."""

    @pytest.mark.parametrize(("name", "make", "field"), STAFF_LINKS, ids=STAFF_IDS)
    def test_naming_a_user_the_store_lacks_is_refused(
        self, store: Any, name: str, make: Any, field: str
    ) -> None:
        record = make()
        with store.begin() as tx:
            tx.users.add(user("u0"))
        with pytest.raises(NotFoundError) as caught, store.begin() as tx:
            getattr(tx, name).add(record)
        error = caught.value
        assert (error.id, error.field, error.value) == (record.id, field, "u1")
        assert 'users="external"' in str(error)
        with store.begin() as tx:
            tx.users.add_many([user("u1")])
            stored = getattr(tx, name).add(record)  # once the user is there, it is linked
        with store.begin() as tx:
            assert getattr(tx, name).get(record.id) == stored

    @pytest.mark.parametrize(("name", "make", "field"), STAFF_LINKS, ids=STAFF_IDS)
    def test_removing_a_user_still_named_is_refused(
        self, store: Any, name: str, make: Any, field: str
    ) -> None:
        with store.begin() as tx:
            tx.users.add_many([user("u0"), user("u1")])
            record = getattr(tx, name).add(make())
        with pytest.raises(ConflictError) as caught, store.begin() as tx:
            tx.users.remove("u1")
        assert (caught.value.entity, caught.value.id) == ("user", "u1")
        assert f"{name} (1)" in str(caught.value)
        assert "another user" in str(caught.value)
        with store.begin() as tx:  # once it names no one, the user goes
            getattr(tx, name).remove(record.id)
            tx.users.remove("u1")
        with store.begin() as tx:
            assert tx.users.find("u1") is None

    def test_a_record_naming_a_user_twice_counts_once(self, store: Any) -> None:
        with store.begin() as tx:
            tx.users.add(user("u1"))
            tx.contacts.add(contact(owner_ids=("u1",), brought_by_id="u1"))
        with pytest.raises(ConflictError, match=r"from contacts \(1\);"), store.begin() as tx:
            tx.users.remove("u1")

    @pytest.mark.parametrize(("name", "make", "field"), STAFF_LINKS, ids=STAFF_IDS)
    def test_with_external_users_user_ids_are_not_checked(
        self, open_test_store: Any, name: str, make: Any, field: str
    ) -> None:
        store = open_test_store(users="external")
        assert store.users == "external"
        with store.begin() as tx:
            stored = getattr(tx, name).add(make())
            tx.users.add(user("u1"))  # a copy kept here may still go
        with store.begin() as tx:
            tx.users.remove("u1")
            assert getattr(tx, name).get(stored.id) == stored

    def test_external_users_keep_every_other_link(self, open_test_store: Any) -> None:
        store = open_test_store(users="external")
        with pytest.raises(NotFoundError, match="company 'gone'"), store.begin() as tx:
            tx.deals.add(_deal(owner_id="someone-in-ldap", company_id="gone"))

    @pytest.mark.parametrize("users", ["outside", "", None, True, "KEPT"])
    def test_an_unknown_users_option_is_refused(self, store_url: str, users: Any) -> None:
        with pytest.raises(ValidationError) as caught:
            open_store(store_url, users=users)
        assert caught.value.field == "users"
        assert 'users="external"' in str(caught.value)


def test_every_field_naming_a_record_is_a_kept_link_or_declared_unchecked() -> None:
    """Foundation III item 2: a new ``*_id`` field in the model is caught here until it
    is a link in ``_links`` or said to be unchecked. Unchecked: a user's team and a
    team's parent (users and teams name each other), another system's tax or product
    id."""
    unchecked = {
        "users.team_id",
        "teams.parent_id",
        "companies.tax_id",
        "deals.line_items.product_id",
    }
    kept = {f"{link.kind}.{link.field}" for links in LINKS.values() for link in links}
    nested = {("orders", "items"): OrderItem, ("deals", "contacts"): DealContact}
    nested[("deals", "line_items")] = LineItem
    found = set()
    for name, cls in ENTITIES.items():
        for field in attrs.fields(cls):
            if field.name.endswith(("_id", "_ids")) and field.name != "external_ids":
                found.add(f"{name}.{field.name}")
    for (name, attribute), cls in nested.items():
        for field in attrs.fields(cls):
            if field.name.endswith("_id"):
                found.add(f"{name}.{attribute}.{field.name}")
    found = {"deals.contacts" if f == "deals.contacts.contact_id" else f for f in found}
    assert found - unchecked == kept
    assert all(link.target in ENTITIES for links in LINKS.values() for link in links)


def test_memory_store_checks_deal_and_user_links_again_at_commit() -> None:
    """Foundation III item 2: MemoryStore's commit-time check covers every link, so a
    deal linked to a contact removed meanwhile, or a user removed while a contact was
    being assigned to them, is refused at commit."""
    store = MemoryStore()
    with store.begin() as tx:
        person = tx.contacts.add(contact())
        tx.users.add(user("u1"))
    with pytest.raises(NotFoundError) as caught, store.begin() as linking:
        linking.deals.add(_deal(contacts=(DealContact(person.id),)))
        _meanwhile(store, lambda tx: tx.contacts.remove(person.id))
    assert (caught.value.field, caught.value.value) == ("contacts", person.id)
    refused = pytest.raises(ConflictError, match="still linked from contacts")
    with refused, store.begin() as removing:
        removing.users.remove("u1")
        _meanwhile(store, lambda tx: tx.contacts.add(contact(owner_ids=("u1",))))
    with store.begin() as tx:
        assert (tx.deals.count(), tx.users.count(), tx.contacts.count()) == (0, 1, 1)


def _meanwhile(store: Any, work: Any) -> None:
    """Commit ``work`` in another thread while this thread's transaction is open (one
    thread may not nest transactions)."""

    def run() -> None:
        with store.begin() as tx:
            work(tx)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def _in_threads(**jobs: Any) -> dict[str, BaseException | None]:
    """Run the jobs together; what each raised (``None``: it returned)."""
    outcomes: dict[str, BaseException | None] = {}

    def run(name: str) -> None:
        try:
            jobs[name]()
            outcomes[name] = None
        except BaseException as error:  # noqa: BLE001 - reported to the test
            outcomes[name] = error

    threads = [threading.Thread(target=run, args=(name,)) for name in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.fixture
def store_kind() -> None:
    """Opts a test out of conftest's four-store parametrization."""


@pytest.mark.parametrize(
    "store_url",
    [
        pytest.param("sqlite-file", id="sqlite-file"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ],
    indirect=True,
)
@pytest.mark.parametrize("first", ["link", "remove"])
def test_assigning_a_user_and_removing_them_at_once_never_leaves_an_orphan(
    open_test_store: Any, store_kind: None, first: str
) -> None:
    """Foundation III item 2: the user row is held like a client's (PostgreSQL: FOR KEY
    SHARE to link, FOR UPDATE to remove; SQLite runs writers one at a time), so whichever
    commits first wins and the other is refused."""
    linker, remover = open_test_store(), open_test_store()
    with linker.begin() as tx:
        tx.users.add(user("u1"))
    started = threading.Event()

    def link() -> None:
        if first == "remove":
            started.wait(10)
        with linker.begin() as tx:
            tx.deals.add(_deal(owner_id="u1"))
            if first == "link":
                started.set()
                time.sleep(0.5)  # hold the transaction while the other one tries

    def remove() -> None:
        if first == "link":
            started.wait(10)
        with remover.begin() as tx:
            tx.users.remove("u1")
            if first == "remove":
                started.set()
                time.sleep(0.5)

    outcomes = _in_threads(link=link, remove=remove)
    with linker.begin() as tx:
        counts = (tx.deals.count(), tx.users.count())
    if first == "link":
        assert (outcomes["link"], type(outcomes["remove"])) == (None, ConflictError)
        assert counts == (1, 1)
    else:
        assert (type(outcomes["link"]), outcomes["remove"]) == (NotFoundError, None)
        assert counts == (0, 0)
