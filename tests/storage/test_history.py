"""Reading the change log by record, entity, actor, cause and time (A7, I5), on every
store (tests/conftest.py parametrizes ``store``): Foundation III item 10."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custdb import open_store
from custdb.errors import ValidationError
from custdb.model import Address, Company, Contact, Email, PostalCode
from custdb.storage import Change, SQLiteStore

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _hours(n: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=n)


@pytest.fixture
def log(store: Any, clock: Any) -> dict[str, Any]:
    """Five writes an hour apart: a contact added, a company added, the contact put
    twice and then removed, by two actors for three causes."""
    clock.now = _hours(0)
    with store.begin(actor="anna", cause="import") as tx:
        person = tx.contacts.add(Contact(id="c1", first_name="Юлия"))
    clock.now = _hours(1)
    with store.begin(actor="olga") as tx:
        tx.companies.add(Company(id="f1", name="Ромашка"))
    clock.now = _hours(2)
    with store.begin(actor="olga", cause="fix") as tx:
        person = tx.contacts.put(attrs.evolve(person, job_title="CEO"))
    clock.now = _hours(3)
    with store.begin(actor="anna", cause="fix") as tx:
        tx.contacts.put(attrs.evolve(person, job_title="CTO"))
    clock.now = _hours(4)
    with store.begin(actor="anna", cause="gdpr") as tx:
        tx.contacts.remove("c1")
    seqs = [change.seq for change in store.changes()]
    return {"store": store, "seq": seqs, "person": person}


def _seqs(changes: list[Change]) -> list[int]:
    return [change.seq for change in changes]


class TestFilters:
    """Foundation III item 10 (A7): ``changes()`` narrows by keyword on every store."""

    @pytest.mark.parametrize(
        ("filters", "picked"),
        [
            ({"entity": "contact"}, [0, 2, 3, 4]),
            ({"entity": "company"}, [1]),
            ({"record_id": "c1"}, [0, 2, 3, 4]),
            ({"entity": "contact", "record_id": "f1"}, []),
            ({"actor": "olga"}, [1, 2]),
            ({"cause": "fix"}, [2, 3]),
            ({"cause": "fix", "actor": "anna"}, [3]),
            ({"start": _hours(1)}, [1, 2, 3, 4]),
            ({"end": _hours(2)}, [0, 1]),
            ({"start": _hours(1), "end": _hours(3)}, [1, 2]),
            ({"start": _hours(1.5), "end": _hours(1.5)}, []),
            ({"start": _hours(3).astimezone(dt.timezone(dt.timedelta(hours=3)))}, [3, 4]),
            ({"entity": "contact", "actor": "anna", "start": _hours(1)}, [3, 4]),
        ],
    )
    def test_each_filter_narrows_the_log(
        self, log: dict[str, Any], filters: dict[str, Any], picked: list[int]
    ) -> None:
        seq = log["seq"]
        assert _seqs(log["store"].changes(**filters)) == [seq[i] for i in picked]

    def test_filters_combine_with_the_cursor_and_the_limit(self, log: dict[str, Any]) -> None:
        store, seq = log["store"], log["seq"]
        assert _seqs(store.changes(seq[2], entity="contact")) == seq[3:]
        assert _seqs(store.changes(entity="contact", limit=2)) == [seq[0], seq[2]]
        assert store.changes(seq[4], entity="contact") == []

    @pytest.mark.parametrize("entity", ["contact", "contacts", Contact])
    def test_an_entity_is_named_as_the_log_does_as_its_repository_or_by_class(
        self, log: dict[str, Any], entity: Any
    ) -> None:
        assert {change.entity for change in log["store"].changes(entity=entity)} == {"contact"}

    @pytest.mark.parametrize(
        ("filters", "field"),
        [
            ({"entity": "client"}, "entity"),
            ({"entity": 5}, "entity"),
            ({"entity": dict}, "entity"),
            ({"record_id": 5}, "record_id"),
            ({"actor": ["anna"]}, "actor"),
            ({"cause": b"fix"}, "cause"),
            ({"start": dt.datetime(2026, 1, 1)}, "start"),  # noqa: DTZ001 - the point
            ({"start": dt.date(2026, 1, 1)}, "start"),
            ({"end": "2026-01-01"}, "end"),
            ({"end": dt.datetime.min.replace(tzinfo=dt.timezone(dt.timedelta(hours=1)))}, "end"),
        ],
    )
    def test_a_bad_filter_is_refused_alike_everywhere(
        self, log: dict[str, Any], filters: dict[str, Any], field: str
    ) -> None:
        with pytest.raises(ValidationError) as caught:
            log["store"].changes(**filters)
        assert (caught.value.entity, caught.value.field) == ("change", field)
        assert caught.value.hint

    def test_an_unknown_entity_lists_the_known_ones(self, store: Any) -> None:
        with pytest.raises(ValidationError, match="contact, deal"):
            store.changes(entity="client")


_FILTERS = st.fixed_dictionaries(
    {
        "entity": st.sampled_from([None, "contact", "company", "deal"]),
        "record_id": st.sampled_from([None, "c1", "f1", "x"]),
        "actor": st.sampled_from([None, "anna", "olga"]),
        "cause": st.sampled_from([None, "import", "fix", "gdpr"]),
        "start": st.none() | st.integers(-1, 5).map(_hours),
        "end": st.none() | st.integers(-1, 5).map(_hours),
    }
)


def _passes(change: Change, since: int, filters: dict[str, Any]) -> bool:
    start, end = filters["start"], filters["end"]
    return (
        change.seq > since
        and filters["entity"] in (None, change.entity)
        and filters["record_id"] in (None, change.id)
        and filters["actor"] in (None, change.actor)
        and filters["cause"] in (None, change.cause)
        and (start is None or change.at >= start)
        and (end is None or change.at < end)
    )


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(since=st.integers(0, 6), filters=_FILTERS)
def test_a_filtered_read_is_the_whole_log_filtered(
    log: dict[str, Any], since: int, filters: dict[str, Any]
) -> None:
    """Foundation III item 10 (A7, I5): any mix of filters and cursor returns exactly the
    changes of the whole log that pass them, in log order."""
    store = log["store"]
    expected = [c for c in store.changes() if _passes(c, since, filters)]
    assert store.changes(since, **filters) == expected


class TestHistory:
    """Foundation III item 10 (A7): one record's changes, oldest first."""

    def test_history_of_a_record_is_its_changes_oldest_first(self, store: Any) -> None:
        with store.begin(actor="anna") as tx:
            person = tx.contacts.add(Contact(first_name="Юлия"))
            tx.contacts.add(Contact(first_name="Olga"))
        with store.begin(actor="olga") as tx:
            tx.companies.add(Company(name="Ромашка", id=person.id))  # the same id, elsewhere
            person = tx.contacts.put(attrs.evolve(person, job_title="CEO"))
        history = store.history(person)
        assert [change.op for change in history] == ["add", "put"]
        assert [change.actor for change in history] == ["anna", "olga"]
        assert history[1].after == {"job_title": "CEO"}
        assert history == store.history("contact", person.id) == store.history(Contact, person.id)

    def test_history_outlives_the_record(self, store: Any) -> None:
        with store.begin() as tx:
            person = tx.contacts.add(Contact(first_name="Юлия"))
        with store.begin(cause="gdpr") as tx:
            tx.contacts.remove(person.id)
        gone = store.history("contacts", person.id)
        assert [(c.op, c.cause) for c in gone] == [("add", None), ("remove", "gdpr")]
        assert gone[-1].before["first_name"] == "Юлия"

    def test_a_record_never_written_has_no_history(self, store: Any) -> None:
        assert store.history(Contact(first_name="Юлия")) == []

    @pytest.mark.parametrize(
        ("arguments", "field"),
        [
            (("contact",), "id"),
            ((Contact,), "id"),
            (("client", "c1"), "entity"),
            (("contact", 7), "record_id"),
            ((Contact(id="c1", first_name="Юлия"), "c2"), "id"),
        ],
    )
    def test_bad_history_arguments_are_refused(
        self, store: Any, arguments: tuple[Any, ...], field: str
    ) -> None:
        with pytest.raises(ValidationError) as caught:
            store.history(*arguments)
        assert caught.value.field == field


@contextlib.contextmanager
def _written(url: str, clock: Any) -> Iterator[Any]:
    """A store on ``url`` holding the log of a contact with nested values, added, put
    and removed; closed on leaving the block."""
    store = open_store(url, clock=clock)
    try:
        yield _write(store)
    finally:
        store.close()


def _write(store: Any) -> Any:
    person = Contact(
        id="c1",
        first_name="Юлия",
        emails=(Email("yulia@example.ru", label="work"),),
        address=Address(
            city="Москва", street="Тверская, 1", postal_code=PostalCode.parse("125009", "RU")
        ),
        custom={"zeta": 1, "alpha": {"b": 2, "a": [{"y": 1, "x": 2}]}},
        external_ids={"zz": "1", "aa": "2"},
    )
    with store.begin() as tx:
        added = tx.contacts.add(person)
    with store.begin() as tx:
        tx.contacts.put(
            attrs.evolve(added, job_title="CEO", custom={"alpha": {"c": 1, "a": 0}, "mu": 2})
        )
    with store.begin() as tx:
        tx.contacts.remove("c1")
    return store


def _key_orders(value: Any) -> Any:
    """Every mapping's keys in ``value``, as the order they come in."""
    if isinstance(value, dict):
        return [list(value), *(_key_orders(v) for v in value.values())]
    if isinstance(value, list):
        return [_key_orders(v) for v in value]
    return None


class TestKeyOrder:
    """Foundation III item 10: ``before``/``after`` keys come in one order, sorted, on
    every store (PostgreSQL's JSONB reorders keys by length)."""

    def test_keys_are_sorted_at_every_level(self, store_url: str, clock: Any) -> None:
        with _written(store_url, clock) as store:
            for change in store.changes():
                for side in (change.before, change.after):
                    assert json.dumps(side) == json.dumps(side, sort_keys=True)
            add = store.changes()[0]
            assert list(add.after) == sorted(add.after)
            assert list(add.after["address"]) == sorted(add.after["address"])

    @pytest.mark.postgres
    def test_every_store_gives_the_same_json_text(
        self, postgres_url: str, tmp_path: Any, clock: Any
    ) -> None:
        engine = sa.create_engine(postgres_url)
        with engine.begin() as connection:  # a fresh base, as conftest's store_url makes
            connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        texts = {}
        for url in ("memory://", f"sqlite:///{tmp_path / 'x.sqlite'}", "sqlite://", postgres_url):
            with _written(url, clock) as store:
                texts[url] = [(json.dumps(c.before), json.dumps(c.after)) for c in store.changes()]
        first = texts["memory://"]
        assert all(found == first for found in texts.values())


class TestIndex:
    """Foundation III item 10: a record's history is read through the change log's
    ``(entity, record_id)`` index, not by scanning the log (SQLite's own plan says)."""

    @pytest.mark.parametrize(
        "read",
        [
            lambda store: store.history("contact", "c1"),
            lambda store: store.changes(entity="contact", record_id="c1"),
            lambda store: store.changes(5, entity="contact", record_id="c1", actor="anna"),
        ],
        ids=["history", "changes", "changes-with-more"],
    )
    def test_sqlite_plans_the_read_on_the_record_index(self, tmp_path: Any, read: Any) -> None:
        store = SQLiteStore.from_url(f"sqlite:///{tmp_path / 'x.sqlite'}")
        with store.begin() as tx:
            tx.contacts.add_many(Contact(first_name=f"C{n}") for n in range(300))
        statements: list[tuple[str, Any]] = []

        def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
            if "FROM changes" in statement:
                statements.append((statement, parameters))

        sa.event.listen(store.engine, "before_cursor_execute", seen)
        try:
            read(store)
        finally:
            sa.event.remove(store.engine, "before_cursor_execute", seen)
        assert len(statements) == 1
        statement, parameters = statements[0]
        with store.engine.connect() as connection:
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            details = " / ".join(str(row[-1]) for row in plan)
        store.close()
        assert "SEARCH changes USING INDEX ix_changes_record (entity=? AND record_id=?" in details
        assert "TEMP B-TREE" not in details, details  # in seq order off the index: no sort
