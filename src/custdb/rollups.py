"""Roll-ups: the per-client figures that segments filter on, computed from base records.

A :class:`Tally` holds what some records add to a client's figures: sums and counts to
add, moments to take the earliest or latest of. Tallies add up in any order, so the
figures of all of a client's records (:func:`client_stats`, what ``rebuild_rollups()``
gives) and its stored figures plus the tally of what one transaction added
(:meth:`Tally.added_to`, what a store keeps on commit) come from the same code and
cannot drift apart, and a commit of new orders never re-reads the client's history.

Money is never added across currencies: ``total_spent`` is in a base currency, orders
in another one count at the rate given for it (base units per unit), and an order that
can be neither is refused rather than summed as a bare number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TypeVar

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
from custdb.model._slots import setter

__all__ = ["Latest", "Tally", "check_currency", "client_stats", "in_base"]

_NO_RATES: Mapping[str, Decimal] = {}
_Moment = TypeVar("_Moment", dt.date, dt.datetime)
_EMPTY = ClientStats()
_ZERO = Decimal(0)

Latest = tuple[dt.datetime, str, Decimal]
"""A client's latest survey answer: (answered_at, id, normalised score); the latest is
the greatest (answered_at, id)."""


class Tally:
    """What a set of records adds to a client's figures. Only completed orders count
    toward money and visits: scheduled ones are appointments still to come and cancelled
    ones never happened. One is kept per client a transaction adds records for, so it
    has slots and no per-record state."""

    __slots__ = (
        "first_order_on",
        "last_activity_at",
        "last_order_on",
        "last_visit_at",
        "latest",
        "open_tickets",
        "order_count",
        "spent",
        "ticket_count",
        "visit_count",
    )

    def __init__(self) -> None:
        self.spent: dict[str, Decimal] = {}  # completed orders' totals, per currency
        self.order_count = 0
        self.visit_count = 0
        self.first_order_on: dt.date | None = None
        self.last_order_on: dt.date | None = None
        self.last_visit_at: dt.datetime | None = None
        self.last_activity_at: dt.datetime | None = None
        self.open_tickets = 0
        self.ticket_count = 0
        self.latest: Latest | None = None

    def add_order(self, order: Order) -> None:
        if order.status is not OrderStatus.COMPLETED:
            return
        code, placed = order.currency, order.placed_at
        day = placed.date()
        total = self.spent.get(code, _ZERO)
        for item in order.items:  # ``order.total``'s sum, without a Money per item
            total += item.amount.amount
        self.spent[code] = total
        self.order_count += 1
        if self.first_order_on is None or day < self.first_order_on:  # one call per order
            self.first_order_on = day
        if self.last_order_on is None or day > self.last_order_on:
            self.last_order_on = day
        if order.kind is OrderKind.VISIT:
            self.visit_count += 1
            if self.last_visit_at is None or placed > self.last_visit_at:
                self.last_visit_at = placed

    def add_orders(  # noqa: PLR0917 - the figures of one GROUP BY row, in its order
        self,
        currency: str,
        spent: Decimal,
        count: int,
        first: dt.datetime,
        last: dt.datetime,
        visits: int,
        last_visit_at: dt.datetime | None,
    ) -> None:
        """A group of completed orders in one currency, placed from ``first`` to ``last``."""
        self.spent[currency] = self.spent.get(currency, Decimal(0)) + spent
        self.order_count += count
        self.first_order_on = _earliest(self.first_order_on, first.date())
        self.last_order_on = _latest(self.last_order_on, last.date())
        self.visit_count += visits
        self.last_visit_at = _latest(self.last_visit_at, last_visit_at)

    def add_ticket(self, ticket: Ticket) -> None:
        self.add_tickets(1, 1 if ticket.is_open else 0)

    def add_tickets(self, count: int, still_open: int) -> None:
        self.ticket_count += count
        self.open_tickets += still_open

    def add_activity(self, activity: Activity) -> None:
        self.add_activity_at(activity.occurred_at)

    def add_activity_at(self, moment: dt.datetime) -> None:
        self.last_activity_at = _latest(self.last_activity_at, moment)

    def add_survey(self, survey: SurveyResponse) -> None:
        self.add_latest((survey.answered_at, survey.id, survey.normalised))

    def add_latest(self, latest: Latest) -> None:
        if self.latest is None or latest[:2] > self.latest[:2]:
            self.latest = latest

    def merge(self, other: Tally) -> None:
        """Add ``other``'s records to this tally's."""
        for code, amount in other.spent.items():
            self.spent[code] = self.spent.get(code, Decimal(0)) + amount
        self.order_count += other.order_count
        self.visit_count += other.visit_count
        self.first_order_on = _earliest(self.first_order_on, other.first_order_on)
        self.last_order_on = _latest(self.last_order_on, other.last_order_on)
        self.last_visit_at = _latest(self.last_visit_at, other.last_visit_at)
        self.last_activity_at = _latest(self.last_activity_at, other.last_activity_at)
        self.open_tickets += other.open_tickets
        self.ticket_count += other.ticket_count
        if other.latest is not None:
            self.add_latest(other.latest)

    def added_to(
        self,
        stats: ClientStats,
        *,
        base_currency: str | None,
        rates: Mapping[str, Decimal],
        latest: Latest | None = None,
    ) -> ClientStats:
        """``stats`` (the figures of a client's other records) with this tally's records
        added. ``total_spent`` is converted afresh from the sums per currency at
        ``rates``; ``latest``, when given, is the client's latest survey answer of all
        (the tally's own answers cannot say whether an older record holds a later one),
        else the tally's latest counts when the stats have none."""
        spent = {money.currency: money.amount for money in stats.spent_by_currency}
        for code, amount in self.spent.items():
            spent[code] = spent.get(code, _ZERO) + amount
        if latest is None and stats.last_satisfaction is None and self.latest is not None:
            latest = self.latest
        made = _new(ClientStats)
        _SET_TOTAL(made, in_base(spent, base_currency, rates))
        _SET_SPENT(made, tuple(_money(spent[code], code) for code in sorted(spent)))
        _SET_ORDERS(made, stats.order_count + self.order_count)
        _SET_VISITS(made, stats.visit_count + self.visit_count)
        _SET_FIRST(made, _earliest(stats.first_order_on, self.first_order_on))
        _SET_LAST(made, _latest(stats.last_order_on, self.last_order_on))
        _SET_VISIT_AT(made, _latest(stats.last_visit_at, self.last_visit_at))
        _SET_ACTIVITY_AT(made, _latest(stats.last_activity_at, self.last_activity_at))
        _SET_OPEN(made, stats.open_tickets + self.open_tickets)
        _SET_TICKETS(made, stats.ticket_count + self.ticket_count)
        _SET_SATISFACTION(made, stats.last_satisfaction if latest is None else latest[2])
        return made


# ``added_to`` builds the figures without ``ClientStats``'s converters and validators (a
# store makes them per client per commit): sums, counts and moments of valid records, of
# the fields' types already, each set through its slot (``_slots.setter``).
_new = object.__new__
_SET_TOTAL = setter(ClientStats, "total_spent")
_SET_SPENT = setter(ClientStats, "spent_by_currency")
_SET_ORDERS = setter(ClientStats, "order_count")
_SET_VISITS = setter(ClientStats, "visit_count")
_SET_FIRST = setter(ClientStats, "first_order_on")
_SET_LAST = setter(ClientStats, "last_order_on")
_SET_VISIT_AT = setter(ClientStats, "last_visit_at")
_SET_ACTIVITY_AT = setter(ClientStats, "last_activity_at")
_SET_OPEN = setter(ClientStats, "open_tickets")
_SET_TICKETS = setter(ClientStats, "ticket_count")
_SET_SATISFACTION = setter(ClientStats, "last_satisfaction")
_SET_AMOUNT, _SET_CURRENCY = setter(Money, "amount"), setter(Money, "currency")


def _money(amount: Decimal, currency: str) -> Money:
    made = _new(Money)
    _SET_AMOUNT(made, amount)
    _SET_CURRENCY(made, currency)
    return made


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

    ``total_spent`` is in ``base_currency``, orders in another currency converted at
    ``rates[currency]`` (how many base units one unit is worth); without a base currency
    the orders' one currency is the base, and orders in several are refused.
    ``spent_by_currency`` keeps the amounts as paid.
    """
    tally, rates = Tally(), rates or _NO_RATES
    done = [order for order in orders if order.status is OrderStatus.COMPLETED]
    for order in done:
        tally.add_order(order)
    base = _base_of(tally.spent, base_currency)
    for order in done:
        check_currency(order, base or order.currency, rates)
    for ticket in tickets:
        tally.add_ticket(ticket)
    for activity in activities:
        tally.add_activity(activity)
    for survey in surveys:
        tally.add_survey(survey)
    return tally.added_to(_EMPTY, base_currency=base, rates=rates)


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


def in_base(
    spent: Mapping[str, Decimal], base: str | None, rates: Mapping[str, Decimal]
) -> Decimal:
    """The sums of ``spent`` (per currency) in the base currency, each converted once at
    its rate; without a base currency, the one currency of ``spent`` is the base."""
    base = _base_of(spent, base)
    if base is not None and len(spent) == 1 and base in spent:  # what the sum gives
        return _ZERO + spent[base]
    return sum(
        (total if code == base else total * rates[code] for code, total in spent.items()),
        Decimal(0),
    )


def _base_of(spent: Mapping[str, Decimal], base: str | None) -> str | None:
    if base is not None:
        return base
    if len(spent) > 1:
        raise ValidationError(
            f"orders in several currencies ({', '.join(sorted(spent))}) and no base currency",
            field="base_currency",
            hint="give base_currency= and rates= for the others",
        )
    return next(iter(spent), None)


def _earliest(a: _Moment | None, b: _Moment | None) -> _Moment | None:
    return b if a is None or (b is not None and b < a) else a


def _latest(a: _Moment | None, b: _Moment | None) -> _Moment | None:
    return b if a is None or (b is not None and b > a) else a
