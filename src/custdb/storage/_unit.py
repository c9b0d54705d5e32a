"""The behaviour every store shares, written once over a small backend primitive.

A backend (memory dicts, SQLAlchemy tables) only loads, inserts, updates with a version
check, deletes, selects a bound query and appends change records. Everything a user can
observe on top of that lives here, so every store behaves the same: version numbers and
timestamps, optimistic concurrency, custom-property validation, the change log entry
written with each write (handed to the backend ``LOG_BATCH`` at a time as a big
transaction goes, so they do not all wait in memory for the commit), and the roll-ups of
every client a write moved (``_rollups.KeptRollups``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Generic, Literal, Protocol, TypeVar

import orjson

from custdb import codec
from custdb.errors import (
    DuplicateKeyError,
    NotFoundError,
    StaleVersionError,
    StoreError,
    ValidationError,
)
from custdb.io.records import Records
from custdb.model import (
    Activity,
    Affiliation,
    Company,
    Consent,
    Contact,
    Deal,
    Lead,
    Order,
    SurveyResponse,
    Team,
    Ticket,
    User,
)
from custdb.model._checks import check_json_custom
from custdb.model.entity import Entity
from custdb.model.frozen import FrozenMap
from custdb.model.schema import Schema
from custdb.query import Bound, BoundGroup, F, FieldInfo, OrderBy, Query, bind, order_by
from custdb.query.case import counted_field
from custdb.rollups import check_currency
from custdb.storage._columns import check_form, resolve, shaped
from custdb.storage._links import (
    LINKS,
    Links,
    check_clients_exist,
    check_unlinked,
)
from custdb.storage._pending import Pending, PendingAdds, PendingChange, diff, logged
from custdb.storage._rollups import KeptRollups
from custdb.storage._settings import Exchange, adopt_base, set_exchange
from custdb.storage._stamps import fresh, stamped
from custdb.storage.base import EVENTS, OrderSpec

__all__ = [
    "LOG_BATCH",
    "Backend",
    "CustomOf",
    "LockPurpose",
    "Repo",
    "Table",
    "UnitOfWork",
    "check_changes_arguments",
]

E = TypeVar("E", bound=Entity)

CustomOf = Callable[[Any], FrozenMap[str, Any]]  # a record's custom values, checked
LOG_BATCH = 10_000  # change records a transaction holds before the backend gets them

# Why rows are locked until commit, which says how strongly (PostgreSQL's row locks, as
# its own foreign keys take them): "link", records are being linked to them, so they
# must stay (FOR KEY SHARE); "update", their roll-ups are rewritten (FOR NO KEY UPDATE,
# which links do not wait for); "remove", they are about to go (FOR UPDATE).
LockPurpose = Literal["link", "update", "remove"]


class Table(Protocol):
    """One entity's rows, as a backend keeps them, inside one transaction."""

    def load(self, id: str) -> Any | None: ...  # noqa: A002
    # adds ``_stamps.fresh(record, custom(record), now)`` of each; returns each
    # change-log ``after``: ``logged(codec.encode(added))``, or its JSON text
    def insert(
        self, records: Sequence[Any], custom: CustomOf, now: dt.datetime
    ) -> Sequence[dict[str, Any] | str]: ...
    # writes the record but its roll-ups, which stay as stored: the store owns them, and
    # a transaction that committed since the record was read may have moved them
    def update(self, record: Any, expected_version: int) -> bool: ...
    def delete(self, id: str) -> bool: ...  # noqa: A002
    def set_stats(self, stats_by_id: Mapping[str, Any]) -> None: ...  # a gone row: passed by
    # lock client rows ``ids`` ("update") and read their stored roll-ups; gone rows left out
    def locked_stats(self, ids: Sequence[str]) -> dict[str, Any]: ...
    def lock(self, ids: Iterable[str], purpose: LockPurpose = "update") -> None: ...
    def select(
        self,
        where: Bound | None,
        keys: Sequence[OrderBy],
        limit: int | None,
        offset: int,
        after_id: str | None,
    ) -> list[Any]: ...
    # the values of ``fields`` in each row ``select`` would give, as ``value_of`` reads them
    def select_columns(
        self,
        fields: Sequence[FieldInfo],
        where: Bound | None,
        keys: Sequence[OrderBy],
        limit: int | None,
        offset: int,
    ) -> list[tuple[Any, ...]]: ...
    # one page of ``select``'s records, made as they are taken: a page of records held
    # at once outlives the young garbage collections, which costs more than decoding
    def scan(
        self, where: Bound | None, keys: Sequence[OrderBy], limit: int, after_id: str | None
    ) -> Iterator[Any]: ...
    def count(self, where: Bound | None) -> int: ...
    # the values of a field in the rows ``where`` selects: ``case.tally``'s answer
    def distinct(self, field: FieldInfo, where: Bound | None) -> dict[Any, int]: ...
    def by_external_id(self, system: str, external_id: str) -> Any | None: ...


class Backend(Protocol):
    def table(self, name: str) -> Table: ...
    def append_changes(self, changes: Sequence[Pending]) -> None: ...
    # recompute every client's roll-ups in one pass inside the database; False where the
    # backend has no such pass (the unit then recomputes client by client)
    def rebuild_rollups(self, exchange: Exchange) -> bool: ...


class Repo(Generic[E]):
    """``Repository`` for one entity, over a backend ``Table``."""

    def __init__(self, unit: UnitOfWork, name: str, entity: type[E]) -> None:
        self._unit = unit
        self._name = name
        self._entity = entity
        self._label = entity.ENTITY
        self._rows = unit.backend.table(name)
        self._schema = unit.schemas.get(self._label)
        self._unique = [f.name for f in self._schema.fields if f.unique] if self._schema else []

    @property
    def _table(self) -> Table:
        """The backend's rows, while the transaction lasts: every verb goes through here."""
        self._unit.check_open()
        return self._rows

    def get(self, id: str) -> E:  # noqa: A002
        found: E | None = self._table.load(id)
        if found is None:
            raise NotFoundError(
                "no such record", entity=self._label, id=id, hint="check the id, or use find()"
            )
        return found

    def find(self, id: str) -> E | None:  # noqa: A002
        found: E | None = self._table.load(id)
        return found

    def add(self, entity: E) -> E:
        self._check_type(entity)
        custom = self._custom(entity)  # checked once, for the row and for the copy
        self._add((entity,), lambda _: custom)
        return fresh(entity, custom, self._unit.now())

    def add_many(self, entities: Iterable[E], *, batch_size: int = 5000) -> int:
        _check_count("batch_size", batch_size, least=1, entity=self._label)
        batch: list[E] = []
        added = 0
        for entity in entities:
            batch.append(entity)
            if len(batch) >= batch_size:
                self._add(batch, self._custom)
                added, batch = added + len(batch), []
        self._add(batch, self._custom)
        return added + len(batch)

    def put(self, entity: E) -> E:
        self._check_type(entity)
        current = self.get(entity.id)
        if current.version != entity.version:
            raise self._stale(entity, current.version)
        stamps = {
            "version": entity.version + 1,
            "updated_at": self._unit.now(),
            "created_at": current.created_at,
        }
        if hasattr(current, "stats"):
            if entity.stats != current.stats:  # type: ignore[attr-defined]
                raise self._own_stats(entity)
            stamps["stats"] = current.stats
        if self._name == "orders":
            self._unit.check_currencies((entity,))
        stored = stamped(entity, stamps, self._schema)
        check_clients_exist(self._unit, self._name, (stored,), before=current)
        self._check_unique((stored,), (stored.custom,))
        if not self._table.update(stored, entity.version):
            raise self._stale(entity, None)
        before, after = diff(codec.encode(current), codec.encode(stored))
        self._unit.record(self._label, stored.id, "put", before, after)
        self._unit.touched(self._name, (current, stored))
        return stored

    def remove(self, id: str) -> None:  # noqa: A002
        current = self.get(id)
        check_unlinked(self._unit, self._name, id)
        if not self._table.delete(id):
            raise self._stale(current, None)
        self._unit.record(self._label, id, "remove", logged(codec.encode(current)), {})
        self._unit.touched(self._name, (current,))

    def select(
        self,
        where: Query | None = None,
        *,
        order_by: OrderSpec = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Records[E]:
        self._check_window(limit, offset)
        keys = self._order(order_by)
        rows = self._table.select(self._bind(where), keys, limit, offset, None)
        return Records(rows, entity=self._entity, schema=self._schema)

    def select_columns(
        self,
        fields: Sequence[str],
        where: Query | None = None,
        *,
        order_by: OrderSpec = None,
        limit: int | None = None,
        offset: int = 0,
        form: str = "tuples",
    ) -> Any:
        """``fields`` of the records ``select`` would give, read without making them
        (``_columns``): tuples, dicts or a pandas DataFrame."""
        shape = check_form(form, self._entity)
        infos = resolve(self._entity, self._schema, fields)
        self._check_window(limit, offset)
        keys, bound = self._order(order_by), self._bind(where)
        rows = self._table.select_columns(infos, bound, keys, limit, offset)
        return shaped(fields, rows, shape, entity=self._entity, infos=infos, schema=self._schema)

    def _check_window(self, limit: int | None, offset: int) -> None:
        if limit is not None:
            _check_count("limit", limit, least=0, entity=self._label)
        _check_count("offset", offset, least=0, entity=self._label)

    def count(self, where: Query | None = None) -> int:
        return self._table.count(self._bind(where))

    def distinct(self, field: str, where: Query | None = None) -> dict[Any, int]:
        """The values ``field`` holds in the records ``where`` selects, with how many
        records hold each, most common first; tags and e-mails fold case."""
        info = counted_field(self._entity, field, self._schema)
        return self._table.distinct(info, self._bind(where))

    def iterate(self, where: Query | None = None, *, batch_size: int = 1000) -> Iterator[E]:
        _check_count("batch_size", batch_size, least=1, entity=self._label)
        return self._pages(self._bind(where), batch_size)  # bad arguments raise here

    def _pages(self, bound: Bound | None, batch_size: int) -> Iterator[E]:
        keys, after = self._order(None), None
        while True:
            taken = 0
            for record in self._table.scan(bound, keys, batch_size, after):
                taken += 1
                after = record.id
                yield record
            if taken < batch_size:
                return

    def by_external_id(self, system: str, external_id: str) -> E | None:
        return self._table.by_external_id(system, external_id)

    def _add(self, entities: Sequence[E], custom: CustomOf) -> None:
        """The backend gets the records as given and stamps them itself (a SQL backend
        writes the stamps straight into the rows: no stamped copy is made), checking
        each one's custom values with ``custom`` as it goes."""
        if not all(isinstance(entity, self._entity) for entity in entities):
            for entity in entities:
                self._check_type(entity)
        ids = [entity.id for entity in entities]
        if len(set(ids)) < len(ids):
            _refuse_repeated_ids(self._label, ids)
        check_clients_exist(self._unit, self._name, entities)
        if self._name == "orders":
            self._unit.check_currencies(entities)
        if self._unique:
            self._check_unique(entities, [custom(e) for e in entities])
        afters = self._table.insert(entities, custom, self._unit.now())
        self._unit.record_adds(self._label, ids, afters)
        self._unit.rollups.added(self._name, entities)

    def _custom(self, entity: E) -> FrozenMap[str, Any]:
        """``entity``'s custom values as its schema checks and types them."""
        return entity.custom if self._schema is None else self._schema.validate(entity.custom)

    def _check_unique(self, entities: Sequence[E], customs: Sequence[FrozenMap[str, Any]]) -> None:
        """Custom fields declared ``unique`` hold each value on one record at most."""
        for name in self._unique:
            holders: dict[Any, str] = {}
            for entity, custom in zip(entities, customs, strict=True):
                value = custom.get(name)
                if value is None:
                    continue
                holder = holders.get(value) or self._holder(name, value, entity.id)
                if holder is not None:
                    raise DuplicateKeyError(
                        "is already held by another record",
                        entity=self._label,
                        id=entity.id,
                        field=name,
                        value=value,
                        hint=f"{self._label} {holder} has it; the field is declared unique",
                    )
                holders[value] = entity.id

    def _holder(self, name: str, value: Any, own_id: str) -> str | None:
        bound = self._bind((F(name) == value) & (F("id") != own_id))
        found = self._table.select(bound, (), 1, 0, None)
        return found[0].id if found else None

    def _bind(self, where: Query | None) -> Bound | None:
        """``where`` checked and typed; ``None`` for no filter. Anything but a query is a
        ``QueryError`` from ``bind`` (never ``==``: ``F("x") == ALL`` is a truthy query)."""
        if where is None:
            return None
        bound = bind(where, self._entity, schema=self._schema, now=self._unit.now())
        every = isinstance(bound, BoundGroup) and bound.all and not bound.parts
        return None if every else bound

    def _order(self, spec: OrderSpec) -> tuple[OrderBy, ...]:
        return order_by(spec, self._entity, schema=self._schema)

    def _check_type(self, entity: Any) -> None:
        if not isinstance(entity, self._entity):
            kind = type(entity).__name__
            raise TypeError(f"tx.{self._name} keeps {self._entity.__name__}, not {kind}")
        if self._schema is None and entity.custom:
            check_json_custom(self._label, entity.id, entity.custom)

    def _own_stats(self, entity: Any) -> ValidationError:
        return ValidationError(
            "has stats that differ from the stored ones: roll-ups are the store's, "
            "kept from the client's orders, tickets, activities and surveys, and a put "
            "cannot set them",
            entity=self._label,
            id=entity.id,
            field="stats",
            hint="leave stats as read (get() the record again if its orders changed since), "
            "or call store.rebuild_rollups() to recompute them",
        )

    def _stale(self, entity: Any, stored_version: int | None) -> StaleVersionError:
        return StaleVersionError(
            f"changed since it was read (you hold version {entity.version}"
            + (f", the store has {stored_version})" if stored_version is not None else ")"),
            entity=self._label,
            id=entity.id,
            hint="get() it again, reapply your change and put() the fresh copy",
        )


class UnitOfWork:
    """The generic ``Transaction``: one repository per entity, the pending log entries,
    and the roll-up bookkeeping (``rollups``) brought up to date before commit."""

    def __init__(
        self,
        backend: Backend,
        *,
        schemas: dict[str, Schema],
        clock: Callable[[], dt.datetime],
        actor: str | None,
        cause: str | None,
        exchange: Exchange | None = None,
        links: Links = LINKS,
    ) -> None:
        self.backend = backend
        self.links = links  # the links this store keeps whole (``_links.links_for``)
        self.schemas = schemas
        self.exchange = Exchange() if exchange is None else exchange
        self._clock = clock
        self._actor = actor
        self._cause = cause
        self._changes: list[Pending] = []
        self._held = 0  # change records in ``_changes``
        self.rollups = KeptRollups(self)
        self._now: dt.datetime | None = None
        self._ended = False
        self.contacts = Repo(self, "contacts", Contact)
        self.companies = Repo(self, "companies", Company)
        self.affiliations = Repo(self, "affiliations", Affiliation)
        self.leads = Repo(self, "leads", Lead)
        self.deals = Repo(self, "deals", Deal)
        self.activities = Repo(self, "activities", Activity)
        self.tickets = Repo(self, "tickets", Ticket)
        self.orders = Repo(self, "orders", Order)
        self.surveys = Repo(self, "surveys", SurveyResponse)
        self.users = Repo(self, "users", User)
        self.teams = Repo(self, "teams", Team)
        self.consents = Repo(self, "consents", Consent)

    def end(self) -> None:
        """The block is over (committed or rolled back): the repositories refuse to work."""
        self._ended = True

    def check_open(self) -> None:
        if self._ended:
            raise StoreError(
                "this transaction has ended: it was committed or rolled back with its block",
                hint="read and write inside `with store.begin() as tx:`, or open a new one",
            )

    def now(self) -> dt.datetime:
        """One instant for the whole transaction, so its writes share a timestamp; in
        UTC, as every database hands it back."""
        if self._now is None:
            now = self._clock()
            if now.utcoffset() is None:
                raise ValidationError(
                    "the store's clock gave no timezone-aware datetime",
                    field="clock",
                    value=now,
                    hint="give a clock that returns e.g. datetime.now(timezone.utc)",
                )
            self._now = now.astimezone(dt.timezone.utc)
        return self._now

    def record(
        self,
        entity: str,
        id: str,  # noqa: A002 - the record id, as on every entity
        op: str,
        before: dict[str, Any],
        after: dict[str, Any] | str,
    ) -> None:
        self._changes.append(
            PendingChange(entity, id, op, before, after, self._actor, self.now(), self._cause)
        )
        self._hold(1)

    def log_event(self, entity: str, id: str, details: Mapping[str, Any]) -> None:  # noqa: A002
        self.check_open()
        if entity not in EVENTS:
            raise ValidationError(
                "is not an event the change log keeps",
                entity="change",
                field="entity",
                value=entity,
                hint=f"give one of {', '.join(EVENTS)}",
            )
        if not isinstance(id, str) or not id.strip():  # type: ignore[redundant-expr]
            raise ValidationError(
                "must be a non-empty text",
                entity=entity,
                field="id",
                value=id,
                hint="give the batch's or the export's own id",
            )
        self.record(entity, id, "event", {}, orjson.loads(_event_json(details)))

    def record_adds(
        self, entity: str, ids: Sequence[str], afters: Sequence[dict[str, Any] | str]
    ) -> None:
        """``record`` for each of a batch of added records, ``afters`` in ``ids``' order."""
        if not ids:  # the empty last batch of an add_many
            return
        self._changes.append(PendingAdds(entity, ids, afters, self._actor, self.now(), self._cause))
        self._hold(len(ids))

    def _hold(self, count: int) -> None:
        """Hand the pending entries to the backend once there are ``LOG_BATCH``: they are
        numbered in the order written either way, and roll back with the transaction."""
        self._held += count
        if self._held >= LOG_BATCH:
            self._hand_over()

    def _hand_over(self) -> None:
        self.backend.append_changes(self._changes)
        self._changes, self._held = [], 0

    def set_rates(self, rates: Mapping[str, Any], *, base_currency: str | None = None) -> None:
        """Replace the store's rates (declaring ``base_currency`` if it has none) with
        this transaction's writes: the clients whose totals move are recomputed."""
        self.check_open()
        self.exchange = set_exchange(self, base_currency, rates)

    def check_currencies(self, orders: Iterable[Any]) -> None:
        """Each order's currency is the base or has a rate; a base without a base
        currency adopts the first order's (``_settings.adopt_base``)."""
        for order in orders:
            if self.exchange.base is None:
                self.exchange = adopt_base(self, order.currency)
            check_currency(order, self.exchange.base or order.currency, self.exchange.rates)

    def touched(self, name: str, records: Iterable[Any]) -> None:
        """``records`` (of repository ``name``) changed: the clients whose roll-ups
        they feed are recomputed from their records before commit."""
        self.rollups.changed(name, records)

    def flush(self) -> None:
        """Bring the roll-ups up to date and hand the log entries to the backend: the
        last step before the backend commits, inside the same database transaction."""
        self.rollups.flush()
        self._hand_over()


def _event_json(details: Mapping[str, Any]) -> bytes:
    """The JSON of an event's details, keys sorted as in every change: dates and times
    as ISO text, decimals as text."""
    try:
        return orjson.dumps(dict(details), default=_as_text, option=orjson.OPT_SORT_KEYS)
    except TypeError as e:
        raise ValidationError(
            f"cannot be written as JSON ({e})",
            entity="change",
            field="details",
            value=details,
            hint="give texts, numbers, booleans, dates, lists and dicts of those",
        ) from e


def _as_text(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


_MOST = 2**63 - 1  # the largest whole number SQLite and PostgreSQL take for a count


def _check_count(name: str, value: Any, *, least: int, entity: str | None = None) -> None:
    """A limit, offset, cursor or batch size must be a whole number, so every store reads
    it alike (a negative limit is "no limit" to SQLite, "all but the last" to a slice),
    and fit the databases' 64-bit integers (one beyond overflows in the driver)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ValidationError(
            f"must be a whole number, {least} or more",
            entity=entity,
            field=name,
            value=value,
            hint=f"give e.g. {name}={max(least, 100)}",
        )
    if value > _MOST:
        raise ValidationError(
            f"is too large: must be at most {_MOST} (2**63 - 1)",
            entity=entity,
            field=name,
            value=value,
            hint="no store holds that many records; for no limit, pass limit=None"
            if name == "limit"
            else f"give a smaller {name}",
        )


def check_changes_arguments(since: Any, limit: Any) -> None:
    """``store.changes(since, limit=)``: a cursor and a limit, both whole numbers."""
    _check_count("since", since, least=0, entity="change")
    if limit is not None:
        _check_count("limit", limit, least=0, entity="change")


def _refuse_repeated_ids(label: str, ids: Sequence[str]) -> None:
    seen: set[str] = set()
    for id_ in ids:
        if id_ in seen:
            raise DuplicateKeyError("appears twice in one batch", entity=label, id=id_, field="id")
        seen.add(id_)
