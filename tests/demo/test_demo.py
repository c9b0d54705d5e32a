"""The demo base: the bundled sample loads cleanly into every store, idempotently, and
the summary reports what is in it (E1-E8 on realistic messy data, D1 normalisation,
E10 custom properties). Foundation III item 13: custom properties on the demo's
contacts, a summary that shows only what changed, and the way to go on."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections.abc import Iterator
from decimal import Decimal
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import attrs
import pytest

from custdb import open_store
from custdb.demo import (
    EXAMPLES,
    SCHEMAS,
    DemoSummary,
    TopClient,
    build_demo,
    format_summary,
    headline,
    next_steps,
    summarize,
)
from custdb.errors import ValidationError
from custdb.model import OrderStatus
from custdb.query import F
from custdb.storage import ENTITIES

SAMPLE = files("custdb.demo.data")
PLANTED = {
    frozenset(pair)
    for pair in [
        ("Юлия Сергеевна Иванова", "Iuliia Ivanova"),
        ("Håkon Bråten", "Haakon Braaten"),
        ("José Núñez", "JOSE NUNEZ"),
        ("Алексей Игоревич Смирнов", "Aleksey Smirnov"),
        ("Seán O'Brien", "Sean OBrien"),
        ("Ørjan Sæther", "Orjan Saether"),
    ]
}


def _built(url: str) -> Iterator[tuple[Any, DemoSummary]]:
    store = open_store(url, schemas=SCHEMAS)
    try:
        yield store, build_demo(store)
    finally:
        store.close()


def _reset_postgres(url: str) -> None:
    import sqlalchemy as sa  # noqa: PLC0415

    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="module")
def memory_demo() -> Iterator[tuple[Any, DemoSummary]]:
    yield from _built("memory://")


@pytest.fixture(scope="module")
def sqlite_demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}"


@pytest.fixture(scope="module")
def sqlite_demo(sqlite_demo_url: str) -> Iterator[tuple[Any, DemoSummary]]:
    yield from _built(sqlite_demo_url)


@pytest.fixture(scope="module")
def postgres_demo(postgres_url: str) -> Iterator[tuple[Any, DemoSummary]]:
    _reset_postgres(postgres_url)
    yield from _built(postgres_url)


@pytest.fixture(
    params=["memory", "sqlite-file", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def demo(request: pytest.FixtureRequest) -> tuple[Any, DemoSummary]:
    name = {"memory": "memory_demo", "sqlite-file": "sqlite_demo"}.get(request.param)
    built: tuple[Any, DemoSummary] = request.getfixturevalue(name or "postgres_demo")
    return built


def _rows(file: str) -> list[dict[str, str]]:
    with SAMPLE.joinpath(file).open("r", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_sample_ships_inside_the_package() -> None:
    names = {entry.name for entry in SAMPLE.iterdir()}
    assert {"contacts.csv", "companies.csv", "deals.csv", "visits.csv", "surveys.csv"} <= names


def test_every_row_of_the_sample_becomes_a_record(demo: tuple[Any, DemoSummary]) -> None:
    _, summary = demo
    assert summary.counts["contacts"] == len(_rows("contacts.csv"))
    assert summary.counts["companies"] == len(_rows("companies.csv"))
    assert summary.counts["orders"] == len({row["order"] for row in _rows("visits.csv")})
    assert summary.counts["surveys"] == len(_rows("surveys.csv"))
    assert summary.counts["consents"] == sum(
        1 for row in _rows("contacts.csv") if row["newsletter"]
    )
    assert summary.added == summary.counts


def test_e1_300_contacts_in_four_languages(demo: tuple[Any, DemoSummary]) -> None:
    _, summary = demo
    languages = dict(summary.by_language)
    assert summary.counts["contacts"] >= 300
    assert {"ru", "en", "es", "no"} <= set(languages)
    assert all(languages[code] >= 20 for code in ("ru", "en", "es", "no"))
    assert {"RU", "NO", "ES", "US", "GB"} <= set(dict(summary.by_country))


def test_every_entity_kind_is_present(demo: tuple[Any, DemoSummary]) -> None:
    _, summary = demo
    assert set(summary.counts) == set(ENTITIES)
    assert all(summary.counts[name] > 0 for name in ENTITIES), summary.counts


def test_d1_messy_cells_are_normalised(demo: tuple[Any, DemoSummary]) -> None:
    """``8 (912) 345-67-89`` and ``+7 912 345 67 89`` meet at one E.164 number; dates and
    amounts are read in their branch's form (``18/09/2023``, ``26.100``, ``117,50``)."""
    store, _ = demo
    with store.begin() as tx:
        yulia = tx.contacts.select(F("phone") == "+79123456789")
        russian_deal = tx.deals.by_external_id("demo", "D001")  # "769 500,00", 25 %, 26.07.2024
        spanish_deal = tx.deals.by_external_id("demo", "D043")  # "26.100", 12/12/2023
        spanish_order = tx.orders.by_external_id("demo", "O0599")  # 18/09/2023 18:15, "117,50" + 73
        american_order = tx.orders.by_external_id("demo", "O0898")  # 2024-06-02, 65 + 73 + 141.00
    assert sorted(c.first_name for c in yulia) == ["Iuliia", "Юлия"]
    assert str(russian_deal.amount) == "769500.00 RUB"
    assert russian_deal.probability == Decimal("0.25")
    assert russian_deal.expected_close_on == dt.date(2024, 7, 26)
    assert str(spanish_deal.amount) == "26100 EUR"
    assert spanish_deal.closed_on == dt.date(2023, 12, 12)
    madrid = dt.timezone(dt.timedelta(hours=1))
    assert spanish_order.placed_at == dt.datetime(2023, 9, 18, 18, 15, tzinfo=madrid)
    assert [str(item.amount) for item in spanish_order.items] == ["117.50 EUR", "73 EUR"]
    assert american_order.placed_at.date() == dt.date(2024, 6, 2)
    assert str(american_order.total) == "279.00 USD"


def test_planted_duplicates_are_found(demo: tuple[Any, DemoSummary]) -> None:
    _, summary = demo
    found = {frozenset((pair.first, pair.second)) for pair in summary.duplicates}
    assert found == PLANTED


def test_rollups_are_kept_for_clients(demo: tuple[Any, DemoSummary]) -> None:
    store, summary = demo
    top = summary.top_clients[0]
    assert top.total_spent > 0
    assert top.order_count > 0
    with store.begin() as tx:
        (client,) = tx.contacts.select(order_by="-total_spent", limit=1)
        orders = tx.orders.select(F("contact_id") == client.id)
    done = [o for o in orders if o.status is OrderStatus.COMPLETED]
    assert client.stats.total_spent == sum(o.total.amount for o in done)
    assert client.stats.total_spent == top.total_spent


def test_p6_deals_stand_in_several_stages(demo: tuple[Any, DemoSummary]) -> None:
    store, summary = demo
    stages = {line.stage: line for line in summary.stages}
    assert {"new", "qualified", "proposal", "negotiation", "won", "lost"} <= set(stages)
    assert sum(line.count for line in summary.stages) == summary.counts["deals"]
    assert all(dict(line.values) for line in summary.stages)
    with store.begin() as tx:
        lost = tx.deals.select(F("stage") == "lost")
    assert lost
    assert all(deal.lost_reason for deal in lost)


def test_s4_nps_csat_and_open_tickets(demo: tuple[Any, DemoSummary]) -> None:
    store, summary = demo
    assert summary.nps is not None
    assert Decimal(-100) <= summary.nps <= Decimal(100)
    assert summary.csat is not None
    assert Decimal(0) < summary.csat <= Decimal(100)
    assert summary.nps_answers + summary.csat_answers == summary.counts["surveys"]
    with store.begin() as tx:
        open_ones = [t for t in tx.tickets.iterate() if t.is_open]
    assert 0 < summary.open_tickets == len(open_ones) < summary.counts["tickets"]


def test_stores_agree_on_the_summary(
    memory_demo: tuple[Any, DemoSummary], sqlite_demo: tuple[Any, DemoSummary]
) -> None:
    assert memory_demo[1] == sqlite_demo[1]


@pytest.mark.postgres
def test_postgres_agrees_on_the_summary(
    memory_demo: tuple[Any, DemoSummary], postgres_demo: tuple[Any, DemoSummary]
) -> None:
    assert memory_demo[1] == postgres_demo[1]


def test_a_second_run_adds_nothing_and_logs_nothing(demo: tuple[Any, DemoSummary]) -> None:
    store, first = demo
    logged = len(store.changes())
    again = build_demo(store)
    assert set(again.added.values()) == {0}
    assert again.counts == first.counts
    assert len(store.changes()) == logged
    assert attrs.evolve(again, added=first.added) == first


def test_progress_reports_every_repository() -> None:
    seen: list[tuple[str, int]] = []
    store = open_store("memory://", schemas=SCHEMAS)
    build_demo(store, progress=lambda name, added: seen.append((name, added)))
    assert {name for name, _ in seen} == set(ENTITIES)
    assert dict(seen)["contacts"] >= 300


def test_the_summary_reads_well(memory_demo: tuple[Any, DemoSummary]) -> None:
    _, summary = memory_demo
    text = format_summary(summary)
    for heading in ("Records", "Contacts by country", "Deals by stage", "Top clients", "NPS"):
        assert heading in text
    assert "Possible duplicates: 6" in text
    assert "Iuliia Ivanova" in text
    assert f"{summary.top_clients[0].total_spent:,.2f}" in text
    assert "added" not in text  # a first build adds everything: no per-entity notes
    assert "dedupe" not in text  # and promises nothing that does not exist


def test_an_empty_store_summarises_without_failing() -> None:
    summary = summarize(open_store("memory://"))
    assert summary.nps is None
    assert summary.top_clients == ()
    assert "(no deals)" in format_summary(summary)


# --- a sample that does not load --------------------------------------------------------


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    with as_file(SAMPLE) as bundled:
        shutil.copytree(bundled, tmp_path / "demo", ignore=shutil.ignore_patterns("*.py*"))
    return tmp_path / "demo"


def _spoil(folder: Path, file: str, row: int, field: str, value: str) -> None:
    """Set one cell; ``row`` counts as a spreadsheet does (the header is row 1)."""
    with (folder / file).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[row - 2][field] = value
    with (folder / file).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("file", "row", "field", "value"),
    [
        ("contacts.csv", 5, "phone", "8 (912) 345"),
        ("contacts.csv", 7, "birthday", "31.02.1990"),
        ("deals.csv", 3, "amount", "12,5,0"),
        ("visits.csv", 10, "contact", "C9999"),
        ("surveys.csv", 4, "score", "11"),
        ("contacts.csv", 6, "reminder_channel", "pigeon"),
        ("contacts.csv", 8, "member_since", "31.02.2020"),
    ],
)
def test_a_bad_cell_names_file_row_and_field(
    sample_copy: Path, file: str, row: int, field: str, value: str
) -> None:
    _spoil(sample_copy, file, row, field, value)
    store = open_store("memory://", schemas=SCHEMAS)
    with pytest.raises(ValidationError) as caught:
        build_demo(store, source=sample_copy)
    assert caught.value.row == row
    assert caught.value.field == field
    assert file in str(caught.value)
    assert [c for c in store.changes() if c.entity != "setting"] == []  # schemas, from open


# --- custom properties (Foundation III item 13) -----------------------------------------


def _member_since(row: dict[str, str]) -> dt.date | None:
    """The sample's ``member_since`` cell read in its branch's form, by hand."""
    cell = row["member_since"]
    if not cell:
        return None
    if row["country"] in ("US", "GB"):
        return dt.date.fromisoformat(cell)
    day, month, year = cell.replace("/", ".").split(".")
    return dt.date(int(year), int(month), int(day))


def test_e10_contacts_carry_typed_custom_properties(demo: tuple[Any, DemoSummary]) -> None:
    """Foundation III item 13: the demo's contacts have ``reminder_channel`` (an enum)
    and ``member_since`` (a date, read in each branch's local form), typed on every store."""
    store, _ = demo
    rows = {row["key"]: row for row in _rows("contacts.csv")}
    with store.begin() as tx:
        contacts = {c.external_ids["demo"]: c for c in tx.contacts.iterate()}
    assert contacts.keys() == rows.keys()
    for key, contact in contacts.items():
        assert contact.custom.get("reminder_channel") == (rows[key]["reminder_channel"] or None)
        assert contact.custom.get("member_since") == _member_since(rows[key])
        assert ("member_since" in contact.custom) == bool(contact.loyalty_card)
    channels = {c.custom.get("reminder_channel") for c in contacts.values()}
    assert channels == {None, "call", "email", "sms", "telegram", "whatsapp"}
    members = [c for c in contacts.values() if "member_since" in c.custom]
    assert len(members) > 100
    assert all(type(c.custom["member_since"]) is dt.date for c in members)


def test_e10_custom_properties_answer_queries(demo: tuple[Any, DemoSummary]) -> None:
    """Foundation III item 13: ``==`` on the custom enum and ``<`` on the custom date
    find exactly the contacts the sample's cells say, on every store."""
    store, _ = demo
    rows = _rows("contacts.csv")
    whatsapp = {r["key"] for r in rows if r["reminder_channel"] == "whatsapp"}
    cutoff = dt.date(2020, 1, 1)
    early = {r["key"] for r in rows if (_member_since(r) or cutoff) < cutoff}
    with store.begin() as tx:
        found_whatsapp = tx.contacts.select(F("reminder_channel") == "whatsapp")
        found_early = tx.contacts.select(F("member_since") < cutoff)
    assert {c.external_ids["demo"] for c in found_whatsapp} == whatsapp
    assert {c.external_ids["demo"] for c in found_early} == early
    assert whatsapp
    assert early


def test_a_store_without_the_demo_schema_is_refused_before_any_write() -> None:
    """Foundation III item 13: without ``schemas=SCHEMAS`` the custom values would be
    stored untyped and queries on them refused, so nothing is loaded."""
    store = open_store("memory://")
    with pytest.raises(ValidationError) as caught:
        build_demo(store)
    assert caught.value.entity == "contact"
    assert caught.value.field in {"reminder_channel", "member_since"}
    assert "schemas=custdb.demo.SCHEMAS" in str(caught.value)
    assert store.changes() == []
    assert summarize(store).counts["contacts"] == 0


# --- what a run says (Foundation III item 13) -------------------------------------------


def test_the_headline_says_what_the_run_changed() -> None:
    """A first build, a run that adds nothing, and a run that completes a base each say
    so; only the completing run notes per entity what it added."""
    store = open_store("memory://", schemas=SCHEMAS)
    first = build_demo(store)
    total = sum(first.counts.values())
    assert headline(first, "memory://") == f"Demo base memory://: built, {total:,} records"
    again = build_demo(store)
    assert headline(again, "memory://") == "Demo base memory://: already built, nothing changed"
    assert "added" not in format_summary(again)
    with store.begin() as tx:
        tx.activities.remove(tx.activities.by_external_id("demo", "AC001").id)
        tx.surveys.remove(tx.surveys.by_external_id("demo", "S0001").id)
    completed = build_demo(store)
    assert headline(completed, "memory://") == "Demo base memory://: 2 records added"
    noted = [line for line in format_summary(completed).splitlines() if "added" in line]
    assert [line.split()[0] for line in noted] == ["activities", "surveys"]
    assert all(line.endswith("(+1 added)") for line in noted)
    assert headline(summarize(store), "memory://") == "Demo base memory://"


def test_the_headline_hides_a_password() -> None:
    summary = build_demo(open_store("memory://", schemas=SCHEMAS))
    text = headline(summary, "postgresql+psycopg://ana:s3cret@db.example/crm")
    assert text.startswith("Demo base postgresql+psycopg://ana:***@db.example/crm: built")


def _top(*clients: tuple[str, str, str, int]) -> DemoSummary:
    empty = summarize(open_store("memory://"))
    top = tuple(
        TopClient(name, "NO", Decimal(spent), currency, orders)
        for name, currency, spent, orders in clients
    )
    return attrs.evolve(empty, top_clients=top)


def test_top_client_amounts_are_right_aligned_under_their_currency() -> None:
    """Foundation III item 13: the currency stands in one column and the amounts end in
    one column however many digits they have; so do the order counts."""
    summary = _top(
        ("Ørjan Sæther", "NOK", "1234567.5", 12),
        ("Ana", "EUR", "89.9", 3),
        ("Наталья Михайловна Попова", "RUB", "160400", 1),
    )
    section = format_summary(summary).split("Top clients")[1].split("\n\n")[0]
    lines = section.splitlines()[1:]
    assert len(lines) == 3
    currency_at = {
        line.index(currency) for line, currency in zip(lines, ["NOK", "EUR", "RUB"], strict=True)
    }
    assert len(currency_at) == 1
    amount_ends = {
        line.index(amount) + len(amount)
        for line, amount in zip(lines, ["1,234,567.50", "89.90", "160,400.00"], strict=True)
    }
    assert len(amount_ends) == 1
    assert lines[1].index("89.90") > lines[1].index("EUR") + 4  # padded on the left
    assert {line.index(" order") for line in lines} == {lines[0].index(" orders")}
    assert lines[2].endswith(" 1 order")


# --- how to go on (Foundation III item 13) ----------------------------------------------


def test_every_example_is_printed_as_the_query_it_runs() -> None:
    for example in EXAMPLES:
        built = eval(example.source, {"F": F, "dt": dt})  # noqa: S307 - our own constant
        assert built == example.query, example.source


def test_the_examples_find_contacts_on_every_store(demo: tuple[Any, DemoSummary]) -> None:
    store, summary = demo
    with store.begin() as tx:
        found = [tx.contacts.count(example.query) for example in EXAMPLES]
    assert all(0 < count < summary.counts["contacts"] for count in found), found
    assert EXAMPLES[0].source.startswith('F("tags")')
    assert "member_since" in EXAMPLES[1].source


def snippet(text: str) -> str:
    """The indented Python block that ends the demo's output, dedented."""
    tail = text.split("Go on in Python", 1)[1]
    code = [line[4:] for line in tail.splitlines() if line.startswith("    ") or not line]
    return "\n".join(code).strip() + "\n"


def run_snippet(text: str) -> dict[str, Any]:
    """Run the printed snippet as a reader pasting it would; check each select finds
    the number of contacts its comment says, and more than none."""
    namespace: dict[str, Any] = {}
    exec(snippet(text), namespace)  # noqa: S102 - the text under test is ours
    namespace["store"].close()
    for example in EXAMPLES:
        line = text.split(f"{example.name} = ", 1)[1].split("\n", 1)[0]
        said = line.rsplit("# ", 1)[1].removesuffix(" contacts")
        assert len(namespace[example.name]) == int(said.replace(",", "")) > 0
    return namespace


def test_next_steps_open_the_base_and_the_queries_run(
    sqlite_demo: tuple[Any, DemoSummary], sqlite_demo_url: str
) -> None:
    store, _ = sqlite_demo
    url = sqlite_demo_url
    text = next_steps(store, url)
    assert f'open_store("{url}", schemas=SCHEMAS)' in text
    assert "build_demo" not in text
    found = run_snippet(text)
    assert {c.external_ids["demo"] for c in found["vip"]} == {
        row["key"] for row in _rows("contacts.csv") if "vip" in row["tags"].split(";")
    }


def test_next_steps_for_a_base_in_memory_build_it_again(
    memory_demo: tuple[Any, DemoSummary],
) -> None:
    store, _ = memory_demo
    text = next_steps(store, "memory://")
    assert 'open_store("memory://", schemas=SCHEMAS)' in text
    assert "build_demo(store)" in text
    run_snippet(text)


def test_next_steps_hide_a_password(memory_demo: tuple[Any, DemoSummary]) -> None:
    store, _ = memory_demo
    text = next_steps(store, "postgresql+psycopg://ana:s3cret@db.example/crm")
    assert "s3cret" not in text
    assert 'open_store("postgresql+psycopg://ana:***@db.example/crm", schemas=SCHEMAS)' in text
    assert "your password in place of ***" in text
