"""The SQL store, written once for SQLite and PostgreSQL, over the tables of
``_tables`` and the row mapping of ``_rows``.

Everything a user can observe lives in ``_unit.UnitOfWork``; ``SQLTable`` and
``SQLBackend`` are its small backend protocol over one connection, and ``SQLStore`` opens
the transactions. ``SQLiteStore`` and ``PostgresStore`` are thin subclasses.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import operator
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import event

from custdb import codec
from custdb.errors import DuplicateKeyError, StoreError
from custdb.model import ClientStats
from custdb.model.schema import Schema
from custdb.query import Bound, FieldInfo, FieldKind, OrderBy
from custdb.storage._compile import compile_order, compile_where, shape, where_values
from custdb.storage._dialect import Dialect, unchanged
from custdb.storage._distinct import distinct_in_sql
from custdb.storage._driver import (
    driver_errors,
    guarded,
    row_counts,
    set_once,
    store_error,
)
from custdb.storage._lifecycle import (
    LOCK_TIMEOUT,
    Closable,
    Lifecycle,
    check_lock_timeout,
    describe,
    nested_error,
)
from custdb.storage._links import UsersOption, links_for
from custdb.storage._log import ChangeFilter, ChangeLogVerbs
from custdb.storage._migrations import migrate
from custdb.storage._pending import Pending, PendingAdds
from custdb.storage._pg_copy import insert_rows
from custdb.storage._rollups import rebuild_rollups
from custdb.storage._rows import Plan
from custdb.storage._settings import Exchange
from custdb.storage._sql_columns import ColumnReader, reader_for
from custdb.storage._sql_log import change_of, select_changes
from custdb.storage._sql_rollups import rebuild_in_sql
from custdb.storage._sql_settings import SQLSettings
from custdb.storage._tables import CHANGES, EXTERNAL_IDS, METADATA, dumps, loads
from custdb.storage._unit import CustomOf, LockPurpose, UnitOfWork
from custdb.storage._urls import redacted
from custdb.storage._verbs import SettingsVerbs
from custdb.storage.base import ENTITIES, Change

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self is 3.11+; annotations only

__all__ = ["SQLBackend", "SQLStore"]

_UNLINK = EXTERNAL_IDS.delete().where(
    EXTERNAL_IDS.c.entity == sa.bindparam("_entity"),
    EXTERNAL_IDS.c.record_id == sa.bindparam("_record"),
)
_CHANGE_WRITES = sa.table("changes", *(sa.column(column.name) for column in CHANGES.columns))
_LOCKS: dict[str, tuple[bool, bool]] = {  # with_for_update's (read, key_share) per purpose
    "link": (True, True),  # FOR KEY SHARE
    "update": (False, True),  # FOR NO KEY UPDATE
    "remove": (False, False),  # FOR UPDATE
}
_STATS = codec.trusted_decoder(ClientStats)  # stats rows are the store's own, valid
_NO_STATS = ClientStats()
_CHANGE_COLUMNS = ("entity", "record_id", "op", "before", "after", "actor", "at", "cause")


# --- the backend: one transaction's tables ----------------------------------------------

_CHUNK = 500
_STATEMENTS = 256  # compiled statements kept per entity, by query shape


class SQLTable:
    """One entity's rows inside one transaction (``_unit.Table``)."""

    def __init__(self, backend: SQLBackend, name: str) -> None:
        self._conn = backend.connection
        self._dialect = backend.dialect
        self._plan = plan = backend.plans[name]
        self._t = plan.table
        self._label: str = plan.cls.ENTITY  # type: ignore[attr-defined]
        self._schema = backend.schemas.get(self._label)
        self._stats_columns = frozenset(
            (*(name for name, _ in plan.stats_getters), "stats") if plan.stats_getters else ()
        )

    @guarded
    def load(self, id: str) -> Any | None:  # noqa: A002
        row = self._conn.execute(self._plan.by_id, {"_id": id}).first()
        return None if row is None else self._plan.entity(row, self._schema)

    @guarded
    def insert(self, entities: Sequence[Any], custom: CustomOf, now: dt.datetime) -> list[str]:
        if not entities:
            return []
        plan = self._plan
        made = (plan.added(e, custom(e), now) for e in entities)  # each as it is written
        links = [link for entity in entities if entity.external_ids for link in self._links(entity)]
        try:
            with self._conn.begin_nested():
                rows = insert_rows(self._conn, plan.writes, plan.columns, made, len(entities))
                if links:
                    self._conn.execute(EXTERNAL_IDS.insert(), links)
        except sa.exc.IntegrityError as error:
            raise self._duplicate(entities, error) from error
        return [row[-1] for row in rows]  # ``doc``: the text of the logged record

    @guarded
    def update(self, entity: Any, expected_version: int) -> bool:
        links = self._links(entity)
        if expected_version == 1:  # the add's log entry may still read this row's doc
            self._conn.execute(self._plan.keep_added, {"_id": entity.id})
        row = self._plan.row(entity)
        for name in self._stats_columns:  # the store's: a put never writes them back
            del row[name]
        row.update(_id=entity.id, _version=expected_version)
        try:  # a savepoint only where a unique key can break: external ids
            with self._conn.begin_nested() if links else contextlib.nullcontext():
                if self._conn.execute(self._plan.update, row).rowcount != 1:
                    return False
                self._unlink(entity.id)
                if links:
                    self._conn.execute(EXTERNAL_IDS.insert(), links)
        except sa.exc.IntegrityError as error:
            raise self._external_clash([entity]) or store_error(error) from error
        return True

    @guarded
    def delete(self, id: str) -> bool:  # noqa: A002
        self._conn.execute(self._plan.keep_added, {"_id": id})
        done = self._conn.execute(self._plan.delete, {"_id": id})
        self._unlink(id)
        return bool(done.rowcount == 1)

    @guarded
    def set_stats(self, stats_by_id: Mapping[str, Any]) -> None:
        """One ``executemany`` of the roll-up UPDATE for all the clients given, straight
        to the driver (as ``insert_many``): a commit writes one row per client."""
        if stats_by_id:
            plan, dialect = self._plan, self._conn.dialect
            sql, in_order, order = self._statement(("stats",), lambda: _stats_sql(plan, dialect))
            if in_order:  # SQLite: (*columns, id), no dict per client
                values, held = plan.stats_values, _holding(plan)
                rows: list[Any] = []
                for id_, stats in stats_by_id.items():
                    row = values(stats)
                    held[id_] = row[-1], stats  # what the next read of this text decodes to
                    rows.append((*row, id_))
            else:
                named = [{**plan.stats_row(s), "_id": id_} for id_, s in stats_by_id.items()]
                rows = named if order is None else [order(r) for r in named]
            self._conn.exec_driver_sql(sql, rows)

    @guarded
    def locked_stats(self, ids: Sequence[str]) -> dict[str, Any]:
        """Lock the client rows (as ``lock`` for "update") and read their roll-ups: the
        ones the last committed writer left, which a tally is added to."""
        t = self._t
        if not self._plan.json_text:
            query = sa.select(t.c.id, self._plan.read[3]).where(t.c.id.in_(sorted(ids)))
            if self._dialect.locks_rows:
                query = query.order_by(t.c.id).with_for_update(key_share=True)
            rows = self._conn.execute(query)
            return {id_: _NO_STATS if data is None else _STATS(data, None) for id_, data in rows}
        held, found = self._plan.held_stats, {}
        for id_, data in self._stats_rows(ids):
            text, stats = held.get(id_, _NOT_HELD)
            if text != data:
                stats = _NO_STATS if data is None else _STATS(loads(data), None)
            found[id_] = stats
        return found

    def _stats_rows(self, ids: Sequence[str]) -> Iterator[tuple[str, str | None]]:
        """(id, stats text) of the rows ``ids`` on SQLite (which locks no rows), ``_CHUNK``
        ids a statement: one text, straight to the driver, the last chunk padded with
        its last id (an IN list of one id twice finds the row once)."""
        dialect = self._conn.dialect
        sql = self._statement(("stats in",), lambda: _stats_in_sql(self._plan, dialect))
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            chunk += chunk[-1:] * (_CHUNK - len(chunk))
            yield from self._conn.exec_driver_sql(sql, tuple(chunk))

    @guarded
    def stats_page(self, after: str | None, limit: int) -> list[tuple[str, tuple[Any, ...]]]:
        """The next ``limit`` rows after id ``after`` (None: from the first), in id order
        and locked as ``locked_stats`` locks them: (id, the roll-up columns then the
        stats JSON as stored), to compare with :meth:`stored_as`. A rebuild writes only
        the rows that differ, columns and JSON alike."""
        w = self._plan.writes  # untyped: the values as the driver gives them
        names = (*(name for name, _ in self._plan.stats_getters), "stats")
        query = sa.select(w.c.id, *(w.c[name] for name in names)).order_by(w.c.id).limit(limit)
        if after is not None:
            query = query.where(w.c.id > after)
        if self._dialect.locks_rows:
            query = query.with_for_update(key_share=True)
        return [(row[0], tuple(row[1:])) for row in self._conn.execute(query)]

    def stored_as(self, stats: Any) -> tuple[Any, ...]:
        """What :meth:`stats_page` reads of a row holding ``stats`` (PostgreSQL's driver
        gives the JSON as a dict)."""
        values = self._plan.stats_values(stats)
        return values if self._plan.json_text else (*values[:-1], loads(values[-1]))

    @guarded
    def lock(self, ids: Iterable[str], purpose: LockPurpose = "update") -> None:
        """Hold the rows until commit (``LockPurpose`` says how strongly), in id order."""
        wanted = sorted(ids)
        if not self._dialect.locks_rows or not wanted:
            return
        read, key_share = _LOCKS[purpose]
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            query = sa.select(self._t.c.id).where(self._t.c.id.in_(chunk))
            locked = query.order_by(self._t.c.id).with_for_update(read=read, key_share=key_share)
            self._conn.execute(locked).all()

    @guarded
    def select(
        self,
        where: Bound | None,
        keys: Sequence[OrderBy],
        limit: int | None,
        offset: int,
        after_id: str | None,
    ) -> list[Any]:
        schema, entity = self._schema, self._plan.entity
        return [entity(row, schema) for row in self._fetched(where, keys, limit, offset, after_id)]

    @guarded
    def scan(
        self, where: Bound | None, keys: Sequence[OrderBy], limit: int, after_id: str | None
    ) -> Iterator[Any]:
        """The page's rows fetched at once, each decoded when it is taken."""
        schema, entity = self._schema, self._plan.entity
        return (entity(row, schema) for row in self._fetched(where, keys, limit, 0, after_id))

    def _fetched(
        self,
        where: Bound | None,
        keys: Sequence[OrderBy],
        limit: int | None,
        offset: int,
        after_id: str | None,
    ) -> Sequence[Any]:
        extra = {"_limit": limit, "_offset": offset or None, "_after": after_id}
        key = ("select", self._shape(where), tuple(keys), *(v is not None for v in extra.values()))
        query = self._statement(key, lambda: self._select(where, keys, extra))
        return self._conn.execute(query, self._params(where, extra)).all()

    @guarded
    def select_columns(
        self,
        fields: Sequence[FieldInfo],
        where: Bound | None,
        keys: Sequence[OrderBy],
        limit: int | None,
        offset: int,
    ) -> list[tuple[Any, ...]]:
        """``select``'s statement reading only ``fields`` (``_sql_columns``)."""
        extra = {"_limit": limit, "_offset": offset or None, "_after": None}
        given = (value is not None for value in extra.values())
        key = ("columns", tuple(fields), self._shape(where), tuple(keys), *given)
        reader: ColumnReader = self._statement(
            key,
            lambda: reader_for(
                fields, self._select(where, keys, extra), self._plan, self._dialect, self._schema
            ),
        )
        return reader.read(self._conn, self._params(where, extra))

    @guarded
    def count(self, where: Bound | None) -> int:
        query = self._statement(
            ("count", self._shape(where)),
            lambda: self._filtered(sa.select(sa.func.count()).select_from(self._t), where),
        )
        return int(self._conn.execute(query, self._params(where, {})).scalar_one())

    @guarded
    def distinct(self, field: FieldInfo, where: Bound | None) -> dict[Any, int]:
        """Grouped in the database (``_distinct``); the filter compiles as for ``count``."""
        test = None if where is None else compile_where(where, self._t, self._dialect)
        params = self._params(where, {})
        return distinct_in_sql(self._conn, self._t, self._dialect, field, where=test, params=params)

    @guarded
    def by_external_id(self, system: str, external_id: str) -> Any | None:
        query = self._statement(("by_external_id",), self._by_external_id)
        params = {"_system": system, "_key": external_id}
        row = self._conn.execute(query, params).first()
        return None if row is None else self._plan.entity(row, self._schema)

    def _statement(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The statement for a query of this shape, built on first use."""
        found = self._plan.statements.get(key)
        if found is None:
            if len(self._plan.statements) >= _STATEMENTS:
                self._plan.statements.clear()
            found = self._plan.statements[key] = build()
        return found

    def _select(self, where: Bound | None, keys: Sequence[OrderBy], extra: dict[str, Any]) -> Any:
        query = self._filtered(sa.select(*self._plan.read), where)
        if extra["_after"] is not None:
            query = query.where(self._t.c.id > sa.bindparam("_after"))
        every = where is not None and extra["_limit"] is None
        query = query.order_by(*compile_order(keys, self._t, self._dialect, every_match=every))
        if extra["_limit"] is not None:
            query = query.limit(sa.bindparam("_limit", type_=sa.BigInteger))
        if extra["_offset"] is not None:
            query = query.offset(sa.bindparam("_offset", type_=sa.BigInteger))
        return query

    def _by_external_id(self) -> Any:
        link = EXTERNAL_IDS.c
        joined = self._t.join(
            EXTERNAL_IDS, (link.entity == self._label) & (link.record_id == self._t.c.id)
        )
        query = sa.select(*self._plan.read).select_from(joined)
        return query.where(
            link.system == sa.bindparam("_system"), link.external_id == sa.bindparam("_key")
        )

    def _filtered(self, query: sa.Select[Any], where: Bound | None) -> sa.Select[Any]:
        if where is None:
            return query
        return query.where(compile_where(where, self._t, self._dialect))

    def _shape(self, where: Bound | None) -> Hashable:
        return None if where is None else shape(where)

    def _params(self, where: Bound | None, extra: dict[str, Any]) -> dict[str, Any]:
        params = {} if where is None else where_values(where, self._dialect)
        params.update((name, value) for name, value in extra.items() if value is not None)
        return params

    def _links(self, entity: Any) -> list[dict[str, str]]:
        return [
            {"entity": self._label, "system": system, "external_id": key, "record_id": entity.id}
            for system, key in entity.external_ids.items()
        ]

    def _unlink(self, id_: str) -> None:
        self._conn.execute(_UNLINK, {"_entity": self._label, "_record": id_})

    def _duplicate(self, entities: Sequence[Any], error: sa.exc.IntegrityError) -> Exception:
        """Which new record broke a unique key: asked after the savepoint rolled back."""
        ids = [entity.id for entity in entities]
        for start in range(0, len(ids), _CHUNK):
            query = sa.select(self._t.c.id).where(self._t.c.id.in_(ids[start : start + _CHUNK]))
            taken = self._conn.execute(query).scalars().first()
            if taken is not None:
                return DuplicateKeyError(
                    "a record with this id exists already",
                    entity=self._label,
                    id=taken,
                    field="id",
                    hint="put() changes an existing record; add() is for new ones",
                )
        return self._external_clash(entities) or store_error(error)

    def _external_clash(self, entities: Sequence[Any]) -> DuplicateKeyError | None:
        link, seen = EXTERNAL_IDS.c, set[tuple[str, str]]()
        for entity in entities:
            for system, key in entity.external_ids.items():
                owner = self._conn.execute(
                    sa.select(link.record_id).where(
                        link.entity == self._label, link.system == system, link.external_id == key
                    )
                ).scalar()
                if (owner is not None and owner != entity.id) or (system, key) in seen:
                    return DuplicateKeyError(
                        f"another record has this {system} id",
                        entity=self._label,
                        id=entity.id,
                        field="external_ids",
                        value=f"{system}:{key}",
                        hint="find it with by_external_id() and update that record instead",
                    )
                seen.add((system, key))
        return None


class SQLBackend:
    """``_unit.Backend`` over one connection inside one database transaction."""

    def __init__(
        self,
        connection: sa.Connection,
        dialect: Dialect,
        schemas: dict[str, Schema],
        plans: dict[str, Plan],
    ) -> None:
        self.connection = connection
        self.dialect = dialect
        self.schemas = schemas
        self.plans = plans

    def table(self, name: str) -> SQLTable:
        return SQLTable(self, name)

    def settings(self) -> SQLSettings:
        return SQLSettings(self.connection)

    @guarded
    def rebuild_rollups(self, exchange: Exchange) -> bool:
        """Every client's roll-ups from GROUP BY queries (``_sql_rollups``)."""
        rebuild_in_sql(self, exchange)
        return True

    @guarded
    def append_changes(self, changes: Sequence[Pending]) -> None:
        if not changes:
            return
        if self.dialect.serialize_log is not None:  # numbers in commit order: safe cursors
            self.connection.execute(self.dialect.serialize_log)
        moment = self.dialect.storage.get(FieldKind.DATETIME, unchanged)
        changed = {(c.entity, c.id) for c in changes if not isinstance(c, PendingAdds)}
        rows: list[tuple[Any, ...]] = []
        for c in changes:
            at = moment(c.at)
            if isinstance(c, PendingAdds):  # NULL: the row's doc (see ``_sql_log``)
                for id_, after in zip(c.ids, c.afters, strict=True):
                    text = _added(c.entity, id_, after, changed)
                    rows.append((c.entity, id_, "add", "{}", text, c.actor, at, c.cause))
            else:
                before = dumps(c.before) if c.before else "{}"
                rows.append((c.entity, c.id, c.op, before, _text(c.after), c.actor, at, c.cause))
        insert_rows(self.connection, _CHANGE_WRITES, _CHANGE_COLUMNS, rows, len(rows))


def _added(
    entity: str, id_: str, after: dict[str, Any] | str, changed: set[tuple[str, str]]
) -> str | None:
    """An add's ``after`` as the log stores it: NULL, read as the record's ``doc`` while
    the record is as added (its first put or its removal writes the text here, see
    ``Plan.keep_added``); the text itself when this transaction changed it again."""
    return _text(after) if (entity, id_) in changed else None


_HELD = 100_000  # clients per table whose roll-ups are kept decoded, with their text
_NOT_HELD: tuple[Any, Any] = (object(), None)  # a text no row holds


def _holding(plan: Plan) -> dict[str, tuple[str, Any]]:
    """The roll-ups this store last wrote per client, with their JSON text: reading a
    client's back (the next commit adding to its figures) decodes nothing when the
    stored text is still that one. A text is what it decodes to whoever wrote it, so
    nothing goes stale. Past ``_HELD`` clients the first written half is dropped."""
    held = plan.held_stats
    if len(held) >= _HELD:
        for id_ in list(itertools.islice(held, _HELD // 2)):
            held.pop(id_, None)
    return held


def _stats_in_sql(plan: Plan, dialect: sa.Dialect) -> str:
    """The driver's text of ``SELECT id, stats FROM t WHERE id IN (?, ... ?)`` for
    ``_CHUNK`` positional ids (SQLite's ``qmark`` style)."""
    t = plan.table
    wanted: list[Any] = [sa.bindparam(f"id{number}") for number in range(_CHUNK)]
    query = sa.select(t.c.id, sa.type_coerce(t.c.stats, sa.Text())).where(t.c.id.in_(wanted))
    return str(query.compile(dialect=dialect))


def _stats_sql(
    plan: Plan, dialect: sa.Dialect
) -> tuple[str, bool, Callable[[dict[str, Any]], Any] | None]:
    """The driver's text of the roll-up UPDATE; whether its parameters are the columns'
    values in ``stats_values`` order then the id; else what turns a row (by column
    name) into its parameters (None: the dict as it is, for a named paramstyle)."""
    names = (*(name for name, _ in plan.stats_getters), "stats")
    values: dict[str, Any] = {name: sa.bindparam(name) for name in names}
    compiled = plan.update_stats.values(values).compile(dialect=dialect)
    if not compiled.positional:
        return compiled.string, False, None
    order = list(compiled.positiontup or ())
    return compiled.string, order == [*names, "_id"], operator.itemgetter(*order)


def _text(after: dict[str, Any] | str) -> str:
    """A change's ``after`` as JSON text (the row writer makes an add's text itself)."""
    return after if isinstance(after, str) else dumps(after)


# --- the store core ---------------------------------------------------------------------


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class SQLStore(SettingsVerbs, ChangeLogVerbs, Closable):
    """A store over an SQLAlchemy ``Engine``; the tables are created or migrated on open.

    ``exclusive`` serializes transactions with a lock (one shared connection, as for
    SQLite in memory). No thread may open a transaction inside another of its own on
    the same store (it would wait for the outer one's locks). ``lock_timeout`` (seconds)
    bounds every wait for a lock another transaction holds; a subclass says how its
    database is told (``_lock_timeout_sql``).
    """

    def __init__(
        self,
        engine: sa.Engine,
        *,
        dialect: Dialect,
        schemas: Iterable[Schema] = (),
        clock: Callable[[], dt.datetime] = _utc_now,
        exclusive: bool = False,
        base_currency: str | None = None,
        rates: Mapping[str, Any] | None = None,
        users: UsersOption = "kept",
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> None:
        self._lifecycle = Lifecycle()
        self.users = users
        self._link_table = links_for(users)
        self.engine = engine
        self.clock = clock
        self.lock_timeout = check_lock_timeout(lock_timeout)
        self._dialect = dialect
        self._plans = {name: Plan.of(name, dialect) for name in ENTITIES}
        self._lock = threading.Lock() if exclusive else None
        self._inside = threading.local()
        self._open = 0  # transactions under way, so close() leaves their connections be
        self._open_lock = threading.Lock()
        event.listen(engine, "checkout", self._on_checkout)
        with self._transaction(write=True) as connection:
            migrate(connection, METADATA, lock=dialect.serialize_migrations)
        self._open_settings(schemas, base_currency, rates)

    @classmethod
    def _on_own_engine(cls, engine: sa.Engine, **options: Any) -> Self:
        """The store over an engine ``from_url`` made: disposed again if opening fails."""
        try:
            return cls(engine, **options)
        except BaseException:
            engine.dispose()
            raise

    @contextmanager
    def begin(self, *, actor: str | None = None, cause: str | None = None) -> Iterator[UnitOfWork]:
        """A unit of work in one database transaction: committed after the block and the
        roll-up recomputation, rolled back (change log included) on any exception."""
        exchange = self._exchange
        with self._transaction(write=True) as connection:
            backend = SQLBackend(connection, self._dialect, self.schemas, self._plans)
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
                self._lifecycle.check_open()  # closed while the block ran: roll back
                unit.flush()
            finally:
                unit.end()
        if unit.exchange is not exchange:  # committed: a base currency adopted or declared
            self._exchange = unit.exchange

    def _read_log(self, since: int, limit: int | None, wanted: ChangeFilter) -> list[Change]:
        """One SELECT (``_sql_log``); JSON keys come back sorted, as on every store."""
        with self._transaction(write=False) as connection:
            rows = connection.execute(select_changes(since, limit, wanted)).all()
        return [change_of(row) for row in rows]

    def rebuild_rollups(self) -> None:
        with self.begin(cause="rebuild_rollups") as unit:
            rebuild_rollups(unit)

    def close(self) -> None:
        """Close the engine's connections (an in-memory SQLite database goes with them);
        afterwards the store refuses work (``StoreError``). Transactions still open in
        other threads roll back; the last one to end closes the connections."""
        with self._open_lock:
            self._lifecycle.closed = True
            if self._open:
                return
        self.engine.dispose()

    def __repr__(self) -> str:
        """``<SQLiteStore sqlite:///x.sqlite: 312 contacts, 40 companies>``: one cheap
        statement (each table counted up to ``COUNT_CAP``); it never raises or waits."""
        kind = type(self).__name__
        url = redacted(self.engine.url.render_as_string(hide_password=True))
        if self.closed:
            return describe(kind, url, "closed")
        try:
            with self._transaction(write=False, wait=False) as connection:
                counts = row_counts(connection)
        except StoreError as error:
            return describe(kind, url, f"counts unavailable ({error.reason})")
        return describe(kind, url, counts)

    def _lock_timeout_sql(self, milliseconds: int) -> str | None:  # noqa: ARG002 - subclasses
        """The statement that sets the database's lock wait on a connection (None: none)."""
        return None

    def _on_checkout(self, dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        milliseconds = round(self.lock_timeout * 1000)
        statement = self._lock_timeout_sql(milliseconds)
        if statement is not None:
            set_once(dbapi_connection, record, "custdb_lock_timeout", milliseconds, statement)

    @contextmanager
    def _transaction(self, *, write: bool, wait: bool = True) -> Iterator[sa.Connection]:
        self._lifecycle.check_open()
        outer: sa.Connection | None = getattr(self._inside, "connection", None)
        if outer is not None:
            if write:
                raise nested_error()
            if self._lock is not None:  # one shared connection: read through the open one
                yield outer
                return
        with (
            self._counted(),
            self._exclusive(wait=wait),
            driver_errors(),
            self.engine.connect() as connection,
        ):
            connection.execution_options(custdb_write=write)
            with connection.begin():
                self._inside.connection = connection
                try:
                    yield connection
                finally:
                    self._inside.connection = outer

    @contextmanager
    def _counted(self) -> Iterator[None]:
        """One transaction under way; the last to end after ``close()`` closes the pool."""
        with self._open_lock:
            self._open += 1
        try:
            yield
        finally:
            with self._open_lock:
                self._open -= 1
                last = self._open == 0 and self._lifecycle.closed
            if last:
                self.engine.dispose()

    @contextmanager
    def _exclusive(self, *, wait: bool = True) -> Iterator[None]:
        if self._lock is None:
            yield
            return
        if not self._lock.acquire(timeout=self.lock_timeout if wait else 0):
            waited = f" and did not end within the lock timeout ({self.lock_timeout:g} s)"
            raise StoreError(
                f"another thread's transaction holds this in-memory base{waited if wait else ''}",
                hint="retry; keep transactions short, or open the store with a longer lock_timeout",
            )
        try:
            yield
        finally:
            self._lock.release()
