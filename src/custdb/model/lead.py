"""Leads (E3): prospects who showed interest, before they become contact, company, deal."""

from __future__ import annotations

from typing import ClassVar

import attrs

from custdb.model._checks import (
    Choice,
    check_int,
    check_name,
    check_optional_key,
    check_optional_text,
    choice,
    coerce_choice,
)
from custdb.model.entity import Entity
from custdb.model.values import Email, Phone, to_email, to_phone

__all__ = ["Lead", "LeadStatus", "Qualification"]


class LeadStatus(Choice):
    NEW = "new"
    WORKING = "working"
    QUALIFIED = "qualified"
    DISQUALIFIED = "disqualified"
    CONVERTED = "converted"


class Qualification(Choice):
    """Marketing-qualified (fits and engaged) or sales-qualified (ready for a call)."""

    MQL = "mql"
    SQL = "sql"


def _to_lead_status(value: LeadStatus | str) -> LeadStatus:
    return coerce_choice(LeadStatus, value)


def _to_qualification(value: Qualification | str) -> Qualification:
    return coerce_choice(Qualification, value)


@attrs.frozen(kw_only=True, repr=False)
class Lead(Entity):
    """A prospect with its source. Converting it sets ``status`` to ``converted`` and
    the ids of the contact, company and deal it became, so the trail stays readable.
    """

    ENTITY: ClassVar[str] = "lead"
    SUMMARY: ClassVar[tuple[str, ...]] = (
        "first_name",
        "last_name",
        "company_name",
        "email",
        "status",
    )

    first_name: str | None = attrs.field(default=None, validator=check_name)
    last_name: str | None = attrs.field(default=None, validator=check_name)
    company_name: str | None = attrs.field(default=None, validator=check_name)
    job_title: str | None = attrs.field(default=None, validator=check_optional_text)
    email: Email | None = attrs.field(default=None, converter=to_email)
    phone: Phone | None = attrs.field(default=None, converter=to_phone)
    source: str | None = attrs.field(default=None, validator=check_optional_text)
    status: LeadStatus = attrs.field(
        default=LeadStatus.NEW, converter=_to_lead_status, validator=choice(LeadStatus)
    )
    qualification: Qualification | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(_to_qualification),
        validator=choice(Qualification, optional=True),
    )
    score: int = attrs.field(default=0, validator=check_int)
    owner_id: str | None = attrs.field(default=None, validator=check_optional_key)
    converted_contact_id: str | None = attrs.field(default=None, validator=check_optional_key)
    converted_company_id: str | None = attrs.field(default=None, validator=check_optional_key)
    converted_deal_id: str | None = attrs.field(default=None, validator=check_optional_key)
