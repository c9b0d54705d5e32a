"""Contacts (E1), their roll-ups, and their links to companies (E2)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import attrs
import pytest

from custdb.errors import ValidationError
from custdb.model import (
    Address,
    Affiliation,
    ClientStats,
    Contact,
    Email,
    Gender,
    LifecycleStage,
    Phone,
    Provenance,
)

UTC = timezone.utc


def test_e1_contact_exists_without_company() -> None:
    contact = Contact(first_name="Иван", last_name="Петров")
    assert contact.ENTITY == "contact"
    assert "company_id" not in {field.name for field in attrs.fields(Contact)}
    assert contact.full_name == "Иван Петров"


def test_e1_contact_holds_the_fields_of_a_person() -> None:
    contact = Contact(
        first_name="María",
        middle_name="José",
        last_name="García",
        job_title="Directora de marketing",
        emails=[Email("maria@example.es", "work"), "mj.garcia@example.com"],
        phones=["+34911234567"],
        address=Address(city="Madrid", country="ES"),
        birthday=date(1985, 4, 12),
        gender="female",
        language="es",
        country="es",
        source="trade_show",
        owner_ids=["u1", "u2"],
        brought_by_id="u3",
        tags=["vip", "vip", "madrid"],
        lifecycle_stage="customer",
        notes="Prefers WhatsApp",
        loyalty_card="LC-0042",
        importance="A",
        has_mobile_app=True,
    )
    assert contact.full_name == "María José García"
    assert contact.email == "maria@example.es"
    assert contact.emails[1] == Email("mj.garcia@example.com")
    assert contact.phone == "+34911234567"
    assert contact.phones == (Phone("+34911234567"),)
    assert contact.gender is Gender.FEMALE
    assert contact.country == "ES"
    assert contact.owner_ids == ("u1", "u2")
    assert contact.tags == frozenset({"vip", "madrid"})
    assert contact.lifecycle_stage is LifecycleStage.CUSTOMER
    hash(contact)


def test_e1_a_contact_without_emails_or_phones_has_none() -> None:
    contact = Contact()
    assert (contact.email, contact.phone, contact.full_name) == (None, None, "")


def test_e1_enum_values_are_their_lower_case_strings() -> None:
    assert Gender.FEMALE == "female"
    assert str(LifecycleStage.FORMER_CUSTOMER) == "former_customer"
    assert f"{Provenance.THIRD_PARTY}" == "third_party"
    assert [stage.value for stage in LifecycleStage][:7] == [
        "subscriber", "lead", "mql", "sql", "opportunity", "customer", "evangelist",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("gender", "f", "female, male, other, unknown"),
        ("lifecycle_stage", "vip", "subscriber, lead"),
        ("provenance", "bought", "first_party, second_party, third_party"),
    ],
)
def test_e1_an_unknown_enum_value_names_field_and_options(
    field: str, value: str, allowed: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Contact(**{field: value})
    error = caught.value
    assert (error.entity, error.field, error.value) == ("contact", field, value)
    assert allowed in str(error)


def test_e1_birthday_is_a_date_not_a_datetime() -> None:
    with pytest.raises(ValidationError) as caught:
        Contact(birthday=datetime(1990, 1, 1, tzinfo=UTC))
    assert caught.value.field == "birthday"


def test_e1_owner_ids_refuse_a_lone_string() -> None:
    with pytest.raises(ValidationError, match="wrap it in a list"):
        Contact(owner_ids="u1")


def test_i6_provenance_and_source_are_kept() -> None:
    contact = Contact(source="import", provenance="third_party")
    assert contact.provenance is Provenance.THIRD_PARTY
    assert contact.source == "import"


def test_e1_stats_default_to_zero_and_are_checked() -> None:
    stats = ClientStats()
    assert (stats.total_spent, stats.order_count, stats.last_order_on) == (Decimal(0), 0, None)
    assert Contact().stats == stats
    assert ClientStats(total_spent="120.50").total_spent == Decimal("120.50")
    with pytest.raises(ValidationError) as caught:
        ClientStats(open_tickets=-1)
    assert (caught.value.entity, caught.value.field) == ("client_stats", "open_tickets")
    with pytest.raises(ValidationError):
        ClientStats(last_visit_at=datetime(2024, 1, 1, tzinfo=UTC).replace(tzinfo=None))
    with pytest.raises(ValidationError):
        ClientStats(last_satisfaction=Decimal("1.5"))


def test_e2_contact_changes_employer_and_keeps_its_history() -> None:
    contact = Contact(first_name="Ola", last_name="Nordmann")
    old = Affiliation(
        contact_id=contact.id, company_id="c-old", role="CEO", is_primary=True,
        since=date(2019, 1, 1),
    )  # fmt: skip
    closed = attrs.evolve(old, until=date(2023, 12, 31), is_primary=False)
    new = Affiliation(
        contact_id=contact.id, company_id="c-new", role="decision_maker", is_primary=True,
        since=date(2024, 1, 1),
    )  # fmt: skip
    assert closed.is_current(date(2023, 6, 1))
    assert not closed.is_current(date(2024, 6, 1))
    assert new.is_current(date(2024, 6, 1))
    assert not new.is_current(date(2023, 6, 1))
    assert {closed.contact_id, new.contact_id} == {contact.id}
    assert Affiliation(contact_id="p", company_id="c").is_current(date(2000, 1, 1))


def test_e2_an_affiliation_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValidationError) as caught:
        Affiliation(contact_id="p", company_id="c", since=date(2024, 1, 1), until=date(2023, 1, 1))
    assert (caught.value.entity, caught.value.field) == ("affiliation", "until")


def test_e2_an_affiliation_needs_both_ends() -> None:
    with pytest.raises(ValidationError):
        Affiliation(contact_id="", company_id="c")
