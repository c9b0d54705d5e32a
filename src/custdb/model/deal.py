"""Deals and opportunities (E4): what a company may buy, and where it stands."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

import attrs

from custdb.model._checks import (
    Choice,
    check_date,
    check_fraction,
    check_key,
    check_non_negative,
    check_optional_key,
    check_optional_text,
    check_text,
    choice,
    coerce_choice,
)
from custdb.model.entity import Entity
from custdb.model.frozen import to_tuple
from custdb.model.values import Money, check_number, check_optional_number, to_number

__all__ = ["Deal", "DealContact", "LineItem", "Recurrence"]


class Recurrence(Choice):
    """How often ``amount`` is paid: once, or every month or year (MRR, ARR)."""

    ONE_TIME = "one_time"
    MONTHLY = "monthly"
    ANNUAL = "annual"


def _to_recurrence(value: Recurrence | str) -> Recurrence:
    return coerce_choice(Recurrence, value)


@attrs.frozen
class DealContact:
    """A person on a deal, with the part they play (decision maker, champion, user)."""

    contact_id: str = attrs.field(validator=check_key)
    role: str | None = attrs.field(default=None, validator=check_optional_text)


@attrs.frozen
class LineItem:
    """A product or service on a deal: ``quantity`` of it at ``unit_price`` each."""

    name: str = attrs.field(validator=check_text)
    quantity: Decimal = attrs.field(
        converter=to_number, validator=[check_number, check_non_negative]
    )
    unit_price: Money
    product_id: str | None = attrs.field(default=None, validator=check_optional_key)

    @property
    def total(self) -> Money:
        return self.unit_price * self.quantity


@attrs.frozen(kw_only=True, repr=False)
class Deal(Entity):
    """An opportunity moving through a pipeline's stages (see ``custdb.pipeline``).

    ``probability`` is the chance of winning (0..1), usually the stage's own.
    ``lost_reason`` and ``won_reason`` come from a standard list so they can be counted.
    """

    ENTITY: ClassVar[str] = "deal"
    SUMMARY: ClassVar[tuple[str, ...]] = ("name", "stage", "amount")

    name: str = attrs.field(validator=check_text)
    amount: Money | None = None
    recurring: Recurrence = attrs.field(
        default=Recurrence.ONE_TIME, converter=_to_recurrence, validator=choice(Recurrence)
    )
    pipeline: str = attrs.field(default="default", validator=check_key)
    stage: str = attrs.field(validator=check_key)
    expected_close_on: date | None = attrs.field(default=None, validator=check_date)
    probability: Decimal | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(to_number),
        validator=[check_optional_number, check_fraction],
    )
    contacts: tuple[DealContact, ...] = attrs.field(default=(), converter=to_tuple)
    company_id: str | None = attrs.field(default=None, validator=check_optional_key)
    owner_id: str | None = attrs.field(default=None, validator=check_optional_key)
    source: str | None = attrs.field(default=None, validator=check_optional_text)
    lost_reason: str | None = attrs.field(default=None, validator=check_optional_text)
    won_reason: str | None = attrs.field(default=None, validator=check_optional_text)
    line_items: tuple[LineItem, ...] = attrs.field(default=(), converter=to_tuple)
    closed_on: date | None = attrs.field(default=None, validator=check_date)

    @property
    def contact_ids(self) -> tuple[str, ...]:
        """The ids of the people on the deal, in order."""
        return tuple(link.contact_id for link in self.contacts)
