"""Two writers at once, on a SQLite file and on PostgreSQL: one wins, the other gets
``StaleVersionError``; a crash half-way leaves nothing behind; the change log's cursor
never skips a record committed late."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest

from custdb.errors import ConflictError, NotFoundError
from custdb.model import Contact, Money, Order, OrderItem
from custdb.storage._sql import SQLBackend

SHARED_KINDS = [
    pytest.param("sqlite-file", id="sqlite-file"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]
pytestmark = pytest.mark.parametrize("store_url", SHARED_KINDS, indirect=True)


@pytest.fixture(autouse=True)
def store_kind() -> None:
    """Opts this module out of conftest's four-store parametrization."""


def _in_threads(*jobs: Callable[[], Any]) -> list[BaseException | None]:
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


@pytest.mark.parametrize("stores", ["one store", "two stores"])
def test_two_writers_of_one_contact_one_wins(open_test_store: Any, stores: str) -> None:
    first = open_test_store()
    second = first if stores == "one store" else open_test_store()
    with first.begin() as tx:
        added = tx.contacts.add(Contact(first_name="Юлия"))
    cursor = first.changes()[-1].seq
    start = threading.Barrier(2)

    def writer(store: Any, title: str) -> Callable[[], None]:
        def write() -> None:
            start.wait()
            with store.begin(actor=title) as tx:
                tx.contacts.get(added.id)  # both read version 1 where the database allows it
                tx.contacts.put(attrs.evolve(added, job_title=title))
                time.sleep(0.3)  # hold the write while the other one tries

        return write

    outcomes = _in_threads(writer(first, "CEO"), writer(second, "CTO"))
    assert sorted(type(o).__name__ for o in outcomes) == ["NoneType", "StaleVersionError"]
    winner = "CEO" if outcomes[0] is None else "CTO"
    with first.begin() as tx:
        stored = tx.contacts.get(added.id)
    assert (stored.job_title, stored.version) == (winner, 2)
    puts = [c for c in first.changes(since=cursor) if c.op == "put"]
    assert [(c.actor, c.after) for c in puts] == [(winner, {"job_title": winner})]


def test_a_crash_after_a_thousand_writes_leaves_base_and_log_as_before(store: Any) -> None:
    with store.begin() as tx:
        kept = tx.contacts.add(Contact(first_name="Kept"))
    log = store.changes()
    with pytest.raises(RuntimeError, match="crash"), store.begin() as tx:
        tx.contacts.add_many(Contact(first_name=f"N{i}") for i in range(1000))
        tx.contacts.put(attrs.evolve(kept, job_title="half-written"))
        raise RuntimeError("crash")
    assert store.changes() == log
    with store.begin() as tx:
        assert tx.contacts.select() == [kept]


def test_i5_a_late_commit_is_not_skipped_by_a_change_cursor(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The slow transaction logs first and commits last; a reader that saw the fast one's
    change must still find the slow one's after its cursor."""
    logged = threading.Event()
    original = SQLBackend.append_changes

    def slow_for_first(self: SQLBackend, changes: Any) -> None:
        original(self, changes)
        if changes and changes[0].actor == "slow":
            logged.set()
            time.sleep(0.5)

    monkeypatch.setattr(SQLBackend, "append_changes", slow_for_first)

    def slow() -> None:
        with store.begin(actor="slow") as tx:
            tx.contacts.add(Contact(first_name="Slow"))

    def fast() -> None:
        logged.wait(10)
        with store.begin(actor="fast") as tx:
            tx.contacts.add(Contact(first_name="Fast"))

    seen: list[list[str | None]] = []

    def reader() -> None:
        logged.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            actors = [c.actor for c in store.changes()]
            if actors:
                seen.append(actors)
                return
            time.sleep(0.01)

    assert _in_threads(slow, fast, reader) == [None, None, None]
    assert seen[0][0] == "slow"  # never ["fast"] first: "slow" holds the lower number
    assert [c.actor for c in store.changes()] == ["slow", "fast"]


@pytest.mark.parametrize("first", ["link", "remove"])
def test_linking_to_a_client_and_removing_it_at_once_never_leaves_an_orphan(
    open_test_store: Any, first: str
) -> None:
    """Whichever commits first wins; the other sees it and is refused (PostgreSQL: the
    linker holds the client FOR KEY SHARE, the remover takes it FOR UPDATE)."""
    linker, remover = open_test_store(), open_test_store()
    with linker.begin() as tx:
        person = tx.contacts.add(Contact(first_name="Юлия"))
    started = threading.Event()
    when = dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)
    bought = Order(
        contact_id=person.id,
        placed_at=when,
        currency="RUB",
        items=(OrderItem(name="Стрижка", amount=Money(Decimal(100), "RUB")),),
    )

    def link() -> None:
        if first == "remove":
            started.wait(10)
        with linker.begin() as tx:
            tx.orders.add(bought)
            if first == "link":
                started.set()
                time.sleep(0.5)  # hold the transaction while the other one tries

    def remove() -> None:
        if first == "link":
            started.wait(10)
        with remover.begin() as tx:
            tx.contacts.remove(person.id)
            if first == "remove":
                started.set()
                time.sleep(0.5)

    linked, removed = _in_threads(link, remove)
    with linker.begin() as tx:
        orders, contacts = tx.orders.count(), tx.contacts.count()
    if first == "link":
        assert (linked, type(removed)) == (None, ConflictError)
        assert (orders, contacts) == (1, 1)
    else:
        assert (type(linked), removed) == (NotFoundError, None)
        assert (orders, contacts) == (0, 0)
