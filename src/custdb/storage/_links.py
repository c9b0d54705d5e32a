"""The links a store keeps whole: records point at the contacts, companies, deals and
users they name, and roll-ups, pipelines and ownership depend on it.

A record may only link to a record the store holds (in this transaction's view), and a
record may only be removed once nothing links to it: an order for a missing contact
would count toward no one's roll-ups, a deal of a removed company would point nowhere, a
contact owned by a removed user would have no manager. Both are refused with the
record, field and id at fault; nothing is removed in cascade, so nothing is lost without
being asked for (a merge moves the linked records first). ``unit`` is a
``_unit.UnitOfWork``, whose ``links`` is the table in force (:func:`links_for`).

Fields that name users (owners, an order item's staff member, an activity's actor, the
one who brought a client in, a team's head) are kept like the others where the store
keeps its users (``users="kept"``, the default). Where users live outside custdb (an HR
system, a directory: ``users="external"``) they hold that system's ids, unchecked. The
staff directory's own links to teams (a user's team, a team's parent) are not checked:
users and teams name each other, so neither could be added first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, NamedTuple

from custdb.errors import ConflictError, NotFoundError, ValidationError
from custdb.query import F, Query

__all__ = [
    "LINKS",
    "ROLLUP_SOURCES",
    "Link",
    "Links",
    "UsersOption",
    "check_clients_exist",
    "check_unlinked",
    "linked_from",
    "links_for",
    "missing_client",
    "still_linked",
]

UsersOption = Literal["kept", "external"]
"""Where a store's users live: in its ``users`` repository, or outside custdb."""


class Link(NamedTuple):
    """A field of one kind of record that names records of ``target``.

    ``field`` is what errors name (the attribute a caller sets); ``ids`` reads the ids
    it names; ``query`` finds the records naming one id (None: the ids sit inside line
    items no query reaches, so the records are read one by one); ``staff``: it names a
    user, so it is checked only where the store keeps its users."""

    kind: str
    field: str
    target: str
    ids: Callable[[Any], tuple[str, ...]]
    query: Callable[[str], Query] | None
    staff: bool = False


Links = Mapping[str, tuple[Link, ...]]
"""Per kind of record, its links."""


def _one(kind: str, field: str, target: str) -> Link:
    def ids(record: Any) -> tuple[str, ...]:
        value = getattr(record, field)
        return () if value is None else (value,)

    return Link(kind, field, target, ids, lambda id_: F(field) == id_, target == "users")


def _many(kind: str, field: str, target: str, *, read: str | None = None) -> Link:
    """A set of ids; ``read`` names the filterable property holding them if ``field``
    is not one itself (a deal's ``contacts`` are read through ``contact_ids``)."""
    name = read or field

    def ids(record: Any) -> tuple[str, ...]:
        return tuple(getattr(record, name))

    return Link(kind, field, target, ids, lambda id_: F(name).contains(id_), target == "users")


def _item_staff(record: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i.staff_id for i in record.items if i.staff_id is not None))


_TABLE: tuple[Link, ...] = (
    _one("orders", "contact_id", "contacts"),
    _one("orders", "company_id", "companies"),
    Link("orders", "items.staff_id", "users", _item_staff, None, staff=True),
    _one("tickets", "contact_id", "contacts"),
    _one("tickets", "company_id", "companies"),
    _one("tickets", "owner_id", "users"),
    _one("surveys", "contact_id", "contacts"),
    _many("activities", "contact_ids", "contacts"),
    _many("activities", "company_ids", "companies"),
    _many("activities", "deal_ids", "deals"),
    _one("activities", "actor_id", "users"),
    _one("affiliations", "contact_id", "contacts"),
    _one("affiliations", "company_id", "companies"),
    _one("consents", "contact_id", "contacts"),
    _many("deals", "contacts", "contacts", read="contact_ids"),
    _one("deals", "company_id", "companies"),
    _one("deals", "owner_id", "users"),
    _one("leads", "converted_contact_id", "contacts"),
    _one("leads", "converted_company_id", "companies"),
    _one("leads", "converted_deal_id", "deals"),
    _one("leads", "owner_id", "users"),
    _many("contacts", "owner_ids", "users"),
    _one("contacts", "brought_by_id", "users"),
    _many("companies", "owner_ids", "users"),
    _one("teams", "head_id", "users"),
)


def _grouped(links: Sequence[Link]) -> Links:
    table: dict[str, tuple[Link, ...]] = {}
    for link in links:
        table[link.kind] = (*table.get(link.kind, ()), link)
    return table


LINKS: Links = _grouped(_TABLE)
"""Every link a store that keeps its users checks."""
_WITHOUT_STAFF: Links = _grouped([link for link in _TABLE if not link.staff])
ROLLUP_SOURCES = frozenset({"orders", "tickets", "surveys", "activities", "affiliations"})
"""The kinds of record whose links to clients feed the clients' roll-ups."""
_CHUNK = 500  # ids per query
_LABEL = {"contacts": "contact", "companies": "company", "deals": "deal", "users": "user"}
_CLIENTS = frozenset({"contacts", "companies"})


def links_for(users: Any) -> Links:
    """The links a store checks, by its ``users`` option."""
    if users == "kept":
        return LINKS
    if users == "external":
        return _WITHOUT_STAFF
    raise ValidationError(
        "must say where the store's users live",
        field="users",
        value=users,
        hint='give users="kept" (users must be in tx.users, the default) or '
        'users="external" (user ids name users kept outside custdb, unchecked)',
    )


def linked_from(links: Links, target: str) -> tuple[Link, ...]:
    """The links that name records of ``target``."""
    return tuple(
        link for kind_links in links.values() for link in kind_links if link.target == target
    )


def check_clients_exist(
    unit: Any, name: str, records: Sequence[Any], *, before: Any | None = None
) -> None:
    """NotFoundError for the first of ``records`` (of repository ``name``) that links to
    a record the store does not hold. With ``before`` (the stored copy of the one record
    being put), only the links that changed are looked up."""
    for link in unit.links.get(name, ()):
        if before is not None and link.ids(before) == link.ids(records[0]):
            continue
        wanted = sorted({id_ for record in records for id_ in link.ids(record)})
        repo = getattr(unit, link.target)
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            unit.backend.table(link.target).lock(chunk, "link")  # a removal waits for commit
            if repo.count(F("id").is_in(chunk)) == len(chunk):
                continue
            held = {found.id for found in repo.select(F("id").is_in(chunk))}
            missing = next(id_ for id_ in chunk if id_ not in held)
            record = next(r for r in records if missing in link.ids(r))
            raise missing_client(record, link, missing)


def check_unlinked(unit: Any, name: str, target_id: str) -> None:
    """ConflictError if records still link to record ``target_id`` of repository
    ``name``, saying how many of each kind."""
    linking = linked_from(unit.links, name)
    if not linking:  # nothing links to this kind of record
        return
    unit.backend.table(name).lock([target_id], "remove")  # new links wait, or see it gone
    by_kind: dict[str, list[Link]] = {}
    for link in linking:
        by_kind.setdefault(link.kind, []).append(link)
    holding = []
    for kind, links in by_kind.items():
        count = _count_linking(getattr(unit, kind), links, target_id)
        if count:
            holding.append(f"{kind} ({count})")
    if holding:
        raise still_linked(name, target_id, ", ".join(holding))


def _count_linking(repo: Any, links: Sequence[Link], target_id: str) -> int:
    """How many records of one kind name ``target_id`` in any of ``links``: one query
    where each link has one, else read one by one (ids inside line items)."""
    queries = [link.query(target_id) for link in links if link.query is not None]
    if len(queries) == len(links):
        either = queries[0]
        for query in queries[1:]:
            either = either | query
        return int(repo.count(either))
    return sum(
        1 for record in repo.iterate() if any(target_id in link.ids(record) for link in links)
    )


def missing_client(record: Any, link: Link, target_id: str) -> NotFoundError:
    label = _LABEL[link.target]
    return NotFoundError(
        f"links to {label} {target_id!r}, which the store does not hold",
        entity=record.ENTITY,
        id=record.id,
        field=link.field,
        value=target_id,
        hint=f"add the {label} first (in this or an earlier transaction), "
        f"or correct {link.field}"
        + (
            '; if users live outside custdb, open the store with users="external"'
            if link.staff
            else ""
        ),
    )


def still_linked(target: str, target_id: str, holding: str) -> ConflictError:
    label = _LABEL[target]
    return ConflictError(
        f"is still linked from {holding}",
        entity=label,
        id=target_id,
        hint="remove those records or move them to another "
        f"{'client' if target in _CLIENTS else label} first",
    )
