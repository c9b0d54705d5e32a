"""Leads (E3)."""

from __future__ import annotations

import attrs
import pytest

from custdb.errors import ValidationError
from custdb.model import Email, Lead, LeadStatus, Phone, Qualification


def test_e3_a_lead_is_a_prospect_with_its_source() -> None:
    lead = Lead(
        first_name="Lars",
        company_name="Berg Bygg AS",
        email="lars@berg.example.no",
        phone="+4798765432",
        source="webinar",
    )
    assert lead.ENTITY == "lead"
    assert lead.status is LeadStatus.NEW
    assert lead.qualification is None
    assert lead.email == Email("lars@berg.example.no")
    assert lead.phone == Phone("+4798765432")
    assert lead.score == 0


def test_e3_a_lead_qualifies_as_mql_then_sql_and_converts() -> None:
    lead = Lead(first_name="Lars", source="website_form")
    mql = attrs.evolve(lead, status="qualified", qualification="mql")
    sql = attrs.evolve(mql, qualification=Qualification.SQL)
    converted = attrs.evolve(
        sql,
        status=LeadStatus.CONVERTED,
        converted_contact_id="p1",
        converted_company_id="c1",
        converted_deal_id="d1",
    )
    assert mql.qualification is Qualification.MQL
    assert sql.qualification is Qualification.SQL
    assert converted.status is LeadStatus.CONVERTED
    assert (converted.converted_contact_id, converted.converted_deal_id) == ("p1", "d1")


def test_e3_an_unknown_status_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Lead(status="hot")
    assert (caught.value.entity, caught.value.field) == ("lead", "status")
    assert "new, working, qualified, disqualified, converted" in str(caught.value)
