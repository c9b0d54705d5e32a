"""Walking between related records inside a transaction.

Plain functions over any ``Transaction``, so they work the same on every store and
compile to indexed queries on the SQL ones.
"""

from __future__ import annotations

from typing import Any

from custdb.model import Activity, Company, Contact, Deal, Order, SurveyResponse, Ticket
from custdb.query import F

__all__ = [
    "companies_of",
    "contacts_of",
    "deals_of",
    "orders_of",
    "surveys_of",
    "tickets_of",
    "timeline",
]


def companies_of(tx: Any, contact_id: str, *, current_only: bool = False) -> list[Company]:
    """The companies a contact is (or was) linked to, primary link first."""
    links = tx.affiliations.select(F("contact_id") == contact_id, order_by=["-is_primary"])
    if current_only:
        links = [link for link in links if link.until is None]
    return [tx.companies.get(link.company_id) for link in links]


def contacts_of(tx: Any, company_id: str, *, current_only: bool = False) -> list[Contact]:
    """The people linked to a company, in the order the links were made."""
    links = tx.affiliations.select(F("company_id") == company_id)
    if current_only:
        links = [link for link in links if link.until is None]
    return [tx.contacts.get(link.contact_id) for link in links]


def deals_of(tx: Any, contact_id: str) -> list[Deal]:
    """Deals on which the contact takes part, in any role."""
    deals: list[Deal] = tx.deals.select(F("contact_ids").contains(contact_id))
    return deals


def orders_of(tx: Any, client_id: str, *, company: bool = False) -> list[Order]:
    """A contact's orders (or a company's, with ``company=True``), oldest first."""
    field = "company_id" if company else "contact_id"
    orders: list[Order] = tx.orders.select(F(field) == client_id, order_by="placed_at")
    return orders


def tickets_of(tx: Any, client_id: str, *, company: bool = False) -> list[Ticket]:
    field = "company_id" if company else "contact_id"
    tickets: list[Ticket] = tx.tickets.select(F(field) == client_id, order_by="opened_at")
    return tickets


def surveys_of(tx: Any, contact_id: str) -> list[SurveyResponse]:
    answers: list[SurveyResponse] = tx.surveys.select(
        F("contact_id") == contact_id, order_by="answered_at"
    )
    return answers


def timeline(tx: Any, client_id: str, *, company: bool = False) -> list[Activity]:
    """A record's activities, newest first: the history a CRM card shows."""
    field = "company_ids" if company else "contact_ids"
    activities: list[Activity] = tx.activities.select(
        F(field).contains(client_id), order_by="-occurred_at"
    )
    return activities
