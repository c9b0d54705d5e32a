"""The demo base: the bundled sample loads cleanly into every store, idempotently, and
the summary reports what is in it (E1-E8 on realistic messy data, D1 normalisation)."""

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
from custdb.demo import DemoSummary, build_demo, format_summary, summarize
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
    store = open_store(url)
    try:
        yield store, build_demo(store)
    finally:
        store.close()


@pytest.fixture(scope="module")
def memory_demo() -> Iterator[tuple[Any, DemoSummary]]:
    yield from _built("memory://")


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, DemoSummary]]:
    yield from _built(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}")


@pytest.fixture(params=["memory", "sqlite-file"])
def demo(request: pytest.FixtureRequest) -> tuple[Any, DemoSummary]:
    name = "memory_demo" if request.param == "memory" else "sqlite_demo"
    built: tuple[Any, DemoSummary] = request.getfixturevalue(name)
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
    build_demo(open_store("memory://"), progress=lambda name, added: seen.append((name, added)))
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
    ],
)
def test_a_bad_cell_names_file_row_and_field(
    sample_copy: Path, file: str, row: int, field: str, value: str
) -> None:
    _spoil(sample_copy, file, row, field, value)
    store = open_store("memory://")
    with pytest.raises(ValidationError) as caught:
        build_demo(store, source=sample_copy)
    assert caught.value.row == row
    assert caught.value.field == field
    assert file in str(caught.value)
    assert store.changes() == []
