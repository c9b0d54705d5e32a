"""The generated row writer: columns and ``doc`` as the table keeps them, roll-up columns
made once for a shared roll-up and afresh for any other."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from custdb import codec, testing
from custdb.model import Email
from custdb.model.contact import ClientStats
from custdb.model.frozen import FrozenMap
from custdb.storage._dialect import POSTGRES, SQLITE
from custdb.storage._pending import logged
from custdb.storage._rows import Plan, _document_lines
from custdb.storage._stamps import fresh
from custdb.storage._tables import dumps
from custdb.storage.base import ENTITIES


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
