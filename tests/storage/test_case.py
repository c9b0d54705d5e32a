"""Case in tags and e-mail addresses (Foundation III item 6): they match without regard
to case, with Python's ``casefold``, on every store, and keep their spelling; the SQL
stores compare through folded, indexed key columns (E1 tags, D1 e-mails, S7 one answer
on every store)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custdb.model import Company, Contact, Email
from custdb.query import F, Query, bind, matches
from custdb.storage._compile import compile_where, where_values
from custdb.storage._tables import METADATA, TABLES
from custdb.storage.postgres import psycopg_url

TAGS = ["VIP", "vip", "Постоянный", "ПОСТОЯННЫЙ", "Straße", "blocked"]


def _people() -> list[Contact]:
    return [
        Contact(id="c-1", first_name="Ola", tags={"VIP"}, emails=[Email("Ola.Nord@mail.no")]),
        Contact(id="c-2", first_name="Kari", tags={"vip", "Постоянный"}),
        Contact(
            id="c-3",
            first_name="Юлия",
            tags={"ПОСТОЯННЫЙ"},
            emails=[Email("Hakon.Braten@online.no")],
        ),
        Contact(id="c-4", first_name="Per", tags={"STRASSE"}, emails=[Email("per@x.no")]),
        Contact(id="c-5", first_name="Nils"),
    ]


def _ids(store: Any, query: Query, entity: str = "contacts") -> list[str]:
    with store.begin() as tx:
        return sorted(record.id for record in getattr(tx, entity).select(query))


@pytest.fixture
def people(store: Any) -> Any:
    with store.begin() as tx:
        tx.contacts.add_many(_people())
    return store


CASES: list[tuple[Query, list[str]]] = [
    (F("tags").contains("VIP"), ["c-1", "c-2"]),
    (F("tags").contains("vip"), ["c-1", "c-2"]),
    (F("tags").contains("постоянный"), ["c-2", "c-3"]),
    (F("tags").contains("ПОСТОЯННЫЙ"), ["c-2", "c-3"]),
    (F("tags").contains("straße"), ["c-4"]),  # casefold, not lower(): ß is ss
    (F("tags").contains_any(["Vip", "nothing"]), ["c-1", "c-2"]),
    (~F("tags").contains("Vip"), ["c-3", "c-4", "c-5"]),
    (F("tags").is_null(), ["c-5"]),
    (F("email") == "hakon.braten@online.no", ["c-3"]),
    (F("email") == "HAKON.BRATEN@ONLINE.NO", ["c-3"]),
    (F("email") != "hakon.braten@online.no", ["c-1", "c-2", "c-4", "c-5"]),
    (F("email").is_in(["OLA.NORD@MAIL.NO", "PER@X.NO"]), ["c-1", "c-4"]),
    (F("email").contains("BRATEN@"), ["c-3"]),
    (F("email") >= "OLA", ["c-1", "c-4"]),
    (F("email") < "Ola", ["c-3"]),
    (~(F("email") == "Ola.nord@mail.no"), ["c-2", "c-3", "c-4", "c-5"]),
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[str(i) for i in range(len(CASES))])
def test_tags_and_emails_match_without_regard_to_case(
    people: Any, query: Query, expected: list[str]
) -> None:
    """Foundation III item 6 (E1, D1, S7): the same rows on every store, and the same as
    the in-memory predicate over the records as given."""
    assert _ids(people, query) == expected
    assert sorted(c.id for c in _people() if matches(c, query)) == expected


def test_records_keep_the_spelling_they_were_given(people: Any) -> None:
    """Foundation III item 6 (E1, D1): folding is for matching only."""
    with people.begin() as tx:
        kari = tx.contacts.get("c-2")
        yulia = tx.contacts.get("c-3")
        by_email = tx.contacts.select(order_by="email", limit=3)
    assert kari.tags == frozenset({"vip", "Постоянный"})
    assert yulia.email == "Hakon.Braten@online.no"
    assert [c.id for c in by_email] == ["c-3", "c-1", "c-4"]  # sorted by the spelling


def test_the_readme_query_finds_lower_case_tags(store: Any) -> None:
    """Foundation III item 6 (E1): the README's ``contains("VIP")`` finds the ``vip``
    tag the demo base uses, after a put and on companies too."""
    with store.begin() as tx:
        ola = tx.contacts.add(Contact(first_name="Ola", tags={"regular"}))
        tx.companies.add(Company(id="co-1", name="Nord AS", tags={"vip"}))
    with store.begin() as tx:
        assert tx.contacts.count(F("tags").contains("VIP")) == 0
        tx.contacts.put(attrs.evolve(ola, tags={"vip"}))
    assert _ids(store, F("tags").contains("VIP")) == [ola.id]
    assert _ids(store, F("tags").contains("Vip"), "companies") == ["co-1"]


def test_a_companys_main_email_matches_in_any_case(store: Any) -> None:
    """Foundation III item 6 (D1): a company's main address matches in any case."""
    with store.begin() as tx:
        tx.companies.add(Company(id="co-1", name="Nord", emails=[Email("Post@Nord.no")]))
    assert _ids(store, F("email") == "post@nord.no", "companies") == ["co-1"]


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=6).filter(
    str.strip
)  # blank tags are refused
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_folding_agrees_with_python_casefold_on_any_text(store: Any) -> None:
    """Foundation III item 6 (S7): for any tags and any wanted text, every store finds
    the records holding a tag whose casefold is the wanted text's casefold."""
    counter = iter(range(10**6))

    @SETTINGS
    @given(tags=st.lists(TEXT, min_size=1, max_size=3), wanted=TEXT, flip=st.booleans())
    def check(tags: list[str], wanted: str, flip: bool) -> None:
        probe = wanted.swapcase() if flip else wanted
        marker = f"m{next(counter)}"
        with store.begin() as tx:
            tx.contacts.add(
                Contact(id=f"{marker}-a", first_name=marker, tags={*tags, wanted}),
            )
            tx.contacts.add(Contact(id=f"{marker}-b", first_name=marker, tags=set(tags)))
            mine = F("first_name") == marker
            found = sorted(c.id for c in tx.contacts.select(mine & F("tags").contains(probe)))
        expected = [f"{marker}-a"]
        if any(tag.casefold() == probe.casefold() for tag in tags):
            expected.append(f"{marker}-b")
        if probe.casefold() != wanted.casefold():
            expected.remove(f"{marker}-a")
        assert found == expected

    check()


LOCAL = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters="@"),
    min_size=1,
    max_size=8,
).filter(lambda text: text.split() == [text])


def test_email_equality_agrees_with_python_casefold_on_any_local_part(store: Any) -> None:
    """Foundation III item 6 (D1, S7): an address in any script and any case is found by
    every spelling with the same casefold (``ı`` upper-cased is ``I``, which folds to
    ``i``: not the same), and by no other, on every store."""
    counter = iter(range(10**6))

    @SETTINGS
    @given(local=LOCAL, other=LOCAL)
    def check(local: str, other: str) -> None:
        domain = f"d{next(counter)}.example.com"
        address = f"{local}@{domain}"
        with store.begin() as tx:
            tx.contacts.add(Contact(first_name="x", emails=[Email(address)]))
            probes = (address.upper(), address.lower(), address.swapcase(), f"{other}@{domain}")
            for probe in (address, *probes):
                expected = int(probe.casefold() == address.casefold())
                assert tx.contacts.count(F("email") == probe) == expected, probe
                assert tx.contacts.count(F("email").is_in([probe, "none@x.no"])) == expected

    check()


# --- the folded comparisons are served by an index ---------------------------------------


@pytest.fixture
def store_kind() -> None:
    """Asked for by the tests below: they name their own stores (SQL ones only)."""


SQL_FILE_STORES = pytest.mark.parametrize(
    "store_url",
    ["sqlite-file", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)


def _plan(store: Any, query: Query) -> str:
    """The database's plan for the WHERE clause the store compiles for ``query``."""
    table, dialect = TABLES["contacts"], store._dialect
    bound = bind(query, Contact)
    statement = sa.select(table.c.id).where(compile_where(bound, table, dialect))
    compiled = statement.compile(dialect=store.engine.dialect)
    params = compiled.construct_params(where_values(bound, dialect))
    with store.engine.begin() as connection:
        if store.engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
            rows = connection.exec_driver_sql(f"EXPLAIN {compiled.string}", params)
        else:
            positional = tuple(params[name] for name in compiled.positiontup or ())
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled.string}", positional)
        return "\n".join(str(row[-1]) for row in rows)


@SQL_FILE_STORES
@pytest.mark.usefixtures("store_kind")
def test_email_equality_is_served_by_the_folded_index(people: Any) -> None:
    """Foundation III item 6 (D1): ``email == x`` reads ``ix_contacts_email_key``."""
    plan = _plan(people, F("email") == "HAKON.BRATEN@ONLINE.NO")
    assert "ix_contacts_email_key" in plan, plan


@pytest.mark.parametrize(
    "store_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
@pytest.mark.usefixtures("store_kind")
def test_tag_tests_are_served_by_the_folded_gin_index_on_postgres(people: Any) -> None:
    """Foundation III item 6 (E1): ``contains`` and ``contains_any`` on tags read the
    GIN index on ``tags_key`` (SQLite has no index for JSON arrays, as before)."""
    for query in (F("tags").contains("VIP"), F("tags").contains_any(["vip", "x"])):
        plan = _plan(people, query)
        assert "ix_contacts_tags_key" in plan, plan


# --- a base made before the key columns upgrades -----------------------------------------


def _downgrade(url: str) -> None:
    """Takes a base back to schema version 1: no key columns, no step 2 recorded."""
    engine = sa.create_engine(psycopg_url(url))
    with engine.begin() as connection:
        for name in ("contacts", "companies"):
            connection.exec_driver_sql(f"DROP INDEX IF EXISTS ix_{name}_email_key")
            connection.exec_driver_sql(f"DROP INDEX IF EXISTS ix_{name}_tags_key")
            connection.exec_driver_sql(f"ALTER TABLE {name} DROP COLUMN email_key")
            connection.exec_driver_sql(f"ALTER TABLE {name} DROP COLUMN tags_key")
        if connection.dialect.name == "postgresql":  # step 1 made it; step 2 drops it
            for name in ("contacts", "companies"):
                connection.exec_driver_sql(
                    f"CREATE INDEX ix_{name}_tags ON {name} USING gin (tags)"
                )
        connection.execute(METADATA.tables["schema_version"].delete().where(sa.text("version > 1")))
    engine.dispose()


@SQL_FILE_STORES
@pytest.mark.usefixtures("store_kind")
def test_an_existing_base_gains_the_folded_keys_when_opened(
    store_url: str, open_test_store: Callable[..., Any]
) -> None:
    """Foundation III item 6 (E1, D1): migration step 2 adds ``email_key`` and
    ``tags_key``, fills them from the rows, and indexes them."""
    store = open_test_store()
    with store.begin() as tx:
        tx.contacts.add_many(_people())
        tx.companies.add(Company(id="co-1", name="Nord", tags={"VIP"}))
    store.close()
    _downgrade(store_url)
    store = open_test_store()
    assert _ids(store, F("email") == "HAKON.BRATEN@ONLINE.NO") == ["c-3"]
    assert _ids(store, F("tags").contains("постоянный")) == ["c-2", "c-3"]
    assert _ids(store, F("tags").contains("vip"), "companies") == ["co-1"]
    indexes = {index["name"] for index in sa.inspect(store.engine).get_indexes("contacts")}
    assert "ix_contacts_email_key" in indexes
    if store.engine.dialect.name == "postgresql":
        assert "ix_contacts_tags_key" in indexes
        assert "ix_contacts_tags" not in indexes  # queries read tags_key
    with store.engine.connect() as connection:
        versions = connection.exec_driver_sql("SELECT max(version) FROM schema_version")
        assert versions.scalar() >= 2


@pytest.mark.parametrize("store_url", ["sqlite-file"], indirect=True)
@pytest.mark.usefixtures("store_kind")
def test_the_demo_base_answers_the_readme_query(open_test_store: Any) -> None:
    """Foundation III item 6 (E1, D1): on the demo base, whose tag is ``vip``, the
    README's ``contains("VIP")`` finds its 74 holders, ``distinct`` lists the tags, and a
    mixed-case address is found by its lower-case spelling."""
    from custdb.demo import SCHEMAS, build_demo  # noqa: PLC0415

    store = open_test_store(schemas=SCHEMAS)
    build_demo(store)
    with store.begin() as tx:
        assert tx.contacts.count(F("tags").contains("VIP")) == 74
        assert tx.contacts.distinct("tags") == {
            "birthday-club": 88,
            "regular": 76,
            "vip": 74,
            "sms-off": 70,
        }
        mixed = next(c for c in tx.contacts.iterate() if c.email and c.email != c.email.lower())
        found = tx.contacts.select(F("email") == mixed.email.lower())
    assert [c.id for c in found] == [mixed.id]


# --- contains on text: the folded copies of the name fields ------------------------------

MIXED = [
    "Straße",
    "STRASSE",
    "GROẞ",
    "İstanbul",
    "ıspanak",
    "ISPARTA",
    "ΣΊΣΥΦΟΣ",
    "Οδυσσεύς",
    "ὈΔΥΣΣΕΎΣ",
    "Ёлкина",
    "ЁЛКИН",
    "Müller",
    "MÜLLER",
    "ﬁsh",
    "Ǆemal",
]
"""German ß/ẞ, Turkish dotted and dotless i, Greek final sigma, Cyrillic ё, ligatures."""


def _mixed() -> list[Contact]:
    return [
        Contact(id=f"x-{i:02d}", first_name=name[::-1], last_name=name, job_title=name.lower())
        for i, name in enumerate(MIXED)
    ]


@st.composite
def _probes(draw: st.DrawFn) -> str:
    """A part of one of the names, in some case: what a person would type."""
    name = draw(st.sampled_from(MIXED))
    start = draw(st.integers(0, len(name) - 1))
    part = name[start : draw(st.integers(start + 1, len(name)))]
    change = draw(st.sampled_from([str, str.upper, str.lower, str.casefold, str.swapcase]))
    return change(part)


def test_contains_on_text_agrees_with_the_memory_evaluator_on_mixed_scripts(store: Any) -> None:
    """Foundation IV item 5a (S7): ``contains`` on a searched name field (through its
    folded column), on another text field (folded in SQL) and on the e-mail key finds on
    every store exactly the records the memory evaluator finds."""
    people = _mixed()
    with store.begin() as tx:
        tx.contacts.add_many(people)

    @SETTINGS
    @given(probe=_probes(), field=st.sampled_from(["last_name", "first_name", "job_title"]))
    def check(probe: str, field: str) -> None:
        query = F(field).contains(probe)
        assert _ids(store, query) == sorted(c.id for c in people if matches(c, query)), probe
        assert _ids(store, ~query) == sorted(c.id for c in people if not matches(c, query))

    check()


@pytest.mark.parametrize("probe", ["strasse", "STRAẞE", "groß", "İst", "ISP", "ıs", "σ", "ς", "ё"])
def test_contains_finds_the_tricky_letters_as_casefold_does(store: Any, probe: str) -> None:
    """Foundation IV item 5a (S7): the letters where SQL's ``lower()`` and Python's
    ``casefold`` part ways (ß, ẞ, İ, ı, final ς, ё) give the memory evaluator's answer."""
    people = _mixed()
    with store.begin() as tx:
        tx.contacts.add_many(people)
    query = F("last_name").contains(probe)
    expected = sorted(c.id for c in people if matches(c, query))
    assert expected  # each probe finds something
    assert _ids(store, query) == expected


@SQL_FILE_STORES
@pytest.mark.usefixtures("store_kind")
def test_contains_on_a_name_reads_its_folded_column(store: Any) -> None:
    """Foundation IV item 5a: no folding function per row on a searched field."""
    table, dialect = TABLES["contacts"], store._dialect
    bound = bind(F("last_name").contains("MÜLL"), Contact)
    sql = str(compile_where(bound, table, dialect).compile(dialect=store.engine.dialect))
    assert "last_name_folded" in sql
    assert "custdb_fold" not in sql
    assert "und-x-icu" not in sql
    assert where_values(bound, dialect) == {"w": "müll"}


def _drop_folded_names(url: str) -> None:
    """Takes a base back to schema version 4: no ``_folded`` columns, step 5 unrecorded."""
    engine = sa.create_engine(psycopg_url(url))
    with engine.begin() as connection:
        for table in TABLES.values():
            for column in table.columns:
                if column.name.endswith("_folded"):
                    connection.exec_driver_sql(
                        f"ALTER TABLE {table.name} DROP COLUMN {column.name}"
                    )
        connection.execute(METADATA.tables["schema_version"].delete().where(sa.text("version > 4")))
    engine.dispose()


@SQL_FILE_STORES
@pytest.mark.usefixtures("store_kind")
def test_a_base_without_folded_names_gains_them_when_opened(
    store_url: str, open_test_store: Callable[..., Any]
) -> None:
    """Foundation IV item 5a: migration step 5 adds the ``_folded`` columns and fills
    them from the rows; the records read back as they were written."""
    store = open_test_store()
    with store.begin() as tx:
        tx.contacts.add_many(_mixed())
        written = sorted(tx.contacts.iterate(), key=lambda c: c.id)
    store.close()
    _drop_folded_names(store_url)
    store = open_test_store()
    with store.begin() as tx:
        assert sorted(tx.contacts.iterate(), key=lambda c: c.id) == written
    assert _ids(store, F("last_name").contains("strasse")) == ["x-00", "x-01"]
    with store.engine.connect() as connection:
        folded = connection.exec_driver_sql(
            "SELECT last_name_folded FROM contacts WHERE id = 'x-02'"
        )
        assert folded.scalar() == "GROẞ".casefold()
