"""The entity registry, and the package's public names."""

from __future__ import annotations

import pytest

import custdb.model
from custdb.errors import ValidationError
from custdb.model import ENTITY_CLASSES, Contact, Entity, SurveyResponse, entity_class


def test_every_entity_is_registered_under_its_name() -> None:
    assert entity_class("contact") is Contact
    assert entity_class("survey_response") is SurveyResponse
    assert len(ENTITY_CLASSES) == 12
    for name, cls in ENTITY_CLASSES.items():
        assert issubclass(cls, Entity)
        assert name == cls.ENTITY


def test_an_unknown_entity_names_the_known_ones() -> None:
    with pytest.raises(ValidationError, match="use one of: activity, affiliation, company"):
        entity_class("customer")


def test_the_package_exports_what_its_all_lists() -> None:
    for name in custdb.model.__all__:
        assert getattr(custdb.model, name) is not None
    assert sorted(custdb.model.__all__) == sorted(set(custdb.model.__all__))
