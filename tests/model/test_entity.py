"""The Entity base: shared fields, immutability, equality and hashing, aware datetimes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import attrs
import pytest

from custdb.errors import ValidationError
from custdb.model import Contact, Entity, FrozenMap

UTC = timezone.utc
BASE_FIELDS = ["id", "version", "external_ids", "custom", "created_at", "updated_at"]


def test_every_entity_starts_with_the_shared_fields_in_order() -> None:
    assert [field.name for field in attrs.fields(Entity)] == BASE_FIELDS
    assert [field.name for field in attrs.fields(Contact)][:6] == BASE_FIELDS


def test_defaults_give_a_fresh_id_and_empty_maps() -> None:
    first, second = Entity(), Entity()
    assert first.id != second.id
    assert first.version == 0
    assert first.external_ids == FrozenMap()
    assert first.custom == {}
    assert first.created_at is None
    assert Entity.ENTITY == "entity"


def test_entities_are_frozen_and_change_by_evolve() -> None:
    contact = Contact(first_name="Anna")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        contact.first_name = "Olga"  # type: ignore[misc]
    changed = attrs.evolve(contact, first_name="Olga", custom={"tier": "gold"})
    assert changed.id == contact.id
    assert changed.first_name == "Olga"
    assert isinstance(changed.custom, FrozenMap)


def test_same_state_is_equal_and_hashes_alike_same_id_is_the_same_entity() -> None:
    contact = Contact(first_name="Anna", tags={"vip"}, custom={"tier": "gold"})
    copy = attrs.evolve(contact)
    assert copy == contact
    assert hash(copy) == hash(contact)
    assert len({contact, copy}) == 1
    edited = attrs.evolve(contact, first_name="Anne")
    assert edited != contact
    assert edited.id == contact.id


def test_external_ids_and_custom_are_frozen_maps() -> None:
    record = Entity(external_ids={"1c": "000123"}, custom={"langs": ["ru", "en"]})
    assert record.external_ids["1c"] == "000123"
    assert record.custom["langs"] == ("ru", "en")
    hash(record)


@pytest.mark.parametrize("bad", [{"1c": 123}, {"1c": ""}, {"1c": "  "}, {"": "000123"}, {5: "x"}])
def test_i5_external_ids_are_non_empty_text_on_both_sides(bad: dict[object, object]) -> None:
    """A numeric id would lose its leading zeros and miss lookups by its text."""
    with pytest.raises(ValidationError, match="non-empty text") as caught:
        Contact(external_ids=bad)
    assert (caught.value.entity, caught.value.field, caught.value.value) == (
        "contact",
        "external_ids",
        bad,
    )


def test_naive_datetimes_are_refused_naming_entity_field_and_value() -> None:
    naive = datetime(2024, 5, 1, 9, 30, tzinfo=UTC).replace(tzinfo=None)
    with pytest.raises(ValidationError) as caught:
        Contact(created_at=naive)
    error = caught.value
    assert (error.entity, error.field, error.value) == ("contact", "created_at", naive)
    assert "naive" in str(error)
    assert "tzinfo" in str(error)


def test_aware_datetimes_in_any_zone_are_accepted() -> None:
    moscow = timezone(timedelta(hours=3))
    record = Entity(created_at=datetime(2024, 5, 1, 9, 30, tzinfo=moscow))
    assert record.created_at == datetime(2024, 5, 1, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("field", "value"),
    [("id", ""), ("id", None), ("version", -1), ("updated_at", "2024-05-01")],
)
def test_bad_shared_fields_are_refused(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Entity(**{field: value})
    assert (caught.value.entity, caught.value.field) == ("entity", field)
