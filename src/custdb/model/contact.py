"""People (E1), their roll-up figures, and their links to companies (E2).

A contact exists without a company. Employment is an :class:`Affiliation` record, so a
contact who changes employer closes one affiliation (``until``) and opens another,
and keeps its own history (activities, orders, tickets) throughout.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

import attrs

from custdb.model._checks import (
    Choice,
    check_aware,
    check_count,
    check_country,
    check_date,
    check_fraction,
    check_key,
    check_keys,
    check_name,
    check_optional_key,
    check_optional_text,
    check_texts,
    choice,
    coerce_choice,
    fail,
    to_country,
)
from custdb.model._slots import pickled_by_fields
from custdb.model.entity import Entity
from custdb.model.frozen import to_frozenset, to_tuple
from custdb.model.values import (
    Address,
    Email,
    Money,
    Phone,
    Reachable,
    check_number,
    check_optional_number,
    to_emails,
    to_number,
    to_phones,
)

__all__ = [
    "EMPTY_STATS",
    "Affiliation",
    "ClientStats",
    "Contact",
    "Gender",
    "LifecycleStage",
    "Provenance",
]


class Gender(Choice):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class Provenance(Choice):
    """Where the data came from (I6): own collection, a partner's, or bought."""

    FIRST_PARTY = "first_party"
    SECOND_PARTY = "second_party"
    THIRD_PARTY = "third_party"


class LifecycleStage(Choice):
    """The contact lifecycle (P5), in order; ``former_customer`` is a churned one."""

    SUBSCRIBER = "subscriber"
    LEAD = "lead"
    MQL = "mql"
    SQL = "sql"
    OPPORTUNITY = "opportunity"
    CUSTOMER = "customer"
    EVANGELIST = "evangelist"
    FORMER_CUSTOMER = "former_customer"
    OTHER = "other"


def _to_gender(value: Gender | str) -> Gender:
    return coerce_choice(Gender, value)


def _to_provenance(value: Provenance | str) -> Provenance:
    return coerce_choice(Provenance, value)


def _to_lifecycle_stage(value: LifecycleStage | str) -> LifecycleStage:
    return coerce_choice(LifecycleStage, value)


@pickled_by_fields
@attrs.frozen(kw_only=True)
class ClientStats:
    """Roll-ups the store keeps up to date on write, so segments can filter on them.

    ``total_spent`` sums completed orders in the store's base currency: an order in
    another currency counts at the rate the store was given, never as a bare number.
    ``spent_by_currency`` keeps the sums as paid, one ``Money`` per currency (sorted by
    code), so nothing is lost to conversion. ``last_satisfaction`` is the latest
    survey score normalised to 0..1 (see ``Scale.normalise``), the input of churn risk.
    """

    total_spent: Decimal = attrs.field(
        default=Decimal(0), converter=to_number, validator=check_number
    )
    spent_by_currency: tuple[Money, ...] = attrs.field(default=(), converter=to_tuple)
    order_count: int = attrs.field(default=0, validator=check_count)
    visit_count: int = attrs.field(default=0, validator=check_count)
    first_order_on: date | None = attrs.field(default=None, validator=check_date)
    last_order_on: date | None = attrs.field(default=None, validator=check_date)
    last_visit_at: datetime | None = attrs.field(default=None, validator=check_aware)
    last_activity_at: datetime | None = attrs.field(default=None, validator=check_aware)
    open_tickets: int = attrs.field(default=0, validator=check_count)
    ticket_count: int = attrs.field(default=0, validator=check_count)
    last_satisfaction: Decimal | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(to_number),
        validator=[check_optional_number, check_fraction],
    )


EMPTY_STATS = ClientStats()
"""The roll-ups of a client without orders, tickets or visits yet: one frozen instance
that every such record shares, so building one costs no ``ClientStats`` of its own."""


@pickled_by_fields
@attrs.frozen(kw_only=True, repr=False)
class Contact(Entity, Reachable):
    """A person (E1): a client, a prospect's contact person, a subscriber.

    ``source`` is a free string; common values are ``trade_show``, ``referral``,
    ``website_form``, ``social``, ``event``, ``import``. ``owner_ids`` are the assigned
    managers (several allowed, A1); ``brought_by_id`` is who brought the client in.
    """

    ENTITY: ClassVar[str] = "contact"
    SUMMARY: ClassVar[tuple[str, ...]] = ("full_name", "email", "phone")

    first_name: str | None = attrs.field(default=None, validator=check_name)
    last_name: str | None = attrs.field(default=None, validator=check_name)
    middle_name: str | None = attrs.field(default=None, validator=check_name)
    job_title: str | None = attrs.field(default=None, validator=check_optional_text)
    emails: tuple[Email, ...] = attrs.field(default=(), converter=to_emails)
    phones: tuple[Phone, ...] = attrs.field(default=(), converter=to_phones)
    address: Address | None = None
    birthday: date | None = attrs.field(default=None, validator=check_date)
    gender: Gender | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(_to_gender),
        validator=choice(Gender, optional=True),
    )
    language: str | None = attrs.field(default=None, validator=check_optional_text)
    country: str | None = attrs.field(default=None, converter=to_country, validator=check_country)
    source: str | None = attrs.field(default=None, validator=check_optional_text)
    provenance: Provenance | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(_to_provenance),
        validator=choice(Provenance, optional=True),
    )
    owner_ids: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=check_keys)
    brought_by_id: str | None = attrs.field(default=None, validator=check_optional_key)
    tags: frozenset[str] = attrs.field(
        default=frozenset(), converter=to_frozenset, validator=check_texts
    )
    lifecycle_stage: LifecycleStage | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(_to_lifecycle_stage),
        validator=choice(LifecycleStage, optional=True),
    )
    notes: str | None = attrs.field(default=None, validator=check_optional_text)
    loyalty_card: str | None = attrs.field(default=None, validator=check_optional_text)
    importance: str | None = attrs.field(default=None, validator=check_optional_text)
    has_mobile_app: bool = False
    stats: ClientStats = EMPTY_STATS

    @property
    def full_name(self) -> str:
        """First, middle and last name, those that are known, joined by spaces."""
        parts = (self.first_name, self.middle_name, self.last_name)
        return " ".join(part for part in parts if part)


def _check_until(
    instance: Affiliation, attribute: attrs.Attribute[date | None], value: object
) -> None:
    check_date(instance, attribute, value)
    if isinstance(value, date) and instance.since is not None and value < instance.since:
        raise fail(instance, attribute, value, "ends before it starts", "give until >= since")


@attrs.frozen(kw_only=True, repr=False)
class Affiliation(Entity):
    """A contact's link to a company (E2), with the role they hold there.

    Contact and company are many-to-many through this record. ``until`` set means the
    link has ended: the contact moved on, and the history stays with both records.
    """

    ENTITY: ClassVar[str] = "affiliation"
    SUMMARY: ClassVar[tuple[str, ...]] = ("contact_id", "company_id", "role")

    contact_id: str = attrs.field(validator=check_key)
    company_id: str = attrs.field(validator=check_key)
    role: str | None = attrs.field(default=None, validator=check_optional_text)
    is_primary: bool = False
    since: date | None = attrs.field(default=None, validator=check_date)
    until: date | None = attrs.field(default=None, validator=_check_until)

    def is_current(self, on: date) -> bool:
        """Whether the contact held this role on ``on``."""
        started = self.since is None or self.since <= on
        return started and (self.until is None or on <= self.until)
