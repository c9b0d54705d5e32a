"""Roll-ups: the per-client figures that segments filter on, computed from base records.

One pure function computes them; the stores call it for each client a write touches and
for every client on ``rebuild_rollups()``, so the kept values and the rebuilt ones come
from the same code and cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from custdb.model import (
    Activity,
    ClientStats,
    Order,
    OrderKind,
    OrderStatus,
    SurveyResponse,
    Ticket,
)

__all__ = ["client_stats"]


def client_stats(
    orders: Iterable[Order],
    tickets: Iterable[Ticket] = (),
    activities: Iterable[Activity] = (),
    surveys: Iterable[SurveyResponse] = (),
) -> ClientStats:
    """The roll-ups of one client (a contact, or a company with its contacts' records).

    Only completed orders count toward money and visits; scheduled ones are appointments
    still to come and cancelled ones never happened. Amounts are summed as given: a
    client's orders are expected in one currency.
    """
    done = [order for order in orders if order.status is OrderStatus.COMPLETED]
    visits = [order.placed_at for order in done if order.kind is OrderKind.VISIT]
    days = [order.placed_at.date() for order in done]
    all_tickets = list(tickets)
    moments = [activity.occurred_at for activity in activities]
    latest = max(surveys, key=lambda answer: (answer.answered_at, answer.id), default=None)
    return ClientStats(
        total_spent=sum((order.total.amount for order in done), Decimal(0)),
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
