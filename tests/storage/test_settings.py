"""What a base keeps about itself (storage/_settings.py): the custom-property schemas,
the base currency and the rates, on every store; kept across a reopen on the stores
that outlive their process. Foundation III items 3, 4 and 5."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
import sqlalchemy as sa

from custdb.errors import ConflictError, ValidationError
from custdb.model import (
    Affiliation,
    ClientStats,
    Company,
    Contact,
    FieldDef,
    Money,
    Order,
    OrderItem,
    Schema,
)
from custdb.query import F
from custdb.storage import _migrations
from custdb.storage._tables import TABLES

UTC = dt.timezone.utc
WHEN = dt.datetime(2026, 3, 1, tzinfo=UTC)

EVERY_STORE = [
    pytest.param("memory", id="memory"),
    pytest.param("sqlite-file", id="sqlite-file"),
    pytest.param("sqlite-memory", id="sqlite-memory"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]
LASTING = [  # the stores a base outlives: reopened, it must be the same base
    pytest.param("sqlite-file", id="sqlite-file"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]
on_every_store = pytest.mark.parametrize("store_url", EVERY_STORE, indirect=True)
on_lasting_stores = pytest.mark.parametrize("store_url", LASTING, indirect=True)

SCHEMA = Schema(
    "contact",
    (
        FieldDef("tier", "enum", options={"gold", "silver"}),
        FieldDef("since", "date"),
    ),
)


@pytest.fixture(autouse=True)
def store_kind() -> None:
    """Opts this module out of conftest's parametrization: each test says its stores."""


def order(contact_id: str, amount: str, currency: str = "RUB", **fields: Any) -> Order:
    item = OrderItem(name="Стрижка", amount=Money(Decimal(amount), currency))
    return Order(contact_id=contact_id, placed_at=WHEN, currency=currency, items=(item,), **fields)


def settings_log(store: Any) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    return [(c.id, c.op, c.before, c.after) for c in store.changes() if c.entity == "setting"]


# --- item 5: the schema is kept with the base ------------------------------------------


@on_lasting_stores
def test_e10_a_reopened_base_types_and_filters_custom_fields_by_its_stored_schema(
    open_test_store: Any,
) -> None:
    """Foundation III item 5: reopened without ``schemas=``, a custom date is a date and
    ``F("tier") == "gold"`` a known field, not the string '2023-02-01' and a refusal."""
    with open_test_store(schemas=[SCHEMA]).begin() as tx:
        added = tx.contacts.add(Contact(custom={"tier": "gold", "since": "2023-02-01"}))
    store = open_test_store()
    assert store.schemas == {"contact": SCHEMA}
    with store.begin() as tx:
        assert tx.contacts.get(added.id).custom["since"] == dt.date(2023, 2, 1)
        assert tx.contacts.count(F("tier") == "gold") == 1
        with pytest.raises(ValidationError, match="not one of the options"):
            tx.contacts.add(Contact(custom={"tier": "platinum"}))


@on_lasting_stores
def test_e10_reopening_with_the_stored_schema_is_accepted_in_any_field_order(
    open_test_store: Any,
) -> None:
    """Foundation III item 5: a schema equal to the stored one is no conflict."""
    open_test_store(schemas=[SCHEMA])
    shuffled = Schema("contact", tuple(reversed(SCHEMA.fields)))
    store = open_test_store(schemas=[shuffled])
    assert store.schemas["contact"] == SCHEMA
    assert [c.id for c in store.changes()] == ["schema:contact"]  # declared once


@on_lasting_stores
@pytest.mark.parametrize(
    ("given", "field", "difference"),
    [
        (
            Schema("contact", (FieldDef("tier", "enum", options={"gold", "silver"}),)),
            "since",
            "since removed",
        ),
        (
            Schema("contact", (SCHEMA.fields[0], FieldDef("since", "string"))),
            "since",
            "since type changed from date to string",
        ),
        (
            Schema("contact", (FieldDef("tier", "enum", options={"gold"}), SCHEMA.fields[1])),
            "tier",
            "tier options removed (silver)",
        ),
        (
            SCHEMA.with_field(FieldDef("vip", "bool")),
            "vip",
            "vip added (bool)",
        ),
    ],
)
def test_e10_reopening_with_a_contradicting_schema_is_refused_naming_the_difference(
    open_test_store: Any, given: Schema, field: str, difference: str
) -> None:
    """Foundation III item 5: ``open_store(schemas=...)`` that differs from the stored
    schema (even by a compatible addition) is a ConflictError naming the entity, the
    field and the difference, and the way out; the stored schema stays."""
    open_test_store(schemas=[SCHEMA])
    with pytest.raises(ConflictError) as caught:
        open_test_store(schemas=[given])
    error = caught.value
    assert (error.entity, error.field) == ("contact", field)
    assert difference in str(error)
    assert "without schemas=" in str(error)
    assert "evolve_schema" in str(error)
    assert open_test_store().schemas == {"contact": SCHEMA}


@on_lasting_stores
def test_e10_a_base_made_before_settings_were_kept_upgrades_on_open(
    open_test_store: Any, store_url: str
) -> None:
    """Foundation III items 3 and 5: a base at schema version 1 (no settings table)
    opens, gets the table from the migration step, keeps the schema it is given, adopts
    its orders' currency as the base and recomputes roll-ups with per-currency totals."""
    with open_test_store().begin() as tx:
        person = tx.contacts.add(Contact(first_name="Юлия"))
        tx.orders.add(order(person.id, "1000"))
    engine = sa.create_engine(store_url)
    with engine.begin() as connection:  # as custdb before the settings step left a base
        connection.execute(sa.text("DROP TABLE settings"))
        connection.execute(sa.text("DELETE FROM schema_version WHERE version > 1"))
        old_stats = {"total_spent": "1000", "order_count": 1}
        connection.execute(sa.update(TABLES["contacts"]).values(stats=old_stats))
    store = open_test_store(schemas=[SCHEMA])
    with engine.connect() as connection:
        found = connection.execute(sa.text("SELECT max(version) FROM schema_version")).scalar()
    engine.dispose()
    assert found == _migrations.STEPS[-1].version
    assert (store.base_currency, store.schemas) == ("RUB", {"contact": SCHEMA})
    with store.begin() as tx:
        stats = tx.contacts.get(person.id).stats
    assert (stats.total_spent, stats.spent_by_currency) == (1000, (Money(1000, "RUB"),))
    assert [(name, op) for name, op, _, _ in settings_log(store)] == [
        ("base_currency", "add"),  # the first order's, in the base as it was
        ("schema:contact", "add"),
        ("base_currency", "add"),
    ]


@on_every_store
def test_e10_a7_evolve_schema_adds_a_field_and_an_option_and_logs_the_change(
    open_test_store: Any,
) -> None:
    """Foundation III item 5: ``evolve_schema`` grows the stored schema (a new field, a
    new enum option), the store uses it at once, and the change log keeps who did it and
    the schema before and after."""
    store = open_test_store(schemas=[SCHEMA])
    grown = SCHEMA.with_field(FieldDef("vip", "bool")).with_option("tier", "platinum")
    assert store.evolve_schema(grown, actor="u-anna") == grown
    assert store.schemas["contact"] == grown
    with store.begin() as tx:
        added = tx.contacts.add(Contact(custom={"tier": "platinum", "vip": "yes"}))
        assert tx.contacts.count(F("vip") == True) == 1  # noqa: E712 - a query, not a test
    assert added.custom == {"tier": "platinum", "vip": True}
    (declared, evolved) = [c for c in store.changes() if c.entity == "setting"]
    assert (declared.id, declared.op, declared.after) == (
        "schema:contact",
        "add",
        {"value": SCHEMA.to_json()},
    )
    assert (evolved.id, evolved.op, evolved.actor) == ("schema:contact", "put", "u-anna")
    assert (evolved.before, evolved.after) == (
        {"value": SCHEMA.to_json()},
        {"value": grown.to_json()},
    )
    assert store.evolve_schema(grown) == grown  # nothing new: nothing logged
    assert len(settings_log(store)) == 2


@on_every_store
def test_e10_evolve_schema_declares_a_schema_the_base_lacks(open_test_store: Any) -> None:
    """Foundation III item 5: the first schema of an entity is stored by evolve_schema."""
    store = open_test_store()
    companies = Schema("company", (FieldDef("segment", "enum", options={"smb", "ent"}),))
    store.evolve_schema(companies)
    with store.begin() as tx:
        tx.companies.add(Company(name="Ромашка", custom={"segment": "smb"}))
        assert tx.companies.count(F("segment") == "smb") == 1
    assert settings_log(store) == [("schema:company", "add", {}, {"value": companies.to_json()})]


@on_every_store
@pytest.mark.parametrize(
    ("evolved", "field", "why"),
    [
        (Schema("contact", SCHEMA.fields[:1]), "since", "removed: stored records"),
        (
            Schema("contact", (SCHEMA.fields[0], FieldDef("since", "datetime"))),
            "since",
            "type changed from date to datetime",
        ),
        (
            Schema("contact", (FieldDef("tier", "enum", options={"gold"}), SCHEMA.fields[1])),
            "tier",
            "options removed (silver)",
        ),
        (SCHEMA.with_field(FieldDef("vip", "bool", required=True)), "vip", "added as required"),
        (
            Schema("contact", (SCHEMA.fields[0], FieldDef("since", "date", unique=True))),
            "since",
            "made unique",
        ),
    ],
)
def test_e10_an_incompatible_evolution_is_refused_saying_why(
    open_test_store: Any, evolved: Schema, field: str, why: str
) -> None:
    """Foundation III item 5: removing a field or an option, changing a type, adding a
    required field or making one unique would strand stored records: refused, naming the
    field and the reason, with nothing stored or logged."""
    store = open_test_store(schemas=[SCHEMA])
    with pytest.raises(ValidationError) as caught:
        store.evolve_schema(evolved)
    assert (caught.value.entity, caught.value.field) == ("contact", field)
    assert why in str(caught.value)
    assert "keep the stored fields" in str(caught.value)
    assert store.schemas == {"contact": SCHEMA}
    assert len(settings_log(store)) == 1


@on_lasting_stores
def test_e10_an_evolved_schema_is_the_one_a_reopened_base_has(open_test_store: Any) -> None:
    """Foundation III item 5: the evolution is stored, versioned, not only in memory."""
    grown = SCHEMA.with_option("tier", "bronze")
    open_test_store(schemas=[SCHEMA]).evolve_schema(grown)
    assert open_test_store().schemas == {"contact": grown}
    assert open_test_store(schemas=[grown]).schemas == {"contact": grown}
    with pytest.raises(ConflictError, match="options removed \\(bronze\\)"):
        open_test_store(schemas=[SCHEMA])


@on_lasting_stores
def test_e10_an_evolution_based_on_a_stale_schema_cannot_remove_what_another_added(
    open_test_store: Any,
) -> None:
    """Foundation III item 5: evolutions are judged against the stored schema, not the
    caller's copy: a second process that missed a new field cannot drop it."""
    first, second = open_test_store(schemas=[SCHEMA]), open_test_store()
    first.evolve_schema(SCHEMA.with_field(FieldDef("vip", "bool")))
    with pytest.raises(ValidationError, match="removed"):
        second.evolve_schema(SCHEMA.with_option("tier", "bronze"))


# --- item 3: money is counted in one base currency --------------------------------------


@on_every_store
def test_e11_orders_in_two_currencies_count_in_the_base_currency(open_test_store: Any) -> None:
    """Foundation III item 3: RUB 1 000 and EUR 10 at 98.5 are RUB 1 985 spent, not 1 010;
    the sums as paid are kept per currency, for contacts and for their companies."""
    store = open_test_store(base_currency="RUB", rates={"EUR": Decimal("98.5")})
    with store.begin() as tx:
        firm = tx.companies.add(Company(name="Ромашка"))
        person = tx.contacts.add(Contact(first_name="Юлия"))
        tx.affiliations.add(Affiliation(contact_id=person.id, company_id=firm.id))
        tx.orders.add(order(person.id, "1000"))
        tx.orders.add(order(person.id, "10", "EUR"))
    with store.begin() as tx:
        for client in (tx.contacts.get(person.id), tx.companies.get(firm.id)):
            assert client.stats.total_spent == Decimal(1985)
            assert client.stats.spent_by_currency == (Money(10, "EUR"), Money(1000, "RUB"))
        assert tx.contacts.count(F("total_spent") > 1010) == 1
    assert (store.base_currency, store.rates) == ("RUB", {"EUR": Decimal("98.5")})


@on_every_store
def test_e11_an_order_in_a_currency_with_no_rate_is_refused_at_write(
    open_test_store: Any,
) -> None:
    """Foundation III item 3: an order neither in the base currency nor in the rates is a
    ValidationError naming the order, field ``total`` and the currency, with the way
    out; by add, add_many and put alike, and nothing is written."""
    store = open_test_store(base_currency="RUB", rates={"EUR": 98})
    with store.begin() as tx:
        person = tx.contacts.add(Contact(first_name="Юлия"))
        kept = tx.orders.add(order(person.id, "10", "EUR"))
    nok = order(person.id, "10", "NOK")
    writes = [
        lambda tx: tx.orders.add(nok),
        lambda tx: tx.orders.add_many([order(person.id, "5"), nok]),
        lambda tx: tx.orders.put(
            attrs.evolve(kept, currency="NOK", items=nok.items)  # same id, now in NOK
        ),
    ]
    for write in writes:
        with pytest.raises(ValidationError) as caught, store.begin() as tx:
            write(tx)
        error = caught.value
        assert (error.entity, error.field) == ("order", "total")
        assert error.id in (nok.id, kept.id)
        assert "is in NOK, which is neither the base currency (RUB) nor in the rates" in str(error)
        assert "give a rate (open_store(rates={'NOK'" in str(error)
    with store.begin() as tx:
        assert [o.currency for o in tx.orders.select()] == ["EUR"]
        assert tx.contacts.get(person.id).stats.total_spent == 980


@on_every_store
def test_e11_the_first_order_sets_the_base_currency_when_none_was_declared(
    open_test_store: Any,
) -> None:
    """Foundation III item 3: a base made without ``base_currency=`` adopts its first
    order's currency and logs it; an order in another currency is then refused."""
    store = open_test_store()
    assert store.base_currency is None
    with store.begin() as tx:
        person = tx.contacts.add(Contact(first_name="Юлия"))
    assert store.base_currency is None
    with pytest.raises(ValidationError), store.begin() as tx:  # rolled back: nothing adopted
        tx.orders.add(order(person.id, "1", "NOK"))
        raise ValidationError("abandoned")
    assert store.base_currency is None
    with store.begin(actor="u-anna") as tx:
        tx.orders.add(order(person.id, "10", "EUR"))
    assert store.base_currency == "EUR"
    assert settings_log(store) == [("base_currency", "add", {}, {"value": "EUR"})]
    with pytest.raises(ValidationError, match="base currency \\(EUR\\)"), store.begin() as tx:
        tx.orders.add(order(person.id, "1000"))


@on_every_store
def test_e11_set_rates_recomputes_the_clients_whose_totals_move(open_test_store: Any) -> None:
    """Foundation III item 3: new rates (on the store or in a transaction) are stored,
    logged, and the kept totals follow them as a rebuild would."""
    store = open_test_store(base_currency="RUB", rates={"EUR": 100, "USD": 90})
    with store.begin() as tx:
        euro, rouble = (tx.contacts.add(Contact(first_name=n)) for n in ("E", "R"))
        tx.orders.add(order(euro.id, "10", "EUR"))
        tx.orders.add(order(rouble.id, "500"))
    store.set_rates({"EUR": "101.5", "USD": 90}, actor="u-anna")
    with store.begin() as tx:
        assert tx.contacts.get(euro.id).stats.total_spent == 1015
        tx.set_rates({"EUR": 99, "USD": 90})
        assert tx.contacts.get(euro.id).stats.total_spent == 1015  # recomputed at commit
    with store.begin() as tx:
        kept = {c.id: c.stats for c in tx.contacts.select()}
    store.rebuild_rollups()
    with store.begin() as tx:
        assert {c.id: c.stats for c in tx.contacts.select()} == kept
    assert kept[euro.id].total_spent == 990
    assert store.rates == {"EUR": 99, "USD": 90}
    assert [(name, op, after) for name, op, _, after in settings_log(store)] == [
        ("base_currency", "add", {"value": "RUB"}),
        ("rates", "add", {"value": {"EUR": "100", "USD": "90"}}),
        ("rates", "put", {"value": {"EUR": "101.5", "USD": "90"}}),
        ("rates", "put", {"value": {"EUR": "99", "USD": "90"}}),
    ]
    with pytest.raises(ValidationError, match="orders in EUR, with no rate to RUB"):
        store.set_rates({"USD": 90})


@on_every_store
@pytest.mark.parametrize(
    ("options", "field", "message"),
    [
        ({"base_currency": "RUR"}, "base_currency", "not an ISO 4217 currency code"),
        ({"base_currency": "RUB", "rates": {"EURO": 1}}, "rates", "not an ISO 4217"),
        ({"base_currency": "RUB", "rates": {"EUR": 0}}, "rates", "must be a positive number"),
        ({"base_currency": "RUB", "rates": {"EUR": "-2"}}, "rates", "must be a positive"),
        ({"base_currency": "RUB", "rates": {"EUR": "NaN"}}, "rates", "must be a positive"),
        ({"base_currency": "RUB", "rates": {"RUB": 1}}, "rates", "takes no rate"),
        ({"base_currency": "RUB", "rates": [("EUR", 1)]}, "rates", "must map currency codes"),
        ({"rates": {"EUR": 1}}, "base_currency", "rates need a base currency"),
    ],
)
def test_e11_a_bad_base_currency_or_rate_is_refused_on_open(
    open_test_store: Any, options: dict[str, Any], field: str, message: str
) -> None:
    """Foundation III item 3: the money settings are checked before anything is kept."""
    with pytest.raises(ValidationError) as caught:
        open_test_store(**options)
    assert caught.value.field == field
    assert message in str(caught.value)


@on_lasting_stores
def test_e11_the_base_currency_and_rates_are_kept_with_the_base(open_test_store: Any) -> None:
    """Foundation III item 3: reopened without them, the stored ones apply; another base
    currency is refused, naming the stored one."""
    with open_test_store(base_currency="rub", rates={"EUR": 98}).begin() as tx:
        person = tx.contacts.add(Contact(first_name="Юлия"))
    store = open_test_store()
    assert (store.base_currency, store.rates) == ("RUB", {"EUR": 98})
    with store.begin() as tx:
        tx.orders.add(order(person.id, "1", "EUR"))
    assert open_test_store(base_currency="RUB").base_currency == "RUB"
    with pytest.raises(ConflictError) as caught:
        open_test_store(base_currency="EUR")
    assert caught.value.field == "base_currency"
    assert "keeps its money in RUB, not EUR" in str(caught.value)
    assert "open it without base_currency=" in str(caught.value)


@on_lasting_stores
def test_e11_two_stores_adopting_a_base_currency_agree_on_the_first(
    open_test_store: Any,
) -> None:
    """Foundation III item 3: a second process whose store saw no base currency yet
    finds the one the first adopted, and refuses its own order in another currency."""
    first, second = open_test_store(), open_test_store()
    with first.begin() as tx:
        person = tx.contacts.add(Contact(first_name="Юлия"))
        tx.orders.add(order(person.id, "1", "EUR"))
    with pytest.raises(ValidationError, match="base currency \\(EUR\\)"), second.begin() as tx:
        tx.orders.add(order(person.id, "1", "NOK"))
    assert second.base_currency is None  # that transaction rolled back
    with second.begin() as tx:
        tx.orders.add(order(person.id, "2", "EUR"))
    assert second.base_currency == "EUR"


@on_lasting_stores
def test_e11_an_upgraded_base_with_several_currencies_needs_a_base_currency(
    open_test_store: Any, store_url: str
) -> None:
    """Foundation III item 3: a base from before base currencies whose orders mix
    currencies cannot guess one: opening it asks for ``base_currency=`` and rates, and
    then counts every client's total anew."""
    store = open_test_store(base_currency="RUB", rates={"EUR": 100})
    with store.begin() as tx:
        person = tx.contacts.add(Contact(first_name="Юлия"))
        tx.orders.add(order(person.id, "1000"))
        tx.orders.add(order(person.id, "10", "EUR"))
    engine = sa.create_engine(store_url)
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM settings"))
        connection.execute(sa.update(TABLES["contacts"]).values(total_spent=Decimal(1010)))
    engine.dispose()
    with pytest.raises(ValidationError) as caught:
        open_test_store()
    assert "orders in several currencies (EUR, RUB) and has no base currency" in str(caught.value)
    with pytest.raises(ValidationError, match="orders in EUR, with no rate to RUB"):
        open_test_store(base_currency="RUB")
    reopened = open_test_store(base_currency="RUB", rates={"EUR": 100})
    with reopened.begin() as tx:
        assert tx.contacts.count(F("total_spent") == 2000) == 1


# --- item 4: roll-ups are the store's -----------------------------------------------------


@on_every_store
def test_e10_s7_a_put_with_edited_stats_is_refused(open_test_store: Any) -> None:
    """Foundation III item 4: ``stats`` changed by hand are refused, not silently
    dropped, on contacts and companies; the stats as read are fine."""
    store = open_test_store()
    with store.begin() as tx:
        person = tx.contacts.add(Contact(first_name="Юлия"))
        firm = tx.companies.add(Company(name="Ромашка"))
        tx.orders.add(order(person.id, "100"))
    edited = ClientStats(total_spent=Decimal(5000), order_count=9)
    for repo, record_id in (("contacts", person.id), ("companies", firm.id)):
        with pytest.raises(ValidationError) as caught, store.begin() as tx:
            read = getattr(tx, repo).get(record_id)
            getattr(tx, repo).put(attrs.evolve(read, stats=edited))
        error = caught.value
        assert (error.id, error.field) == (record_id, "stats")
        assert "roll-ups are the store's" in str(error)
        assert "leave stats as read" in str(error)
        assert "rebuild_rollups()" in str(error)
    with store.begin() as tx:
        assert tx.contacts.get(person.id).stats.total_spent == 100
        assert tx.contacts.get(person.id).version == 1
        read = tx.contacts.get(person.id)
        assert tx.contacts.put(attrs.evolve(read, job_title="CEO")).stats == read.stats
