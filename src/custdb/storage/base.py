"""The ports: what every store offers, whatever keeps the data.

``Store`` opens transactions; a ``Transaction`` holds one ``Repository`` per entity and
the navigation between related records. Adapters (``MemoryStore``, ``SQLiteStore``,
``PostgresStore``) do not inherit these protocols; the typing test and the contract
suite in ``tests/storage`` prove that they conform.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar, overload

import attrs

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
from custdb.model.schema import Schema
from custdb.query import Query

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self is 3.11+; annotations only

__all__ = ["ENTITIES", "EVENTS", "Change", "OrderSpec", "Repository", "Store", "Transaction"]

E = TypeVar("E")

OrderSpec = str | Sequence[str] | None
"""``"name"``, ``"-total_spent"`` (descending) or a list of them."""

ENTITIES: dict[str, type] = {
    "contacts": Contact,
    "companies": Company,
    "affiliations": Affiliation,
    "leads": Lead,
    "deals": Deal,
    "activities": Activity,
    "tickets": Ticket,
    "orders": Order,
    "surveys": SurveyResponse,
    "users": User,
    "teams": Team,
    "consents": Consent,
}
"""Each repository's name on a transaction, and the entity class it keeps."""


@attrs.frozen(kw_only=True)
class Change:
    """One write, as the change log keeps it: the single source for audit, sync,
    triggers, roll-ups and undo.

    ``before`` and ``after`` hold only the fields that changed, in their JSON form,
    their keys (and those of every mapping inside) sorted on every store;
    ``before`` is empty for an add, ``after`` for a removal. ``seq`` orders the log and
    is the cursor a reader keeps (``store.changes(since=seq)``).
    """

    seq: int
    entity: str
    id: str
    op: str  # "add" | "put" | "remove", or "event" for a logged event (``log_event``)
    before: dict[str, Any]
    after: dict[str, Any]
    actor: str | None
    at: dt.datetime
    cause: str | None = None


EVENTS = ("import", "export")
"""What a transaction may log that is not a record's write (``log_event``): an import
batch, an export. The log also keeps the writes of the store's ``setting`` values."""


class Repository(Protocol[E]):
    """The verbs on one kind of record, inside one transaction."""

    def get(self, id: str) -> E:  # noqa: A002
        """The record, or ``NotFoundError``."""

    def find(self, id: str) -> E | None:  # noqa: A002
        """The record, or ``None``."""

    def add(self, entity: E) -> E:
        """Store a new record (``DuplicateKeyError`` if its id exists, ``NotFoundError``
        if it links to a contact, company, deal or user the store lacks); returns it as
        stored: version 1, ``created_at`` set."""

    def add_many(self, entities: Iterable[E], *, batch_size: int = 5000) -> int:
        """Add records in bulk, in batches; returns how many."""

    def put(self, entity: E) -> E:
        """Write a changed record. Its ``version`` must be the stored one, or
        ``StaleVersionError`` is raised and nothing is written; returns the new version."""

    def remove(self, id: str) -> None:  # noqa: A002
        """Delete the record (``NotFoundError`` if there is none, ``ConflictError`` if
        records still link to it)."""

    def select(
        self,
        where: Query | None = None,
        *,
        order_by: OrderSpec = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Records[E]:
        """Records matching ``where`` (all when ``None``), sorted by ``order_by`` then id."""

    @overload
    def select_columns(
        self,
        fields: Sequence[str],
        where: Query | None = None,
        *,
        order_by: OrderSpec = None,
        limit: int | None = None,
        offset: int = 0,
        form: Literal["tuples"] = "tuples",
    ) -> list[tuple[Any, ...]]: ...

    @overload
    def select_columns(
        self,
        fields: Sequence[str],
        where: Query | None = None,
        *,
        order_by: OrderSpec = None,
        limit: int | None = None,
        offset: int = 0,
        form: Literal["dicts"],
    ) -> list[dict[str, Any]]: ...

    @overload
    def select_columns(
        self,
        fields: Sequence[str],
        where: Query | None = None,
        *,
        order_by: OrderSpec = None,
        limit: int | None = None,
        offset: int = 0,
        form: Literal["frame"],
    ) -> Any: ...

    def select_columns(
        self,
        fields: Sequence[str],
        where: Query | None = None,
        *,
        order_by: OrderSpec = None,
        limit: int | None = None,
        offset: int = 0,
        form: Literal["tuples", "dicts", "frame"] = "tuples",
    ) -> Any:
        """The values of ``fields`` in the records ``select`` would give (same filter,
        order, limit and offset), read without making the records: a SQL store selects
        only those columns. ``fields`` are names as queries use them (``"total_spent"``,
        ``"address.city"``, a custom property as ``"tier"`` or ``"custom.tier"``); an
        unknown one is the ``QueryError`` a query gives. Each value is what the record's
        field holds (``FieldInfo.value_of``): ``Decimal``, ``date``, aware UTC
        ``datetime``, enum members, ``Money``, a ``frozenset`` of tags, a ``tuple`` of
        ids, ``None`` when empty. ``form``: ``"tuples"`` (in ``fields`` order),
        ``"dicts"`` (by field name) or ``"frame"``, a pandas DataFrame whose columns are
        named as ``fields`` and typed as ``to_pandas()`` types them."""

    def count(self, where: Query | None = None) -> int: ...

    def distinct(self, field: str, where: Query | None = None) -> dict[Any, int]:
        """The values ``field`` holds in the records ``where`` selects (all when
        ``None``), each with the number of records holding it, most common first (ties
        in value order); empty values are not counted. A set field (tags) counts each
        element; tags and e-mail addresses that differ only in case count as one, shown
        in the spelling most records use."""

    def iterate(self, where: Query | None = None, *, batch_size: int = 1000) -> Iterator[E]:
        """Every matching record in id order, read ``batch_size`` at a time: memory stays
        flat however large the table."""

    def by_external_id(self, system: str, external_id: str) -> E | None:
        """The record that ``system`` knows as ``external_id``."""


class Transaction(Protocol):
    """A unit of work: every write inside commits together or not at all.

    The repositories are read-only properties so that an adapter may hold any
    conforming repository class.
    """

    @property
    def contacts(self) -> Repository[Contact]: ...

    @property
    def companies(self) -> Repository[Company]: ...

    @property
    def affiliations(self) -> Repository[Affiliation]: ...

    @property
    def leads(self) -> Repository[Lead]: ...

    @property
    def deals(self) -> Repository[Deal]: ...

    @property
    def activities(self) -> Repository[Activity]: ...

    @property
    def tickets(self) -> Repository[Ticket]: ...

    @property
    def orders(self) -> Repository[Order]: ...

    @property
    def surveys(self) -> Repository[SurveyResponse]: ...

    @property
    def users(self) -> Repository[User]: ...

    @property
    def teams(self) -> Repository[Team]: ...

    @property
    def consents(self) -> Repository[Consent]: ...

    def set_rates(self, rates: Mapping[str, Any], *, base_currency: str | None = None) -> None:
        """Replace the conversion rates to the base currency (declaring it if unset),
        committed with this transaction."""

    def log_event(self, entity: str, id: str, details: Mapping[str, Any]) -> None:  # noqa: A002
        """Log something that is not a record's write (an import batch, an export) as
        change ``op="event"`` of ``entity`` / ``id`` with ``details`` as its ``after``,
        with this transaction's actor, time and cause; it commits or rolls back with the
        transaction like any write."""


class Store(Protocol):
    """A customer database: open transactions on it, read its change log.

    A store is a context manager: ``with open_store(url) as store:`` closes it when the
    block ends. A closed store refuses work with a ``StoreError``, and so does a
    ``begin()`` inside another ``begin()`` of the same store in one thread.
    """

    @property
    def schemas(self) -> Mapping[str, Schema]:
        """Each entity's custom-property schema, by entity name (``"contact"``)."""

    def begin(
        self, *, actor: str | None = None, cause: str | None = None
    ) -> AbstractContextManager[Transaction]:
        """Commit on leaving the block, roll back on any error."""

    def changes(
        self,
        since: int = 0,
        *,
        limit: int | None = None,
        entity: str | type | None = None,
        record_id: str | None = None,
        actor: str | None = None,
        cause: str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
    ) -> list[Change]:
        """The change log after cursor ``since``, oldest first, at most ``limit``
        changes; each keyword given narrows it: ``entity`` (``"contact"``,
        ``"contacts"`` or ``Contact``), ``record_id``, ``actor``, ``cause``, and the
        time range ``start <= at < end`` (timezone-aware datetimes). ``entity`` with
        ``record_id`` is read through the log's index on them."""

    def history(self, record_or_entity: Any, id: str | None = None) -> list[Change]:  # noqa: A002
        """Every change of one record, oldest first: ``history(record)``, or
        ``history("contact", id)`` for one that may be gone."""

    def rebuild_rollups(self) -> None:
        """Recompute every roll-up from the base records."""

    @property
    def base_currency(self) -> str | None:
        """The currency roll-ups count money in (None until declared or adopted)."""

    def set_rates(
        self,
        rates: Mapping[str, Any],
        *,
        base_currency: str | None = None,
        actor: str | None = None,
    ) -> None:
        """Replace the conversion rates to the base currency (declaring it if unset)."""

    def evolve_schema(self, schema: Schema, *, actor: str | None = None) -> Schema:
        """Store the next version of an entity's custom-property schema."""

    def close(self) -> None:
        """Release what the store holds (connections, in-memory data); calling it again
        does nothing."""

    @property
    def closed(self) -> bool: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the store, whatever ended the block."""
