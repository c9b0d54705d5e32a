"""The generated row writer: columns and ``doc`` as the table keeps them, roll-up columns
made once for a shared roll-up and afresh for any other."""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
import sqlalchemy as sa

from custdb import codec, testing
from custdb.model import Email, Money
from custdb.model.contact import ClientStats
from custdb.model.frozen import FrozenMap
from custdb.query import F
from custdb.storage._dialect import POSTGRES, SQLITE
from custdb.storage._pending import logged
from custdb.storage._rows import Plan, _document_lines
from custdb.storage._stamps import fresh
from custdb.storage._tables import TABLES, dumps
from custdb.storage.base import ENTITIES
from custdb.storage.postgres import psycopg_url


def test_doc_leaves_out_roll_ups_none_and_empty_values() -> None:
    plan = Plan.of("contacts", SQLITE)
    contact = testing.make_contact(birthday=None, custom={}, tags=frozenset())
    row = plan.row(contact)
    doc = json.loads(row["doc"])
    assert doc["id"] == contact.id == row["id"]
    assert {"custom", "external_ids", "stats", "birthday", "tags"}.isdisjoint(doc)
    assert doc["has_mobile_app"] is False  # a value, though it is the default
    assert (row["custom"], row["tags"], row["birthday"]) == ("{}", "[]", None)


@attrs.frozen
class _Flagged:
    """A field whose empty value is not its default: left out, it would read back wrong."""

    id: str
    flags: tuple[str, ...] = ("new",)


def test_a_field_whose_empty_value_is_not_its_default_is_refused() -> None:
    with pytest.raises(TypeError, match=r"_Flagged\.flags"):
        _document_lines(_Flagged, {})


def test_roll_up_columns_follow_each_records_own_roll_ups() -> None:
    plan = Plan.of("contacts", SQLITE)
    empty = testing.make_contact(stats=ClientStats())
    spent = attrs.evolve(empty, stats=ClientStats(total_spent=Decimal(2500)))
    rows = [plan.row(c) for c in (empty, empty, spent, empty)]
    assert rows[0] == rows[1] == rows[3]
    assert {k: v for k, v in rows[2].items() if k in plan.stats_row(spent.stats)} == (
        plan.stats_row(spent.stats)
    )
    assert rows[2]["total_spent"] != rows[0]["total_spent"]


_NOW = dt.datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=dt.timezone.utc)
RECORDS = [
    testing.make_contact(),
    testing.make_contact(
        external_ids={"1c": "000123"},
        emails=(Email("yulia@example.ru"),),
        tags=frozenset({"VIP", "Москва"}),
        birthday=dt.date(1990, 5, 17),
        notes='кавычки " и \\ и \n',
    ),
    testing.make_contact(first_name=None, last_name="Ли", tags=frozenset(), birthday=None),
    testing.make_company(),
    testing.make_deal(),
    testing.make_order(),
    testing.make_ticket(),
    testing.make_activity(),
    testing.make_survey_response(),
    testing.make_lead(),
]


@pytest.mark.parametrize("dialect", [SQLITE, POSTGRES], ids=["sqlite", "postgres"])
@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_an_add_writes_the_row_of_the_stamped_record_and_logs_its_logged_dict(
    dialect: Any, record: Any
) -> None:
    """The row writer stamps a new record itself (no copy is made): its row must equal
    the row of the copy ``fresh`` makes; ``doc``, the log's ``after`` too, is the text of
    that copy's logged dict, and reads back as that copy."""
    name = next(name for name, cls in ENTITIES.items() if cls is type(record))
    plan = Plan.of(name, dialect)
    custom = FrozenMap({"segment": "gold"})
    stored = fresh(record, custom, _NOW.astimezone(ZoneInfo("Europe/Oslo")))
    data = codec.encode(stored)
    row = dict(zip(plan.columns, plan.added(record, custom, _NOW), strict=True))
    assert row == plan.row(stored)
    assert set(plan.columns) == {column.name for column in plan.table.columns}
    assert row["doc"] == dumps(logged(data))
    assert json.loads(row["custom"]) == {"segment": "gold"}
    read = [row[name] for name in ("doc", "custom", "external_ids", "stats") if name in row]
    if not plan.json_text:  # PostgreSQL's driver hands JSONB back decoded
        read = [json.loads(text) for text in read]
    assert plan.entity((*read, row["id"]), None) == stored


def test_a_new_clients_roll_ups_are_stored_as_an_empty_object() -> None:
    """Foundation IV item 1: the ``stats`` JSON keeps only what differs from a new
    client's roll-ups (the decoder gives the rest their defaults), so ``0.00`` stays."""
    plan = Plan.of("contacts", SQLITE)
    assert plan.row(testing.make_contact())["stats"] == "{}"
    spent = ClientStats(total_spent=Decimal("0.00"), order_count=2)
    contact = attrs.evolve(testing.make_contact(), stats=spent)
    assert json.loads(plan.row(contact)["stats"]) == {"total_spent": "0.00", "order_count": 2}
    row = plan.row(contact)
    read = plan.entity((row["doc"], row["custom"], row["external_ids"], row["stats"], "x"), None)
    assert read.stats == spent
    assert str(read.stats.total_spent) == "0.00"


@pytest.fixture
def store_kind() -> None:
    """Asked for by the tests below: they name their own stores (SQL ones only)."""


@pytest.mark.parametrize(
    "store_url",
    ["sqlite-file", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
@pytest.mark.usefixtures("store_kind")
def test_an_adds_after_is_the_rows_doc_until_the_record_changes(store: Any) -> None:
    """Foundation IV item 1: an add's log entry holds NULL while the record is as added
    (its ``after`` is read from the row's ``doc``); the first put copies the text in,
    and so does a removal, so ``changes()`` and ``history()`` never change."""

    def stored_afters() -> list[Any]:
        with store.engine.connect() as connection:
            query = "SELECT after FROM changes WHERE op = 'add' ORDER BY seq"
            return [row[0] for row in connection.exec_driver_sql(query)]

    with store.begin() as tx:
        kept, changed, removed = (testing.make_contact(first_name=n) for n in "ABC")
        tx.contacts.add_many([kept, changed, removed])
    with store.begin() as tx:
        both = testing.make_contact(first_name="D")
        tx.contacts.add(both)
        tx.contacts.put(attrs.evolve(tx.contacts.get(both.id), first_name="E"))
    assert stored_afters() == [None, None, None, stored_afters()[3]]
    assert stored_afters()[3] is not None  # put in the transaction that added it
    before = store.changes()
    with store.begin() as tx:
        tx.contacts.put(attrs.evolve(tx.contacts.get(changed.id), first_name="F"))
        tx.contacts.remove(removed.id)
    assert store.changes()[: len(before)] == before
    assert [after is None for after in stored_afters()] == [True, False, False, False]
    assert store.history("contact", changed.id)[0].after["first_name"] == "B"
    assert store.history("contact", removed.id)[0].after["first_name"] == "C"


def _to_the_old_layout(url: str) -> None:
    """What custdb wrote before Foundation IV: every add's ``after`` as text, the whole
    roll-ups in ``stats``, no ``_folded`` columns, schema version 4."""
    engine = sa.create_engine(psycopg_url(url))
    with engine.begin() as connection:
        run = connection.exec_driver_sql
        for name, table in TABLES.items():
            label = ENTITIES[name].ENTITY  # type: ignore[attr-defined]
            run(
                f"UPDATE changes SET after = (SELECT doc FROM {name} WHERE {name}.id = "
                f"changes.record_id) WHERE op = 'add' AND after IS NULL AND entity = '{label}'"
            )
            for column in table.columns:
                if column.name.endswith("_folded"):
                    run(f"ALTER TABLE {name} DROP COLUMN {column.name}")
        for id_, stats in connection.execute(
            sa.select(TABLES["contacts"].c.id, TABLES["contacts"].c.stats)
        ).all():
            full = {
                **codec.encode(ClientStats()),
                **(json.loads(stats) if isinstance(stats, str) else stats),
            }
            connection.execute(
                TABLES["contacts"].update().where(TABLES["contacts"].c.id == id_), {"stats": full}
            )
        run("DELETE FROM schema_version WHERE version > 4")
    engine.dispose()


@pytest.mark.parametrize(
    "store_url",
    ["sqlite-file", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
@pytest.mark.usefixtures("store_kind")
def test_a_base_in_the_old_layout_opens_and_reads_as_written(
    store_url: str, open_test_store: Any
) -> None:
    """Foundation IV items 1 and 5a: a base written before (whole afters in the log,
    whole roll-ups, no folded names) migrates on open; its records, change log and
    searches are what they were, and new writes take the new layout beside the old."""
    store = open_test_store(users="external")
    with store.begin() as tx:
        people = [testing.make_contact(last_name=n) for n in ("Straße", "Müller", "Ёлкин")]
        tx.contacts.add_many(people)
        tx.orders.add(testing.make_order(contact_id=people[0].id))
    with store.begin() as tx:
        records = sorted(tx.contacts.iterate(), key=lambda c: c.id)
    log = store.changes()
    store.close()
    _to_the_old_layout(store_url)
    store = open_test_store(users="external")
    with store.begin() as tx:
        assert sorted(tx.contacts.iterate(), key=lambda c: c.id) == records
        assert [c.id for c in tx.contacts.select(F("last_name").contains("MÜLL"))] == [people[1].id]
        tx.contacts.put(attrs.evolve(tx.contacts.get(people[2].id), last_name="Ёлкина"))
    assert store.changes()[: len(log)] == log
    assert store.history("contact", people[2].id)[0].after["last_name"] == "Ёлкин"


def _some_stats(rng: random.Random) -> ClientStats:
    """Roll-ups with each field at its default or not, times in two offsets."""
    zones = [dt.timezone.utc, dt.timezone(dt.timedelta(hours=3))]
    values: dict[str, Any] = {}
    if rng.random() < 0.7:
        values["total_spent"] = Decimal(rng.choice(["0", "0.00", "12.5", "1E+3"]))
    if rng.random() < 0.5:
        both = (Money(Decimal("1.5"), "EUR"), Money(Decimal(2), "RUB"))
        values["spent_by_currency"] = both[: rng.randint(0, 2)]
    for name in ("order_count", "visit_count", "open_tickets", "ticket_count"):
        if rng.random() < 0.5:
            values[name] = rng.randint(0, 3)
    for name in ("first_order_on", "last_order_on"):
        if rng.random() < 0.5:
            values[name] = dt.date(2026, 1, rng.randint(1, 9))
    for name in ("last_visit_at", "last_activity_at"):
        if rng.random() < 0.5:
            values[name] = dt.datetime(2026, 1, 2, rng.randint(0, 9), tzinfo=rng.choice(zones))
    if rng.random() < 0.5:
        values["last_satisfaction"] = Decimal(rng.choice(["0", "0.5", "1"]))
    return ClientStats(**values)


@pytest.mark.parametrize("dialect", [SQLITE, POSTGRES], ids=["sqlite", "postgres"])
@pytest.mark.parametrize("name", ["contacts", "companies"])
def test_the_generated_roll_up_writer_writes_what_the_getters_and_codec_give(
    dialect: Any, name: str
) -> None:
    """``stats_values`` (generated per class) = each column's getter, then the JSON of
    the encoded roll-ups that differ from a new client's."""
    plan, rng = Plan.of(name, dialect), random.Random(7)
    new = codec.encode(ClientStats())
    for _ in range(500):
        stats = _some_stats(rng)
        encoded = {k: v for k, v in codec.encode(stats).items() if new.get(k) != v}
        expected = (*(get(stats) for _, get in plan.stats_getters), dumps(encoded))
        assert plan.stats_values(stats) == expected
