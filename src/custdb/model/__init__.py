"""The domain model: entities, value objects, custom-property schemas, calculated properties.

Everything here is pure: attrs classes and functions over them, no I/O and no clock.
Entities are frozen; change one with ``attrs.evolve``. See ``docs/entities.md``.
"""

from __future__ import annotations

from custdb.model.activity import Activity, ActivityKind
from custdb.model.calculated import (
    CHURN_RISK,
    LTV,
    CalculatedProperty,
    ChurnRisk,
    ChurnRiskFormula,
    LifetimeValue,
    churn_risk,
)
from custdb.model.company import Company
from custdb.model.consent import (
    Channel,
    Consent,
    ConsentStatus,
    allowed_channels,
    confirm_consent,
    withdraw_consent,
)
from custdb.model.contact import (
    Affiliation,
    ClientStats,
    Contact,
    Gender,
    LifecycleStage,
    Provenance,
)
from custdb.model.deal import Deal, DealContact, LineItem, Recurrence
from custdb.model.entity import Entity
from custdb.model.frozen import FrozenMap, to_frozen_map
from custdb.model.ids import new_id
from custdb.model.lead import Lead, LeadStatus, Qualification
from custdb.model.order import ItemKind, Order, OrderItem, OrderKind, OrderStatus
from custdb.model.registry import ENTITY_CLASSES, entity_class
from custdb.model.schema import FieldDef, FieldType, Schema, custom_from_json, custom_to_json
from custdb.model.survey import DEFAULT_SCALES, Scale, SurveyKind, SurveyResponse
from custdb.model.ticket import Ticket
from custdb.model.users import Role, Team, User
from custdb.model.values import CURRENCIES, Address, Email, Money, Phone, PostalCode

__all__ = [
    "CHURN_RISK",
    "CURRENCIES",
    "DEFAULT_SCALES",
    "ENTITY_CLASSES",
    "LTV",
    "Activity",
    "ActivityKind",
    "Address",
    "Affiliation",
    "CalculatedProperty",
    "Channel",
    "ChurnRisk",
    "ChurnRiskFormula",
    "ClientStats",
    "Company",
    "Consent",
    "ConsentStatus",
    "Contact",
    "Deal",
    "DealContact",
    "Email",
    "Entity",
    "FieldDef",
    "FieldType",
    "FrozenMap",
    "Gender",
    "ItemKind",
    "Lead",
    "LeadStatus",
    "LifecycleStage",
    "LifetimeValue",
    "LineItem",
    "Money",
    "Order",
    "OrderItem",
    "OrderKind",
    "OrderStatus",
    "Phone",
    "PostalCode",
    "Provenance",
    "Qualification",
    "Recurrence",
    "Role",
    "Scale",
    "Schema",
    "SurveyKind",
    "SurveyResponse",
    "Team",
    "Ticket",
    "User",
    "allowed_channels",
    "churn_risk",
    "confirm_consent",
    "custom_from_json",
    "custom_to_json",
    "entity_class",
    "new_id",
    "to_frozen_map",
    "withdraw_consent",
]
