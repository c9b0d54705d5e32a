"""PostgreSQL's bulk path (``_pg_copy``, Foundation IV item 6): ``add_many`` and the
change log written by COPY give the very rows, change log and errors that the
``executemany`` path gives. Each comparison writes the same records twice into a new
base, once by COPY and once with COPY switched off, and compares what the database
holds, column by column in PostgreSQL's own text form of each row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from sqlalchemy import event

from custdb import open_store
from custdb.errors import DuplicateKeyError, StoreError, ValidationError
from custdb.model import Contact, Money, OrderItem
from custdb.model.schema import FieldDef, FieldType, Schema
from custdb.storage import _pg_copy
from custdb.testing import make_company, make_contact, make_order

UTC = dt.timezone.utc
MOSCOW = dt.timezone(dt.timedelta(hours=3))
KATHMANDU = dt.timezone(dt.timedelta(hours=5, minutes=45))
HAWAII = dt.timezone(dt.timedelta(hours=-10))
ODD_TEXTS = [
    "tab\there",
    "new\nline",
    "cr\rlf\r\n",
    "back\\slash\\",
    "\\N",  # COPY's own NULL marker, as text
    "\\.",  # COPY's old end-of-data marker
    "line\n\\.\nafter",
    "'single' \"double\" `back`",
    "Zoë Dæhlie Юлия 王 שלום 😀 e\u0301",
    "",
    " spaced ",
    "\x01\x1f\x7f",  # control characters other than NUL
]
CONTACT_SCHEMA = Schema(
    "contact",
    (
        FieldDef("credit", FieldType.DECIMAL),
        FieldDef("seen_at", FieldType.DATETIME),
        FieldDef("segment", FieldType.ENUM, options=frozenset({"gold", "silver"})),
        FieldDef("channels", FieldType.MULTI_ENUM, options=frozenset({"sms", "mail"})),
        FieldDef("nick", FieldType.STRING),
    ),
)

pytestmark = pytest.mark.parametrize(
    "store_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


@pytest.fixture(autouse=True)
def store_kind() -> None:
    """Opts this module out of conftest's four-store parametrization: COPY is PostgreSQL's."""


# --- writing the same records both ways ---------------------------------------------------

Write = Callable[[Any], None]  # what a transaction does


def _reset(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


class Written:
    """What a new base holds after ``writes``, and the SQL statements it took."""

    def __init__(self, url: str, clock: Any, writes: list[Write], *, copy: bool) -> None:
        _reset(url)
        patch = pytest.MonkeyPatch()
        if not copy:  # every batch below the threshold: the executemany path
            patch.setattr(_pg_copy, "COPY_LEAST", 10**9)
        store = open_store(url, clock=clock, schemas=[CONTACT_SCHEMA], users="external")
        self.statements: list[str] = []
        event.listen(store.engine, "before_cursor_execute", self._seen)
        try:
            for write in writes:
                with store.begin(actor="loader", cause="import") as tx:
                    write(tx)
                clock.advance(minutes=1)
            self.rows = _table_texts(store.engine)
            self.changes = store.changes()
            with store.begin() as tx:
                self.records = [
                    list(repo.select(order_by="id"))
                    for repo in (tx.contacts, tx.companies, tx.orders)
                ]
        finally:
            store.close()
            patch.undo()

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        self.statements.append(statement)

    def inserted_into(self, table: str) -> bool:
        return any(s.startswith(f"INSERT INTO {table} ") for s in self.statements)


def _table_texts(engine: sa.Engine) -> dict[str, list[str]]:
    """Every row of every table, as PostgreSQL writes the row out (its exact values)."""
    keys = {"changes": "seq", "external_ids": "entity, system, external_id"}
    tables = ("contacts", "companies", "orders", "changes", "external_ids")
    with engine.connect() as connection:
        return {
            table: list(
                connection.execute(
                    sa.text(f"SELECT t::text FROM {table} t ORDER BY {keys.get(table, 'id')}")
                ).scalars()
            )
            for table in tables
        }


def both_ways(url: str, clock: Any, writes: list[Write]) -> tuple[Written, Written]:
    start = clock.now
    by_copy = Written(url, clock, writes, copy=True)
    clock.now = start
    by_executemany = Written(url, clock, writes, copy=False)
    return by_copy, by_executemany


def assert_same(by_copy: Written, by_executemany: Written) -> None:
    assert by_copy.rows == by_executemany.rows
    assert by_copy.changes == by_executemany.changes
    assert by_copy.records == by_executemany.records


# --- records with odd values --------------------------------------------------------------


def odd_contacts() -> list[Contact]:
    """One contact per odd text, in every kind of column, and more beside."""
    contacts = []
    for number, text in enumerate(ODD_TEXTS):
        contacts.append(
            make_contact(
                first_name=text or None,
                notes=f"{text}|{text}",
                job_title=text or None,
                tags=frozenset({text, f"t{number}"}) if text.strip() else frozenset(),
                owner_ids=(f"u{number}",),
                external_ids={"crm": f"{number}:{text}"},
                custom={
                    "credit": Decimal("123456789012345678901234567890.1234567890123456789")
                    if number % 2
                    else Decimal("-0.000000000000000000000001"),
                    "seen_at": dt.datetime(
                        2026, 3, 29, 1, 30, tzinfo=(MOSCOW, KATHMANDU)[number % 2]
                    ),
                    "segment": "gold",
                    "channels": frozenset() if number % 3 else frozenset({"sms", "mail"}),
                    "nick": text,
                },
            )
        )
    return contacts


def odd_companies() -> list[Any]:
    return [
        make_company(
            name=f"Firma {number} {text}",
            custom={
                "nested": {"list": [text, 1, 2.5, None, True, {"deep": [text]}], "empty": {}},
                "quotes": "\"'\\",
                "largest": 2**63 - 1,
                "smallest": -(2**63),
                "float": 1e-300,
                "sets": [],
                "text": text,
            },
        )
        for number, text in enumerate(ODD_TEXTS)
    ]


def odd_orders(contacts: list[Contact]) -> list[Any]:
    zones = (UTC, MOSCOW, KATHMANDU, HAWAII)
    return [
        make_order(
            contact_id=contact.id,
            currency="RUB",
            placed_at=dt.datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=zones[number % 4]),
            items=(
                OrderItem(
                    name=ODD_TEXTS[number] or "item",
                    quantity=Decimal("0.001"),
                    amount=Money(Decimal("98765432109876543210987654321.98765"), "RUB"),
                ),
                OrderItem(name="tip", amount=Money(Decimal("0.01"), "RUB")),
            ),
        )
        for number, contact in enumerate(contacts)
    ]


def test_add_many_by_copy_writes_the_rows_and_log_executemany_writes(
    store_url: str, clock: Any
) -> None:
    """Foundation IV item 6: odd texts, huge decimals, time zones, empty sets, custom JSON."""
    contacts = odd_contacts()
    companies, orders = odd_companies(), odd_orders(contacts)

    def write(tx: Any) -> None:
        tx.contacts.add_many(contacts)
        tx.companies.add_many(companies)
        tx.orders.add_many(orders)

    by_copy, by_executemany = both_ways(store_url, clock, [write])
    assert_same(by_copy, by_executemany)
    for table in ("contacts", "companies", "orders", "changes"):
        assert not by_copy.inserted_into(table)  # written by COPY, which SQLAlchemy never sees
        assert by_executemany.inserted_into(table)
    assert len(by_copy.rows["contacts"]) == len(ODD_TEXTS)
    logged = [c.entity for c in by_copy.changes if c.op == "add" and c.entity != "setting"]
    assert logged == ["contact"] * 12 + ["company"] * 12 + ["order"] * 12


def test_odd_values_read_back_as_they_were_added(store_url: str, clock: Any) -> None:
    contacts = odd_contacts()
    by_copy = Written(store_url, clock, [lambda tx: tx.contacts.add_many(contacts)], copy=True)
    stored = {c.id: c for c in by_copy.records[0]}
    for contact in contacts:
        back = stored[contact.id]
        assert (back.first_name, back.notes, back.tags) == (
            contact.first_name,
            contact.notes,
            contact.tags,
        )
        assert back.external_ids == contact.external_ids
        assert back.custom == CONTACT_SCHEMA.validate(contact.custom)
    added = {c.id: c.after for c in by_copy.changes}
    assert added[contacts[4].id]["first_name"] == "\\N"  # not NULL
    assert added[contacts[1].id]["notes"] == "new\nline|new\nline"


def test_batches_around_the_threshold_and_later_transactions_number_alike(
    store_url: str, clock: Any
) -> None:
    """Batches of 1, COPY_LEAST - 1, COPY_LEAST and a few thousand (add_many's own
    batches), over several transactions, with puts and removes between: same log, same
    sequence numbers."""
    sizes = [1, _pg_copy.COPY_LEAST - 1, _pg_copy.COPY_LEAST, 2500]
    batches = [[make_contact(last_name=f"N{size}-{i}") for i in range(size)] for size in sizes]

    def change(tx: Any) -> None:
        first = tx.contacts.get(batches[2][0].id)
        tx.contacts.put(attrs.evolve(first, notes="changed"))
        tx.contacts.remove(batches[1][0].id)

    writes: list[Write] = [
        lambda tx, b=batch: tx.contacts.add_many(b, batch_size=1000) for batch in batches
    ]
    by_copy, by_executemany = both_ways(store_url, clock, [*writes, change])
    assert_same(by_copy, by_executemany)
    assert [c.seq for c in by_copy.changes] == list(range(1, len(by_copy.changes) + 1))
    assert sum(c.entity == "contact" and c.op == "add" for c in by_copy.changes) == sum(sizes)


# --- errors ---------------------------------------------------------------------------


def _count(store: Any) -> tuple[int, int]:
    with store.begin() as tx:
        return tx.contacts.count(), len(store.changes())


@pytest.fixture
def loaded(store_url: str, clock: Any) -> Iterator[tuple[Any, list[Contact]]]:
    store = open_store(store_url, clock=clock, users="external")
    first = [make_contact(last_name=f"First{i}") for i in range(20)]
    with store.begin() as tx:
        tx.contacts.add_many(first)
    yield store, first
    store.close()


def test_a_taken_id_in_a_copied_batch_is_named_and_nothing_is_written(
    loaded: tuple[Any, list[Contact]],
) -> None:
    store, first = loaded
    fresh = [make_contact(last_name=f"New{i}") for i in range(3000)]
    batch = [*fresh[:1500], first[7], *fresh[1500:]]
    with store.begin() as tx:
        with pytest.raises(DuplicateKeyError) as caught:
            tx.contacts.add_many(batch)
        assert (caught.value.id, caught.value.field) == (first[7].id, "id")
        assert "exists already" in str(caught.value)
        tx.contacts.add(fresh[0])  # the transaction goes on, as it was before the batch
    assert _count(store) == (21, 21)


def test_an_external_id_taken_in_a_copied_batch_is_named(
    loaded: tuple[Any, list[Contact]],
) -> None:
    store, _ = loaded
    with store.begin() as tx:
        tx.contacts.add(make_contact(external_ids={"crm": "42"}))
    batch = [make_contact(last_name=f"New{i}") for i in range(30)]
    batch[20] = make_contact(external_ids={"crm": "42"})
    with pytest.raises(DuplicateKeyError) as caught, store.begin() as tx:
        tx.contacts.add_many(batch)
    assert (caught.value.id, caught.value.field) == (batch[20].id, "external_ids")
    assert _count(store) == (21, 21)


def test_a_bad_value_late_in_a_batch_wins_over_a_taken_id_early_in_it(
    store_url: str, clock: Any
) -> None:
    """As with executemany, which made every row before writing one: the record that
    does not validate is the error (the same one), though the server saw the taken id
    first; nothing is written."""
    taken = make_contact()
    long_notes = "x" * 2000  # a megabyte or more reaches the server before the last row
    batch = [taken, *(make_contact(notes=long_notes) for _ in range(1500))]
    batch.append(make_contact(custom={"segment": "bronze"}))

    def write(store: Any) -> None:
        with store.begin() as tx:
            tx.contacts.add(taken)
        with store.begin() as tx:
            tx.contacts.add_many(batch)

    by_copy, by_executemany = (errors_of(store_url, clock, write, copy=c) for c in (True, False))
    assert by_copy == by_executemany
    assert by_copy[0] is ValidationError
    assert "bronze" in by_copy[1]
    assert by_copy[2] == (1, 2)  # the contact taken, and the schema's setting


def errors_of(url: str, clock: Any, write: Callable[[Any], None], *, copy: bool) -> Any:
    """(error class, message, (contacts, changes) left) of ``write`` on a new base."""
    _reset(url)
    patch = pytest.MonkeyPatch()
    if not copy:
        patch.setattr(_pg_copy, "COPY_LEAST", 10**9)
    store = open_store(url, clock=clock, schemas=[CONTACT_SCHEMA], users="external")
    try:
        with pytest.raises(Exception) as caught:
            write(store)
        return type(caught.value), str(caught.value), _count(store)
    finally:
        store.close()
        patch.undo()


def test_a_value_the_server_refuses_in_the_copied_log_is_the_same_store_error(
    store_url: str, clock: Any
) -> None:
    """A NUL reaches no column through a record (every normalizer refuses it); an actor
    is text the store passes on, and the driver refuses the NUL: the same error both
    ways, nothing written."""
    with pytest.raises(ValidationError, match="NUL"):
        make_contact(notes="a\x00b")

    def write(store: Any) -> None:
        with store.begin(actor="bad\x00actor") as tx:
            tx.contacts.add_many([make_contact() for _ in range(20)])

    by_copy, by_executemany = (errors_of(store_url, clock, write, copy=c) for c in (True, False))
    assert by_copy == by_executemany
    assert by_copy[0] is StoreError
    assert "NUL" in by_copy[1]
    assert by_copy[2] == (0, 1)  # the contact schema's setting, from opening the store
