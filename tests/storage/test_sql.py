"""What only the SQL stores have: column types, JSON custom fields, migrations, driver
errors, bound parameters, case folding in SQL. Runs on SQLite (file and memory) and
PostgreSQL; the behaviour every store shares is in ``test_contract.py``."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql, sqlite

from custdb import open_store
from custdb.errors import (
    DuplicateKeyError,
    MissingDependencyError,
    QueryError,
    SchemaVersionError,
    StoreError,
    ValidationError,
)
from custdb.model import Activity, Contact, Deal, Money, Order
from custdb.model.schema import FieldDef, FieldType, Schema
from custdb.query import F, bind, predicate
from custdb.storage import _migrations
from custdb.storage._compile import compile_where, shape, where_values
from custdb.storage._dialect import (
    POSTGRES,
    SQLITE,
    decimal_from_key,
    decimal_key,
    postgres,
    utc_text,
)
from custdb.storage._tables import METADATA, TABLES, ExactDecimal, UTCDateTime
from custdb.storage.postgres import PostgresStore, psycopg_url
from custdb.storage.sqlite import SQLiteStore

UTC = dt.timezone.utc
MOSCOW = dt.timezone(dt.timedelta(hours=3))
HOSTILE = "'; DROP TABLE contacts; --"
SQL_KINDS = [
    pytest.param("sqlite-file", id="sqlite-file"),
    pytest.param("sqlite-memory", id="sqlite-memory"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]
on_sql_stores = pytest.mark.parametrize("store_url", SQL_KINDS, indirect=True)


@pytest.fixture(autouse=True)
def store_kind() -> None:
    """Opts this module out of conftest's four-store parametrization: memory has no SQL."""


# --- encodings and column types ---------------------------------------------------------

_decimals = st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda d: d == 0 or -4000 < d.adjusted() < 4000
)


@given(_decimals, _decimals)
def test_decimal_keys_sort_like_the_numbers_and_read_back_exactly(a: Decimal, b: Decimal) -> None:
    assert decimal_from_key(decimal_key(a)) == a
    assert (decimal_key(a) < decimal_key(b)) == (a < b)
    assert (decimal_key(a) == decimal_key(b)) == (a == b)


_moments = st.datetimes(  # hypothesis wants naive bounds; a day in, so UTC always exists
    min_value=dt.datetime(1, 1, 2),  # noqa: DTZ001
    max_value=dt.datetime(9999, 12, 30),  # noqa: DTZ001
    timezones=st.timezones(),
    allow_imaginary=False,  # a wall time skipped by a DST change names no instant
)


@given(_moments, _moments)
def test_utc_text_sorts_like_the_instants(a: dt.datetime, b: dt.datetime) -> None:
    # compared as UTC: Python calls an ambiguous wall time (a DST fold) unequal to every
    # time in another zone (PEP 495), though it names an instant
    a_utc, b_utc = a.astimezone(dt.timezone.utc), b.astimezone(dt.timezone.utc)
    assert (utc_text(a) < utc_text(b)) == (a_utc < b_utc)
    assert dt.datetime.fromisoformat(utc_text(a)) == a_utc


def test_utc_text_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        utc_text(dt.datetime(2026, 1, 1))  # noqa: DTZ001


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "sqlite":
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'types.sqlite'}")
    else:
        url = request.getfixturevalue("postgres_url")
        engine = sa.create_engine(psycopg_url(url))
    yield engine
    engine.dispose()


def test_column_types_round_trip_and_sort_by_value(engine: Any) -> None:
    table = sa.Table(
        "typed",
        sa.MetaData(),
        sa.Column("n", sa.Integer, primary_key=True),
        sa.Column("amount", ExactDecimal()),
        sa.Column("at", UTCDateTime()),
    )
    amounts = [Decimal("133127.75"), Decimal("-0.001"), Decimal("1E-20"), Decimal(0), None]
    moments = [
        dt.datetime(2026, 1, 1, 2, tzinfo=MOSCOW),  # 2025-12-31 23:00 UTC
        dt.datetime(2025, 12, 31, 23, 30, 0, 1, tzinfo=UTC),
        dt.datetime(1969, 7, 20, 20, 17, tzinfo=UTC),
        dt.datetime(2026, 1, 1, tzinfo=UTC),
        None,
    ]
    with engine.begin() as connection:
        table.drop(connection, checkfirst=True)
        table.create(connection)
        connection.execute(
            table.insert(),
            [
                {"n": n, "amount": a, "at": m}
                for n, (a, m) in enumerate(zip(amounts, moments, strict=True))
            ],
        )
        rows = connection.execute(sa.select(table).order_by(table.c.n)).all()
        by_amount = list(
            connection.execute(
                sa.select(table.c.n)
                .where(table.c.amount >= Decimal("-0.001"))
                .order_by(table.c.amount)
            ).scalars()
        )
        by_time = list(
            connection.execute(
                sa.select(table.c.n).where(table.c.at.is_not(None)).order_by(table.c.at)
            ).scalars()
        )
        table.drop(connection)
    assert [row.amount for row in rows] == amounts
    assert [row.at for row in rows] == moments
    assert all(row.at is None or row.at.utcoffset() == dt.timedelta(0) for row in rows)
    assert list(by_amount) == [1, 3, 2, 0]
    assert list(by_time) == [2, 0, 1, 3]


# --- the stores -------------------------------------------------------------------------

SCHEMA = Schema(
    "contact",
    (
        FieldDef("credit", FieldType.DECIMAL),
        FieldDef("deposit", FieldType.MONEY),
        FieldDef("called_at", FieldType.DATETIME),
        FieldDef("channels", FieldType.MULTI_ENUM, options=frozenset({"sms", "email", "push"})),
        FieldDef("nickname", FieldType.STRING),
        FieldDef("visits", FieldType.INTEGER),
    ),
)
WORDS = ["Иванова", "ИВАНОВ", "Straße", "STRASSE", "ΟΔΟΣ", "οδοσ", "Işık", "IŞIK", "İstanbul"]
QUERIES = [
    "иван",
    "ИВАНОВА",
    "strasse",
    "STRAẞE",
    "ss",
    "οσ",
    "ος",
    "ΟΣ",
    "ı",
    "i",
    "işık",
    "i̇st",
    "",
]


@on_sql_stores
class TestOnEverySQLStore:
    def test_the_store_kind_is_the_sql_one(self, store: Any, store_url: str) -> None:
        assert isinstance(store, PostgresStore if "postgres" in store_url else SQLiteStore)

    def test_decimals_stay_exact_in_filters(self, store: Any) -> None:
        third = Decimal(1) / Decimal(3)
        deal = Deal(name="X", stage="new", probability=third, amount=Money("0.10", "EUR"))
        with store.begin() as tx:
            stored = tx.deals.add(deal)
        with store.begin() as tx:
            assert tx.deals.get(deal.id) == stored
            assert tx.deals.get(deal.id).probability == third
            assert tx.deals.count(F("probability") > Decimal("0.3333333333333333333333333332")) == 1
            assert (
                tx.deals.count(F("probability") >= Decimal("0.3333333333333333333333333334")) == 0
            )
            assert tx.deals.count(F("amount") == Decimal("0.1")) == 1
            assert tx.deals.count(F("amount") < Decimal("0.1000000001")) == 1

    def test_datetimes_come_back_aware_and_compare_as_instants(self, store: Any) -> None:
        moment = dt.datetime(2026, 1, 1, 2, 30, tzinfo=MOSCOW)
        with store.begin() as tx:
            call = tx.activities.add(Activity(kind="call", occurred_at=moment))
        with store.begin() as tx:
            got = tx.activities.get(call.id)
            assert got == call
            assert got.occurred_at.utcoffset() is not None
            assert (
                tx.activities.count(
                    F("occurred_at") == dt.datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
                )
                == 1
            )
            assert tx.activities.count(F("occurred_at") < dt.datetime(2026, 1, 1, tzinfo=UTC)) == 1
        assert store.changes()[-1].at.utcoffset() == dt.timedelta(0)

    def test_custom_properties_filter_in_json(self, open_test_store: Any) -> None:
        store = open_test_store(schemas=[SCHEMA])
        people = [
            Contact(first_name="A", custom={"credit": "10.5", "deposit": Money("100", "EUR")}),
            Contact(
                first_name="B", custom={"credit": "-3", "called_at": "2026-01-01T02:00:00+03:00"}
            ),
            Contact(first_name="C", custom={"channels": ["sms", "push"], "nickname": "Юля"}),
            Contact(
                first_name="D", custom={"visits": 12, "called_at": "2025-12-31T22:30:00+00:00"}
            ),
            Contact(first_name="E"),
        ]
        queries = [
            F("credit") > 0,
            F("credit") <= Decimal("10.50"),
            F("credit").is_null(),
            F("deposit") >= 99,
            F("called_at") < dt.datetime(2025, 12, 31, 23, 30, tzinfo=UTC),
            F("channels").contains("push"),
            F("channels").is_null(),
            ~F("channels").contains("sms"),
            F("nickname").contains("ЮЛ"),
            F("visits").between(10, 20),
            F("nickname").is_in(["Юля", HOSTILE]),
        ]
        with store.begin() as tx:
            tx.contacts.add_many(people)
        with store.begin() as tx:
            stored = tx.contacts.select()
            for query in queries:
                expected = sorted(
                    p.first_name for p in stored if predicate(query, Contact, schema=SCHEMA)(p)
                )
                assert sorted(p.first_name for p in tx.contacts.select(query)) == expected, query
            sorted_by = [
                p.first_name for p in tx.contacts.select(order_by=["-credit", "called_at"])
            ]
        assert sorted_by == ["A", "B", "D", "C", "E"]

    def test_contains_folds_case_as_python_does_in_any_script(self, store: Any) -> None:
        with store.begin() as tx:
            tx.contacts.add_many(Contact(last_name=word) for word in WORDS)
        with store.begin() as tx:
            for wanted in QUERIES:
                found = sorted(
                    c.last_name for c in tx.contacts.select(F("last_name").contains(wanted))
                )
                assert found == sorted(w for w in WORDS if wanted.casefold() in w.casefold()), (
                    wanted
                )

    def test_a_hostile_value_is_a_bound_parameter(self, store: Any) -> None:
        with store.begin() as tx:
            tx.contacts.add(Contact(first_name=HOSTILE, tags={HOSTILE}))
        with store.begin() as tx:
            assert tx.contacts.count(F("first_name") == HOSTILE) == 1
            assert tx.contacts.count(F("first_name").contains("drop table")) == 1
            assert tx.contacts.count(F("tags").contains(HOSTILE)) == 1
            assert tx.contacts.count() == 1

    def test_a_hostile_field_name_is_refused_before_any_sql(self, store: Any) -> None:
        with store.begin() as tx, pytest.raises(QueryError) as caught:
            tx.contacts.count(F(HOSTILE).contains("x"))
        assert caught.value.field == HOSTILE
        with store.begin() as tx, pytest.raises(QueryError):
            tx.contacts.select(order_by=HOSTILE)
        with store.begin() as tx:
            assert tx.contacts.count() == 0

    def test_long_in_lists_travel_as_one_parameter(self, store: Any) -> None:
        with store.begin() as tx:
            people = [Contact(first_name=f"P{i:05}") for i in range(1200)]
            tx.contacts.add_many(people)
        wanted = [f"P{i:05}" for i in range(0, 40_000, 3)]  # beyond SQLite's variable limit
        with store.begin() as tx:
            assert tx.contacts.count(F("first_name").is_in(wanted)) == 400
            assert tx.contacts.count(F("id").is_in([p.id for p in people[:700]])) == 700
            assert tx.contacts.count(~F("first_name").is_in(wanted)) == 800

    def test_long_in_lists_on_custom_properties(self, open_test_store: Any) -> None:
        store = open_test_store(schemas=[SCHEMA])
        with store.begin() as tx:
            tx.contacts.add_many(
                Contact(
                    custom={
                        "nickname": f"n{i}",
                        "credit": str(i),
                        "called_at": f"2026-01-{i % 28 + 1:02}T10:00:00+03:00",
                    }
                )
                for i in range(100)
            )
        days = [dt.datetime(2026, 1, d, 7, tzinfo=UTC) for d in range(1, 29)] * 20
        with store.begin() as tx:
            assert (
                tx.contacts.count(F("nickname").is_in([f"n{i}" for i in range(0, 2000, 2)])) == 50
            )
            assert (
                tx.contacts.count(F("credit").is_in([Decimal(i) / 2 for i in range(1200)])) == 100
            )
            assert tx.contacts.count(F("called_at").is_in(days)) == 100

    def test_duplicate_id_is_a_duplicate_key_error_chained_to_the_driver(self, store: Any) -> None:
        with store.begin() as tx:
            first = tx.contacts.add(Contact(first_name="A"))
        with pytest.raises(DuplicateKeyError) as caught, store.begin() as tx:
            tx.contacts.add_many([Contact(first_name="B"), Contact(id=first.id)])
        assert (caught.value.entity, caught.value.id, caught.value.field) == (
            "contact",
            first.id,
            "id",
        )
        assert isinstance(caught.value.__cause__, sa.exc.IntegrityError)
        with store.begin() as tx:
            assert tx.contacts.count() == 1

    def test_a_caught_duplicate_leaves_the_transaction_usable(self, store: Any) -> None:
        with store.begin() as tx:
            first = tx.contacts.add(Contact(first_name="A", external_ids={"1c": "7"}))
        with store.begin() as tx:
            with pytest.raises(DuplicateKeyError) as caught:
                tx.contacts.add(Contact(first_name="B", external_ids={"1c": "7"}))
            assert (caught.value.field, caught.value.value) == ("external_ids", "1c:7")
            tx.contacts.put(attrs.evolve(first, job_title="CEO"))
        with store.begin() as tx:
            assert [c.job_title for c in tx.contacts.select()] == ["CEO"]
            assert tx.contacts.by_external_id("1c", "7") == tx.contacts.get(first.id)

    def test_a_put_taking_another_records_external_id_writes_nothing(self, store: Any) -> None:
        with store.begin() as tx:
            holder = tx.contacts.add(Contact(first_name="A", external_ids={"1c": "7"}))
            other = tx.contacts.add(Contact(first_name="B"))
        with store.begin() as tx:
            with pytest.raises(DuplicateKeyError) as caught:
                tx.contacts.put(attrs.evolve(other, first_name="C", external_ids={"1c": "7"}))
            assert (caught.value.id, caught.value.field) == (other.id, "external_ids")
            assert tx.contacts.get(other.id) == other
        with store.begin() as tx:
            assert tx.contacts.by_external_id("1c", "7") == holder
            assert tx.contacts.get(other.id) == other
        assert [c.op for c in store.changes()] == ["add", "add"]

    def test_external_ids_follow_put_and_remove(self, store: Any) -> None:
        with store.begin() as tx:
            added = tx.contacts.add(Contact(external_ids={"1c": "1", "crm": "a"}))
        with store.begin() as tx:
            moved = tx.contacts.put(attrs.evolve(added, external_ids={"1c": "2"}))
        with store.begin() as tx:
            assert tx.contacts.by_external_id("1c", "1") is None
            assert tx.contacts.by_external_id("crm", "a") is None
            assert tx.contacts.by_external_id("1c", "2") == moved
            tx.contacts.remove(added.id)
        with store.begin() as tx:
            assert tx.contacts.by_external_id("1c", "2") is None
            tx.contacts.add(Contact(external_ids={"1c": "2"}))  # free again

    def test_other_driver_errors_are_store_errors(self, store: Any) -> None:
        with store.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE tickets"))
        with pytest.raises(StoreError) as caught, store.begin() as tx:
            tx.tickets.count()
        assert isinstance(caught.value.__cause__, sa.exc.DBAPIError)

    def test_a_new_database_is_at_the_latest_schema_version(self, store: Any) -> None:
        with store.engine.connect() as connection:
            versions = connection.execute(sa.text("SELECT version FROM schema_version")).scalars()
            assert list(versions) == [step.version for step in _migrations.STEPS]


class TestQueryText:
    def test_values_never_reach_the_sql_text(self) -> None:
        query = bind(
            (F("first_name") == HOSTILE)
            | F("tags").contains(HOSTILE)
            | F("email").contains(HOSTILE)
            | F("last_name").is_in([HOSTILE] * 600),
            Contact,
        )
        for dialect, sa_dialect in ((SQLITE, sqlite.dialect()), (POSTGRES, postgresql.dialect())):
            text = str(
                compile_where(query, TABLES["contacts"], dialect).compile(dialect=sa_dialect)
            )
            assert "DROP" not in text
            assert "drop" not in text
            assert HOSTILE in where_values(query, dialect).values()

    def test_queries_of_one_shape_share_a_statement(self) -> None:
        first = bind(
            F("contact_id").is_in(["a", "b"]) & (F("placed_at") > "2026-01-01T00:00+00:00"), Order
        )
        second = bind(
            F("contact_id").is_in(["c"]) & (F("placed_at") > "2025-01-01T00:00+00:00"), Order
        )
        assert shape(first) == shape(second)
        assert shape(first) != shape(bind(F("contact_id").is_in(["x"] * 501), Order))


# --- opening, migrating, threads --------------------------------------------------------


def test_a_file_database_runs_in_wal_mode(tmp_path: Path) -> None:
    store = SQLiteStore.from_url(f"sqlite:///{tmp_path / 'wal.sqlite'}")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.close()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'newer.sqlite'}"
    open_store(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            METADATA.tables["schema_version"].insert(),
            {"version": 99, "description": "from the future", "applied_at": dt.datetime.now(UTC)},
        )
    engine.dispose()
    with pytest.raises(SchemaVersionError, match="version 99"):
        open_store(url)


def test_a_column_missing_at_the_recorded_version_is_reported(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'drift.sqlite'}"
    open_store(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE contacts DROP COLUMN notes")
    engine.dispose()
    with pytest.raises(SchemaVersionError, match=r"contacts\.notes"):
        open_store(url)


def test_migration_steps_run_once_in_order(tmp_path: Path) -> None:
    done: list[int] = []
    last = _migrations.STEPS[-1].version
    steps = (
        *_migrations.STEPS,
        _migrations.Step(last + 1, "note one", lambda connection, metadata: done.append(1)),
        _migrations.Step(last + 2, "note two", lambda connection, metadata: done.append(2)),
    )
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'steps.sqlite'}")
    for _ in range(2):
        with engine.begin() as connection:
            assert _migrations.migrate(connection, METADATA, steps=steps) == last + 2
    with engine.connect() as connection:
        assert _migrations.schema_version(connection, METADATA) == last + 2
    engine.dispose()
    assert done == [1, 2]


def test_add_missing_columns_brings_an_old_table_up_to_date(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    old = sa.MetaData()
    sa.Table("teams", old, sa.Column("id", sa.Text, primary_key=True))
    new = sa.MetaData()
    sa.Table("teams", new, sa.Column("id", sa.Text, primary_key=True), sa.Column("name", sa.Text))
    with engine.begin() as connection:
        old.create_all(connection)
        _migrations.add_missing_columns(connection, new)
        _migrations.add_missing_columns(connection, new)
    assert {c["name"] for c in sa.inspect(engine).get_columns("teams")} == {"id", "name"}
    engine.dispose()


def test_an_in_memory_database_is_shared_by_threads() -> None:
    store = open_store("sqlite://")
    with store.begin() as tx:
        added = tx.contacts.add(Contact(first_name="Юлия"))
    seen: list[Any] = []
    reader = threading.Thread(target=lambda: seen.extend(_read_all(store)))
    reader.start()
    reader.join()
    assert seen == [added]
    store.close()


def test_an_in_memory_engine_must_share_its_connection() -> None:
    engine = sa.create_engine("sqlite://")  # one database per thread: not a shared store
    with pytest.raises(ValidationError, match="one shared connection"):
        SQLiteStore(engine)
    engine.dispose()


def _read_all(store: Any) -> list[Contact]:
    with store.begin() as tx:
        return list(tx.contacts.select())


@pytest.mark.parametrize("where", ["file", "memory"])
def test_one_thread_cannot_nest_sqlite_write_transactions(tmp_path: Path, where: str) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'nest.sqlite'}" if where == "file" else "sqlite://")
    with store.begin() as tx:
        tx.contacts.add(Contact(first_name="A"))
    with store.begin() as tx:
        with pytest.raises(StoreError, match="already has a transaction"), store.begin():
            pass  # pragma: no cover
        assert [c.op for c in store.changes()] == ["add"]  # reading the log is fine
        tx.contacts.add(Contact(first_name="B"))
    with store.begin() as tx:  # the outer one committed cleanly
        assert tx.contacts.count() == 2
    assert len(store.changes()) == 2
    store.close()


def test_without_icu_postgres_folds_with_the_database_ctype() -> None:
    query = bind(F("notes").contains("STRAẞE"), Contact)  # not a searched field
    for icu in (True, False):
        expr = compile_where(query, TABLES["contacts"], postgres(icu=icu))
        assert ("und-x-icu" in str(expr.compile(dialect=postgresql.dialect()))) is icu


def test_postgres_urls_name_the_psycopg_driver() -> None:
    assert psycopg_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert psycopg_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert psycopg_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"


def test_a_missing_psycopg_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(MissingDependencyError, match=r"custdb\[postgres\]"):
        open_store("postgresql://nobody@localhost/none")


def test_utc_text_of_each_value_however_they_alternate() -> None:
    utc = dt.timezone.utc
    a = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=utc)
    b = dt.datetime(2026, 1, 2, 6, 4, 5, 7, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert [utc_text(v) for v in (a, a, b, a)] == [
        "2026-01-02T03:04:05.000000+00:00",
        "2026-01-02T03:04:05.000000+00:00",
        "2026-01-02T03:04:05.000007+00:00",
        "2026-01-02T03:04:05.000000+00:00",
    ]
    with pytest.raises(ValueError, match="no time zone"):
        utc_text(a.replace(tzinfo=None))


# --- lock timeouts, damaged rows, foreign databases (Foundation III) --------------------


@on_sql_stores
def test_a_lock_held_by_another_thread_times_out_with_a_store_error(
    open_test_store: Any,
) -> None:
    """Foundation III item 15: no call waits for ever. A second thread writing the row a
    first one holds (PostgreSQL: its row lock; SQLite: the write lock) gives up after
    the store's lock_timeout with a StoreError saying so; the first one commits."""
    store = open_test_store(lock_timeout=0.5)
    with store.begin() as tx:
        person = tx.contacts.add(Contact(first_name="Юлия"))
    holding, release = threading.Event(), threading.Event()

    def holder() -> None:
        with store.begin() as tx:
            tx.contacts.put(attrs.evolve(person, job_title="CEO"))
            holding.set()
            release.wait(timeout=30)

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert holding.wait(timeout=30)
        started = time.monotonic()
        with pytest.raises(StoreError, match="lock timeout") as caught, store.begin() as tx:
            tx.contacts.put(attrs.evolve(person, job_title="CTO"))
        waited = time.monotonic() - started
    finally:
        release.set()
        thread.join(timeout=30)
    assert 0.3 < waited < 10
    assert "lock_timeout" in (caught.value.hint or "")
    with store.begin() as tx:
        assert tx.contacts.get(person.id).job_title == "CEO"


@pytest.mark.parametrize("seconds", [0, -1, "5", True, float("nan"), float("inf"), 10**6])
@pytest.mark.parametrize("url", ["sqlite://", "memory://"])
def test_a_lock_timeout_must_be_a_number_of_seconds(url: str, seconds: Any) -> None:
    """Foundation III item 15: 0 would mean "wait for ever" to PostgreSQL."""
    with pytest.raises(ValidationError, match="number of seconds") as caught:
        open_store(url, lock_timeout=seconds)
    assert caught.value.field == "lock_timeout"


on_postgres = pytest.mark.parametrize(
    "store_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


@on_postgres
def test_postgres_sessions_carry_the_lock_timeout(store_url: str) -> None:
    store = open_store(store_url, lock_timeout=2.5)
    try:
        assert isinstance(store, PostgresStore)
        for _ in range(2):  # set once per pooled connection, kept after commits
            with store.engine.connect() as connection:
                assert connection.exec_driver_sql("SHOW lock_timeout").scalar() == "2500ms"
    finally:
        store.close()


_NOT_JSON = "{not json"
_NOT_A_CONTACT = '{"id": "%s", "birthday": "not a date"}'


@on_sql_stores
def test_a_damaged_row_is_a_store_error_naming_table_and_id(store: Any, store_url: str) -> None:
    """Foundation III item 16: a ``doc`` that is not JSON (SQLite keeps text) or does not
    decode as a record gives a StoreError naming the table and the id, on every read."""
    with store.begin() as tx:
        person = tx.contacts.add(Contact(first_name="Юлия"))
        tx.contacts.add(Contact(first_name="Olga"))
    damages = [_NOT_A_CONTACT % person.id]
    if "postgres" not in store_url:  # PostgreSQL's jsonb refuses text that is not JSON
        damages.append(_NOT_JSON)
    reads = [
        lambda tx: tx.contacts.get(person.id),
        lambda tx: tx.contacts.select(),
        lambda tx: list(tx.contacts.iterate()),
    ]
    for damage in damages:
        with store.engine.begin() as connection:
            connection.execute(
                sa.text("UPDATE contacts SET doc = :doc WHERE id = :id"),
                {"doc": damage, "id": person.id},
            )
        for read in reads:
            with pytest.raises(StoreError, match="'contacts'") as caught, store.begin() as tx:
                read(tx)
            assert (caught.value.entity, caught.value.id) == ("contact", person.id)
            assert "outside custdb" in (caught.value.hint or "")


def _foreign_sqlite(path: Path) -> bytes:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO contacts (name) VALUES ('Ola')")
        connection.commit()
    return path.read_bytes()


def test_another_applications_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    """Foundation III item 18: not "a field was added without a migration step"."""
    path = tmp_path / "crm.sqlite"
    before = _foreign_sqlite(path)
    with pytest.raises(ValidationError, match="not made by custdb") as caught:
        open_store(f"sqlite:///{path}")
    assert caught.value.value == str(path)
    assert "contacts" in str(caught.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm.sqlite"]  # no -wal either


def test_an_engine_on_a_foreign_database_is_refused_before_any_table_is_made(
    tmp_path: Path,
) -> None:
    """Foundation III item 18: the check in the migration, for engines made elsewhere."""
    path = tmp_path / "crm.sqlite"
    _foreign_sqlite(path)
    engine = sa.create_engine(f"sqlite:///{path}")
    with pytest.raises(StoreError, match="not made by custdb"):
        SQLiteStore(engine)
    assert sa.inspect(engine).get_table_names() == ["contacts"]
    engine.dispose()


@on_postgres
def test_a_postgres_database_with_other_tables_is_refused(store_url: str) -> None:
    """Foundation III item 18."""
    engine = sa.create_engine(store_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE contacts (id serial PRIMARY KEY, name text)")
    try:
        with pytest.raises(StoreError, match="not made by custdb"):
            open_store(store_url)
        assert sa.inspect(engine).get_table_names() == ["contacts"]
    finally:
        engine.dispose()
