"""The links a store keeps whole: orders, tickets, surveys, activities and affiliations
point at their clients (contacts and companies), and their roll-ups depend on it.

A record may only link to a client the store holds (in this transaction's view), and a
client may only be removed once nothing links to it: an order for a missing contact
would count toward no one's roll-ups, and a removed contact would leave its orders
pointing nowhere. Both are refused with the record, field and id at fault; nothing is
removed in cascade, so nothing is lost without being asked for (a merge moves the
linked records first). ``unit`` is a ``_unit.UnitOfWork``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from custdb.errors import ConflictError, NotFoundError
from custdb.query import F, Query

__all__ = [
    "CLIENT_LINKS",
    "check_clients_exist",
    "check_unlinked",
    "linked",
    "missing_client",
    "still_linked",
]

# Per kind of record, its fields that hold client ids, and which clients they name.
CLIENT_LINKS: dict[str, tuple[tuple[str, str], ...]] = {
    "orders": (("contact_id", "contacts"), ("company_id", "companies")),
    "tickets": (("contact_id", "contacts"), ("company_id", "companies")),
    "surveys": (("contact_id", "contacts"),),
    "activities": (("contact_ids", "contacts"), ("company_ids", "companies")),
    "affiliations": (("contact_id", "contacts"), ("company_id", "companies")),
}
# Per kind of client, the (kind of record, field) pairs that link to it.
_LINKED_FROM: dict[str, tuple[tuple[str, str], ...]] = {
    clients: tuple(
        (kind, field)
        for kind, fields in CLIENT_LINKS.items()
        for field, target in fields
        if target == clients
    )
    for clients in ("contacts", "companies")
}
_CHUNK = 500  # ids per query
_KIND = {"contacts": "contact", "companies": "company"}


def check_clients_exist(
    unit: Any, name: str, records: Sequence[Any], *, before: Any | None = None
) -> None:
    """NotFoundError for the first of ``records`` (of repository ``name``) that links to
    a client the store does not hold. With ``before`` (the stored copy of the one record
    being put), only the links that changed are looked up."""
    for field, clients in CLIENT_LINKS.get(name, ()):
        if before is not None and getattr(before, field) == getattr(records[0], field):
            continue
        wanted = sorted({id_ for record in records for id_ in linked(record, field)})
        repo = getattr(unit, clients)
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            unit.backend.table(clients).lock(chunk, "link")  # a removal waits for commit
            if repo.count(F("id").is_in(chunk)) == len(chunk):
                continue
            held = {client.id for client in repo.select(F("id").is_in(chunk))}
            missing = next(id_ for id_ in chunk if id_ not in held)
            record = next(r for r in records if missing in linked(r, field))
            raise missing_client(record, field, missing, clients)


def check_unlinked(unit: Any, name: str, client_id: str) -> None:
    """ConflictError if records still link to client ``client_id`` of repository
    ``name``, saying how many of each kind."""
    linking = _LINKED_FROM.get(name, ())
    if not linking:  # nothing links to this kind of record
        return
    unit.backend.table(name).lock([client_id], "remove")  # new links wait, or see it gone
    holding = []
    for kind, field in linking:
        count = getattr(unit, kind).count(_links_to(field, client_id))
        if count:
            holding.append(f"{kind} ({count})")
    if holding:
        raise still_linked(name, client_id, ", ".join(holding))


def missing_client(record: Any, field: str, client_id: str, clients: str) -> NotFoundError:
    return NotFoundError(
        f"links to {_KIND[clients]} {client_id!r}, which the store does not hold",
        entity=record.ENTITY,
        id=record.id,
        field=field,
        value=client_id,
        hint=f"add the {_KIND[clients]} first (in this or an earlier transaction), "
        f"or correct {field}",
    )


def still_linked(clients: str, client_id: str, holding: str) -> ConflictError:
    return ConflictError(
        f"is still linked from {holding}",
        entity=_KIND[clients],
        id=client_id,
        hint="remove those records or move them to another client first",
    )


def linked(record: Any, field: str) -> tuple[str, ...]:
    """The client ids ``record`` names in ``field``."""
    value = getattr(record, field)
    if field.endswith("_ids"):
        return tuple(value)
    return () if value is None else (value,)


def _links_to(field: str, client_id: str) -> Query:
    return F(field).contains(client_id) if field.endswith("_ids") else F(field) == client_id
