"""The generated row writer: columns and ``doc`` as the table keeps them, roll-up columns
made once for a shared roll-up and afresh for any other."""

from __future__ import annotations

import json
from decimal import Decimal

import attrs

from custdb import codec, testing
from custdb.model.contact import ClientStats
from custdb.storage._dialect import SQLITE
from custdb.storage._rows import Plan


def test_doc_leaves_out_the_json_columns_and_none_where_none_is_the_default() -> None:
    plan = Plan.of("contacts", SQLITE)
    contact = testing.make_contact(birthday=None, custom={})
    row = plan.row(contact, codec.encode(contact))
    doc = json.loads(row["doc"])
    assert doc["id"] == contact.id == row["id"]
    assert {"custom", "external_ids", "stats", "birthday"}.isdisjoint(doc)
    assert row["custom"] == "{}"
    assert row["birthday"] is None


def test_roll_up_columns_follow_each_records_own_roll_ups() -> None:
    plan = Plan.of("contacts", SQLITE)
    empty = testing.make_contact(stats=ClientStats())
    spent = attrs.evolve(empty, stats=ClientStats(total_spent=Decimal(2500)))
    rows = [plan.row(c, codec.encode(c)) for c in (empty, empty, spent, empty)]
    assert rows[0] == rows[1] == rows[3]
    assert {k: v for k, v in rows[2].items() if k in plan.stats_row(spent.stats)} == (
        plan.stats_row(spent.stats)
    )
    assert rows[2]["total_spent"] != rows[0]["total_spent"]
