"""``MemoryStore``: the reference behaviour, and the test double users get for free.

Data lives in dicts. A transaction writes to its own overlay and sees the committed
data through it; commit takes the store's lock, recomputes roll-ups, checks that no
record it wrote was changed by another transaction since it read it (optimistic
concurrency, as the SQL stores do with their version column), then applies everything
at once. An exception inside ``begin()`` simply drops the overlay.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import attrs

from custdb import codec
from custdb.errors import DuplicateKeyError, StaleVersionError
from custdb.model.schema import Schema
from custdb.query import Bound, FieldInfo, OrderBy, predicate_of, sort
from custdb.query.case import spelled
from custdb.storage._lifecycle import Closable, Lifecycle, describe
from custdb.storage._links import Link, UsersOption, links_for, missing_client, still_linked
from custdb.storage._log import ChangeFilter, ChangeLogVerbs, in_key_order
from custdb.storage._pending import Pending, PendingAdds, PendingChange, logged
from custdb.storage._rollups import rebuild_rollups
from custdb.storage._settings import Exchange, Stored
from custdb.storage._stamps import fresh
from custdb.storage._unit import CustomOf, LockPurpose, UnitOfWork
from custdb.storage._verbs import SettingsVerbs
from custdb.storage.base import ENTITIES, Change

__all__ = ["MemoryStore"]

_GONE = None

Links = dict[tuple[str, str], str]
"""(system, external id) to the id of the record holding it, per entity."""


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class MemoryStore(SettingsVerbs, ChangeLogVerbs, Closable):
    """A store in process memory: fast, disposable, the same contract as the others."""

    def __init__(
        self,
        *,
        schemas: Iterable[Schema] = (),
        clock: Callable[[], dt.datetime] = _utc_now,
        base_currency: str | None = None,
        rates: Mapping[str, Any] | None = None,
        users: UsersOption = "kept",
    ) -> None:
        self._lifecycle = Lifecycle()
        self.users = users
        self._link_table = links_for(users)
        self._rows: dict[str, dict[str, Any]] = {name: {} for name in ENTITIES}
        self._links: dict[str, Links] = {name: {} for name in ENTITIES}
        self._log: list[Change] = []
        self._by_record: dict[tuple[str, str], list[Change]] = {}  # the log, per record
        self._seq = itertools.count(1)
        self._lock = threading.RLock()
        self._settings: Stored = {}  # as the SQL stores' settings table: name -> (JSON, version)
        self.clock = clock
        self._open_settings(schemas, base_currency, rates)

    @contextmanager
    def begin(self, *, actor: str | None = None, cause: str | None = None) -> Iterator[UnitOfWork]:
        with self._lifecycle.transaction():
            backend = _Overlay(self)
            exchange = self._exchange
            unit = UnitOfWork(
                backend,
                schemas=self.schemas,
                clock=self.clock,
                actor=actor,
                cause=cause,
                exchange=exchange,
                links=self._link_table,
            )
            try:
                yield unit
                with self._lock:
                    self._lifecycle.check_open()  # closed while the block ran: write nothing
                    unit.flush()
                    backend.commit()
            finally:
                unit.end()
            if unit.exchange is not exchange:  # committed: a base currency adopted or declared
                self._exchange = unit.exchange

    def _read_log(self, since: int, limit: int | None, wanted: ChangeFilter) -> list[Change]:
        with self._lock:
            if wanted.entity is not None and wanted.record_id is not None:
                log = self._by_record.get((wanted.entity, wanted.record_id), [])
            else:
                log = self._log
            start = bisect.bisect_right(log, since, key=_seq)
            newer = [c for c in itertools.islice(log, start, None) if wanted.matches(c)]
        return newer[:limit] if limit is not None else newer

    def rebuild_rollups(self) -> None:
        with self.begin(cause="rebuild_rollups") as unit:
            rebuild_rollups(unit)

    def close(self) -> None:
        """Let the data go; afterwards the store refuses work (``StoreError``)."""
        with self._lock:
            self._lifecycle.closed = True
            self._rows = {name: {} for name in ENTITIES}
            self._links = {name: {} for name in ENTITIES}
            self._log = []

    def __repr__(self) -> str:
        """``<MemoryStore memory://: 3 contacts, 1 companies>``: what a notebook shows."""
        if self.closed:
            return describe(type(self).__name__, "memory://", "closed")
        counts = {name: len(rows) for name, rows in self._rows.items()}
        return describe(type(self).__name__, "memory://", counts)

    def _commit(
        self,
        writes: dict[str, dict[str, Any]],
        read_versions: dict[tuple[str, str], int | None],
        changes: Sequence[PendingChange],
        settings: _OverlaySettings,
    ) -> None:
        settings.check(self._settings)
        for (name, id_), version in read_versions.items():
            current = self._rows[name].get(id_)
            if (current.version if current is not None else None) != version:
                raise StaleVersionError(
                    "was changed by another transaction that committed first",
                    entity=ENTITIES[name].ENTITY,  # type: ignore[attr-defined]
                    id=id_,
                    hint="nothing of this transaction was written; run it again",
                )
        for name, rows in writes.items():
            self._check_links(name, rows)
        self._check_client_links(writes)
        for name, rows in writes.items():
            for id_, entity in rows.items():
                _unlink(self._links[name], self._rows[name].get(id_))
                if entity is _GONE:
                    self._rows[name].pop(id_, None)
                else:
                    self._rows[name][id_] = entity
                    _link(self._links[name], entity)
        self._settings.update(settings.written)
        for pending in changes:
            fields = pending._asdict()
            fields.update(before=in_key_order(pending.before), after=in_key_order(pending.after))
            change = Change(seq=next(self._seq), **fields)
            self._log.append(change)
            self._by_record.setdefault((change.entity, change.id), []).append(change)

    def _check_client_links(self, writes: dict[str, dict[str, Any]]) -> None:
        """Links another transaction broke after this one checked them: a record this
        one links to was removed, or one this one removes was linked to."""
        for kind, links in self._link_table.items():
            for link in links:
                self._check_link(writes, kind, link)

    def _check_link(self, writes: dict[str, dict[str, Any]], kind: str, link: Link) -> None:
        records = [r for r in writes.get(kind, {}).values() if r is not _GONE]
        mine = writes.get(link.target, {})
        removed = {id_ for id_, row in mine.items() if row is _GONE}
        if removed:  # every record, as this commit leaves them, may link to one
            rows = {**self._rows[kind], **writes.get(kind, {})}
            records = [row for row in rows.values() if row is not _GONE]
        held = self._rows[link.target]
        for record in records:
            for target_id in link.ids(record):
                if target_id in removed:
                    raise still_linked(link.target, target_id, kind)
                if target_id not in mine and target_id not in held:
                    raise missing_client(record, link, target_id)

    def _check_links(self, name: str, rows: dict[str, Any]) -> None:
        """External ids another transaction took after this one checked them."""
        for entity in rows.values():
            for pair in () if entity is _GONE else entity.external_ids.items():
                owner = self._links[name].get(pair)
                mine = rows.get(owner) if owner in rows else None
                if owner not in (None, entity.id) and (
                    owner not in rows or (mine is not None and _holds(mine, pair))
                ):
                    raise _external_clash(entity, pair)


def _seq(change: Change) -> int:
    return change.seq


def _link(links: Links, entity: Any) -> None:
    for pair in entity.external_ids.items():
        links[pair] = entity.id


def _unlink(links: Links, entity: Any) -> None:
    for pair in () if entity is None else entity.external_ids.items():
        if links.get(pair) == entity.id:
            del links[pair]


def _holds(entity: Any, pair: tuple[str, str]) -> bool:
    return bool(entity.external_ids.get(pair[0]) == pair[1])


def _external_clash(entity: Any, pair: tuple[str, str]) -> DuplicateKeyError:
    system, key = pair
    return DuplicateKeyError(
        f"another record has this {system} id",
        entity=type(entity).ENTITY,
        id=entity.id,
        field="external_ids",
        value=f"{system}:{key}",
        hint="find it with by_external_id() and update that record instead",
    )


class _Overlay:
    """One transaction's writes over the committed rows."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._writes: dict[str, dict[str, Any]] = {name: {} for name in ENTITIES}
        self._read_versions: dict[tuple[str, str], int | None] = {}
        self._changes: list[PendingChange] = []
        self.links: dict[str, Links] = {name: {} for name in ENTITIES}  # of written records
        self.own_stats: dict[str, set[str]] = {name: set() for name in ENTITIES}  # set_stats
        self._settings = _OverlaySettings(self)

    def table(self, name: str) -> _OverlayTable:
        return _OverlayTable(self, name)

    def settings(self) -> _OverlaySettings:
        return self._settings

    def committed_settings(self) -> Stored:
        return self._store._settings  # noqa: SLF001

    def rebuild_rollups(self, exchange: Exchange) -> bool:  # noqa: ARG002
        """No pass of its own: the unit recomputes client by client, over the dicts."""
        return False

    def append_changes(self, changes: Sequence[Pending]) -> None:
        for change in changes:
            if isinstance(change, PendingAdds):
                self._changes.extend(change.each())
            else:
                self._changes.append(change)

    def commit(self) -> None:
        """Apply the writes (under the store's lock). A client row this transaction put
        but whose roll-ups it did not set takes the committed ones: the store owns them,
        and another transaction may have moved them since this one read the client."""
        for name, rows in self._writes.items():
            committed, own = self.committed(name), self.own_stats[name]
            for id_, row in rows.items():
                if row is not _GONE and id_ not in own and hasattr(row, "stats"):
                    current = committed.get(id_)
                    if current is not None and current.stats != row.stats:
                        rows[id_] = attrs.evolve(row, stats=current.stats)
        self._store._commit(  # noqa: SLF001
            self._writes, self._read_versions, self._changes, self._settings
        )

    def committed(self, name: str) -> dict[str, Any]:
        return self._store._rows[name]  # noqa: SLF001

    def committed_links(self, name: str) -> Links:
        return self._store._links[name]  # noqa: SLF001

    def write(self, name: str, id_: str, entity: Any, based_on: int | None) -> None:
        self._read_versions.setdefault((name, id_), based_on)
        self._writes[name][id_] = entity
        if entity is not _GONE:
            _link(self.links[name], entity)


class _OverlayTable:
    def __init__(self, overlay: _Overlay, name: str) -> None:
        self._overlay = overlay
        self._name = name
        self._writes = overlay._writes[name]  # noqa: SLF001

    def load(self, id: str) -> Any | None:  # noqa: A002
        if id in self._writes:
            return self._writes[id]
        return self._overlay.committed(self._name).get(id)

    def insert(
        self, records: Sequence[Any], custom: CustomOf, now: dt.datetime
    ) -> list[dict[str, Any]]:
        entities = [fresh(record, custom(record), now) for record in records]
        for entity in entities:
            if self.load(entity.id) is not None:
                raise DuplicateKeyError(
                    "a record with this id exists already",
                    entity=type(entity).ENTITY,
                    id=entity.id,
                    field="id",
                    hint="put() changes an existing record; add() is for new ones",
                )
        self._refuse_taken_links(entities)
        for entity in entities:
            self._overlay.write(self._name, entity.id, entity, None)
        return [logged(codec.encode(entity)) for entity in entities]

    def update(self, entity: Any, expected_version: int) -> bool:
        current = self.load(entity.id)
        if current is None or current.version != expected_version:
            return False
        self._refuse_taken_links([entity])
        self._overlay.write(self._name, entity.id, entity, self._base_version(entity.id))
        return True

    def delete(self, id: str) -> bool:  # noqa: A002
        if self.load(id) is None:
            return False
        self._overlay.write(self._name, id, _GONE, self._base_version(id))
        return True

    def set_stats(self, stats_by_id: Mapping[str, Any]) -> None:
        own = self._overlay.own_stats[self._name]
        for id_, stats in stats_by_id.items():
            current = self.load(id_)
            if current is not None:
                own.add(id_)
                if current.stats != stats:
                    evolved = attrs.evolve(current, stats=stats)
                    self._overlay.write(self._name, id_, evolved, self._base_version(id_))

    def locked_stats(self, ids: Sequence[str]) -> dict[str, Any]:
        """The roll-ups as this transaction set them, else as committed (commit holds the
        store's lock): a client it put holds the ones it was read with."""
        own, committed = self._overlay.own_stats[self._name], self._overlay.committed(self._name)
        found = {}
        for id_ in ids:
            row = self.load(id_)
            if row is not None:
                kept = row if id_ in own or id_ not in self._writes else committed.get(id_, row)
                found[id_] = kept.stats
        return found

    def lock(self, ids: Iterable[str], purpose: LockPurpose = "update") -> None:
        """Commit holds the store's lock, and checks links again under it."""

    def select(
        self,
        where: Bound | None,
        keys: Sequence[OrderBy],
        limit: int | None,
        offset: int,
        after_id: str | None,
    ) -> list[Any]:
        rows = self._matching(where)
        if after_id is not None:
            rows = (row for row in rows if row.id > after_id)
        ordered = sort(rows, keys)
        return ordered[offset : None if limit is None else offset + limit]

    def select_columns(
        self,
        fields: Sequence[FieldInfo],
        where: Bound | None,
        keys: Sequence[OrderBy],
        limit: int | None,
        offset: int,
    ) -> list[tuple[Any, ...]]:
        """The fields' values of the records ``select`` gives (the reference reading)."""
        rows = self.select(where, keys, limit, offset, None)
        return [tuple(info.value_of(row) for info in fields) for row in rows]

    def scan(
        self, where: Bound | None, keys: Sequence[OrderBy], limit: int, after_id: str | None
    ) -> Iterator[Any]:
        return iter(self.select(where, keys, limit, 0, after_id))

    def count(self, where: Bound | None) -> int:
        return sum(1 for _ in self._matching(where))

    def distinct(self, field: FieldInfo, where: Bound | None) -> dict[Any, int]:
        return spelled(field, self._matching(where))

    def by_external_id(self, system: str, external_id: str) -> Any | None:
        """Through the indexes: this transaction's writes first, then committed rows
        this transaction left alone."""
        pair = (system, external_id)
        written = self._writes.get(self._overlay.links[self._name].get(pair, ""))
        if written is not None and _holds(written, pair):
            return written
        owner = self._overlay.committed_links(self._name).get(pair)
        if owner is None or owner in self._writes:
            return None
        return self._overlay.committed(self._name).get(owner)

    def _refuse_taken_links(self, entities: Sequence[Any]) -> None:
        seen: set[tuple[str, str]] = set()
        for entity in entities:
            for pair in entity.external_ids.items():
                owner = self.by_external_id(*pair)
                if pair in seen or (owner is not None and owner.id != entity.id):
                    raise _external_clash(entity, pair)
                seen.add(pair)

    def _matching(self, where: Bound | None) -> Iterator[Any]:
        rows = self._rows()
        if where is None:
            return rows
        test = predicate_of(where)
        return (row for row in rows if test(row))

    def all(self) -> Iterator[Any]:
        """Every row this transaction sees."""
        return self._rows()

    def _rows(self) -> Iterator[Any]:
        committed = self._overlay.committed(self._name)
        for id_, row in list(committed.items()):
            if id_ not in self._writes:
                yield row
        yield from (row for row in list(self._writes.values()) if row is not _GONE)

    def _base_version(self, id_: str) -> int | None:
        committed = self._overlay.committed(self._name).get(id_)
        return None if committed is None else committed.version


class _OverlaySettings:
    """One transaction's settings writes over the committed ones (``SettingsTable``);
    commit checks that no setting it wrote moved meanwhile, as for records."""

    def __init__(self, overlay: _Overlay) -> None:
        self._overlay = overlay
        self.written: Stored = {}
        self._based_on: dict[str, int | None] = {}

    def read(self) -> Stored:
        return {**self._overlay.committed_settings(), **self.written}

    def write(self, name: str, value: Any, based_on: int | None, now: dt.datetime) -> bool:  # noqa: ARG002
        found = self.read().get(name)
        if (None if found is None else found[1]) != based_on:
            return False
        committed = self._overlay.committed_settings().get(name)
        self._based_on.setdefault(name, None if committed is None else committed[1])
        self.written[name] = (value, (based_on or 0) + 1)
        return True

    def order_currencies(self) -> set[str]:
        return {order.currency for order in _OverlayTable(self._overlay, "orders").all()}

    def check(self, committed: Stored) -> None:
        for name, based_on in self._based_on.items():
            found = committed.get(name)
            if (None if found is None else found[1]) != based_on:
                raise StaleVersionError(
                    "was changed by another transaction that committed first",
                    entity="setting",
                    id=name,
                    hint="nothing of this transaction was written; run it again",
                )
