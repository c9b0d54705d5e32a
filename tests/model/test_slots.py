"""``model._slots.setter`` sets a field of a frozen instance, slotted or not."""

from __future__ import annotations

import attrs
import pytest

from custdb import testing
from custdb.model import Contact
from custdb.model._slots import setter


def test_sets_a_slot_of_a_frozen_record_and_only_that_slot() -> None:
    record = testing.make_contact(first_name="Юлия")
    setter(Contact, "first_name")(record, "Ольга")
    assert record.first_name == "Ольга"
    assert record.last_name == testing.make_contact().last_name
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        record.first_name = "Анна"  # type: ignore[misc]


def test_a_field_of_a_base_class_is_set_through_the_base_class_slot() -> None:
    record = testing.make_contact()
    setter(Contact, "version")(record, 7)  # declared on Entity, the base class
    assert record.version == 7


def test_a_class_without_slots_falls_back_to_object_setattr() -> None:
    @attrs.frozen(slots=False)
    class Plain:
        name: str

    record = Plain(name="a")
    setter(Plain, "name")(record, "b")
    assert record.name == "b"
