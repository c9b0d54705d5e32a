"""Orders, purchases and visits (E7)."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from custdb.errors import ValidationError
from custdb.model import ItemKind, Money, Order, OrderItem, OrderKind, OrderStatus

PLACED = datetime(2024, 4, 2, 11, 0, tzinfo=timezone.utc)


def test_e7_an_order_totals_its_items() -> None:
    order = Order(
        contact_id="p1",
        placed_at=PLACED,
        kind="visit",
        online=True,
        currency="rub",
        items=[
            OrderItem(
                name="Стрижка", kind="service", category="hair", staff_id="master-1",
                amount=Money("1500", "RUB"),
            ),
            OrderItem(name="Шампунь", quantity=2, amount=Money("800.50", "RUB")),
        ],
    )  # fmt: skip
    assert order.ENTITY == "order"
    assert order.currency == "RUB"
    assert order.kind is OrderKind.VISIT
    assert order.status is OrderStatus.COMPLETED
    assert order.items[0].kind is ItemKind.SERVICE
    assert order.items[1].kind is ItemKind.PRODUCT
    assert order.items[1].quantity == Decimal(2)
    assert order.total == Money("2300.50", "RUB")


def test_e7_an_order_without_items_totals_zero_in_its_currency() -> None:
    order = Order(placed_at=PLACED, currency="NOK", status="scheduled")
    assert order.total == Money.zero("NOK")
    assert order.status is OrderStatus.SCHEDULED


def test_e7_every_item_is_in_the_order_currency() -> None:
    with pytest.raises(ValidationError) as caught:
        Order(placed_at=PLACED, currency="EUR", items=[OrderItem(name="X", amount=Money(1, "USD"))])
    assert (caught.value.entity, caught.value.field) == ("order", "items")
    assert "USD" in str(caught.value)


def test_e7_an_order_needs_a_currency_and_an_aware_time() -> None:
    with pytest.raises(ValidationError) as caught:
        Order(placed_at=PLACED, currency="rubles")
    assert caught.value.field == "currency"
    with pytest.raises(ValidationError):
        Order(placed_at=PLACED.replace(tzinfo=None), currency="EUR")


def test_e7_an_item_needs_a_name_and_a_known_kind() -> None:
    with pytest.raises(ValidationError):
        OrderItem(name="", amount=Money(1, "EUR"))
    with pytest.raises(ValidationError) as caught:
        OrderItem(name="X", kind="gift", amount=Money(1, "EUR"))
    assert (caught.value.entity, caught.value.field) == ("order_item", "kind")
