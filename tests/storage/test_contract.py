"""The storage contract: every test runs on memory, SQLite file, SQLite in memory and
PostgreSQL (tests/conftest.py parametrizes ``store``), so all stores behave alike."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from custdb import codec
from custdb.errors import (
    DuplicateKeyError,
    NotFoundError,
    QueryError,
    StaleVersionError,
    StoreError,
    ValidationError,
)
from custdb.model import (
    Activity,
    Affiliation,
    Company,
    Contact,
    Deal,
    DealContact,
    Email,
    Money,
    Order,
    OrderItem,
    Phone,
    Ticket,
    User,
)
from custdb.model.schema import FieldDef, FieldType, Schema
from custdb.query import F
from custdb.storage import _rollups, navigate

UTC = dt.timezone.utc


def contact(**fields: Any) -> Contact:
    defaults: dict[str, Any] = {"first_name": "Юлия", "last_name": "Иванова"}
    return Contact(**{**defaults, **fields})


def order(contact_id: str, amount: str, when: dt.datetime, **fields: Any) -> Order:
    item = OrderItem(name="Стрижка", amount=Money(Decimal(amount), "RUB"))
    fields = {"currency": "RUB", "items": (item,), **fields}
    return Order(contact_id=contact_id, placed_at=when, **fields)


class TestWrites:
    def test_add_stamps_version_and_time(self, store: Any, clock: Any) -> None:
        with store.begin() as tx:
            added = tx.contacts.add(contact(emails=(Email("yulia@example.ru"),)))
        assert (added.version, added.created_at, added.updated_at) == (1, clock.now, clock.now)
        with store.begin() as tx:
            assert tx.contacts.get(added.id) == added

    def test_a_clock_in_another_zone_is_stored_as_utc(self, open_test_store: Any) -> None:
        oslo = dt.datetime(2026, 11, 23, 13, tzinfo=ZoneInfo("Europe/Oslo"))
        store = open_test_store(clock=lambda: oslo)
        with store.begin() as tx:
            added = tx.contacts.add(contact())
        assert added.created_at == oslo
        assert added.created_at.tzinfo is dt.timezone.utc
        assert added.created_at.hour == 12
        with store.begin() as tx:
            assert tx.contacts.get(added.id) == added

    def test_a_clock_without_a_time_zone_is_refused_and_writes_nothing(
        self, open_test_store: Any
    ) -> None:
        naive = dt.datetime(2026, 11, 23, 12)  # noqa: DTZ001 - the mistake under test
        store = open_test_store(clock=lambda: naive)
        with pytest.raises(ValidationError, match="timezone-aware") as caught, store.begin() as tx:
            tx.contacts.add(contact())
        assert caught.value.field == "clock"
        assert store.changes() == []

    def test_get_unknown_id_names_entity_and_id(self, store: Any) -> None:
        with store.begin() as tx, pytest.raises(NotFoundError) as caught:
            tx.contacts.get("nope")
        assert (caught.value.entity, caught.value.id) == ("contact", "nope")
        with store.begin() as tx:
            assert tx.contacts.find("nope") is None

    def test_add_existing_id_is_refused_and_writes_nothing(self, store: Any) -> None:
        with store.begin() as tx:
            first = tx.contacts.add(contact())
        with pytest.raises(DuplicateKeyError), store.begin() as tx:
            tx.contacts.add(contact(first_name="Other"))
            tx.contacts.add(contact(id=first.id))
        with store.begin() as tx:
            assert tx.contacts.count() == 1
            assert tx.contacts.get(first.id).first_name == "Юлия"

    @pytest.mark.parametrize("many", [False, True], ids=["add", "add_many"])
    def test_a_record_of_another_kind_is_refused_and_writes_nothing(
        self, store: Any, many: bool
    ) -> None:
        firm = Company(name="ООО «Ромашка»")
        refused = pytest.raises(TypeError, match=r"tx\.contacts keeps Contact, not Company")
        with refused, store.begin() as tx:
            tx.contacts.add(contact())
            if many:
                tx.contacts.add_many([contact(first_name="Ola"), firm])
            else:
                tx.contacts.add(firm)
        with store.begin() as tx:
            assert tx.contacts.count() == 0
            assert tx.companies.count() == 0

    def test_put_bumps_version_and_keeps_created_at(self, store: Any, clock: Any) -> None:
        with store.begin() as tx:
            added = tx.contacts.add(contact())
        clock.advance(hours=1)
        with store.begin() as tx:
            stored = tx.contacts.put(attrs.evolve(added, job_title="CEO"))
        assert (stored.version, stored.created_at, stored.updated_at) == (
            2,
            added.created_at,
            clock.now,
        )
        with store.begin() as tx:
            assert tx.contacts.get(added.id).job_title == "CEO"

    def test_put_of_stale_copy_raises_and_writes_nothing(self, store: Any) -> None:
        with store.begin() as tx:
            added = tx.contacts.add(contact())
        with store.begin() as tx:
            tx.contacts.put(attrs.evolve(added, job_title="CEO"))
        with pytest.raises(StaleVersionError) as caught, store.begin() as tx:
            tx.contacts.put(attrs.evolve(added, job_title="CTO"))
        assert caught.value.id == added.id
        with store.begin() as tx:
            assert tx.contacts.get(added.id).job_title == "CEO"

    def test_put_of_unknown_record_is_not_found(self, store: Any) -> None:
        with store.begin() as tx, pytest.raises(NotFoundError):
            tx.contacts.put(contact())

    def test_remove(self, store: Any) -> None:
        with store.begin() as tx:
            added = tx.contacts.add(contact())
        with store.begin() as tx:
            tx.contacts.remove(added.id)
        with store.begin() as tx:
            assert tx.contacts.find(added.id) is None
            with pytest.raises(NotFoundError):
                tx.contacts.remove(added.id)

    def test_error_inside_begin_rolls_everything_back(self, store: Any) -> None:
        with store.begin() as tx:
            kept = tx.contacts.add(contact())
        cursor = store.changes()[-1].seq
        with pytest.raises(RuntimeError), store.begin() as tx:
            tx.contacts.add_many(contact(first_name=f"N{i}") for i in range(1000))
            tx.contacts.put(attrs.evolve(kept, job_title="half-written"))
            tx.orders.add(order(kept.id, "100", dt.datetime(2026, 1, 1, tzinfo=UTC)))
            raise RuntimeError("crash mid-way")
        with store.begin() as tx:
            assert tx.contacts.count() == 1
            assert tx.contacts.get(kept.id) == kept
            assert tx.orders.count() == 0
        assert store.changes(since=cursor) == []

    @pytest.mark.parametrize("ending", ["commit", "rollback"])
    def test_a_transaction_refuses_work_once_its_block_has_ended(
        self, store: Any, ending: str
    ) -> None:
        """A write after the block would otherwise vanish unseen (memory) or surface as
        a driver error (SQL)."""
        with contextlib.suppress(RuntimeError), store.begin() as tx:
            kept = tx.contacts.add(contact()) if ending == "commit" else None
            pages = tx.contacts.iterate()
            if ending == "rollback":
                raise RuntimeError("rolled back")
        for late in (
            lambda: tx.contacts.add(contact(first_name="Late")),
            tx.contacts.count,
            lambda: next(pages),
        ):
            with pytest.raises(StoreError, match="this transaction has ended"):
                late()
        with store.begin() as tx:
            assert [c.id for c in tx.contacts.select()] == ([kept.id] if kept else [])

    def test_add_many_counts_and_stores_all(self, store: Any) -> None:
        with store.begin() as tx:
            added = tx.contacts.add_many(
                (contact(first_name=f"C{i:04}") for i in range(2500)), batch_size=1000
            )
        with store.begin() as tx:
            assert added == 2500
            assert tx.contacts.count() == 2500
            assert tx.contacts.count(F("first_name") == "C2499") == 1

    def test_entities_round_trip_every_field(self, store: Any) -> None:
        person = contact(
            emails=(Email("yulia@example.ru", label="work"), Email("y@mail.example")),
            phones=(Phone("+79123456789", extension="12"),),
            birthday=dt.date(1990, 2, 28),
            tags={"VIP", "Москва"},
            owner_ids=("u1", "u2"),
            external_ids={"1c": "000123"},
            lifecycle_stage="customer",
        )
        deal = Deal(
            name="Годовой контракт",
            stage="proposal",
            amount=Money(Decimal("133127.75"), "RUB"),
            probability=Decimal("0.4"),
            contacts=(DealContact(person.id, role="decision maker"),),
        )
        with store.begin() as tx:
            tx.users.add_many([User(id="u1", name="Анна"), User(id="u2", name="Пётр")])
            stored_person, stored_deal = tx.contacts.add(person), tx.deals.add(deal)
        with store.begin() as tx:
            assert tx.contacts.get(person.id) == stored_person
            assert tx.deals.get(deal.id) == stored_deal
            assert tx.contacts.by_external_id("1c", "000123") == stored_person
            assert tx.contacts.by_external_id("1c", "missing") is None


class TestReading:
    @pytest.fixture
    def people(self, store: Any) -> list[Contact]:
        rows = [
            contact(
                first_name="Anna", last_name="Berg", tags={"VIP"}, birthday=dt.date(1985, 11, 25)
            ),
            contact(first_name="Юлия", last_name="Иванова", emails=(Email("yulia@example.ru"),)),
            contact(first_name="José", last_name="Muñoz", tags={"VIP", "ES"}),
            contact(first_name="Bjørn", last_name="Dæhlie", birthday=dt.date(1967, 6, 19)),
            contact(first_name=None, last_name="Smith"),
        ]
        with store.begin() as tx:
            tx.contacts.add_many(rows)
        return rows

    def test_select_orders_with_empty_values_last(self, store: Any, people: list[Contact]) -> None:
        with store.begin() as tx:
            names = [c.first_name for c in tx.contacts.select(order_by="first_name")]
            backwards = [c.first_name for c in tx.contacts.select(order_by="-first_name")]
        assert names == ["Anna", "Bjørn", "José", "Юлия", None]
        assert backwards == ["Юлия", "José", "Bjørn", "Anna", None]

    def test_limit_and_offset(self, store: Any, people: list[Contact]) -> None:
        with store.begin() as tx:
            page = tx.contacts.select(order_by="last_name", limit=2, offset=1)
        assert [c.last_name for c in page] == ["Dæhlie", "Muñoz"]

    @pytest.mark.parametrize(
        ("call", "name", "value"),
        [
            (lambda tx: tx.contacts.select(limit=-1), "limit", -1),
            (lambda tx: tx.contacts.select(offset=-1), "offset", -1),
            (lambda tx: tx.contacts.select(limit=1.5), "limit", 1.5),
            (lambda tx: tx.contacts.select(limit=True), "limit", True),
            (lambda tx: tx.contacts.iterate(batch_size=0), "batch_size", 0),
            (lambda tx: tx.contacts.add_many([contact()], batch_size=0), "batch_size", 0),
        ],
        ids=["negative-limit", "negative-offset", "fraction", "bool", "no-batch", "add-batch"],
    )
    def test_a_bad_limit_offset_or_batch_size_is_refused_alike_everywhere(
        self, store: Any, people: list[Contact], call: Any, name: str, value: Any
    ) -> None:
        """SQLite reads LIMIT -1 as no limit and a Python slice as "all but the last": a
        store that passed it on would answer differently from the others."""
        with pytest.raises(ValidationError, match="whole number") as caught, store.begin() as tx:
            call(tx)  # iterate refuses when called, not at its first row
        assert (caught.value.entity, caught.value.field, caught.value.value) == (
            "contact",
            name,
            value,
        )
        with store.begin() as tx:
            assert tx.contacts.count() == len(people)

    def test_tags_contains_and_count(self, store: Any, people: list[Contact]) -> None:
        with store.begin() as tx:
            vip = tx.contacts.select(F("tags").contains("VIP"), order_by="first_name")
            assert [c.first_name for c in vip] == ["Anna", "José"]
            assert tx.contacts.count(~F("tags").contains("VIP")) == 3
            assert tx.contacts.count(F("tags").is_null()) == 3

    def test_s7_tags_contains_any(self, store: Any, people: list[Contact]) -> None:
        with store.begin() as tx:
            found = tx.contacts.select(F("tags").contains_any(["ES", "nope"]))
            assert [c.first_name for c in found] == ["José"]
            assert tx.contacts.count(F("tags").contains_any(["VIP", "ES"])) == 2
            assert tx.contacts.count(~F("tags").contains_any(["VIP"])) == 3
            assert tx.contacts.count(F("tags").contains_any([])) == 0
            assert tx.contacts.count(~F("tags").contains_any([])) == len(people)
            many = [f"t{i}" for i in range(600)] + ["VIP"]  # one array parameter
            assert tx.contacts.count(F("tags").contains_any(many)) == 2

    def test_text_contains_ignores_case_in_any_script(
        self, store: Any, people: list[Contact]
    ) -> None:
        with store.begin() as tx:
            assert [c.last_name for c in tx.contacts.select(F("last_name").contains("ИВАН"))] == [
                "Иванова"
            ]
            assert tx.contacts.count(F("last_name").contains("MUÑ")) == 1

    def test_email_and_null_conditions(self, store: Any, people: list[Contact]) -> None:
        with store.begin() as tx:
            assert tx.contacts.count(F("email").is_null()) == 4
            found = tx.contacts.select(F("email") == "yulia@example.ru")
        assert [c.first_name for c in found] == ["Юлия"]

    def test_birthday_within_days_looks_at_the_anniversary(
        self, store: Any, people: list[Contact]
    ) -> None:
        with store.begin() as tx:  # the clock says 2026-11-23
            soon = tx.contacts.select(F("birthday").within_days(7))
        assert [c.first_name for c in soon] == ["Anna"]

    def test_iterate_reads_everything_in_batches(self, store: Any, people: list[Contact]) -> None:
        with store.begin() as tx:
            ids = [c.id for c in tx.contacts.iterate(batch_size=2)]
        assert ids == sorted(c.id for c in people)

    def test_unknown_field_is_a_query_error_not_sql(
        self, store: Any, people: list[Contact]
    ) -> None:
        with store.begin() as tx, pytest.raises(QueryError) as caught:
            tx.contacts.select(F("'; DROP TABLE contacts; --") == 1)
        assert caught.value.field == "'; DROP TABLE contacts; --"

    def test_hostile_value_is_bound_not_run(self, store: Any, people: list[Contact]) -> None:
        with store.begin() as tx:
            assert tx.contacts.select(F("first_name") == "'; DROP TABLE contacts; --") == []
            assert tx.contacts.count() == len(people)

    def test_type_mismatch_is_a_query_error(self, store: Any, people: list[Contact]) -> None:
        with store.begin() as tx, pytest.raises(QueryError):
            tx.contacts.select(F("birthday") > "soon")


class TestChangeLog:
    def test_a7_each_write_appends_one_change_with_before_and_after(
        self, store: Any, clock: Any
    ) -> None:
        with store.begin(actor="u-anna") as tx:
            added = tx.contacts.add(contact())
        with store.begin(actor="u-olga", cause="import") as tx:
            tx.contacts.put(attrs.evolve(added, job_title="CEO"))
        with store.begin() as tx:
            tx.contacts.remove(added.id)
        add, put, remove = store.changes()
        assert [c.op for c in (add, put, remove)] == ["add", "put", "remove"]
        assert add.after["first_name"] == "Юлия"
        assert add.before == {}
        assert (put.before, put.after) == ({"job_title": None}, {"job_title": "CEO"})
        assert (put.actor, put.cause, put.at) == ("u-olga", "import", clock.now)
        assert remove.after == {}
        assert remove.before["job_title"] == "CEO"
        assert add.seq < put.seq < remove.seq

    def test_an_adds_after_is_the_whole_record_without_roll_ups_or_empty_values(
        self, store: Any, clock: Any
    ) -> None:
        full = contact(
            external_ids={"1c": "000123"},
            emails=(Email("yulia@example.ru"),),
            tags=frozenset({"VIP", "Москва"}),
            birthday=dt.date(1990, 5, 17),
        )
        bare = Contact(first_name="Ли")
        with store.begin() as tx:
            tx.contacts.add_many([full, bare])
        with store.begin() as tx:
            stored = [tx.contacts.get(full.id), tx.contacts.get(bare.id)]
        logged = {c.id: c.after for c in store.changes()}
        for record in stored:
            data = codec.encode(record)
            assert logged[record.id] == {
                k: v for k, v in data.items() if v not in (None, [], {}) and k != "stats"
            }
            assert logged[record.id]["version"] == 1
            assert logged[record.id]["created_at"] == clock.now.isoformat()
        assert logged[full.id]["external_ids"] == {"1c": "000123"}
        assert logged[full.id]["tags"] == sorted(["VIP", "Москва"])
        assert logged[bare.id]["first_name"] == "Ли"
        assert {"emails", "tags", "external_ids", "custom"}.isdisjoint(logged[bare.id])

    def test_i5_changes_since_a_cursor(self, store: Any) -> None:
        with store.begin() as tx:
            tx.contacts.add(contact())
        cursor = store.changes()[-1].seq
        with store.begin() as tx:
            second = tx.contacts.add(contact(first_name="Olga"))
        assert [c.id for c in store.changes(since=cursor)] == [second.id]
        assert store.changes(since=cursor, limit=0) == []

    @pytest.mark.parametrize(
        ("arguments", "name", "value"),
        [
            ({"limit": -1}, "limit", -1),
            ({"since": -1}, "since", -1),
            ({"since": "5"}, "since", "5"),
        ],
        ids=["negative-limit", "negative-cursor", "text-cursor"],
    )
    def test_i5_a_bad_cursor_or_limit_is_refused_alike_everywhere(
        self, store: Any, arguments: dict[str, Any], name: str, value: Any
    ) -> None:
        with store.begin() as tx:
            tx.contacts.add_many([contact(), contact(first_name="Olga")])
        with pytest.raises(ValidationError, match="whole number") as caught:
            store.changes(**arguments)
        assert (caught.value.entity, caught.value.field, caught.value.value) == (
            "change",
            name,
            value,
        )


class TestRollups:
    def test_r1_orders_tickets_and_activities_roll_up_on_commit(self, store: Any) -> None:
        when = dt.datetime(2026, 3, 1, 10, tzinfo=UTC)
        with store.begin() as tx:
            person = tx.contacts.add(contact())
            tx.orders.add(order(person.id, "1500.50", when, kind="visit"))
            tx.orders.add(order(person.id, "500", when + dt.timedelta(days=30)))
            tx.orders.add(order(person.id, "999", when, status="cancelled"))
            tx.tickets.add(Ticket(subject="Жалоба", contact_id=person.id, opened_at=when))
            tx.activities.add(Activity(kind="call", occurred_at=when, contact_ids=(person.id,)))
        with store.begin() as tx:
            stats = tx.contacts.get(person.id).stats
            assert stats.total_spent == Decimal("2000.50")
            assert (stats.order_count, stats.visit_count) == (2, 1)
            assert (stats.first_order_on, stats.last_order_on) == (
                dt.date(2026, 3, 1),
                dt.date(2026, 3, 31),
            )
            assert (stats.open_tickets, stats.ticket_count, stats.last_activity_at) == (1, 1, when)
            assert tx.contacts.count(F("total_spent") >= 2000) == 1

    def test_e2_company_sums_over_its_contacts(self, store: Any) -> None:
        when = dt.datetime(2026, 3, 1, tzinfo=UTC)
        with store.begin() as tx:
            firm = tx.companies.add(Company(name="ООО «Ромашка»"))
            people = [tx.contacts.add(contact(first_name=n)) for n in ("A", "B")]
            for person in people:
                tx.affiliations.add(Affiliation(contact_id=person.id, company_id=firm.id))
                tx.orders.add(order(person.id, "100", when))
        with store.begin() as tx:
            assert tx.companies.get(firm.id).stats.total_spent == Decimal(200)
            assert {c.id for c in navigate.contacts_of(tx, firm.id)} == {p.id for p in people}
            assert [c.id for c in navigate.companies_of(tx, people[0].id)] == [firm.id]

    def test_e2_many_dirty_clients_are_recomputed_in_chunks(
        self, store: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(_rollups, "CHUNK", 2)
        when = dt.datetime(2026, 3, 1, tzinfo=UTC)
        with store.begin() as tx:
            firm, other = (tx.companies.add(Company(name=n)) for n in ("Ромашка", "Лютик"))
            people = [tx.contacts.add(contact(first_name=f"P{i}")) for i in range(7)]
            both = people[2]
            for person in people[:3]:
                tx.affiliations.add(Affiliation(contact_id=person.id, company_id=firm.id))
            tx.affiliations.add(Affiliation(contact_id=both.id, company_id=other.id))
            for i, person in enumerate(people[:2] + people[3:]):
                tx.orders.add(order(person.id, str(100 * (i + 1)), when))
            tx.orders.add(order(both.id, "50", when, company_id=other.id))
            tx.orders.add(order(both.id, "30", when, company_id=firm.id))
            tx.activities.add(
                Activity(
                    kind="call",
                    occurred_at=when,
                    contact_ids=(people[0].id, people[6].id),
                    company_ids=(other.id,),
                )
            )
        with store.begin() as tx:
            spent = {c.id: c.stats.total_spent for c in tx.contacts.select()}
            firms = {c.id: c.stats for c in tx.companies.select()}
            moments = {c.id: c.stats.last_activity_at for c in tx.contacts.select()}
        assert [spent[p.id] for p in people] == [100, 200, 80, 300, 400, 500, 600]
        assert (firms[firm.id].total_spent, firms[firm.id].order_count) == (380, 4)
        assert (firms[other.id].total_spent, firms[other.id].order_count) == (80, 2)
        assert {i for i, p in enumerate(people) if moments[p.id]} == {0, 6}
        assert (firms[firm.id].last_activity_at, firms[other.id].last_activity_at) == (None, when)
        store.rebuild_rollups()
        with store.begin() as tx:
            assert {c.id: c.stats for c in tx.companies.select()} == firms
            assert {c.id: c.stats.total_spent for c in tx.contacts.select()} == spent

    def test_s7_rebuilt_rollups_equal_the_kept_ones(self, open_test_store: Any) -> None:
        """Kept and rebuilt roll-ups agree, with orders in several currencies converted
        to the base one and a change of rates half-way (Foundation III item 3)."""
        import random  # noqa: PLC0415

        rng = random.Random(7)
        rates = {"EUR": Decimal("98.5"), "NOK": Decimal("8.75")}
        store = open_test_store(base_currency="RUB", rates=rates)
        with store.begin() as tx:
            firm = tx.companies.add(Company(name="Ромашка"))
            people = [tx.contacts.add(contact(first_name=f"P{i}")) for i in range(4)]
            for person in people[:2]:
                tx.affiliations.add(Affiliation(contact_id=person.id, company_id=firm.id))
        for step in range(40):
            if step == 20:
                store.set_rates({"EUR": Decimal("101.25"), "NOK": Decimal(9)})
            with store.begin() as tx:
                orders = tx.orders.select()
                action = rng.choice(["add", "add", "move", "cancel", "remove"]) if orders else "add"
                person = rng.choice(people)
                when = dt.datetime(2026, 1, 1, tzinfo=UTC) + dt.timedelta(days=step)
                if action == "add":
                    amount, currency = str(rng.randint(1, 900)), rng.choice(["RUB", "EUR", "NOK"])
                    item = OrderItem(name="Стрижка", amount=Money(Decimal(amount), currency))
                    tx.orders.add(order(person.id, amount, when, currency=currency, items=(item,)))
                elif action == "move":
                    tx.orders.put(attrs.evolve(rng.choice(orders), contact_id=person.id))
                elif action == "cancel":
                    tx.orders.put(attrs.evolve(rng.choice(orders), status="cancelled"))
                else:
                    tx.orders.remove(rng.choice(orders).id)
        with store.begin() as tx:
            kept = {c.id: c.stats for c in [*tx.contacts.select(), *tx.companies.select()]}
        store.rebuild_rollups()
        with store.begin() as tx:
            rebuilt = {c.id: c.stats for c in [*tx.contacts.select(), *tx.companies.select()]}
        assert rebuilt == kept
        assert any(stats.order_count for stats in kept.values())
        assert any(len(stats.spent_by_currency) > 1 for stats in kept.values())

    def test_putting_a_contact_keeps_its_rollups(self, store: Any) -> None:
        with store.begin() as tx:
            person = tx.contacts.add(contact())
            tx.orders.add(order(person.id, "10", dt.datetime(2026, 1, 1, tzinfo=UTC)))
        with store.begin() as tx:
            fresh = tx.contacts.get(person.id)
            tx.contacts.put(attrs.evolve(fresh, job_title="CEO"))
        with store.begin() as tx:
            assert tx.contacts.get(person.id).stats.total_spent == Decimal(10)


class TestNavigation:
    def test_deals_and_timeline_of_a_contact(self, store: Any) -> None:
        when = dt.datetime(2026, 5, 1, tzinfo=UTC)
        with store.begin() as tx:
            person = tx.contacts.add(contact())
            deal = tx.deals.add(Deal(name="X", stage="new", contacts=(DealContact(person.id),)))
            tx.deals.add(Deal(name="other", stage="new"))
            calls = [
                tx.activities.add(
                    Activity(
                        kind="call",
                        occurred_at=when + dt.timedelta(hours=h),
                        contact_ids=(person.id,),
                    )
                )
                for h in range(3)
            ]
        with store.begin() as tx:
            assert [d.id for d in navigate.deals_of(tx, person.id)] == [deal.id]
            assert [a.id for a in navigate.timeline(tx, person.id)] == [
                c.id for c in reversed(calls)
            ]


class TestCustomProperties:
    SCHEMA = Schema(
        "contact",
        (
            FieldDef("loyalty_tier", FieldType.ENUM, options=frozenset({"gold", "silver"})),
            FieldDef("passport", FieldType.STRING, unique=True),
            FieldDef("channels", FieldType.MULTI_ENUM, options=frozenset({"sms", "email", "push"})),
        ),
    )

    def test_e10_custom_values_are_validated_on_write(self, open_test_store: Any) -> None:
        store = open_test_store(schemas=[self.SCHEMA])
        with pytest.raises(ValidationError) as caught, store.begin() as tx:
            tx.contacts.add(contact(custom={"loyalty_tier": "platinum"}))
        assert caught.value.field == "loyalty_tier"
        with store.begin() as tx:
            assert tx.contacts.count() == 0

    def test_e10_custom_fields_are_filterable(self, open_test_store: Any) -> None:
        store = open_test_store(schemas=[self.SCHEMA])
        with store.begin() as tx:
            tx.contacts.add(contact(custom={"loyalty_tier": "gold"}))
            tx.contacts.add(contact(custom={"loyalty_tier": "silver"}))
        with store.begin() as tx:
            assert tx.contacts.count(F("loyalty_tier") == "gold") == 1
            assert tx.contacts.count(F("loyalty_tier").is_null()) == 0

    def test_s7_custom_multi_enum_contains_any(self, open_test_store: Any) -> None:
        store = open_test_store(schemas=[self.SCHEMA])
        with store.begin() as tx:
            tx.contacts.add(contact(first_name="a", custom={"channels": frozenset({"sms"})}))
            tx.contacts.add(contact(first_name="b", custom={"channels": frozenset({"push"})}))
            tx.contacts.add(contact(first_name="c"))  # no channels at all
        with store.begin() as tx:
            found = tx.contacts.select(F("channels").contains_any(["sms", "email"]))
            assert [c.first_name for c in found] == ["a"]
            missed = tx.contacts.select(~F("channels").contains_any(["sms", "email"]))
            assert sorted(c.first_name for c in missed) == ["b", "c"]

    def test_e10_unique_custom_field_refuses_a_second_holder(self, open_test_store: Any) -> None:
        store = open_test_store(schemas=[self.SCHEMA])
        with store.begin() as tx:
            first = tx.contacts.add(contact(custom={"passport": "4509 123456"}))
            tx.contacts.put(attrs.evolve(first, job_title="CEO"))  # its own value is no clash
        with pytest.raises(DuplicateKeyError) as caught, store.begin() as tx:
            tx.contacts.add(contact(custom={"passport": "4509 123456"}))
        assert (caught.value.field, caught.value.value) == ("passport", "4509 123456")
        with pytest.raises(DuplicateKeyError), store.begin() as tx:
            tx.contacts.add_many(
                [contact(custom={"passport": "X"}), contact(custom={"passport": "X"})]
            )
        with store.begin() as tx:
            assert tx.contacts.count() == 1


def test_a_second_record_with_the_same_external_id_is_refused(store: Any) -> None:
    with store.begin() as tx:
        first = tx.contacts.add(contact(external_ids={"1c": "000123"}))
    with pytest.raises(DuplicateKeyError) as caught, store.begin() as tx:
        tx.contacts.add(contact(external_ids={"1c": "000123"}))
    assert (caught.value.field, caught.value.value) == ("external_ids", "1c:000123")
    with pytest.raises(DuplicateKeyError), store.begin() as tx:
        tx.contacts.add_many(
            [contact(external_ids={"crm": "7"}), contact(external_ids={"crm": "7"})]
        )
    second = contact(external_ids={"1c": "000456"})
    with store.begin() as tx:
        tx.contacts.add(second)
    with pytest.raises(DuplicateKeyError), store.begin() as tx:
        tx.contacts.put(attrs.evolve(tx.contacts.get(second.id), external_ids={"1c": "000123"}))
    with store.begin() as tx:
        assert tx.contacts.count() == 2
        assert tx.contacts.by_external_id("1c", "000123") == first
        assert tx.contacts.by_external_id("crm", "7") is None
        assert tx.contacts.get(second.id).external_ids == {"1c": "000456"}


BIG = 2**63  # one beyond the 64-bit integers SQLite and PostgreSQL take


class TestStoreLifecycle:
    """Foundation III items 8, 15 and 16: a store is a context manager, refuses work once
    closed and a nested ``begin()`` in one thread, says what it holds in its repr, and
    refuses counts beyond 64 bits, alike on every store."""

    def test_with_closes_the_store_and_a_closed_store_refuses_work(
        self, open_test_store: Any
    ) -> None:
        with open_test_store() as store:
            assert not store.closed
            with store.begin() as tx:
                tx.contacts.add(contact())
        assert store.closed
        calls = [
            lambda: store.begin().__enter__(),
            store.changes,
            store.rebuild_rollups,
            store.__enter__,
        ]
        for call in calls:
            with pytest.raises(StoreError, match="this store is closed") as caught:
                call()
            assert "open_store" in (caught.value.hint or "")
        store.close()  # a second close does nothing
        assert repr(store).endswith(": closed>")

    def test_an_error_in_the_with_block_still_closes_the_store(self, open_test_store: Any) -> None:
        with pytest.raises(KeyError), open_test_store() as store:
            raise KeyError("boom")
        assert store.closed

    def test_a_store_closed_inside_a_transaction_writes_nothing_of_it(
        self, open_test_store: Any
    ) -> None:
        store = open_test_store()
        with pytest.raises(StoreError, match="this store is closed"), store.begin() as tx:
            tx.contacts.add(contact())
            store.close()

    def test_repr_shows_the_redacted_url_and_the_non_empty_tables(
        self, store: Any, store_url: str
    ) -> None:
        from custdb.storage import redacted  # noqa: PLC0415

        kind, url = type(store).__name__, redacted(store_url)
        assert repr(store) == f"<{kind} {url}: empty>"
        with store.begin() as tx:
            person = tx.contacts.add(contact())
            tx.contacts.add_many([contact(first_name="Olga"), contact(first_name="Ola")])
            tx.companies.add(Company(name="Nordlys AS"))
            tx.orders.add(order(person.id, "100", dt.datetime(2026, 1, 5, tzinfo=UTC)))
        assert repr(store) == f"<{kind} {url}: 3 contacts, 1 company, 1 order>"
        with store.begin():  # inside a transaction of this thread: still answers
            assert repr(store) == f"<{kind} {url}: 3 contacts, 1 company, 1 order>"

    def test_a_nested_begin_is_refused_and_the_outer_transaction_goes_on(self, store: Any) -> None:
        with store.begin() as tx:
            person = tx.contacts.add(contact())
            refused = pytest.raises(StoreError, match="already has a transaction")
            with refused as caught, store.begin() as inner:  # PostgreSQL: waited for ever
                inner.contacts.put(attrs.evolve(person, job_title="CEO"))
            assert "outer `with store.begin()`" in (caught.value.hint or "")
            with pytest.raises(StoreError, match="already has a transaction"):
                store.rebuild_rollups()
            tx.contacts.put(attrs.evolve(person, job_title="CTO"))
        with store.begin() as tx:
            assert tx.contacts.get(person.id).job_title == "CTO"
        assert [c.op for c in store.changes()] == ["add", "put"]

    @pytest.mark.parametrize(
        ("call", "name"),
        [
            (lambda tx: tx.contacts.select(limit=BIG), "limit"),
            (lambda tx: tx.contacts.select(offset=BIG), "offset"),
            (lambda tx: tx.contacts.iterate(batch_size=BIG), "batch_size"),
            (lambda tx: tx.contacts.add_many([contact()], batch_size=BIG), "batch_size"),
        ],
        ids=["limit", "offset", "iterate", "add_many"],
    )
    def test_a_count_beyond_64_bits_is_a_validation_error(
        self, store: Any, call: Any, name: str
    ) -> None:
        with pytest.raises(ValidationError, match="too large") as caught, store.begin() as tx:
            call(tx)
        assert (caught.value.entity, caught.value.field, caught.value.value) == (
            "contact",
            name,
            BIG,
        )
        with store.begin() as tx:
            assert tx.contacts.count() == 0

    @pytest.mark.parametrize("name", ["since", "limit"])
    def test_a_change_cursor_beyond_64_bits_is_a_validation_error(
        self, store: Any, name: str
    ) -> None:
        with pytest.raises(ValidationError, match="too large") as caught:
            store.changes(**{name: BIG})
        assert (caught.value.entity, caught.value.field) == ("change", name)

    def test_the_largest_64_bit_counts_are_answered_everywhere(self, store: Any) -> None:
        most = BIG - 1
        with store.begin() as tx:
            tx.contacts.add_many([contact(), contact(first_name="Olga")], batch_size=most)
        with store.begin() as tx:
            assert len(tx.contacts.select(limit=most)) == 2
            assert tx.contacts.select(offset=most) == []
            assert len(list(tx.contacts.iterate(batch_size=most))) == 2
        assert store.changes(since=most) == []
        assert len(store.changes(limit=most)) == 2
