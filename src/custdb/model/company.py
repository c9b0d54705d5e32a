"""Companies and accounts (E2): the organisations contacts work for and deals are won from."""

from __future__ import annotations

from typing import ClassVar

import attrs

from custdb.model._checks import check_non_negative, check_text
from custdb.model.contact import ClientStats
from custdb.model.entity import Entity
from custdb.model.frozen import to_frozenset, to_tuple
from custdb.model.values import Address, Email, Money, Phone, Reachable, to_emails, to_phones

__all__ = ["Company"]


@attrs.frozen(kw_only=True)
class Company(Entity, Reachable):
    """An organisation: a client account, a prospect, a partner.

    Its contacts are linked through ``Affiliation`` records and its deals point at it,
    so one company holds many of each. ``tax_id`` is the national registration number
    (INN, org.nr., CIF); ``legal_form`` is the form as written (ООО, AS, S.L., GmbH).
    ``stats`` sums its contacts' figures and its own orders.
    """

    ENTITY: ClassVar[str] = "company"

    name: str = attrs.field(validator=check_text)
    domain: str | None = None
    website: str | None = None
    industry: str | None = None
    employee_count: int | None = attrs.field(default=None, validator=check_non_negative)
    annual_revenue: Money | None = None
    tax_id: str | None = None
    legal_form: str | None = None
    legal_address: Address | None = None
    actual_address: Address | None = None
    phones: tuple[Phone, ...] = attrs.field(default=(), converter=to_phones)
    emails: tuple[Email, ...] = attrs.field(default=(), converter=to_emails)
    region: str | None = None
    owner_ids: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    tags: frozenset[str] = attrs.field(default=frozenset(), converter=to_frozenset)
    stats: ClientStats = attrs.field(factory=ClientStats)
