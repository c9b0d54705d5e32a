"""The pure roll-up function (custdb.rollups): money in a base currency, never summed
across currencies. Foundation III item 3."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custdb.errors import ValidationError
from custdb.model import Money, Order, OrderItem
from custdb.rollups import check_currency, client_stats

WHEN = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
RATES = {"EUR": Decimal("98.5"), "NOK": Decimal("8.75")}


def order(amount: str | Decimal, currency: str, status: str = "completed") -> Order:
    item = OrderItem(name="Стрижка", amount=Money(Decimal(amount), currency))
    return Order(placed_at=WHEN, currency=currency, items=(item,), status=status)


def test_e11_orders_in_two_currencies_are_converted_not_added() -> None:
    """RUB 1 000 and EUR 10 at 98.5 roubles per euro: 1 985 in the base, not 1 010."""
    stats = client_stats(
        [order("1000", "RUB"), order("10", "EUR")], base_currency="RUB", rates=RATES
    )
    assert stats.total_spent == Decimal(1985)
    assert stats.spent_by_currency == (Money(10, "EUR"), Money(1000, "RUB"))
    assert stats.order_count == 2


def test_e11_one_currency_needs_no_base_currency() -> None:
    stats = client_stats(
        [order("10", "NOK"), order("5.50", "NOK"), order("99", "EUR", "cancelled")]
    )
    assert (stats.total_spent, stats.spent_by_currency) == (
        Decimal("15.50"),
        (Money("15.5", "NOK"),),
    )


def test_e11_several_currencies_without_a_base_currency_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        client_stats([order("1000", "RUB"), order("10", "EUR")])
    assert caught.value.field == "base_currency"
    assert "several currencies (EUR, RUB)" in str(caught.value)


def test_e11_an_order_without_a_rate_is_refused_naming_it() -> None:
    euros = order("10", "EUR")
    with pytest.raises(ValidationError) as caught:
        client_stats([order("1", "RUB"), euros], base_currency="RUB")
    error = caught.value
    assert (error.entity, error.id, error.field) == ("order", euros.id, "total")
    assert "is in EUR, which is neither the base currency (RUB) nor in the rates" in str(error)
    check_currency(euros, "RUB", RATES)  # with a rate it is fine
    check_currency(euros, "EUR", {})


def test_e11_orders_that_do_not_count_need_no_rate_in_the_sums() -> None:
    """A cancelled order in an unrated currency spends nothing and is not converted."""
    stats = client_stats([order("5", "USD", "cancelled")], base_currency="RUB")
    assert (stats.total_spent, stats.spent_by_currency) == (0, ())


_orders = st.lists(
    st.tuples(
        st.decimals(min_value=0, max_value=10**6, places=2),
        st.sampled_from(["RUB", "EUR", "NOK"]),
        st.sampled_from(["completed", "completed", "cancelled", "scheduled"]),
    ),
    max_size=12,
)


@given(_orders, st.randoms(use_true_random=False))
def test_e11_total_spent_is_each_currency_sum_at_its_rate_in_any_order(
    rows: list[tuple[Decimal, str, str]], rng: object
) -> None:
    orders = [order(amount, currency, status) for amount, currency, status in rows]
    stats = client_stats(orders, base_currency="RUB", rates=RATES)
    done = [(a, c) for a, c, s in rows if s == "completed"]
    sums = {c: sum((a for a, code in done if code == c), Decimal(0)) for _, c in done}
    expected = sum((total * RATES.get(c, Decimal(1)) for c, total in sums.items()), Decimal(0))
    assert stats.total_spent == expected
    assert stats.spent_by_currency == tuple(Money(sums[c], c) for c in sorted(sums))
    shuffled = list(orders)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert client_stats(shuffled, base_currency="RUB", rates=RATES) == stats
