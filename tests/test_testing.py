"""The builders custdb ships for users' own tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest

from custdb import testing
from custdb.model import (
    Activity,
    Company,
    Contact,
    Deal,
    Lead,
    Money,
    Order,
    SurveyResponse,
    Ticket,
)

BUILDERS: list[tuple[Callable[..., Any], type]] = [
    (testing.make_contact, Contact),
    (testing.make_company, Company),
    (testing.make_deal, Deal),
    (testing.make_order, Order),
    (testing.make_ticket, Ticket),
    (testing.make_activity, Activity),
    (testing.make_survey_response, SurveyResponse),
    (testing.make_lead, Lead),
]


@pytest.mark.parametrize(("build", "cls"), BUILDERS)
def test_each_builder_makes_a_valid_record_of_its_class(
    build: Callable[..., Any], cls: type
) -> None:
    record = build()
    assert type(record) is cls
    hash(record)


@pytest.mark.parametrize(("build", "cls"), BUILDERS)
def test_builders_are_deterministic_except_for_the_id(build: Callable[..., Any], cls: type) -> None:
    first, second = build(), build()
    assert first.id != second.id
    fresh = {"id", "contact_id"} if cls is SurveyResponse else {"id"}
    assert attrs.evolve(second, **{name: getattr(first, name) for name in fresh}) == first
    assert build(id="fixed").id == "fixed"


def test_overrides_replace_defaults_by_keyword() -> None:
    contact = testing.make_contact(first_name="Olga", tags={"vip"}, country="ru")
    assert (contact.first_name, contact.last_name) == ("Olga", "Hansen")
    assert contact.tags == {"vip"}
    assert contact.country == "RU"
    order = testing.make_order(
        contact_id=contact.id, placed_at=datetime(2024, 1, 2, tzinfo=timezone.utc)
    )
    assert order.contact_id == contact.id
    assert order.total == Money("450.00", "NOK")


def test_defaults_are_plausible() -> None:
    assert testing.make_contact().email == "ingrid.hansen@example.no"
    assert testing.make_deal().line_items[0].total == testing.make_deal().amount
    assert testing.make_ticket().is_open
    assert testing.make_survey_response().normalised == Decimal("0.9")
    assert testing.make_activity().occurred_at == testing.WHEN
    assert testing.make_lead().status == "new"


def test_a_bad_override_is_refused_like_any_bad_value() -> None:
    with pytest.raises(ValueError, match="naive"):
        testing.make_ticket(opened_at=testing.WHEN.replace(tzinfo=None))
    with pytest.raises(TypeError):
        testing.make_contact(no_such_field=1)
