"""The SQL schema, generated from the model: column types, one table per entity, and
the side tables. Shared by SQLite and PostgreSQL.

One table per entity (``ENTITIES`` and ``fields_for``):

- ``id``, ``version`` and one real column per filterable core, roll-up and derived field
  (``email``, ``phone``, an order's ``total``) and address part (``address.city`` in
  ``address_city``), so that filters, sorting and indexes run inside the database;
- ``doc``: the record as the change log keeps it (``_pending.logged`` of its codec form:
  no roll-ups, no None or empty values), the very text of an add's ``after``. Reading a
  row is that JSON plus the codec, whatever the field types, with custom values,
  external ids and roll-ups taken from their own columns below; the columns are a
  projection of ``doc`` written beside it and never read back, so they only need to
  compare right, not to round-trip (a new filterable field is a new column backfilled
  from ``doc``);
- ``email_key`` and ``tags_key`` beside ``email`` and ``tags`` (contacts, companies):
  their casefolded form (``custdb.query.case``), indexed, which every query on them
  compares with; ``tags_key`` is ``tags`` element by element, so the two line up;
- ``<name>_folded`` beside each searched name field (``last_name_folded``: see
  ``custdb.query.case.SEARCHED``): its casefolded text, which ``contains`` finds a part
  of with a plain ``instr``/``strpos``; not indexed (a substring search reads every row);
- ``custom`` (custom properties, filterable through JSON1 / JSONB), ``external_ids`` and
  ``stats`` (the roll-ups, rewritten on their own by ``set_stats``; only those that
  differ from a new client's, ``{}`` for most rows) as JSON.

Side tables: ``external_ids`` (an indexed lookup by another system's id, unique per
entity and system), ``changes`` (the change log; an add's ``after`` is NULL while the
record is as added, read then from its ``doc``: see ``_sql_log``), ``schema_version``
and ``settings`` (what the base keeps about itself: each entity's custom-property
schema, the base currency and the rates, one versioned JSON value per name; see
``_settings``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from custdb.query import FieldKind, fields_for
from custdb.query.case import folds, key_column, search_column
from custdb.storage._dialect import decimal_from_key, decimal_key, utc_text
from custdb.storage.base import ENTITIES

__all__ = [
    "CHANGES",
    "EXTERNAL_IDS",
    "JSON",
    "METADATA",
    "SCHEMA_VERSION",
    "SETTINGS",
    "TABLES",
    "TEXT",
    "ExactDecimal",
    "UTCDateTime",
    "dumps",
    "folded_fields",
    "loads",
    "searched_fields",
]

# --- column types -----------------------------------------------------------------------


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """Aware datetimes: ``timestamptz`` on PostgreSQL; on SQLite fixed-width UTC ISO text,
    whose text order is time order. Read back aware, in UTC."""

    impl = sa.String
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(sa.DateTime(timezone=True))
        return dialect.type_descriptor(sa.String(32))

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        text = utc_text(value)  # refuses naive datetimes on both databases
        return value if dialect.name == "postgresql" else text

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> dt.datetime | None:  # noqa: ARG002
        if value is None:
            return None
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        return moment.astimezone(dt.timezone.utc)


class ExactDecimal(sa.TypeDecorator[Decimal]):
    """Exact numbers of any precision: ``numeric`` on PostgreSQL; on SQLite a text key
    that sorts like the number (``decimal_key``), since SQLite has no decimal type."""

    impl = sa.String
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(sa.Numeric(asdecimal=True))
        return dialect.type_descriptor(sa.String())

    def process_bind_param(self, value: Decimal | None, dialect: sa.Dialect) -> Any:
        if value is None or dialect.name == "postgresql":
            return value
        return decimal_key(value)

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> Decimal | None:  # noqa: ARG002
        if value is None:
            return None
        return decimal_from_key(value) if isinstance(value, str) else Decimal(value)


TEXT = sa.Text().with_variant(pg.TEXT(collation="C"), "postgresql")
"""Text compares by code point everywhere: SQLite's BINARY, PostgreSQL's "C"."""
JSON = sa.JSON(none_as_null=True).with_variant(pg.JSONB(none_as_null=True), "postgresql")

_KIND_TYPES: dict[FieldKind, Any] = {
    FieldKind.TEXT: TEXT,
    FieldKind.INTEGER: sa.BigInteger(),
    FieldKind.DECIMAL: ExactDecimal(),
    FieldKind.MONEY: ExactDecimal(),
    FieldKind.DATE: sa.Date(),
    FieldKind.DATETIME: UTCDateTime(),
    FieldKind.BOOL: sa.Boolean(),
    FieldKind.ENUM: TEXT,
    FieldKind.SET: JSON,
}
_INDEXED = frozenset(
    {"email", "phone", "stage", "status", "lifecycle_stage", "created_at", "updated_at"}
    | {"total_spent", "last_visit_at", "placed_at", "occurred_at", "opened_at", "answered_at"}
)
_RESERVED = frozenset({"doc", "custom", "external_ids", "stats"})

# --- tables -----------------------------------------------------------------------------

METADATA = sa.MetaData()


def _entity_table(name: str, cls: type) -> sa.Table:
    columns: list[sa.schema.SchemaItem] = [sa.Column("id", TEXT, primary_key=True)]
    gin: list[str] = ["custom"]
    for info in fields_for(cls).values():
        if info.name == "id":
            continue
        if info.name in _RESERVED:
            raise AssertionError(f"{name}.{info.name} clashes with a storage column")
        indexed = info.kind is not FieldKind.SET and (
            info.name in _INDEXED or info.name.endswith("_id")
        )
        nullable = info.name != "version" and info.kind is not FieldKind.SET
        columns.append(
            sa.Column(info.column, _KIND_TYPES[info.kind], nullable=nullable, index=indexed)
        )
        if info.kind is FieldKind.SET and not folds(info):  # a folded set is read by its key
            gin.append(info.name)
    for info in folded_fields(cls):
        columns.append(_key_column(info))
        if info.kind is FieldKind.SET:
            gin.append(key_column(info))
    columns += [sa.Column(search_column(info), TEXT) for info in searched_fields(cls)]
    columns += [sa.Column(n, JSON, nullable=False) for n in ("doc", "custom", "external_ids")]
    if "stats" in attrs.fields_dict(cls):
        columns.append(sa.Column("stats", JSON))
    table = sa.Table(name, METADATA, *columns)
    for column in gin:  # JSONB containment and key tests use these; SQLite has no such index
        sa.Index(f"ix_{name}_{column}", table.c[column], postgresql_using="gin").ddl_if(
            dialect="postgresql"
        )
    return table


def folded_fields(cls: type) -> list[Any]:
    """The fields of ``cls`` that match without regard to case: each has a key column."""
    return [info for info in fields_for(cls).values() if folds(info)]


def searched_fields(cls: type) -> list[Any]:
    """The text fields of ``cls`` with a folded copy for ``contains`` (beyond the folded
    fields, whose key column serves it): each has a ``<column>_folded`` column."""
    return [
        info
        for info in fields_for(cls).values()
        if not folds(info) and search_column(info) is not None
    ]


def _key_column(info: Any) -> sa.Column[Any]:
    """The folded form of a tag or e-mail field: a text column with a b-tree index, or
    a JSON array (with a GIN index on PostgreSQL) for a set."""
    if info.kind is FieldKind.SET:
        return sa.Column(key_column(info), JSON, nullable=True)
    return sa.Column(key_column(info), TEXT, nullable=True, index=True)


TABLES: dict[str, sa.Table] = {name: _entity_table(name, cls) for name, cls in ENTITIES.items()}

EXTERNAL_IDS = sa.Table(
    "external_ids",
    METADATA,
    sa.Column("entity", TEXT, primary_key=True),
    sa.Column("system", TEXT, primary_key=True),
    sa.Column("external_id", TEXT, primary_key=True),
    sa.Column("record_id", TEXT, nullable=False),
    sa.Index("ix_external_ids_record", "entity", "record_id"),
)

CHANGES = sa.Table(
    "changes",
    METADATA,
    sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
    sa.Column("entity", TEXT, nullable=False),
    sa.Column("record_id", TEXT, nullable=False),
    sa.Column("op", TEXT, nullable=False),
    sa.Column("before", JSON),
    sa.Column("after", JSON),
    sa.Column("actor", TEXT),
    sa.Column("at", UTCDateTime(), nullable=False),
    sa.Column("cause", TEXT),
    sa.Index("ix_changes_record", "entity", "record_id"),
    sqlite_autoincrement=True,  # a cursor must never see a sequence number twice
)

SCHEMA_VERSION = sa.Table(
    "schema_version",
    METADATA,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", TEXT, nullable=False),
    sa.Column("applied_at", UTCDateTime(), nullable=False),
)

SETTINGS = sa.Table(
    "settings",
    METADATA,
    sa.Column("name", TEXT, primary_key=True),
    sa.Column("value", JSON, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
)


def dumps(value: Any) -> str:
    """The JSON writer stores give their engines: compact, UTF-8 kept as it is.

    orjson, not the standard library: every record is written as JSON (its ``doc``,
    custom values, the change log), and orjson does it about six times faster. It
    refuses integers beyond 64 bits, which no column holds either (custom integers are
    checked for that range when validated)."""
    return orjson.dumps(value).decode()


def loads(text: str | bytes) -> Any:
    """The JSON reader stores give their engines (three times the standard library's)."""
    return orjson.loads(text)
