"""Roll-ups: each client's figures recomputed from its orders, tickets, activities and
surveys, for the clients a transaction touched (``refresh``, just before commit) or for
all of them (``rebuild_rollups``). ``unit`` is a ``_unit.UnitOfWork``.

Clients are recomputed ``CHUNK`` at a time: one select per kind of record for the whole
chunk, grouped here by client, then the pure ``custdb.rollups.client_stats`` per client,
so a commit of many orders costs a few queries per chunk, not several per client.
Money is counted in the unit's ``exchange`` (the store's base currency and rates).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from custdb.query import F
from custdb.rollups import client_stats

__all__ = ["CHUNK", "rebuild_rollups", "refresh"]

CHUNK = 500  # clients per batch

_Owners = Callable[[Any], Iterable[str]]
_Grouped = Mapping[str, Mapping[str, Any]]  # client id -> record id -> record


def rebuild_rollups(unit: Any) -> None:
    """Recompute every client's roll-ups from the base records."""
    refresh(unit, "contacts", {c.id for c in unit.contacts.iterate()})
    refresh(unit, "companies", {c.id for c in unit.companies.iterate()})


def refresh(unit: Any, name: str, ids: set[str]) -> None:
    """Lock and recompute the ``name`` clients ``ids``; ids of removed clients are
    harmless (``set_stats`` passes a missing row by)."""
    table = unit.backend.table(name)
    wanted = sorted(ids)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        table.lock(chunk)
        table.set_stats(_chunk_stats(unit, name, chunk))


def _chunk_stats(unit: Any, name: str, chunk: Sequence[str]) -> dict[str, Any]:
    gather = _contact_records if name == "contacts" else _company_records
    records = gather(unit, chunk)
    base, rates = unit.exchange.base, unit.exchange.rates
    return {
        client_id: client_stats(
            *(kind.get(client_id, {}).values() for kind in records),
            base_currency=base,
            rates=rates,
        )
        for client_id in chunk
    }


def _contact_records(unit: Any, chunk: Sequence[str]) -> tuple[_Grouped, ...]:
    mine = F("contact_id").is_in(chunk)
    members = set(chunk)

    def owners(record: Any) -> Iterable[str]:
        return (record.contact_id,)

    return (
        _grouped(unit.orders.select(mine), owners),
        _grouped(unit.tickets.select(mine), owners),
        _grouped(_activities(unit, "contact_ids", chunk), lambda a: members & set(a.contact_ids)),
        _grouped(unit.surveys.select(mine), owners),
    )


def _company_records(unit: Any, chunk: Sequence[str]) -> tuple[_Grouped, ...]:
    """A company's records: its own, and its contacts' (each record once)."""
    companies_of: dict[str, set[str]] = defaultdict(set)
    for link in unit.affiliations.select(F("company_id").is_in(chunk)):
        companies_of[link.contact_id].add(link.company_id)
    contacts = sorted(companies_of)
    members = set(chunk)

    def owners(record: Any) -> Iterable[str]:
        direct = getattr(record, "company_id", None)
        through = companies_of.get(record.contact_id, set())
        return through | {direct} if direct in members else through

    either = F("contact_id").is_in(contacts) | F("company_id").is_in(chunk)
    return (
        _grouped(unit.orders.select(either), owners),
        _grouped(unit.tickets.select(either), owners),
        _grouped(_activities(unit, "company_ids", chunk), lambda a: members & set(a.company_ids)),
        _grouped(unit.surveys.select(F("contact_id").is_in(contacts)), owners),
    )


def _activities(unit: Any, field: str, chunk: Sequence[str]) -> list[Any]:
    """Activities naming any client of ``chunk`` in the set ``field``."""
    found: list[Any] = unit.activities.select(F(field).contains_any(chunk))
    return found


def _grouped(records: Iterable[Any], owners: _Owners) -> _Grouped:
    by_client: defaultdict[str, dict[str, Any]] = defaultdict(dict)
    for record in records:
        for client_id in owners(record):
            by_client[client_id][record.id] = record
    return by_client
