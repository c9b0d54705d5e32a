"""``stamped`` sets the store's bookkeeping without re-running any validator: it must
give exactly what ``attrs.evolve`` gives, for every entity kind, and still refuse bad
custom values. (A clock without a time zone is refused once per transaction: the
contract suite's clock tests.)"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from custdb import testing
from custdb.errors import ValidationError
from custdb.model import Affiliation, Consent, Team, User
from custdb.model.schema import FieldDef, FieldType, Schema
from custdb.storage._stamps import empty_stats, fresh, stamped
from custdb.storage.base import ENTITIES

OSLO = ZoneInfo("Europe/Oslo")
NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.timezone.utc)

RECORDS: list[Any] = [
    testing.make_contact(created_at=dt.datetime(2026, 1, 2, 3, tzinfo=OSLO)),
    testing.make_company(),
    Affiliation(contact_id="p1", company_id="c1"),
    testing.make_lead(),
    testing.make_deal(),
    testing.make_activity(occurred_at=dt.datetime(2026, 5, 1, 9, tzinfo=OSLO)),
    testing.make_ticket(),
    testing.make_order(placed_at=dt.datetime(2026, 5, 1, 9, tzinfo=OSLO)),
    testing.make_survey_response(),
    User(name="Анна Смирнова", email="anna@example.ru", role="department_head"),
    Team(name="Sales Moscow"),
    Consent(contact_id="p1", purpose="offers", channel="sms", status="granted"),
]


def _evolved(record: Any, stamps: dict[str, Any], schema: Schema | None) -> Any:
    """What the store did before ``stamped``: one ``attrs.evolve``."""
    stamps = dict(stamps)
    if schema is not None:
        stamps["custom"] = schema.validate(record.custom)
    for field in attrs.fields(type(record)):
        value = getattr(record, field.name)
        if isinstance(value, dt.datetime) and field.name not in stamps:
            stamps[field.name] = value.astimezone(dt.timezone.utc)
    return attrs.evolve(record, **stamps)


def test_every_entity_kind_has_a_record_here() -> None:
    assert {type(r) for r in RECORDS} == set(ENTITIES.values())


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_a_new_record_equals_what_evolve_makes(record: Any) -> None:
    stamps = {"version": 1, "created_at": NOW, "updated_at": NOW, "custom": record.custom}
    if hasattr(record, "stats"):
        stamps["stats"] = empty_stats(type(record))
        assert stamps["stats"] == type(record.stats)()
    stored = fresh(record, record.custom, NOW)
    assert stored == _evolved(record, stamps, None)
    assert stored is not record
    assert all(
        getattr(stored, f.name).tzinfo is dt.timezone.utc
        for f in attrs.fields(type(record))
        if isinstance(getattr(stored, f.name), dt.datetime)
    )


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_a_changed_record_equals_what_evolve_makes(record: Any) -> None:
    stamps = {"version": 8, "updated_at": NOW.astimezone(OSLO), "created_at": NOW}
    assert stamped(record, dict(stamps), None) == _evolved(record, stamps, None)


def test_custom_values_are_checked_and_typed_by_the_schema() -> None:
    schema = Schema("contact", (FieldDef("visits", FieldType.INTEGER),))
    record = testing.make_contact(custom={"visits": "12"})
    stored = stamped(record, {"version": 1}, schema)
    assert stored == _evolved(record, {"version": 1}, schema)
    assert stored.custom["visits"] == 12
    with pytest.raises(ValidationError):
        stamped(testing.make_contact(custom={"visits": "many"}), {"version": 1}, schema)


def test_the_original_record_is_left_as_it_was() -> None:
    record = testing.make_contact()
    stamped(record, {"version": 3, "created_at": NOW, "updated_at": NOW}, None)
    assert record.version == 0
    assert record.created_at is None
