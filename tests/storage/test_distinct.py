"""``Repository.distinct``: the values in use with their counts, most common first, the
same on every store and counted inside the database on the SQL ones (Foundation III
item 6; E1 tags, E10 custom choices, S7 one answer on every store)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custdb.errors import QueryError
from custdb.model import Contact, Deal, Email, Money, User
from custdb.model.schema import FieldDef, FieldType, Schema
from custdb.query import F
from custdb.query.case import tally

SCHEMA = Schema(
    "contact",
    (
        FieldDef("tier", FieldType.ENUM, options=frozenset({"gold", "silver"})),
        FieldDef("channels", FieldType.MULTI_ENUM, options=frozenset({"sms", "mail", "app"})),
        FieldDef("city", FieldType.STRING),
        FieldDef("credit", FieldType.DECIMAL),
    ),
)


def _people() -> list[Contact]:
    return [
        Contact(
            id="c-1",
            first_name="Ola",
            tags={"VIP", "Постоянный"},
            owner_ids=["u-1"],
            emails=[Email("Ola@mail.no")],
            custom={"tier": "gold", "channels": ["sms", "mail"], "city": "Oslo"},
        ),
        Contact(
            id="c-2",
            first_name="Kari",
            tags={"vip"},
            owner_ids=["u-1", "u-2"],
            emails=[Email("ola@mail.no")],
            custom={"tier": "gold", "channels": ["sms"]},
        ),
        Contact(
            id="c-3",
            first_name="Юлия",
            tags={"vip", "ПОСТОЯННЫЙ"},
            emails=[Email("ola@mail.no")],
            custom={"tier": "silver", "city": "oslo"},
        ),
        Contact(id="c-4", first_name="Per", tags={"VIP", "vip", "blocked"}, owner_ids=["u-2"]),
        Contact(id="c-5", first_name="Nils", custom={"credit": Decimal("1.50")}),
    ]


@pytest.fixture
def people(open_test_store: Any) -> Any:
    store = open_test_store(schemas=[SCHEMA])
    with store.begin() as tx:
        tx.users.add_many(User(id=f"u-{n}", name=f"Manager {n}") for n in (1, 2))
        tx.contacts.add_many(_people())
    return store


def _distinct(store: Any, field: str, where: Any = None, entity: str = "contacts") -> Any:
    with store.begin() as tx:
        return getattr(tx, entity).distinct(field, where)


def test_tags_in_use_fold_case_and_show_the_spelling_most_records_use(people: Any) -> None:
    """Foundation III item 6 (E1): ``VIP`` and ``vip`` are one tag, held by four
    records; three records spell it ``vip``, so that is how it is shown; a record that
    holds both spellings counts once."""
    found = _distinct(people, "tags")
    assert found == {"vip": 4, "ПОСТОЯННЫЙ": 2, "blocked": 1}
    assert list(found) == ["vip", "ПОСТОЯННЫЙ", "blocked"]  # most common first, then by value


def test_emails_fold_case_like_tags(people: Any) -> None:
    """Foundation III item 6 (D1): three records share one address in two spellings."""
    assert _distinct(people, "email") == {"ola@mail.no": 3}


def test_scalar_set_and_choice_fields(people: Any) -> None:
    """Foundation III item 6 (E1, E10): owners (a set), a lifecycle stage (a choice),
    a custom choice, a custom multi-choice and custom text (which keeps case)."""
    assert _distinct(people, "owner_ids") == {"u-1": 2, "u-2": 2}
    assert _distinct(people, "first_name") == {
        "Kari": 1,
        "Nils": 1,
        "Ola": 1,
        "Per": 1,
        "Юлия": 1,
    }
    assert list(_distinct(people, "first_name")) == ["Kari", "Nils", "Ola", "Per", "Юлия"]
    assert _distinct(people, "tier") == {"gold": 2, "silver": 1}
    assert _distinct(people, "channels") == {"sms": 2, "mail": 1}
    assert _distinct(people, "city") == {"Oslo": 1, "oslo": 1}
    assert _distinct(people, "lifecycle_stage") == {}  # empty values are not counted


def test_where_narrows_the_records_counted(people: Any) -> None:
    """Foundation III item 6 (S7): the filter is the same query language."""
    assert _distinct(people, "tags", F("owner_ids").contains("u-2")) == {"vip": 2, "blocked": 1}
    assert _distinct(people, "tier", F("tags").contains("ПОСТОЯННЫЙ")) == {"gold": 1, "silver": 1}
    assert _distinct(people, "tags", F("first_name") == "nobody") == {}


def test_other_kinds_and_entities(store: Any) -> None:
    """Foundation III item 6: deal stages, money amounts, dates and booleans count by
    value on every store (empty ones left out)."""
    day = dt.date(2026, 1, 5)
    with store.begin() as tx:
        for i, stage in enumerate(["won", "lead", "lead", "proposal", "lead"]):
            tx.deals.add(
                Deal(
                    id=f"d-{i}",
                    name=f"deal {i}",
                    stage=stage,
                    amount=Money(Decimal(100 * (i % 2)), "EUR") if i < 4 else None,
                    expected_close_on=day if i % 2 else None,
                )
            )
    assert _distinct(store, "stage", entity="deals") == {"lead": 3, "proposal": 1, "won": 1}
    assert _distinct(store, "amount", entity="deals") == {Decimal(0): 2, Decimal(100): 2}
    assert _distinct(store, "expected_close_on", entity="deals") == {day: 2}
    assert _distinct(store, "pipeline", entity="deals") == {"default": 5}


def test_unknown_and_uncountable_fields_are_query_errors(people: Any) -> None:
    """Foundation III item 6: a bad field name says which fields there are; a custom
    number has no one spelling to group by and says what to do instead."""
    with pytest.raises(QueryError, match="no such field to count values of; known fields: "):
        _distinct(people, "tagz")
    with pytest.raises(QueryError, match="no such field"):
        _distinct(people, 5)
    with pytest.raises(QueryError, match=r"not decimal; count a range instead"):
        _distinct(people, "credit")
    with pytest.raises(QueryError, match="no such field"):
        _distinct(people, "tags", F("nonsense") == 1)


@pytest.fixture
def store_kind() -> None:
    """Asked for by tests that name their own stores."""


@pytest.mark.parametrize(
    "store_url",
    ["sqlite-file", "sqlite-memory", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
@pytest.mark.usefixtures("store_kind")
def test_sql_stores_count_inside_the_database(people: Any) -> None:
    """Foundation III item 6: on SQLite and PostgreSQL the statements group in SQL and
    never read the records' documents."""
    engine = people.engine
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        _distinct(people, "tags")
        _distinct(people, "tier", F("tags").contains("vip"))
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
    grouped = [statement for statement in seen if "GROUP BY" in statement]
    assert len(grouped) >= 2, seen
    assert not any("doc" in statement.split("FROM")[0] for statement in grouped), grouped


TAGS = ["VIP", "vip", "Vip", "Постоянный", "ПОСТОЯННЫЙ", "straße", "STRASSE", "x"]
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_every_store_counts_like_the_reference(store: Any) -> None:
    """Foundation III item 6 (S7): for any records, ``distinct`` on the store equals
    the count made in Python from the records it holds."""
    counter = iter(range(10**6))

    @SETTINGS
    @given(st.lists(st.sets(st.sampled_from(TAGS), max_size=4), min_size=1, max_size=8))
    def check(tag_sets: list[set[str]]) -> None:
        marker = f"m{next(counter)}"
        records = [
            Contact(id=f"{marker}-{i}", first_name=marker, tags=tags)
            for i, tags in enumerate(tag_sets)
        ]
        with store.begin() as tx:
            tx.contacts.add_many(records)
            found = tx.contacts.distinct("tags", F("first_name") == marker)
        assert found == _reference(records)
        assert list(found) == list(_reference(records))

    check()


def _reference(records: list[Contact]) -> dict[str, int]:
    """The rule, written out plainly: records per folded tag; the spelling most records
    use (ties: code-point order); most common first, then by the spelling."""
    holders: dict[str, set[str]] = {}
    spellings: dict[tuple[str, str], int] = {}
    for record in records:
        for tag in record.tags:
            holders.setdefault(tag.casefold(), set()).add(record.id)
            spellings[tag.casefold(), tag] = spellings.get((tag.casefold(), tag), 0) + 1
    shown = {
        key: min((-n, spelling) for (k, spelling), n in spellings.items() if k == key)[1]
        for key in holders
    }
    order = sorted(holders, key=lambda key: (-len(holders[key]), shown[key]))
    return {shown[key]: len(holders[key]) for key in order}


def test_tally_adds_spellings_of_single_values() -> None:
    """Foundation III item 6: without per-key record counts the spellings add up."""
    assert tally({("a", "A"): 1, ("a", "a"): 2, ("b", "b"): 3}) == {"b": 3, "a": 3}
    assert list(tally({("a", "A"): 1, ("a", "a"): 2, ("b", "b"): 3})) == ["a", "b"]
    assert tally({}) == {}
