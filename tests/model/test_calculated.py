"""Calculated properties (E10): LTV (S6) and churn risk (S5), checked by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from custdb.errors import ValidationError
from custdb.model import (
    CHURN_RISK,
    LTV,
    CalculatedProperty,
    ChurnRiskFormula,
    ClientStats,
    Company,
    Contact,
    LifetimeValue,
    Scale,
    SurveyResponse,
    Ticket,
    churn_risk,
)

UTC = timezone.utc
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def _contact(**stats: object) -> Contact:
    return Contact(first_name="Olga", stats=ClientStats(**stats))  # type: ignore[arg-type]


# --- the declaration --------------------------------------------------------------------


def test_e10_a_calculated_property_computes_from_a_record() -> None:
    initials = CalculatedProperty(
        name="initials",
        inputs=["first_name", "last_name"],
        compute=lambda c: f"{c.first_name[0]}{c.last_name[0]}",
    )
    assert initials.inputs == {"first_name", "last_name"}
    assert initials.value(Contact(first_name="Olga", last_name="Ivanova")) == "OI"


def test_e10_a_calculated_property_knows_which_writes_affect_it() -> None:
    assert LTV.affected_by(["stats"])
    assert LTV.affected_by(["notes", "stats.total_spent"])
    assert not LTV.affected_by(["notes", "stats.open_tickets"])
    assert CHURN_RISK.affected_by(["stats.open_tickets"])
    assert not CHURN_RISK.affected_by([])
    nested = CalculatedProperty(name="x", inputs={"stats"}, compute=lambda r: r)
    assert nested.affected_by(["stats.order_count"])


# --- lifetime value (S6) ----------------------------------------------------------------


def test_s6_ltv_is_average_value_times_yearly_frequency_times_lifespan() -> None:
    # 8 orders worth 1200 over two years: 150 average x 4 a year x 3 years = 1800.
    contact = _contact(
        total_spent=Decimal(1200),
        order_count=8,
        first_order_on=date(2022, 1, 1),
        last_order_on=date(2024, 1, 1),
    )
    assert LTV.value(contact) == Decimal("1800.00")
    assert LifetimeValue(lifespan_years=5)(contact) == Decimal("3000.00")


def test_s6_ltv_counts_frequency_over_at_least_one_year() -> None:
    # 3 orders worth 300 within two months: 100 x 3 a year x 3 years = 900.
    contact = _contact(
        total_spent=300,
        order_count=3,
        first_order_on=date(2024, 1, 1),
        last_order_on=date(2024, 3, 1),
    )
    assert LTV.value(contact) == Decimal("900.00")


def test_s6_ltv_over_a_span_of_a_year_and_a_half() -> None:
    # 548 days: 3000 spent / (548/365) years x 3 years = 3000 x 3 x 365 / 548 = 5994.5255...
    company = Company(
        name="Nordlys AS",
        stats=ClientStats(
            total_spent=3000, order_count=6, first_order_on=date(2023, 1, 1),
            last_order_on=date(2024, 7, 2),
        ),
    )  # fmt: skip
    assert LTV.value(company) == Decimal("5994.53")


def test_s6_ltv_without_dates_counts_one_year_and_without_orders_is_zero() -> None:
    assert LTV.value(_contact(total_spent=500, order_count=2)) == Decimal("1500.00")
    assert LTV.value(_contact()) == Decimal(0)


@pytest.mark.parametrize("years", [0, -1])
def test_s6_the_lifespan_is_positive(years: int) -> None:
    with pytest.raises(ValidationError) as caught:
        LifetimeValue(lifespan_years=years)
    assert (caught.value.entity, caught.value.field) == ("lifetime_value", "lifespan_years")


# --- churn risk (S5) --------------------------------------------------------------------


def test_s5_churn_risk_weighs_dissatisfaction_and_tickets() -> None:
    # 0.6 x (1 - 0.3) + 0.4 x 2/3 = 0.42 + 0.2667 = 0.6867 -> 0.69
    result = ChurnRiskFormula().assess(satisfaction=Decimal("0.3"), tickets=2)
    assert result.risk == Decimal("0.69")
    assert result.triggered
    assert result.triggers == ("satisfaction 0.30 below 0.5",)
    assert result.explanation == (
        "dissatisfaction 0.70 x weight 0.6",
        "tickets 2/3 x weight 0.4",
        "risk = (0.42 + 0.27) / 1.0 = 0.69",
    )


def test_s5_a_happy_client_without_tickets_is_low_risk() -> None:
    result = ChurnRiskFormula().assess(satisfaction=Decimal("0.9"), tickets=0)
    assert result.risk == Decimal("0.06")
    assert not result.triggered


def test_s5_n_tickets_in_the_period_trigger_and_the_ticket_part_is_capped() -> None:
    # No survey: 0.5 stands in. 0.6 x 0.5 + 0.4 x min(1, 10/3) = 0.3 + 0.4 = 0.7
    result = ChurnRiskFormula().assess(satisfaction=None, tickets=10)
    assert result.risk == Decimal("0.70")
    assert result.triggers == ("10 tickets, threshold 3",)
    assert "no survey answered" in result.explanation[0]


def test_s5_weights_and_thresholds_are_configurable() -> None:
    # (1 x 0.5 + 1 x 1/2) / 2 = 0.5
    formula = ChurnRiskFormula(satisfaction_weight=1, ticket_weight=1, ticket_threshold=2)
    assert formula.assess(satisfaction=Decimal("0.5"), tickets=1).risk == Decimal("0.50")
    tickets_only = ChurnRiskFormula(satisfaction_weight=0, ticket_weight=1)
    assert tickets_only.assess(satisfaction=Decimal(0), tickets=3).risk == Decimal("1.00")


def test_s5_a_formula_needs_some_weight() -> None:
    with pytest.raises(ValidationError, match="weights add up to 0"):
        ChurnRiskFormula(satisfaction_weight=0, ticket_weight=0)
    with pytest.raises(ValidationError):
        ChurnRiskFormula(ticket_threshold=0)


def test_s5_churn_risk_from_surveys_and_tickets_as_of_now() -> None:
    def answer(score: int, when: datetime) -> SurveyResponse:
        return SurveyResponse(contact_id="p1", kind="nps", score=score, answered_at=when)

    def ticket(opened: datetime) -> Ticket:
        return Ticket(subject="Help", contact_id="p1", opened_at=opened)

    surveys = [
        answer(9, datetime(2024, 1, 10, tzinfo=UTC)),
        answer(2, datetime(2024, 5, 1, tzinfo=UTC)),
        answer(10, NOW + timedelta(days=30)),  # after now: not known yet
    ]
    tickets = [
        ticket(NOW - timedelta(days=12)),
        ticket(NOW - timedelta(days=7)),
        ticket(NOW - timedelta(days=60)),  # before the 30-day period
        ticket(NOW + timedelta(days=1)),  # after now
    ]
    # Satisfaction 0.2, 2 tickets: 0.6 x 0.8 + 0.4 x 2/3 = 0.48 + 0.2667 = 0.7467 -> 0.75
    result = churn_risk(surveys, tickets, now=NOW)
    assert result.risk == Decimal("0.75")
    assert result.triggers == ("satisfaction 0.20 below 0.5",)
    longer = ChurnRiskFormula(period=timedelta(days=90))
    assert churn_risk(surveys, tickets, now=NOW, formula=longer).triggered
    assert "tickets 3/3" in churn_risk(surveys, tickets, now=NOW, formula=longer).explanation[1]


def test_s5_csat_on_a_declared_scale_normalises_like_nps() -> None:
    answer = SurveyResponse(
        contact_id="p1", kind="csat", scale=Scale(1, 5), score=2, answered_at=NOW
    )
    # CSAT 2 of 1..5 is 0.25: 0.6 x 0.75 = 0.45
    assert churn_risk([answer], [], now=NOW).risk == Decimal("0.45")


def test_s5_churn_risk_property_reads_the_roll_ups() -> None:
    contact = _contact(last_satisfaction=Decimal("0.3"), open_tickets=2)
    assert CHURN_RISK.value(contact) == Decimal("0.69")
    assert CHURN_RISK.value(_contact()) == Decimal("0.30")
