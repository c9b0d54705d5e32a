"""Builders for your own tests: a plausible record in one call, changed by keyword.

Every builder fills in deterministic, realistic defaults and takes any field as a
keyword override::

    contact = make_contact(first_name="Olga", tags={"vip"})
    order = make_order(contact_id=contact.id, placed_at=datetime(2024, 5, 1, tzinfo=UTC))

Ids are the one thing that changes between calls (each record gets a fresh ``new_id()``)
so two built records can go into one store; pass ``id=`` to fix it. Timestamps are fixed
and timezone-aware, so tests that compare them do not depend on the clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from custdb.model import (
    Activity,
    ActivityKind,
    Address,
    Company,
    Contact,
    Deal,
    Email,
    Gender,
    ItemKind,
    Lead,
    LeadStatus,
    LifecycleStage,
    LineItem,
    Money,
    Order,
    OrderItem,
    Phone,
    PostalCode,
    Provenance,
    SurveyKind,
    SurveyResponse,
    Ticket,
    new_id,
)

__all__ = [
    "WHEN",
    "make_activity",
    "make_company",
    "make_contact",
    "make_deal",
    "make_lead",
    "make_order",
    "make_survey_response",
    "make_ticket",
]

WHEN = datetime(2024, 3, 15, 10, 30, tzinfo=timezone.utc)
"""The moment builders use for timestamps; pass your own to override."""


def make_contact(**overrides: Any) -> Contact:
    """A Norwegian client with one e-mail, one phone and an Oslo address."""
    fields: dict[str, Any] = {
        "first_name": "Ingrid",
        "last_name": "Hansen",
        "job_title": "Office manager",
        "emails": (Email("ingrid.hansen@example.no"),),
        "phones": (Phone("+4791234567"),),
        "address": Address(
            street="Karl Johans gate 1",
            city="Oslo",
            postal_code=PostalCode("0154", "NO"),
            country="NO",
        ),
        "gender": Gender.FEMALE,
        "language": "nb",
        "country": "NO",
        "source": "website_form",
        "provenance": Provenance.FIRST_PARTY,
        "lifecycle_stage": LifecycleStage.CUSTOMER,
    }
    return Contact(**(fields | overrides))


def make_company(**overrides: Any) -> Company:
    """A small Oslo company with a domain and an organisation number."""
    fields: dict[str, Any] = {
        "name": "Nordlys Regnskap",
        "legal_form": "AS",
        "domain": "nordlys.example.no",
        "website": "https://nordlys.example.no",
        "industry": "accounting",
        "employee_count": 12,
        "tax_id": "987654321",
        "region": "Oslo",
    }
    return Company(**(fields | overrides))


def make_deal(**overrides: Any) -> Deal:
    """A one-time deal of 12 000 NOK at the ``qualification`` stage, closing in April."""
    fields: dict[str, Any] = {
        "name": "Bookkeeping package",
        "amount": Money(Decimal("12000.00"), "NOK"),
        "stage": "qualification",
        "expected_close_on": (WHEN + timedelta(days=30)).date(),
        "probability": Decimal("0.2"),
        "line_items": (LineItem("Bookkeeping, month", Decimal(12), Money("1000.00", "NOK")),),
    }
    return Deal(**(fields | overrides))


def make_order(**overrides: Any) -> Order:
    """A completed salon visit: one 450 NOK service. Give ``contact_id`` to link it."""
    fields: dict[str, Any] = {
        "placed_at": WHEN,
        "currency": "NOK",
        "items": (
            OrderItem(
                name="Haircut",
                kind=ItemKind.SERVICE,
                category="hair",
                amount=Money(Decimal("450.00"), "NOK"),
            ),
        ),
    }
    return Order(**(fields | overrides))


def make_ticket(**overrides: Any) -> Ticket:
    """An open support ticket opened at :data:`WHEN`."""
    fields: dict[str, Any] = {
        "subject": "Cannot log in to the client portal",
        "topic": "access",
        "opened_at": WHEN,
    }
    return Ticket(**(fields | overrides))


def make_activity(**overrides: Any) -> Activity:
    """A 15-minute call at :data:`WHEN` that went well."""
    fields: dict[str, Any] = {
        "kind": ActivityKind.CALL,
        "occurred_at": WHEN,
        "subject": "Follow-up call",
        "outcome": "interested",
        "duration": timedelta(minutes=15),
        "purpose": "client_interest",
    }
    return Activity(**(fields | overrides))


def make_survey_response(**overrides: Any) -> SurveyResponse:
    """An NPS answer of 9 (a promoter) by a fresh contact id; give ``contact_id`` to link it."""
    fields: dict[str, Any] = {
        "contact_id": new_id(),
        "kind": SurveyKind.NPS,
        "score": 9,
        "answered_at": WHEN,
    }
    return SurveyResponse(**(fields | overrides))


def make_lead(**overrides: Any) -> Lead:
    """A new lead from a website form, not yet qualified."""
    fields: dict[str, Any] = {
        "first_name": "Lars",
        "last_name": "Berg",
        "company_name": "Berg Bygg AS",
        "job_title": "CEO",
        "email": Email("lars@berg-bygg.example.no"),
        "phone": Phone("+4798765432"),
        "source": "website_form",
        "status": LeadStatus.NEW,
    }
    return Lead(**(fields | overrides))
