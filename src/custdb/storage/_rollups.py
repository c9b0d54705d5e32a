"""Roll-ups: each client's figures recomputed from its orders, tickets, activities and
surveys, for the clients a transaction touched (``refresh``, just before commit) or for
all of them (``rebuild_rollups``). ``unit`` is a ``_unit.UnitOfWork``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from custdb.query import F
from custdb.rollups import client_stats

__all__ = ["rebuild_rollups", "refresh"]


def rebuild_rollups(unit: Any) -> None:
    """Recompute every client's roll-ups from the base records."""
    refresh(unit, "contacts", {c.id for c in unit.contacts.iterate()})
    refresh(unit, "companies", {c.id for c in unit.companies.iterate()})


def refresh(unit: Any, name: str, ids: set[str]) -> None:
    table = unit.backend.table(name)
    existing = sorted(i for i in ids if table.load(i) is not None)
    table.lock(existing)
    for client_id in existing:
        table.set_stats(client_id, _stats(unit, name, client_id))


def _stats(unit: Any, name: str, client_id: str) -> Any:
    if name == "contacts":
        contact_ids, company_ids = [client_id], []
    else:
        links = unit.affiliations.select(F("company_id") == client_id)
        contact_ids, company_ids = sorted({link.contact_id for link in links}), [client_id]
    by_client = (F("contact_id").is_in(contact_ids)) | (F("company_id").is_in(company_ids))
    activities = (
        F("contact_ids").contains(client_id)
        if name == "contacts"
        else F("company_ids").contains(client_id)
    )
    return client_stats(
        _unique(unit.orders.select(by_client)),
        _unique(unit.tickets.select(by_client)),
        unit.activities.select(activities),
        _unique(unit.surveys.select(F("contact_id").is_in(contact_ids))),
    )


def _unique(records: Iterable[Any]) -> list[Any]:
    return list({record.id: record for record in records}.values())
