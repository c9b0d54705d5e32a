"""Calculated properties (E10): declared formulas over a record, and two worked examples.

A :class:`CalculatedProperty` names the fields it reads (``inputs``), so the store,
reading its change log, recomputes it only when one of them changed. The examples are
lifetime value (S6) and churn risk (S5), both over the ``stats`` roll-ups the store
keeps on contacts and companies. Nothing here reads the clock: :func:`churn_risk`, which
counts tickets "in the last 30 days", takes ``now``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Generic, Protocol, TypeVar

import attrs

from custdb.model._checks import check_fraction, check_non_negative, check_text, fail
from custdb.model.contact import ClientStats
from custdb.model.frozen import to_frozenset
from custdb.model.survey import SurveyResponse
from custdb.model.ticket import Ticket
from custdb.model.values import to_decimal

__all__ = [
    "CHURN_RISK",
    "LTV",
    "CalculatedProperty",
    "ChurnRisk",
    "ChurnRiskFormula",
    "HasStats",
    "LifetimeValue",
    "churn_risk",
]

R_contra = TypeVar("R_contra", contravariant=True)
_DAYS_PER_YEAR = Decimal(365)
_CENT = Decimal("0.01")


class HasStats(Protocol):
    """A contact or a company: anything with the store's roll-ups."""

    @property
    def stats(self) -> ClientStats: ...


@attrs.frozen
class CalculatedProperty(Generic[R_contra]):
    """A value derived from a record by ``compute``, recomputed when ``inputs`` change.

    ``inputs`` are field names, dotted for roll-ups (``"stats.total_spent"``).
    """

    name: str = attrs.field(validator=check_text)
    inputs: frozenset[str] = attrs.field(converter=to_frozenset)
    compute: Callable[[R_contra], Any]

    def value(self, record: R_contra) -> Any:
        return self.compute(record)

    def affected_by(self, changed: Iterable[str]) -> bool:
        """Whether a write that changed the fields ``changed`` can change this value.

        A whole field counts for its parts and the other way round: ``"stats"`` changed
        affects an input ``"stats.total_spent"``.
        """
        for name in changed:
            for field in self.inputs:
                if name == field or field.startswith(f"{name}.") or name.startswith(f"{field}."):
                    return True
        return False


def _check_positive(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value <= 0:
        raise fail(instance, attribute, value, "must be positive", "give a number above 0")


@attrs.frozen(kw_only=True)
class LifetimeValue:
    """LTV = average purchase value x purchases per year x expected lifespan in years.

    Purchases per year are counted over the span from the first to the last order, and
    that span is at least one year, so a client with one busy month is not projected at
    twelve busy months a year. A year is 365 days. The result is in the base currency of
    ``stats.total_spent``, rounded to cents.
    """

    lifespan_years: Decimal = attrs.field(
        default=Decimal(3), converter=to_decimal, validator=_check_positive
    )

    def of(self, stats: ClientStats) -> Decimal:
        if stats.order_count == 0:
            return Decimal(0)
        average = stats.total_spent / stats.order_count
        frequency = stats.order_count / _span_years(stats)
        return (average * frequency * self.lifespan_years).quantize(_CENT, ROUND_HALF_UP)

    def __call__(self, record: HasStats) -> Decimal:
        return self.of(record.stats)


def _span_years(stats: ClientStats) -> Decimal:
    if stats.first_order_on is None or stats.last_order_on is None:
        return Decimal(1)
    days = (stats.last_order_on - stats.first_order_on).days
    return max(Decimal(1), Decimal(days) / _DAYS_PER_YEAR)


@attrs.frozen(kw_only=True)
class ChurnRisk:
    """A churn risk in 0..1 with how it was reached.

    ``explanation`` has one line per part of the formula; ``triggers`` names the
    thresholds crossed (S5), empty when none was.
    """

    risk: Decimal
    explanation: tuple[str, ...]
    triggers: tuple[str, ...]

    @property
    def triggered(self) -> bool:
        return bool(self.triggers)


@attrs.frozen(kw_only=True)
class ChurnRiskFormula:
    """Churn risk from satisfaction and tickets, with weights and thresholds to tune.

    risk = (satisfaction_weight x (1 - satisfaction) + ticket_weight x min(1, tickets /
    ticket_threshold)) / (satisfaction_weight + ticket_weight), rounded to 0.01.
    ``satisfaction`` is the last survey score on 0..1 (``Scale.normalise``); with no
    survey, ``missing_satisfaction`` stands in. It triggers when satisfaction is below
    ``satisfaction_threshold`` or ``ticket_threshold`` tickets came within ``period``.
    """

    satisfaction_weight: Decimal = attrs.field(
        default=Decimal("0.6"), converter=to_decimal, validator=check_non_negative
    )
    ticket_weight: Decimal = attrs.field(
        default=Decimal("0.4"), converter=to_decimal, validator=check_non_negative
    )
    satisfaction_threshold: Decimal = attrs.field(
        default=Decimal("0.5"), converter=to_decimal, validator=check_fraction
    )
    ticket_threshold: int = attrs.field(default=3, validator=_check_positive)
    period: timedelta = timedelta(days=30)
    missing_satisfaction: Decimal = attrs.field(
        default=Decimal("0.5"), converter=to_decimal, validator=check_fraction
    )

    def __attrs_post_init__(self) -> None:
        if self.satisfaction_weight + self.ticket_weight == 0:
            raise fail(
                self,
                attrs.fields(ChurnRiskFormula).ticket_weight,
                self.ticket_weight,
                "the weights add up to 0",
                "give at least one weight above 0",
            )

    def assess(self, *, satisfaction: Decimal | None, tickets: int) -> ChurnRisk:
        """The risk for a client whose last score was ``satisfaction`` (0..1, or None)
        and who opened ``tickets`` tickets (within ``period``, or still open)."""
        known = self.missing_satisfaction if satisfaction is None else satisfaction
        unhappy = self.satisfaction_weight * (1 - known)
        pressure = self.ticket_weight * min(Decimal(1), Decimal(tickets) / self.ticket_threshold)
        total = self.satisfaction_weight + self.ticket_weight
        risk = ((unhappy + pressure) / total).quantize(_CENT, ROUND_HALF_UP)
        explanation = (
            f"dissatisfaction {1 - known:.2f} x weight {self.satisfaction_weight}"
            + (" (no survey answered)" if satisfaction is None else ""),
            f"tickets {tickets}/{self.ticket_threshold} x weight {self.ticket_weight}",
            f"risk = ({unhappy:.2f} + {pressure:.2f}) / {total} = {risk}",
        )
        return ChurnRisk(
            risk=risk, explanation=explanation, triggers=self._triggers(satisfaction, tickets)
        )

    def _triggers(self, satisfaction: Decimal | None, tickets: int) -> tuple[str, ...]:
        found = []
        if satisfaction is not None and satisfaction < self.satisfaction_threshold:
            found.append(f"satisfaction {satisfaction:.2f} below {self.satisfaction_threshold}")
        if tickets >= self.ticket_threshold:
            found.append(f"{tickets} tickets, threshold {self.ticket_threshold}")
        return tuple(found)

    def __call__(self, record: HasStats) -> Decimal:
        """The risk from the roll-ups: last satisfaction and tickets still open."""
        stats = record.stats
        return self.assess(satisfaction=stats.last_satisfaction, tickets=stats.open_tickets).risk


def churn_risk(
    surveys: Iterable[SurveyResponse],
    tickets: Iterable[Ticket],
    *,
    now: datetime,
    formula: ChurnRiskFormula | None = None,
) -> ChurnRisk:
    """One client's churn risk from their survey answers and tickets as of ``now``.

    The last answer given by ``now`` sets satisfaction (NPS, CSAT and CES alike, on
    0..1); tickets count when opened within ``formula.period`` before ``now``.
    """
    formula = formula or ChurnRiskFormula()
    answered = [answer for answer in surveys if answer.answered_at <= now]
    last = max(answered, key=lambda answer: answer.answered_at, default=None)
    since = now - formula.period
    recent = sum(1 for ticket in tickets if since <= ticket.opened_at <= now)
    satisfaction = None if last is None else last.normalised
    return formula.assess(satisfaction=satisfaction, tickets=recent)


LTV: CalculatedProperty[HasStats] = CalculatedProperty(
    name="ltv",
    inputs=frozenset(
        {"stats.total_spent", "stats.order_count", "stats.first_order_on", "stats.last_order_on"}
    ),
    compute=LifetimeValue(),
)
"""Lifetime value with the default three-year lifespan."""

CHURN_RISK: CalculatedProperty[HasStats] = CalculatedProperty(
    name="churn_risk",
    inputs=frozenset({"stats.last_satisfaction", "stats.open_tickets"}),
    compute=ChurnRiskFormula(),
)
"""Churn risk from the roll-ups, with the default weights and thresholds."""
