"""Row mapping: how an entity becomes a row of its generated table and back.

Rows are written in the database's storage form (decimal keys and UTC text on SQLite,
JSON as text) and go to the driver's ``executemany`` as they are; rows are read back
through the codec's trusted decoder, since the store validated them on the way in.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import operator
import types
import typing
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa

from custdb import codec
from custdb.errors import StoreError
from custdb.model.frozen import FrozenMap
from custdb.model.schema import Schema, custom_to_json
from custdb.query import FieldKind, Source, fields_for
from custdb.query.case import key_column, search_column
from custdb.storage._dialect import Dialect
from custdb.storage._stamps import empty_stats
from custdb.storage._tables import CHANGES, TABLES, dumps, folded_fields, loads, searched_fields
from custdb.storage.base import ENTITIES

__all__ = ["Plan", "insert_many"]

# --- columns and documents ------------------------------------------------------------------------

Getter = Callable[[Any], Any]
RowWriter = Callable[..., tuple[Any, ...]]  # a row's values, in ``Plan.columns`` order


def _field_value(kind: FieldKind) -> Getter | None:
    """What a field's column holds, from its attribute value (``None`` passed by)."""
    if kind is FieldKind.MONEY:
        return lambda value: value.amount
    if kind is FieldKind.ENUM:
        return lambda value: str(getattr(value, "value", value))
    if kind is FieldKind.SET:  # a JSON array of strings, sorted
        return lambda value: dumps(sorted(value))
    return None


def _folded_email(value: str) -> str:
    return value.casefold()


def _folded_tags(value: frozenset[str]) -> str:
    """``tags_key``: each tag of ``tags`` (a sorted JSON array) folded, in the same order."""
    return dumps([tag.casefold() for tag in sorted(value)])


def _key_steps(info: Any) -> list[Getter]:
    """What a key column holds (``_tables.folded_fields``), from the field's value."""
    return [_folded_tags if info.kind is FieldKind.SET else _folded_email]


def _steps(kind: FieldKind, dialect: Dialect) -> list[Getter]:
    return [s for s in (_field_value(kind), dialect.storage.get(kind)) if s is not None]


def _value_code(read: str, steps: list[Getter], names: dict[str, Any], *, inner: str = "v") -> str:
    """Python text for a column's value from the attribute ``read`` (``None`` passed by):
    ``steps`` applied in turn to ``inner``, an expression of its value ``v``."""
    if not steps and inner == "v":
        return read
    call = inner
    for step in steps:
        names[f"s{len(names)}"] = step
        call = f"s{len(names) - 1}({call})"
    return f"None if (v := {read}) is None else {call}"


def _compiled(name: str, lines: list[str], names: dict[str, Any]) -> Any:
    exec("\n".join(lines), names)  # noqa: S102 - names come from attrs.fields only
    return names[name]


# What the store stamps on a record: the row writer takes these as arguments, so a new
# record's row is written from the record as given, without a stamped copy of it.
_STAMPED = ("version", "created_at", "updated_at", "custom")


def _read(name: str) -> str:
    """Python text for the value of field ``name`` in the row writer."""
    return name if name in _STAMPED else f"e.{name}"


def _row_writer(entity: type, dialect: Dialect, *, stats: bool) -> RowWriter:
    """``def row(e, version, created_at, updated_at, custom, stats)``: the row's values
    in ``_columns`` order (one expression each, the roll-up columns as ``stats`` gives
    them), generated once per class like the codec's encoder. The stamped
    fields come as arguments, every other from ``e``. The last value, ``doc``, is the
    text of ``_pending.logged(codec.encode(record))``, made from the fields without
    ``codec.encode``'s dict: it is also the change log's ``after`` for an add."""
    names: dict[str, Any] = {"dumps": dumps}
    lines = [f"def row(e, {', '.join(_STAMPED)}, stats):"]
    lines += _document_lines(entity, names)
    lines.append("    return (")
    hints = typing.get_type_hints(entity)
    for info in _field_columns(entity):
        steps, inner = _steps(info.kind, dialect), "v"
        if info.kind is FieldKind.ENUM and _is_enum(hints.get(info.name)):
            steps, inner = steps[1:], "v.value"  # a member's value, read without a call
        read = _read(info.name)
        if info.source is Source.PART:  # an address part: None without an address
            holder, part = info.name.split(".")
            read = f"(None if (h := e.{holder}) is None else h.{part})"
            if part == "postal_code":
                steps, inner = [str, *steps], "v"  # a PostalCode reads as its text
        lines.append(f"        {_value_code(read, steps, names, inner=inner)},")
    for info in folded_fields(entity):
        lines.append(f"        {_value_code(_read(info.name), _key_steps(info), names)},")
    for info in searched_fields(entity):
        folded = _value_code(_read(info.name), [], names, inner="v.casefold()")
        lines.append(f"        {folded},")
    if stats:
        lines.append("        *stats,")
    lines += [
        "        dumps(custom_json) if custom_json else '{}',",
        "        dumps(links_json) if links_json else '{}',",
        "        dumps(d),",
        "    )",
    ]
    found: RowWriter = _compiled("row", lines, names)
    return found


def _is_enum(hint: Any) -> bool:
    """Whether a field of this type holds enum members (or None)."""
    kinds = [arg for arg in typing.get_args(hint) if arg is not type(None)] or [hint]
    return len(kinds) == 1 and isinstance(kinds[0], type) and issubclass(kinds[0], enum.Enum)


def _field_columns(entity: type) -> list[Any]:
    return [info for info in fields_for(entity).values() if info.source is not Source.STATS]


def _columns(entity: type, stats_getters: Sequence[tuple[str, Getter]]) -> tuple[str, ...]:
    """The row writer's column order: the fields', the roll-ups', then the JSON ones."""
    names = [info.column for info in _field_columns(entity)]
    names += [key_column(info) for info in folded_fields(entity)]
    names += [search_column(info) or "" for info in searched_fields(entity)]
    if stats_getters:
        names += [name for name, _ in stats_getters] + ["stats"]
    return (*names, "custom", "external_ids", "doc")


def _document_lines(entity: type, names: dict[str, Any]) -> list[str]:
    """Code for ``d``, the dict ``doc`` is dumped from: ``logged(codec.encode(record))``
    with the same keys in the same order (no None, no empty list or dict, no roll-ups),
    and for the JSON-ready custom values and external ids, which have columns too.

    Reading a row back gives a left-out field its default, so a field may be left out
    only where that default is what was left out: None for a field that can be None,
    empty for one that can be empty. Every model field keeps to that; one that did not
    would lose data, so it is refused here."""
    names["to_json"] = custom_to_json
    lines = [
        "    links_json = to_json(x) if (x := e.external_ids) else None",
        "    custom_json = to_json(custom) if custom else None",
        "    d = {'id': e.id}",
    ]
    encoders, hints = codec.field_encoders(entity), typing.get_type_hints(entity)
    for field in attrs.fields(entity):
        name = field.name
        if not field.init or name in ("id", "stats"):
            continue
        if name in ("custom", "external_ids"):
            local = "custom_json" if name == "custom" else "links_json"
            lines.append(f"    if {local}: d[{name!r}] = {local}")
            continue
        nullable, emptiable = _may_be_none(hints[name]), _may_be_empty(hints[name])
        if (nullable and field.default is not None) or (emptiable and _default_is_full(field)):
            raise TypeError(
                f"{entity.__name__}.{name}: a None or empty value must be the field's default"
            )
        encoded = "v"
        if _is_enum(hints[name]):
            encoded = "v.value"  # what the codec writes of a member, without a call
        elif encoders[name] is not None:
            names[f"enc_{name}"] = encoders[name]
            encoded = f"enc_{name}(v)"
        read = _read(name)
        if emptiable:
            lines.append(f"    if (v := {read}): d[{name!r}] = {encoded}")
        elif nullable:
            lines.append(f"    if (v := {read}) is not None: d[{name!r}] = {encoded}")
        else:
            lines.append(f"    v = {read}; d[{name!r}] = {encoded}")
    return lines


def _may_be_none(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType) and type(
        None
    ) in typing.get_args(hint)


def _default_is_full(field: attrs.Attribute[Any]) -> bool:
    """Whether the field's default is a non-empty container (or not known up front)."""
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.takes_self:
            return True
        default = default.factory()
    return default is attrs.NOTHING or bool(default) or default is None


def _may_be_empty(hint: Any) -> bool:
    """Whether a field of this type can encode to an empty list or dict."""
    args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return any(_may_be_empty(arg) for arg in args)
    kind = typing.get_origin(hint) or hint
    if isinstance(kind, type) and attrs.has(kind):
        return not attrs.fields(kind)
    return kind in (tuple, frozenset, list, dict) or (
        isinstance(kind, type) and issubclass(kind, Mapping)
    )


def _stats_getters(entity: type, dialect: Dialect) -> tuple[tuple[str, Getter], ...]:
    return tuple(
        (info.name, _getter(info.name, _steps(info.kind, dialect)))
        for info in fields_for(entity).values()
        if info.source is Source.STATS
    )


def _getter(name: str, steps: list[Getter]) -> Getter:
    """A roll-up column's value: the field, None or through ``steps`` (one call per
    column per client a commit writes, so the usual one or no step has no loop)."""
    get = operator.attrgetter(name)
    if not steps:
        return get
    if len(steps) > 1:
        return functools.partial(_chain, [get, *steps])
    step = steps[0]

    def converted(stats: Any) -> Any:
        value = get(stats)
        return None if value is None else step(value)

    return converted


def _unlike_new(stats: Any) -> dict[str, Any]:
    """The ``stats`` JSON: the encoded roll-ups that differ from a new client's, whose
    encoded defaults the trusted decoder gives the keys left out (a new client's is
    ``{}``, not a dozen zeros on every row; ``0.00`` differs from ``0`` and is kept)."""
    encoded, new = codec.encode(stats), _new_stats(type(stats))
    return {key: value for key, value in encoded.items() if new.get(key, _NONE) != value}


_NONE = object()


def _new_stats(cls: type) -> dict[str, Any]:
    if cls not in _NEW_STATS:
        _NEW_STATS[cls] = codec.encode(cls())
    return _NEW_STATS[cls]


_NEW_STATS: dict[type, dict[str, Any]] = {}  # by roll-up class, encoded as a new one


def _stats_writer(entity: type, dialect: Dialect) -> Getter:
    """``def values(s)``: the roll-up columns' values of roll-ups ``s``, then the text of
    ``_unlike_new(s)`` (each field encoded as ``codec.encode`` does, kept where it differs
    from a new client's), generated once per class: a commit writes one per client."""
    cls = type(empty_stats(entity))
    new = _new_stats(cls)
    names: dict[str, Any] = {"dumps": dumps}
    lines = ["def unlike(s):", "    d = {}"]
    for number, (name, encoder) in enumerate(codec.field_encoders(cls).items()):
        names[f"e{number}"], names[f"n{number}"] = encoder, new.get(name, _NONE)
        value = "v" if encoder is None else f"None if v is None else e{number}(v)"
        lines.append(f"    v = s.{name}")
        if names[f"n{number}"] is None:  # a None default: kept whenever it is not None
            lines.append(f"    if v is not None: d[{name!r}] = {value}")
        else:
            lines += [f"    x = {value}", f"    if x != n{number}: d[{name!r}] = x"]
    lines += ["    return d", "def values(s):", "    return ("]
    for info in fields_for(entity).values():
        if info.source is Source.STATS:
            read = f"s.{info.name}"
            lines.append(f"        {_value_code(read, _steps(info.kind, dialect), names)},")
    lines += ["        dumps(unlike(s)),", "    )"]
    found: Getter = _compiled("values", lines, names)
    return found


def _chain(steps: list[Getter], stats: Any) -> Any:
    value = steps[0](stats)
    if value is None:
        return None
    for step in steps[1:]:
        value = step(value)
    return value


@attrs.frozen
class Plan:
    """How one entity becomes a row and back, worked out once per class and dialect.

    Rows are written in the database's storage form (decimal keys and UTC text on
    SQLite, JSON as text) through an untyped table clause, so an ``executemany`` of a
    hundred thousand rows costs no per-value type processing in SQLAlchemy.
    """

    cls: type
    table: sa.Table
    writes: sa.TableClause  # the same table, untyped: values go to the driver as they are
    columns: tuple[str, ...]  # of the values ``write`` makes, in their order
    write: RowWriter
    stats_getters: tuple[tuple[str, Getter], ...]
    read: tuple[sa.ColumnElement[Any], ...]  # doc, custom, external_ids[, stats], id
    by_id: sa.Select[Any]  # statements built once: executing them again skips compiling
    update: sa.Update
    update_stats: sa.Update
    delete: sa.Delete
    keep_added: sa.Update  # the add's log entry takes the row's doc, before it changes
    build: codec.TrustedDecoder  # rows are the store's own, validated when written
    json_text: bool  # the JSON columns come as text (SQLite), decoded here, not as values
    statements: dict[Hashable, Any] = attrs.field(factory=dict, eq=False)  # by query shape
    held_stats: dict[str, tuple[str, Any]] = attrs.field(factory=dict, eq=False)  # by id
    write_stats: Getter | None = attrs.field(default=None, eq=False)  # ``_stats_writer``
    fresh_stats: tuple[Any, ...] = attrs.field(init=False, eq=False)  # a new client's

    @fresh_stats.default
    def _fresh_stats(self) -> tuple[Any, ...]:
        return self.stats_values(empty_stats(self.cls))

    @classmethod
    def of(cls, name: str, dialect: Dialect) -> Plan:
        entity, table = ENTITIES[name], TABLES[name]
        json_text = dialect.name == "sqlite"  # PostgreSQL's driver decodes JSONB itself
        read = (
            *(
                sa.type_coerce(table.c[n], sa.Text()) if json_text else table.c[n]
                for n in ("doc", "custom", "external_ids", "stats")
                if n in table.c
            ),
            table.c.id,  # only to name a row that does not decode
        )
        writes = sa.table(name, *(sa.column(column.name) for column in table.columns))
        same_id = writes.c.id == sa.bindparam("_id")
        stats_getters = _stats_getters(entity, dialect) if "stats" in table.c else ()
        return cls(
            entity,
            table,
            writes,
            _columns(entity, stats_getters),
            _row_writer(entity, dialect, stats=bool(stats_getters)),
            stats_getters,
            read,
            by_id=sa.select(*read).where(table.c.id == sa.bindparam("_id")),
            update=writes.update().where(same_id, writes.c.version == sa.bindparam("_version")),
            update_stats=writes.update().where(same_id),
            delete=writes.delete().where(same_id),
            keep_added=_keep_added(entity, table),
            build=codec.trusted_decoder(entity),
            json_text=json_text,
            write_stats=_stats_writer(entity, dialect) if stats_getters else None,
        )

    def row(self, entity: Any) -> dict[str, Any]:
        """The row for ``entity``, a record as stored, by column name."""
        e, stats = entity, getattr(entity, "stats", None)
        values = self.write(
            e, e.version, e.created_at, e.updated_at, e.custom, self.stats_values(stats)
        )
        return dict(zip(self.columns, values, strict=True))

    def added(self, entity: Any, custom: FrozenMap[str, Any], now: dt.datetime) -> tuple[Any, ...]:
        """The row's values (in ``columns`` order) of ``entity`` added at ``now`` with
        its ``custom`` values checked: the row of ``_stamps.fresh(entity, custom, now)``.
        Its last value, ``doc``, is the JSON text of the change log's ``after``."""
        return self.write(entity, 1, now, now, custom, self.fresh_stats)

    def stats_row(self, stats: Any) -> dict[str, Any]:
        """The roll-up columns of ``stats`` by name (for an UPDATE of them)."""
        names = (*(name for name, _ in self.stats_getters), "stats")
        return dict(zip(names, self.stats_values(stats), strict=True))

    def stats_values(self, stats: Any) -> tuple[Any, ...]:
        """The roll-up columns' values (none for a record without roll-ups), in the
        order of ``stats_row``'s keys."""
        if self.write_stats is None:
            return ()
        values: tuple[Any, ...] = self.write_stats(stats)
        return values

    def entity(self, row: Sequence[Any], schema: Schema | None) -> Any:
        """The record a row holds. A row that does not decode (written or damaged outside
        custdb) is a ``StoreError`` naming its table and id; nothing is checked up front."""
        try:
            if self.json_text:
                data = loads(row[0])
                data["custom"], data["external_ids"] = loads(row[1]), loads(row[2])
                if len(row) > 4:
                    data["stats"] = None if row[3] is None else loads(row[3])
            else:
                data = row[0]
                data["custom"], data["external_ids"] = row[1], row[2]
                if len(row) > 4:
                    data["stats"] = row[3]
            return self.build(data, schema)
        except Exception as error:  # any way a damaged row can fail to decode
            raise self._damaged(row[-1], error) from error

    def _damaged(self, id_: Any, error: Exception) -> StoreError:
        detail = str(error).strip().splitlines()
        return StoreError(
            f"the row in table {self.table.name!r} does not decode as a record "
            f"({type(error).__name__}: {detail[0] if detail else 'no detail'})",
            entity=self.cls.ENTITY,  # type: ignore[attr-defined]
            id=str(id_),
            hint="it was written or changed outside custdb: restore the row from a backup "
            "(the change log, store.changes(), holds every write custdb made), or delete it",
        )


def _keep_added(entity: type, table: sa.Table) -> sa.Update:
    """Write the record's ``doc`` into its add's log entry where that is still NULL: the
    log keeps an add's ``after`` by reference to the row while the record is as added
    (``_sql._added``), so its first put or its removal must copy the text first."""
    log = CHANGES.c
    doc = sa.select(table.c.doc).where(table.c.id == sa.bindparam("_id")).scalar_subquery()
    return (
        CHANGES.update()
        .where(
            log.entity == entity.ENTITY,  # type: ignore[attr-defined]
            log.record_id == sa.bindparam("_id"),
            log.op == "add",
            log.after.is_(None),
        )
        .values(after=doc)
    )


@functools.cache
def _insert_sql(
    table: sa.TableClause, columns: tuple[str, ...], dialect: sa.Dialect
) -> tuple[str, Callable[[tuple[Any, ...]], Any] | None]:
    """The driver's INSERT text for ``columns``, and what turns a row's values (in
    ``columns`` order) into the parameters it takes; None: the values as they are."""
    values: dict[str, Any] = {name: sa.bindparam(name) for name in columns}
    compiled = table.insert().values(values).compile(dialect=dialect)
    if not compiled.positional:
        return compiled.string, lambda row: dict(zip(columns, row, strict=True))
    order = tuple(compiled.positiontup or ())
    if order == columns:
        return compiled.string, None
    pick = operator.itemgetter(*(columns.index(name) for name in order))
    return compiled.string, pick if len(order) > 1 else lambda row: (pick(row),)


def insert_many(
    connection: sa.Connection,
    table: sa.TableClause,
    columns: tuple[str, ...],
    rows: list[tuple[Any, ...]],
) -> None:
    """``executemany`` straight to the driver: the rows hold storage-form values already,
    so SQLAlchemy's per-row parameter processing would only cost time."""
    sql, convert = _insert_sql(table, columns, connection.dialect)
    connection.exec_driver_sql(sql, rows if convert is None else list(map(convert, rows)))
