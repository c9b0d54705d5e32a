"""``model._slots``: ``setter`` sets a field of a frozen instance, slotted or not;
``pickled_by_fields`` pickles a record as its field values."""

from __future__ import annotations

import attrs
import pytest

from custdb import testing
from custdb.model import Contact
from custdb.model._slots import pickled_by_fields, setter


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


def test_a_record_pickled_by_its_fields_comes_back_equal_with_every_part() -> None:
    """Contacts cross to another process in an import (the reader makes them)."""
    import copy  # noqa: PLC0415
    import pickle  # noqa: PLC0415

    from custdb.model import Address, Email, Phone, PostalCode  # noqa: PLC0415

    record = testing.make_contact(
        emails=[Email("ola@example.no", "work")],
        phones=[Phone("+4791234567", label="mobile")],
        address=Address(city="Oslo", postal_code=PostalCode("0155", "NO")),
        custom={"tier": "gold"},
    )
    own = pickle.loads(pickle.dumps(record))  # noqa: S301 - our own bytes
    for made in (own, copy.deepcopy(record), copy.copy(record)):
        assert made == record
        assert type(made.address.postal_code) is PostalCode
        assert made.stats == record.stats
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            made.first_name = "Анна"  # type: ignore[misc]


def test_a_class_of_one_field_pickles_by_its_field() -> None:
    import pickle  # noqa: PLC0415

    @pickled_by_fields
    @attrs.frozen
    class One:
        name: str

    globals()["One"] = One  # pickle finds a class by its module and name
    One.__qualname__ = "One"
    assert pickle.loads(pickle.dumps(One("a"))) == One("a")  # noqa: S301 - our own bytes
    assert One("a").__reduce__()[1] == ("a",)
