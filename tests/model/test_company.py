"""Companies (E2)."""

from __future__ import annotations

import pytest

from custdb.errors import ValidationError
from custdb.model import Address, Affiliation, ClientStats, Company, Contact, Deal, Money


def test_e2_company_holds_the_fields_of_an_account() -> None:
    company = Company(
        name="ООО «Ромашка»",
        domain="romashka.example.ru",
        website="https://romashka.example.ru",
        industry="retail",
        employee_count=40,
        annual_revenue=Money("125000000", "RUB"),
        tax_id="7701234567",
        legal_form="ООО",
        legal_address=Address(city="Москва", country="RU"),
        actual_address=Address(city="Химки", country="RU"),
        phones=["+74951234567"],
        emails=["info@romashka.example.ru"],
        region="Московская область",
        owner_ids=["u1"],
        tags={"key_account"},
    )
    assert company.ENTITY == "company"
    assert company.email == "info@romashka.example.ru"
    assert company.phone == "+74951234567"
    assert company.stats == ClientStats()
    hash(company)


def test_e2_a_company_without_contact_details_has_none() -> None:
    assert (Company(name="IBM").email, Company(name="IBM").phone) == (None, None)


def test_e2_a_company_holds_many_contacts_and_many_deals() -> None:
    company = Company(name="Nordlys AS")
    people = [Contact(first_name=f"Person {n}") for n in range(10)]
    links = [Affiliation(contact_id=p.id, company_id=company.id) for p in people]
    deals = [Deal(name=f"Deal {n}", stage="new", company_id=company.id) for n in range(5)]
    assert {link.company_id for link in links} == {company.id}
    assert len({link.contact_id for link in links}) == 10
    assert all(deal.company_id == company.id for deal in deals)


@pytest.mark.parametrize("name", ["", "   ", None])
def test_e2_a_company_needs_a_name(name: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Company(name=name)  # type: ignore[arg-type]
    assert (caught.value.entity, caught.value.field) == ("company", "name")


def test_e2_employee_count_cannot_be_negative() -> None:
    with pytest.raises(ValidationError):
        Company(name="X", employee_count=-3)
