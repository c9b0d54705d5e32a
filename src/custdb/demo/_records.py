"""The demo sample's files, and how the rows of each become records.

``KINDS`` lists the files in the order they are added: every record after those it
links to (users before the teams they head), as the store checks links on add. A
record's key is its sample key (``C0001``; order lines share their ``order`` key); it becomes
``external_ids={"demo": key}``, which is how a second run recognises what is stored.
Builders get the record's rows and its id, and point at other records through
``row.ref``, which resolves sample keys to ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import attrs

from custdb.demo._load import Row
from custdb.demo._schema import CONTACT_SCHEMA
from custdb.model import (
    Activity,
    Affiliation,
    Company,
    Consent,
    ConsentStatus,
    Contact,
    Deal,
    DealContact,
    Lead,
    LineItem,
    Order,
    OrderItem,
    Provenance,
    SurveyResponse,
    Team,
    Ticket,
    User,
)

__all__ = ["KINDS", "SYSTEM", "Kind"]

SYSTEM = "demo"
"""The ``external_ids`` system under which demo records carry their sample key."""

Build = Callable[[Sequence[Row], str], Any]


@attrs.frozen
class Kind:
    """One repository's records: the file they come from and how a record is built.

    ``group`` is the column holding the record key (order lines share one); ``only``
    names a column that must be filled for the row to make a record, and ``suffix`` is
    added to the key (consents come from the contacts file: ``C0001/newsletter``).
    """

    repo: str
    file: str
    entity: str
    build: Build
    group: str = "key"
    only: str | None = None
    suffix: str = ""


def _one(build: Callable[[Row, str], Any]) -> Build:
    return lambda rows, id_: build(rows[0], id_)


def _required_ref(row: Row, field: str, repo: str) -> str:
    found = row.ref(field, repo)
    if found is None:
        raise row.error(field, "is empty", f"name a record of {repo}")
    return found


def _moment(row: Row, date_field: str, time_field: str) -> dt.datetime:
    found = row.moment(date_field, time_field)
    if found is None:
        raise row.error(date_field, "is empty", "every row needs a date")
    return found


def _team(row: Row, id_: str) -> Team:
    return Team(
        id=id_,
        name=row.required("name"),
        head_id=row.ref("head", "users"),
        parent_id=row.ref("parent", "teams"),
    )


def _user(row: Row, id_: str) -> User:
    return User(
        id=id_,
        name=row.required("name"),
        email=row.email("email"),
        role=row.required("role"),
        team_id=row.ref("team", "teams"),
        active=row.flag("active"),
    )


def _company(row: Row, id_: str) -> Company:
    domain, currency = row.text("domain"), row.required("currency")
    return Company(
        id=id_,
        name=row.required("name"),
        legal_form=row.text("legal_form"),
        tax_id=row.text("tax_id"),
        domain=domain,
        website=None if domain is None else f"https://{domain}",
        industry=row.text("industry"),
        employee_count=row.integer("employees"),
        annual_revenue=row.money("annual_revenue", currency),
        phones=_present(row.phone("phone")),
        emails=_present(row.email("email")),
        actual_address=row.address(),
        region=row.locale.region,
        owner_ids=_present(row.ref("owner", "users")),
    )


def _contact(row: Row, id_: str) -> Contact:
    return Contact(
        id=id_,
        first_name=row.text("first_name"),
        last_name=row.text("last_name"),
        middle_name=row.text("middle_name"),
        job_title=row.text("job_title"),
        emails=_present(row.email("email")),
        phones=_present(row.phone("phone")),
        address=row.address(),
        birthday=row.date("birthday"),
        gender=row.text("gender"),
        language=row.text("language"),
        country=row.locale.region,
        source=row.text("source"),
        provenance=Provenance.FIRST_PARTY,
        owner_ids=_present(row.ref("owner", "users")),
        tags=row.words("tags"),
        lifecycle_stage=row.text("lifecycle_stage"),
        notes=row.text("notes"),
        loyalty_card=row.text("loyalty_card"),
        importance=row.text("importance"),
        has_mobile_app=row.flag("has_app"),
        custom=row.custom(CONTACT_SCHEMA),
    )


def _consent(row: Row, id_: str) -> Consent:
    status = row.parsed("newsletter", ConsentStatus) or ConsentStatus.PENDING
    on = row.moment("newsletter_on")
    return Consent(
        id=id_,
        contact_id=_required_ref(row, "key", "contacts"),
        purpose="newsletter",
        channel="email",
        status=status,
        requested_at=on,
        confirmed_at=on if status is not ConsentStatus.PENDING else None,
        withdrawn_at=on if status is ConsentStatus.WITHDRAWN else None,
        source="demo sample",
    )


def _affiliation(row: Row, id_: str) -> Affiliation:
    return Affiliation(
        id=id_,
        contact_id=_required_ref(row, "contact", "contacts"),
        company_id=_required_ref(row, "company", "companies"),
        role=row.text("role"),
        is_primary=row.flag("is_primary"),
        since=row.date("since"),
        until=row.date("until"),
    )


def _lead(row: Row, id_: str) -> Lead:
    return Lead(
        id=id_,
        first_name=row.text("first_name"),
        last_name=row.text("last_name"),
        company_name=row.text("company_name"),
        email=row.email("email"),
        phone=row.phone("phone"),
        source=row.text("source"),
        status=row.required("status"),
        qualification=row.text("qualification"),
        score=row.integer("score") or 0,
        owner_id=row.ref("owner", "users"),
    )


def _deal(row: Row, id_: str) -> Deal:
    amount = row.money("amount", row.required("currency"))
    product = row.text("product")
    items = () if amount is None or product is None else (LineItem(product, Decimal(1), amount),)
    return Deal(
        id=id_,
        name=row.required("name"),
        amount=amount,
        recurring=row.required("recurring"),
        pipeline=row.required("pipeline"),
        stage=row.required("stage"),
        expected_close_on=row.date("expected_close"),
        probability=row.percent("probability"),
        contacts=_present(_deal_contact(row)),
        company_id=row.ref("company", "companies"),
        owner_id=row.ref("owner", "users"),
        source=row.text("source"),
        lost_reason=row.text("lost_reason"),
        won_reason=row.text("won_reason"),
        line_items=items,
        closed_on=row.date("closed_on"),
    )


def _deal_contact(row: Row) -> DealContact | None:
    contact_id = row.ref("contact", "contacts")
    return None if contact_id is None else DealContact(contact_id, row.text("contact_role"))


_ORDER_FIELDS = ("date", "time", "country", "contact", "company", "status", "kind", "online")


def _order(rows: Sequence[Row], id_: str) -> Order:
    first = rows[0]
    for row in rows[1:]:
        for field in (*_ORDER_FIELDS, "currency"):
            if row.text(field) != first.text(field):
                raise row.error(field, f"differs from the order's first line (row {first.number})")
    currency = first.required("currency")
    return Order(
        id=id_,
        contact_id=first.ref("contact", "contacts"),
        company_id=first.ref("company", "companies"),
        placed_at=_moment(first, "date", "time"),
        status=first.required("status"),
        kind=first.required("kind"),
        online=first.flag("online"),
        currency=currency,
        items=tuple(_order_item(row, currency) for row in rows),
    )


def _order_item(row: Row, currency: str) -> OrderItem:
    amount = row.money("amount", currency)
    if amount is None:
        raise row.error("amount", "is empty", "every order line has an amount")
    return OrderItem(
        name=row.required("item"),
        kind=row.required("item_kind"),
        category=row.text("category"),
        staff_id=row.ref("staff", "users"),
        quantity=row.decimal("qty") or Decimal(1),
        amount=amount,
    )


def _ticket(row: Row, id_: str) -> Ticket:
    return Ticket(
        id=id_,
        subject=row.required("subject"),
        topic=row.text("topic"),
        status=row.required("status"),
        contact_id=row.ref("contact", "contacts"),
        owner_id=row.ref("owner", "users"),
        opened_at=_moment(row, "opened", "opened_time"),
        resolved_at=row.moment("resolved", "resolved_time"),
    )


def _survey(row: Row, id_: str) -> SurveyResponse:
    score = row.integer("score")
    if score is None:
        raise row.error("score", "is empty", "every answer has a score")
    return SurveyResponse(
        id=id_,
        contact_id=_required_ref(row, "contact", "contacts"),
        kind=row.required("kind"),
        score=score,
        answered_at=_moment(row, "answered", "time"),
        comment=row.text("comment"),
        reason_codes=row.words("reasons"),
    )


def _activity(row: Row, id_: str) -> Activity:
    minutes = row.integer("minutes")
    return Activity(
        id=id_,
        kind=row.required("kind"),
        occurred_at=_moment(row, "date", "time"),
        subject=row.text("subject"),
        contact_ids=_present(row.ref("contact", "contacts")),
        company_ids=_present(row.ref("company", "companies")),
        deal_ids=_present(row.ref("deal", "deals")),
        actor_id=row.ref("actor", "users"),
        outcome=row.text("outcome"),
        duration=None if minutes is None else dt.timedelta(minutes=minutes),
        purpose=row.text("purpose"),
    )


def _present(value: Any) -> tuple[Any, ...]:
    return () if value is None else (value,)


KINDS: tuple[Kind, ...] = (
    Kind("users", "users.csv", "user", _one(_user)),
    Kind("teams", "teams.csv", "team", _one(_team)),
    Kind("companies", "companies.csv", "company", _one(_company)),
    Kind("contacts", "contacts.csv", "contact", _one(_contact)),
    Kind(
        "consents",
        "contacts.csv",
        "consent",
        _one(_consent),
        only="newsletter",
        suffix="/newsletter",
    ),
    Kind("affiliations", "affiliations.csv", "affiliation", _one(_affiliation)),
    Kind("leads", "leads.csv", "lead", _one(_lead)),
    Kind("deals", "deals.csv", "deal", _one(_deal)),
    Kind("orders", "visits.csv", "order", _order, group="order"),
    Kind("tickets", "tickets.csv", "ticket", _one(_ticket)),
    Kind("surveys", "surveys.csv", "survey_response", _one(_survey)),
    Kind("activities", "activities.csv", "activity", _one(_activity)),
)
