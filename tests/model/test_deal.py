"""Deals and opportunities (E4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from custdb.errors import ValidationError
from custdb.model import Deal, DealContact, LineItem, Money, Recurrence


def test_e4_a_deal_has_amount_stage_contacts_and_line_items() -> None:
    deal = Deal(
        name="CRM rollout",
        amount=Money("4900", "EUR"),
        recurring="monthly",
        pipeline="enterprise",
        stage="proposal",
        expected_close_on=date(2024, 9, 30),
        probability="0.6",
        contacts=[DealContact("p1", "decision_maker"), DealContact("p2", "champion")],
        company_id="c1",
        owner_id="u1",
        source="referral",
        line_items=[LineItem("Seat", Decimal(10), Money("490", "EUR"), product_id="seat")],
    )
    assert deal.ENTITY == "deal"
    assert deal.recurring is Recurrence.MONTHLY
    assert deal.probability == Decimal("0.6")
    assert deal.contact_ids == ("p1", "p2")
    assert deal.line_items[0].total == Money("4900", "EUR")
    hash(deal)


def test_e4_defaults_are_one_time_in_the_default_pipeline() -> None:
    deal = Deal(name="Quick sale", stage="new")
    assert (deal.recurring, deal.pipeline, deal.amount, deal.contacts) == (
        Recurrence.ONE_TIME, "default", None, (),
    )  # fmt: skip


@pytest.mark.parametrize("probability", ["1.5", "-0.1", 2])
def test_e4_probability_lies_between_0_and_1(probability: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Deal(name="X", stage="new", probability=probability)  # type: ignore[arg-type]
    assert (caught.value.entity, caught.value.field) == ("deal", "probability")


def test_e4_a_deal_needs_a_name_and_a_stage() -> None:
    with pytest.raises(ValidationError):
        Deal(name="", stage="new")
    with pytest.raises(ValidationError):
        Deal(name="X", stage=" ")


def test_e4_a_line_item_quantity_cannot_be_negative() -> None:
    with pytest.raises(ValidationError) as caught:
        LineItem("Seat", Decimal(-1), Money(1, "EUR"))
    assert (caught.value.entity, caught.value.field) == ("line_item", "quantity")
