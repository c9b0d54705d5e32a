"""Roll-ups kept on write equal the ones recomputed from all records, on every store
(Foundation IV item 3, S7): random transactions add, put and remove orders, tickets,
activities, surveys and affiliations, change rates, and the kept figures must be what
``client_stats`` gives over each client's records, and what ``rebuild_rollups()`` (one
set-based pass on the SQL stores) writes. Adds are tallied, not re-read: one
transaction adding orders to a client runs the same statements whatever its history.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custdb import open_store
from custdb.model import (
    Activity,
    Affiliation,
    Company,
    Contact,
    Money,
    Order,
    OrderItem,
    SurveyResponse,
    Ticket,
)
from custdb.query import F
from custdb.rollups import client_stats
from custdb.storage import _rollups
from custdb.storage._unit import UnitOfWork

UTC = dt.timezone.utc
START = dt.datetime(2026, 1, 1, tzinfo=UTC)
RATES = {"EUR": Decimal("98.5"), "NOK": Decimal("8.75")}
CURRENCIES = ("RUB", "EUR", "NOK")

_KINDS = ("order", "order", "ticket", "activity", "survey", "affiliation", "rates")
_ACTIONS = ("add", "add", "add_many", "put", "remove")
_OP = st.tuples(st.sampled_from(_KINDS), st.sampled_from(_ACTIONS), st.integers(0, 2**32))
_TRANSACTIONS = st.lists(st.lists(_OP, min_size=1, max_size=6), min_size=1, max_size=5)


def _moment(rng: random.Random) -> dt.datetime:
    """Few distinct instants, so dates and answers tie (surveys then go by id)."""
    return START + dt.timedelta(days=rng.randint(0, 5), hours=rng.choice([0, 12]))


def _order(rng: random.Random, people: list[str], firms: list[str]) -> Order:
    currency = rng.choice(CURRENCIES)
    amounts = [Decimal(rng.randint(0, 10**6)) / 100 for _ in range(rng.randint(0, 2))]
    items = tuple(OrderItem(name="Стрижка", amount=Money(a, currency)) for a in amounts)
    return Order(
        contact_id=rng.choice([*people, people[0]]),
        company_id=rng.choice([None, None, *firms]),
        placed_at=_moment(rng),
        currency=currency,
        items=items,
        status=rng.choice(["completed", "completed", "cancelled", "scheduled"]),
        kind=rng.choice(["purchase", "visit"]),
    )


def _ticket(rng: random.Random, people: list[str], firms: list[str]) -> Ticket:
    opened = _moment(rng)
    contact = rng.choice([None, *people])
    return Ticket(
        subject="Жалоба",
        contact_id=contact,
        company_id=rng.choice(firms) if contact is None else rng.choice([None, *firms]),
        opened_at=opened,
        resolved_at=rng.choice([None, opened + dt.timedelta(hours=3)]),
    )


def _activity(rng: random.Random, people: list[str], firms: list[str]) -> Activity:
    return Activity(
        kind="call",
        occurred_at=_moment(rng),
        contact_ids=tuple(rng.sample(people, rng.randint(0, min(2, len(people))))),
        company_ids=tuple(rng.sample(firms, rng.randint(0, 1))),
    )


def _survey(rng: random.Random, people: list[str], _firms: list[str]) -> SurveyResponse:
    kind, top = rng.choice([("nps", 10), ("csat", 5)])
    return SurveyResponse(
        contact_id=rng.choice(people),
        kind=kind,
        score=rng.randint(1, top),
        answered_at=_moment(rng),
    )


def _affiliation(rng: random.Random, people: list[str], firms: list[str]) -> Affiliation:
    return Affiliation(contact_id=rng.choice(people), company_id=rng.choice(firms))


_NEW = {
    "order": ("orders", _order),
    "ticket": ("tickets", _ticket),
    "activity": ("activities", _activity),
    "survey": ("surveys", _survey),
    "affiliation": ("affiliations", _affiliation),
}


def _edited(rng: random.Random, kind: str, record: Any, people: list[str], firms: list[str]) -> Any:
    """``record`` with one field that feeds roll-ups changed, or a fresh record's."""
    fresh = _NEW[kind][1](rng, people, firms)
    fields = {
        "order": ["contact_id", "company_id", "placed_at", "status", "kind", "currency"],
        "ticket": ["contact_id", "company_id", "resolved_at"],
        "activity": ["occurred_at", "contact_ids", "company_ids"],
        "survey": ["contact_id", "score", "answered_at"],
        "affiliation": ["contact_id", "company_id"],
    }[kind]
    name = rng.choice(fields)
    if name == "currency":  # the items are in the order's currency
        return attrs.evolve(record, currency=fresh.currency, items=fresh.items)
    if name in ("contact_id", "company_id") and kind == "ticket":
        return attrs.evolve(record, contact_id=fresh.contact_id, company_id=fresh.company_id)
    if name == "resolved_at":
        return attrs.evolve(record, resolved_at=None if record.resolved_at else record.opened_at)
    if name == "score":
        return attrs.evolve(record, score=min(fresh.score, record.scale.high))
    return attrs.evolve(record, **{name: getattr(fresh, name)})


def _mine(tx: Any, repo: str, people: list[str], firms: list[str]) -> list[Any]:
    """This example's records of ``repo`` (the store outlives one example)."""
    if repo == "activities":
        query = F("contact_ids").contains_any(people) | F("company_ids").contains_any(firms)
    elif repo in ("surveys", "affiliations"):
        query = F("contact_id").is_in(people)
    else:
        query = F("contact_id").is_in(people) | F("company_id").is_in(firms)
    return sorted(getattr(tx, repo).select(query), key=lambda r: r.id)


def _run(tx: Any, op: tuple[str, str, int], people: list[str], firms: list[str]) -> None:
    kind, action, seed = op
    rng = random.Random(seed)
    if kind == "rates":
        tx.set_rates({code: Decimal(rng.randint(1, 200)) / 4 for code in RATES})
        return
    repo, new = _NEW[kind]
    records = _mine(tx, repo, people, firms)
    if action == "add" or not records:
        getattr(tx, repo).add(new(rng, people, firms))
    elif action == "add_many":
        batch = [new(rng, people, firms) for _ in range(rng.randint(1, 4))]
        getattr(tx, repo).add_many(batch, batch_size=2)
    elif action == "put":
        getattr(tx, repo).put(_edited(rng, kind, rng.choice(records), people, firms))
    else:
        getattr(tx, repo).remove(rng.choice(records).id)


def _expected(tx: Any, people: list[str], firms: list[str], rates: Any) -> dict[str, Any]:
    """Every client's figures by ``client_stats`` over its records, grouped here."""
    orders, tickets = _mine(tx, "orders", people, firms), _mine(tx, "tickets", people, firms)
    activities = _mine(tx, "activities", people, firms)
    surveys, links = _mine(tx, "surveys", people, firms), _mine(tx, "affiliations", people, firms)
    expected = {}
    for person in people:
        expected[person] = client_stats(
            [o for o in orders if o.contact_id == person],
            [t for t in tickets if t.contact_id == person],
            [a for a in activities if person in a.contact_ids],
            [s for s in surveys if s.contact_id == person],
            base_currency="RUB",
            rates=rates,
        )
    for firm in firms:
        staff = {link.contact_id for link in links if link.company_id == firm}
        expected[firm] = client_stats(
            [o for o in orders if o.company_id == firm or o.contact_id in staff],
            [t for t in tickets if t.company_id == firm or t.contact_id in staff],
            [a for a in activities if firm in a.company_ids],
            [s for s in surveys if s.contact_id in staff],
            base_currency="RUB",
            rates=rates,
        )
    return expected


def _all_stats(store: Any) -> dict[str, Any]:
    with store.begin() as tx:
        return {c.id: c.stats for c in [*tx.contacts.select(), *tx.companies.select()]}


@pytest.fixture
def rated_store(open_test_store: Any) -> Any:
    """One store for all of a test's examples: each works on clients of its own."""
    return open_test_store(base_currency="RUB", rates=RATES)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(transactions=_TRANSACTIONS, spill=st.sampled_from([1, 3, _rollups.SPILL]))
def test_s7_kept_rollups_equal_the_recomputed_ones_after_any_writes(
    rated_store: Any, transactions: list[list[tuple[str, str, int]]], spill: int
) -> None:
    """Foundation IV item 3: adds tallied (spilled to the stored figures every ``spill``
    owners), puts and removals recomputed; kept == client_stats == rebuilt."""
    store = rated_store
    with store.begin() as tx:
        firms = [tx.companies.add(Company(name=f"Ф{i}")).id for i in range(2)]
        people = [tx.contacts.add(Contact(first_name=f"P{i}")).id for i in range(4)]
        tx.affiliations.add(Affiliation(contact_id=people[0], company_id=firms[0]))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_rollups, "SPILL", spill)
        for ops in transactions:
            with store.begin() as tx:
                for op in ops:
                    _run(tx, op, people, firms)
    with store.begin() as tx:
        rates = tx.exchange.rates
        expected = _expected(tx, people, firms, rates)
    kept = _all_stats(store)
    assert {id_: kept[id_] for id_ in expected} == expected
    store.rebuild_rollups()
    assert _all_stats(store) == kept


def test_s7_a_failed_transaction_keeps_no_tally(store: Any) -> None:
    """Figures tallied in a transaction that rolls back are gone with it."""
    with store.begin() as tx:
        person = tx.contacts.add(Contact(first_name="Юлия"))
    with pytest.raises(RuntimeError), store.begin() as tx:
        tx.orders.add(_order(random.Random(1), [person.id], []))
        raise RuntimeError
    with store.begin() as tx:
        tx.orders.add(attrs.evolve(_order(random.Random(2), [person.id], []), status="completed"))
        assert tx.orders.count() == 1
    with store.begin() as tx:
        assert tx.contacts.get(person.id).stats.order_count == 1


# --- statements per transaction ---------------------------------------------------------


@pytest.fixture
def counted(tmp_path: Any) -> Iterator[tuple[Any, list[str]]]:
    """A real SQLite store, and the statements it sends, as its engine executes them."""
    store = open_store(f"sqlite:///{tmp_path / 'counted.sqlite'}", base_currency="RUB", rates=RATES)
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    yield store, statements
    store.close()


def _history(store: Any, size: int) -> tuple[str, str]:
    """A contact of a company with ``size`` orders, tickets, activities and surveys."""
    rng = random.Random(size)
    with store.begin() as tx:
        firm = tx.companies.add(Company(name="Ромашка")).id
        person = tx.contacts.add(Contact(first_name="Юлия")).id
        tx.affiliations.add(Affiliation(contact_id=person, company_id=firm))
        for kind in ("order", "ticket", "activity", "survey"):
            repo, new = _NEW[kind]
            getattr(tx, repo).add_many(new(rng, [person], [firm]) for _ in range(size))
    return person, firm


@pytest.mark.parametrize("records", [10, 200])
def test_s7_adding_to_a_long_history_runs_as_many_statements_as_to_a_short_one(
    counted: tuple[Any, list[str]], records: int
) -> None:
    """Foundation IV item 3: a transaction adding orders, tickets, activities and
    surveys to a client sends the statements it would for a client with one record,
    and the client's figures still equal the recomputed ones."""
    store, statements = counted
    person, firm = _history(store, records)
    short_person, short_firm = _history(store, 1)
    rng = random.Random(7)

    def add(who: str, company: str) -> int:
        statements.clear()
        with store.begin() as tx:
            for kind in ("order", "ticket", "activity", "survey"):
                repo, new = _NEW[kind]
                getattr(tx, repo).add_many(new(rng, [who], [company]) for _ in range(20))
        return len(statements)

    assert add(person, firm) == add(short_person, short_firm)
    assert len(statements) < 40
    kept = _all_stats(store)
    with store.begin() as tx:
        expected = _expected(tx, [person, short_person], [firm, short_firm], RATES)
    assert {id_: kept[id_] for id_ in expected} == expected


# --- puts of clients --------------------------------------------------------------------


def _bought(person: str, firm: str, day: int) -> Order:
    return Order(
        contact_id=person,
        company_id=firm,
        placed_at=START + dt.timedelta(days=day),
        currency="RUB",
        items=(OrderItem(name="Стрижка", amount=Money(Decimal(day * 100), "RUB")),),
    )


@pytest.mark.parametrize("client", ["contacts", "companies"])
def test_s7_a_put_of_a_client_never_writes_back_rollups_another_transaction_moved(
    store: Any, monkeypatch: pytest.MonkeyPatch, client: str
) -> None:
    """Foundation IV item 3: the store owns the roll-ups. A transaction adds an order and
    holds its figures, not yet committed, while another one reads the client and puts it
    (on PostgreSQL the put waits for the first one's row lock); the put must keep the
    figures the first one committed, not write back the ones it read."""
    with store.begin() as tx:
        firm = tx.companies.add(Company(name="Ромашка")).id
        person = tx.contacts.add(Contact(first_name="Юлия")).id
        tx.orders.add(_bought(person, firm, 1))
    held = threading.Event()
    flush = UnitOfWork.flush

    def holding(unit: UnitOfWork) -> None:
        flush(unit)  # the figures are written (and on PostgreSQL the row locked)
        if not held.is_set():  # the first flush is the adder's: the editor waits for it
            held.set()
            time.sleep(0.5)

    monkeypatch.setattr(UnitOfWork, "flush", holding)

    def add() -> None:
        with store.begin(actor="orders") as tx:
            tx.orders.add(_bought(person, firm, 2))

    def put() -> None:
        assert held.wait(10)
        with store.begin(actor="editor") as tx:
            repo = getattr(tx, client)
            edited = repo.get(person if client == "contacts" else firm)
            repo.put(attrs.evolve(edited, tags=frozenset({"vip"})))

    assert _in_threads(add, put) == [None, None]
    with store.begin() as tx:
        orders = list(tx.orders.select())
        assert len(orders) == 2
        expected = client_stats(orders, base_currency="RUB")
        for repo in (tx.contacts, tx.companies):
            assert [c.stats for c in repo.select()] == [expected]
        edited = getattr(tx, client).select()[0]
        assert (edited.tags, edited.version) == (frozenset({"vip"}), 2)


def test_s7_a_client_put_and_tallied_in_one_transaction_gets_its_tally_once(store: Any) -> None:
    """A put of a client between adds of its orders keeps what the store holds; the
    commit adds each order once."""
    with store.begin() as tx:
        firm = tx.companies.add(Company(name="Ромашка")).id
        person = tx.contacts.add(Contact(first_name="Юлия"))
        tx.orders.add(_bought(person.id, firm, 1))
    with store.begin() as tx:
        tx.orders.add(_bought(person.id, firm, 2))
        put = tx.contacts.put(attrs.evolve(tx.contacts.get(person.id), tags=frozenset({"vip"})))
        tx.orders.add(_bought(person.id, firm, 3))
        tx.companies.put(attrs.evolve(tx.companies.get(firm), tags=frozenset({"key"})))
        assert put.stats.order_count == 1  # what it was read with: the adds wait for commit
    with store.begin() as tx:
        expected = client_stats(tx.orders.select(), base_currency="RUB")
        assert tx.contacts.get(person.id).stats == expected
        assert tx.companies.get(firm).stats == expected
        assert expected.order_count == 3


def _in_threads(*jobs: Any) -> list[BaseException | None]:
    """Run the jobs together; what each raised (``None``: it returned)."""
    outcomes: list[BaseException | None] = [None] * len(jobs)

    def run(index: int) -> None:
        try:
            jobs[index]()
        except BaseException as error:  # noqa: BLE001 - reported to the test
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
