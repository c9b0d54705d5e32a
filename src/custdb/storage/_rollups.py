"""Roll-ups kept on write: each client's figures (``custdb.rollups``) as a transaction
leaves its orders, tickets, activities and surveys. ``unit`` is a ``_unit.UnitOfWork``.

Adds are tallied: each new record's figures go into the :class:`~custdb.rollups.Tally`
of its owners (the clients it names, and for orders, tickets and surveys the companies
of its contact), and at commit every client's stored figures get its tally added, a few
statements per ``CHUNK`` clients however long their history. Whatever else moves a
client's figures (a put or removal of such a record, an affiliation added, changed or
removed, a rate changed) makes the client dirty: dirty clients are recomputed from all
their records (:func:`refresh`), and their tallies are dropped. A put of a client never
writes its figures (the store owns them; ``Table.update`` leaves them as stored), so a
client put in the transaction gets its tally like any other.

Tallies of more than ``SPILL`` owners are added to the stored figures as the
transaction goes, so a load of a million orders keeps a bounded number in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from custdb.query import F
from custdb.rollups import Latest, Tally, client_stats
from custdb.storage._links import LINKS, ROLLUP_SOURCES

__all__ = ["CHUNK", "SPILL", "KeptRollups", "rebuild_rollups", "refresh"]

CHUNK = 500  # clients per batch
SPILL = 100_000  # owners tallied before their tallies go to the stored figures

_Owners = tuple[tuple[str, ...], tuple[str, ...], bool]
"""The contacts and companies a record names, and whether its contact's companies
count it too (orders, tickets, surveys: yes; activities name their companies)."""
_Grouped = Mapping[str, Mapping[str, Any]]  # client id -> record id -> record
_CLIENTS = ("contacts", "companies")


def _named(record: Any) -> _Owners:
    contact, company = record.contact_id, getattr(record, "company_id", None)
    return (() if contact is None else (contact,), () if company is None else (company,), True)


def _listed(activity: Any) -> _Owners:
    return (tuple(set(activity.contact_ids)), tuple(set(activity.company_ids)), False)


_TALLIED: dict[str, tuple[Callable[[Any], _Owners], Callable[[Tally, Any], None]]] = {
    "orders": (_named, Tally.add_order),
    "tickets": (_named, Tally.add_ticket),
    "surveys": (_named, Tally.add_survey),
    "activities": (_listed, Tally.add_activity),
}


class KeptRollups:
    """One transaction's roll-up bookkeeping: the tallies of what it added, per owners,
    and the clients to recompute whole."""

    def __init__(self, unit: Any) -> None:
        self._unit = unit
        self._tallies: dict[_Owners, Tally] = {}
        self._dirty: dict[str, set[str]] = {name: set() for name in _CLIENTS}

    def added(self, name: str, records: Iterable[Any]) -> None:
        """``records`` of repository ``name`` were added."""
        if name == "affiliations":
            self.changed(name, records)
            return
        found = _TALLIED.get(name)
        if found is None:
            return
        owners_of, add = found
        tallies = self._tallies
        for record in records:
            owners = owners_of(record)
            tally = tallies.get(owners)
            if tally is None:
                tally = tallies[owners] = Tally()
            add(tally, record)
        if len(tallies) >= SPILL:
            self._add_tallies(self._dirty)

    def changed(self, name: str, records: Iterable[Any]) -> None:
        """``records`` of repository ``name`` were put (before and after) or removed:
        the clients they name are recomputed at commit (only the company, for an
        affiliation: a contact's figures are its own records')."""
        if name not in ROLLUP_SOURCES:
            return
        wanted = ("companies",) if name == "affiliations" else _CLIENTS
        links = [link for link in LINKS[name] if link.target in wanted]
        for record in records:
            for link in links:
                self._dirty[link.target].update(link.ids(record))

    def flush(self) -> None:
        """Bring every figure this transaction moved up to date (before commit)."""
        contacts = self._dirty["contacts"]
        companies = self._dirty["companies"]
        for owned in self._companies_of(contacts).values():
            companies |= owned
        self._add_tallies({"contacts": contacts, "companies": companies})
        refresh(self._unit, "contacts", contacts)
        refresh(self._unit, "companies", companies)
        self.reset()

    def reset(self) -> None:
        """Forget everything: the stored figures are up to date (a rebuild, a commit)."""
        self._tallies = {}
        self._dirty = {name: set() for name in _CLIENTS}

    def _add_tallies(self, skip: Mapping[str, set[str]]) -> None:
        """Add the tallies to the stored figures of their owners but the ``skip`` ones
        (recomputed whole anyway)."""
        tallies, self._tallies = self._tallies, {}
        through = {c for (named, _, via) in tallies if via for c in named}
        companies_of = self._companies_of(through)
        companies: defaultdict[str, Tally] = defaultdict(Tally)
        for (named, firms, via), tally in tallies.items():
            owners: Iterable[str] = firms  # distinct already (``_named``, ``_listed``)
            if via and companies_of:
                owners = set(firms).union(*(companies_of.get(c, ()) for c in named))
            for company_id in owners:
                companies[company_id].merge(tally)
        contacts: dict[str, Tally] = {}
        for (named, _, _), tally in tallies.items():  # the companies' are added up: reuse
            for contact_id in named:
                if len(named) == 1 and contact_id not in contacts:
                    contacts[contact_id] = tally
                else:
                    contacts.setdefault(contact_id, Tally()).merge(tally)
        self._add_to_stored("contacts", contacts, skip["contacts"])
        self._add_to_stored("companies", companies, skip["companies"])

    def _add_to_stored(self, name: str, tallies: Mapping[str, Tally], skip: set[str]) -> None:
        table = self._unit.backend.table(name)
        base, rates = self._unit.exchange.base, self._unit.exchange.rates
        wanted = sorted(tallies.keys() - skip)
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            stored = table.locked_stats(chunk)
            latest = self._latest_answers(name, {i: tallies[i] for i in chunk})
            table.set_stats(
                {
                    id_: tallies[id_].added_to(
                        stats, base_currency=base, rates=rates, latest=latest.get(id_)
                    )
                    for id_, stats in stored.items()
                }
            )

    def _latest_answers(self, name: str, tallies: Mapping[str, Tally]) -> dict[str, Latest]:
        """Each client's latest survey answer of all, for the clients with new answers:
        the latest is at or after the newest new one, so only those are read."""
        since = {id_: tally.latest[0] for id_, tally in tallies.items() if tally.latest}
        if not since:
            return {}
        owners: dict[str, set[str]] = {id_: {id_} for id_ in since}
        if name == "companies":
            owners = defaultdict(set)
            for link in self._unit.affiliations.select(F("company_id").is_in(sorted(since))):
                owners[link.contact_id].add(link.company_id)
        found: defaultdict[str, Tally] = defaultdict(Tally)
        wanted = F("contact_id").is_in(sorted(owners)) & (F("answered_at") >= min(since.values()))
        for survey in self._unit.surveys.select(wanted):
            for owner in owners[survey.contact_id]:
                found[owner].add_survey(survey)
        return {id_: tally.latest for id_, tally in found.items() if tally.latest}

    def _companies_of(self, contact_ids: Iterable[str]) -> dict[str, set[str]]:
        """The companies each of ``contact_ids`` is affiliated with (those with any): no
        lookup per chunk of contacts while the store holds no affiliation at all."""
        found: defaultdict[str, set[str]] = defaultdict(set)
        wanted = sorted(contact_ids)
        if not wanted or not self._unit.affiliations.select(limit=1):
            return found
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            for link in self._unit.affiliations.select(F("contact_id").is_in(chunk)):
                found[link.contact_id].add(link.company_id)
        return found


def rebuild_rollups(unit: Any) -> None:
    """Recompute every client's roll-ups from the base records: in one set-based pass
    where the backend has one, else client by client."""
    unit.rollups.reset()
    if not unit.backend.rebuild_rollups(unit.exchange):
        refresh(unit, "contacts", {c.id for c in unit.contacts.iterate()})
        refresh(unit, "companies", {c.id for c in unit.companies.iterate()})


def refresh(unit: Any, name: str, ids: set[str]) -> None:
    """Lock and recompute the ``name`` clients ``ids`` from all their records, ``CHUNK``
    at a time: one select per kind of record for the whole chunk, grouped here by
    client, then ``client_stats`` per client. Ids of removed clients are harmless
    (``set_stats`` passes a missing row by)."""
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


def _grouped(records: Iterable[Any], owners: Callable[[Any], Iterable[str]]) -> _Grouped:
    by_client: defaultdict[str, dict[str, Any]] = defaultdict(dict)
    for record in records:
        for client_id in owners(record):
            by_client[client_id][record.id] = record
    return by_client
