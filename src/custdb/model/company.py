"""Companies and accounts (E2): the organisations contacts work for and deals are won from."""

from __future__ import annotations

from typing import ClassVar

import attrs

from custdb.model._checks import (
    check_count,
    check_keys,
    check_optional_text,
    check_required_name,
    check_texts,
)
from custdb.model._slots import pickled_by_fields
from custdb.model.contact import EMPTY_STATS, ClientStats
from custdb.model.entity import Entity
from custdb.model.frozen import to_frozenset, to_tuple
from custdb.model.values import Address, Email, Money, Phone, Reachable, to_emails, to_phones

__all__ = ["Company"]


@pickled_by_fields
@attrs.frozen(kw_only=True, repr=False)
class Company(Entity, Reachable):
    """An organisation: a client account, a prospect, a partner.

    Its contacts are linked through ``Affiliation`` records and its deals point at it,
    so one company holds many of each. ``tax_id`` is the national registration number
    (INN, org.nr., CIF); ``legal_form`` is the form as written (ООО, AS, S.L., GmbH).
    ``stats`` sums its contacts' figures and its own orders.
    """

    ENTITY: ClassVar[str] = "company"
    SUMMARY: ClassVar[tuple[str, ...]] = ("name", "email", "phone")

    name: str = attrs.field(validator=check_required_name)
    domain: str | None = attrs.field(default=None, validator=check_optional_text)
    website: str | None = attrs.field(default=None, validator=check_optional_text)
    industry: str | None = attrs.field(default=None, validator=check_optional_text)
    employee_count: int | None = attrs.field(default=None, validator=check_count)
    annual_revenue: Money | None = None
    tax_id: str | None = attrs.field(default=None, validator=check_optional_text)
    legal_form: str | None = attrs.field(default=None, validator=check_optional_text)
    legal_address: Address | None = None
    actual_address: Address | None = None
    phones: tuple[Phone, ...] = attrs.field(default=(), converter=to_phones)
    emails: tuple[Email, ...] = attrs.field(default=(), converter=to_emails)
    region: str | None = attrs.field(default=None, validator=check_optional_text)
    owner_ids: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=check_keys)
    tags: frozenset[str] = attrs.field(
        default=frozenset(), converter=to_frozenset, validator=check_texts
    )
    stats: ClientStats = EMPTY_STATS
