"""Roll-ups: the per-client figures that segments filter on, computed from base records.

One pure function computes them; the stores call it for each client a write touches and
for every client on ``rebuild_rollups()``, so the kept values and the rebuilt ones come
from the same code and cannot drift apart.

Money is never added across currencies: ``total_spent`` is in a base currency, orders
in another one count at the rate given for it (base units per unit), and an order that
can be neither is refused rather than summed as a bare number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from custdb.errors import ValidationError
from custdb.model import (
    Activity,
    ClientStats,
    Money,
    Order,
    OrderKind,
    OrderStatus,
    SurveyResponse,
    Ticket,
)

__all__ = ["check_currency", "client_stats"]

_NO_RATES: Mapping[str, Decimal] = {}


def client_stats(
    orders: Iterable[Order],
    tickets: Iterable[Ticket] = (),
    activities: Iterable[Activity] = (),
    surveys: Iterable[SurveyResponse] = (),
    *,
    base_currency: str | None = None,
    rates: Mapping[str, Decimal] | None = None,
) -> ClientStats:
    """The roll-ups of one client (a contact, or a company with its contacts' records).

    Only completed orders count toward money and visits; scheduled ones are appointments
    still to come and cancelled ones never happened. ``total_spent`` is in
    ``base_currency``, orders in another currency converted at ``rates[currency]`` (how
    many base units one unit is worth); without a base currency the orders' one currency
    is the base, and orders in several are refused. ``spent_by_currency`` keeps the
    amounts as paid.
    """
    done = [order for order in orders if order.status is OrderStatus.COMPLETED]
    visits = [order.placed_at for order in done if order.kind is OrderKind.VISIT]
    days = [order.placed_at.date() for order in done]
    all_tickets = list(tickets)
    moments = [activity.occurred_at for activity in activities]
    latest = max(surveys, key=lambda answer: (answer.answered_at, answer.id), default=None)
    spent = _spent_by_currency(done)
    return ClientStats(
        total_spent=_in_base(done, spent, base_currency, rates or _NO_RATES),
        spent_by_currency=tuple(Money(spent[code], code) for code in sorted(spent)),
        order_count=len(done),
        visit_count=len(visits),
        first_order_on=min(days, default=None),
        last_order_on=max(days, default=None),
        last_visit_at=max(visits, default=None),
        last_activity_at=max(moments, default=None),
        open_tickets=sum(1 for ticket in all_tickets if ticket.is_open),
        ticket_count=len(all_tickets),
        last_satisfaction=None if latest is None else latest.normalised,
    )


def check_currency(order: Order, base_currency: str, rates: Mapping[str, Decimal]) -> None:
    """Refuse ``order`` when its currency is neither ``base_currency`` nor in ``rates``:
    its total could not count toward ``total_spent`` without adding currencies."""
    if order.currency != base_currency and order.currency not in rates:
        raise ValidationError(
            f"is in {order.currency}, which is neither the base currency ({base_currency}) "
            "nor in the rates, so it cannot count toward total spent",
            entity="order",
            id=order.id,
            field="total",
            value=order.total,
            hint=f"give a rate (open_store(rates={{{order.currency!r}: Decimal(...)}}), "
            f"{base_currency} per {order.currency}) or record the order in {base_currency}",
        )


def _spent_by_currency(done: Iterable[Order]) -> dict[str, Decimal]:
    spent: dict[str, Decimal] = {}
    for order in done:
        spent[order.currency] = spent.get(order.currency, Decimal(0)) + order.total.amount
    return spent


def _in_base(
    done: list[Order],
    spent: Mapping[str, Decimal],
    base: str | None,
    rates: Mapping[str, Decimal],
) -> Decimal:
    """The sums of ``spent`` in the base currency, each converted once at its rate."""
    if base is None:
        if len(spent) > 1:
            raise ValidationError(
                f"orders in several currencies ({', '.join(sorted(spent))}) and no base currency",
                field="base_currency",
                hint="give base_currency= and rates= for the others",
            )
        base = next(iter(spent), None)
    for order in done:
        check_currency(order, base or order.currency, rates)
    return sum(
        (total if code == base else total * rates[code] for code, total in spent.items()),
        Decimal(0),
    )
