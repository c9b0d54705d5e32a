"""Every entity class by its ``ENTITY`` name, for code that gets the name as data.

A Schema names its entity as a string (it travels as JSON), a storage adapter maps
tables to classes, an import maps a file to one: they all look the class up here.
"""

from __future__ import annotations

from custdb.errors import ValidationError
from custdb.model.activity import Activity
from custdb.model.company import Company
from custdb.model.consent import Consent
from custdb.model.contact import Affiliation, Contact
from custdb.model.deal import Deal
from custdb.model.entity import Entity
from custdb.model.frozen import FrozenMap
from custdb.model.lead import Lead
from custdb.model.order import Order
from custdb.model.survey import SurveyResponse
from custdb.model.ticket import Ticket
from custdb.model.users import Team, User

__all__ = ["ENTITY_CLASSES", "entity_class"]

ENTITY_CLASSES: FrozenMap[str, type[Entity]] = FrozenMap(
    (cls.ENTITY, cls)
    for cls in (
        Contact,
        Company,
        Affiliation,
        Lead,
        Deal,
        Activity,
        Ticket,
        Order,
        SurveyResponse,
        User,
        Team,
        Consent,
    )
)


def entity_class(name: str) -> type[Entity]:
    """The class whose ``ENTITY`` is ``name``; ValidationError naming the known ones."""
    try:
        return ENTITY_CLASSES[name]
    except (KeyError, TypeError):
        known = ", ".join(sorted(ENTITY_CLASSES))
        raise ValidationError("not an entity", value=name, hint=f"use one of: {known}") from None
