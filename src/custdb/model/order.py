"""Orders, purchases and visits (E7): what drives total spent, frequency, RFM and LTV."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import ClassVar

import attrs

from custdb.model._checks import (
    Choice,
    check_aware_required,
    check_non_negative,
    check_optional_key,
    check_optional_text,
    check_text,
    choice,
    coerce_choice,
    fail,
)
from custdb.model.entity import Entity
from custdb.model.frozen import to_tuple
from custdb.model.values import Money, check_currency, check_number, to_currency, to_number

__all__ = ["ItemKind", "Order", "OrderItem", "OrderKind", "OrderStatus"]


class OrderStatus(Choice):
    """``scheduled`` is an upcoming appointment; only ``completed`` counts as revenue."""

    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class OrderKind(Choice):
    PURCHASE = "purchase"
    VISIT = "visit"


class ItemKind(Choice):
    SERVICE = "service"
    PRODUCT = "product"


def _to_order_status(value: OrderStatus | str) -> OrderStatus:
    return coerce_choice(OrderStatus, value)


def _to_order_kind(value: OrderKind | str) -> OrderKind:
    return coerce_choice(OrderKind, value)


def _to_item_kind(value: ItemKind | str) -> ItemKind:
    return coerce_choice(ItemKind, value)


@attrs.frozen(kw_only=True)
class OrderItem:
    """One line of an order: a service done by a staff member, or a product sold.

    ``amount`` is the line's total (not a unit price); ``staff_id`` is who did the work
    (the "master" in a salon or workshop).
    """

    name: str = attrs.field(validator=check_text)
    kind: ItemKind = attrs.field(
        default=ItemKind.PRODUCT, converter=_to_item_kind, validator=choice(ItemKind)
    )
    category: str | None = attrs.field(default=None, validator=check_optional_text)
    staff_id: str | None = attrs.field(default=None, validator=check_optional_key)
    quantity: Decimal = attrs.field(
        default=Decimal(1), converter=to_number, validator=[check_number, check_non_negative]
    )
    amount: Money


def _check_items(
    instance: Order, attribute: attrs.Attribute[tuple[OrderItem, ...]], value: tuple[OrderItem, ...]
) -> None:
    for item in value:
        if item.amount.currency != instance.currency:
            raise fail(
                instance,
                attribute,
                item,
                f"an item in {item.amount.currency} on an order in {instance.currency}",
                "convert the item's amount to the order's currency",
            )


@attrs.frozen(kw_only=True, repr=False)
class Order(Entity):
    """A purchase or a visit by a contact or a company, with its items.

    Every item's amount is in the order's ``currency``, so ``total`` is exact.
    """

    ENTITY: ClassVar[str] = "order"
    SUMMARY: ClassVar[tuple[str, ...]] = ("placed_at", "status", "total")

    contact_id: str | None = attrs.field(default=None, validator=check_optional_key)
    company_id: str | None = attrs.field(default=None, validator=check_optional_key)
    placed_at: datetime = attrs.field(validator=check_aware_required)
    status: OrderStatus = attrs.field(
        default=OrderStatus.COMPLETED, converter=_to_order_status, validator=choice(OrderStatus)
    )
    kind: OrderKind = attrs.field(
        default=OrderKind.PURCHASE, converter=_to_order_kind, validator=choice(OrderKind)
    )
    online: bool = False
    currency: str = attrs.field(converter=to_currency, validator=check_currency)
    items: tuple[OrderItem, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_items
    )

    @property
    def total(self) -> Money:
        """The sum of the items' amounts; zero in the order's currency if it has none.
        The items are in the order's currency (checked when it was made), so their
        amounts are added as numbers: one ``Money`` per order, not one per item."""
        amount = Decimal(0)
        for item in self.items:
            amount += item.amount.amount
        return Money(amount, self.currency)
