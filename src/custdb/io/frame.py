"""Records as a pandas DataFrame with real dtypes, and records back from such a frame.

One row per record, the ``id`` as the first column (the index stays a plain range, so
``error.row`` is ``df.iloc`` position and merges on ``contact_id`` just work). Each
column's dtype follows the field's type:

========================  ============================================================
field                     dtype
========================  ============================================================
text                      ``string`` (missing is ``<NA>``)
whole number              ``Int64``
yes/no                    ``boolean``
decimal, money amount     ``object`` of ``Decimal`` (``float64`` with decimals="float")
date (``*_on``)           ``datetime64[s]``: midnight, no time zone
date and time (``*_at``)  ``datetime64[us, UTC]``
duration                  ``timedelta64[us]``
enum, custom enum         ``category`` listing every option
list, tags, ids           ``object``: a list in each cell (tags sorted)
========================  ============================================================

The layout (which columns a class has) is in ``custdb.io._layout``. The builder's core
is :func:`frame_from_columns`, which takes column values (a mapping of column name to
a list of values as records hold them); :func:`frame` only flattens records into that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from custdb.errors import MissingDependencyError, ValidationError
from custdb.io._layout import Column, Kind, Layout, layout_for
from custdb.io._slots import Custom, Parts, Scalar, Slot
from custdb.io.records import Records
from custdb.model import Entity, Schema
from custdb.query import FieldInfo, Source

if TYPE_CHECKING:
    from pandas import DataFrame  # type: ignore[import-untyped]

__all__ = ["frame", "frame_from_columns", "frame_of_fields", "from_pandas"]

E = TypeVar("E")
Decimals = Literal["decimal", "float"]

_DTYPES: Mapping[Kind, str] = {
    Kind.TEXT: "string",
    Kind.INTEGER: "Int64",
    Kind.BOOL: "boolean",
    Kind.DATE: "datetime64[s]",
    Kind.DATETIME: "datetime64[us, UTC]",
    Kind.DURATION: "timedelta64[us]",
}


def _pandas() -> Any:
    try:
        import pandas as pd  # noqa: PLC0415 - an optional extra, loaded when a frame is made
    except ImportError as error:
        raise MissingDependencyError.for_extra("pandas", "pandas") from error
    return pd


def frame(
    records: Iterable[Any],
    *,
    entity: type | None = None,
    schema: Schema | None = None,
    decimals: Decimals = "decimal",
) -> DataFrame:
    """``records`` (of one class) as a DataFrame, one row each, typed column by column.

    ``entity`` names the class when ``records`` may be empty (``select`` results know
    it). ``schema`` types the custom properties (``select`` results carry their store's);
    without one, each custom property seen is an ``object`` column of values as stored.
    ``decimals="float"`` gives ``float64`` columns for decimals and amounts instead of
    exact ``Decimal`` objects.
    """
    pd = _pandas()
    if isinstance(records, Records):
        entity = entity or records.entity
        schema = schema if schema is not None else records.schema
    rows = list(records)
    cls = _class_of(rows, entity)
    untyped = _custom_names(rows) if schema is None and issubclass(cls, Entity) else ()
    layout = _layout(cls, schema, untyped)
    return _build(pd, layout, layout.columns_of(rows), decimals)


def frame_from_columns(
    values: Mapping[str, Sequence[Any]],
    entity: type,
    *,
    schema: Schema | None = None,
    decimals: Decimals = "decimal",
) -> DataFrame:
    """A DataFrame from column values: each name is a column of ``entity``'s frame, each
    list holds the values as a record holds them (``Decimal``, aware ``datetime``, enum
    members or their text, tuples...), ``None`` where missing. Columns keep the order
    given, and get the same dtypes as in :func:`frame`."""
    pd = _pandas()
    layout = _layout(entity, schema, _untyped(entity, schema, list(values)))
    return _build(pd, layout, values, decimals)


def frame_of_fields(
    names: Sequence[str],
    fields: Sequence[FieldInfo],
    values: Sequence[Sequence[Any]],
    *,
    entity: type,
    schema: Schema | None = None,
) -> DataFrame:
    """A frame of query fields (``select_columns(form="frame")``): one column per field,
    named as ``names`` gives it, of the values ``FieldInfo.value_of`` reads, each typed
    as the same field's column in :func:`frame` (a money field: its amount, as there)."""
    pd = _pandas()
    layout = _layout(entity, schema, ())
    data = {}
    for name, info, cells in zip(names, fields, values, strict=True):
        slot = _slot_of(layout, info)
        data[name] = _series(pd, slot.columns[0], slot.columns_of(cells)[0], "decimal")
    return pd.DataFrame(data)


def _slot_of(layout: Layout, info: FieldInfo) -> Slot:
    """The slot whose first column is the frame's column of a query field."""
    if info.source is Source.PART:  # read as text already: ``address.city``'s column
        return Scalar(Column(info.column, Kind.TEXT))
    holder = {Source.STATS: "stats", Source.CUSTOM: "custom"}.get(info.source, info.name)
    slot = next(slot for field, slot, _ in layout.entries if field == holder)
    if isinstance(slot, Parts | Custom) and holder != info.name:
        return dict(slot.children)[info.name]
    return slot


def from_pandas(df: Any, entity: type[E], *, schema: Schema | None = None) -> Records[E]:
    """The records a frame describes, as :func:`frame` lays them out: the way back.

    Columns the frame lacks keep the field's default (a frame of names alone makes new
    contacts); ``email``, ``phone`` and an order's ``total`` are worked out from the
    record and must agree with it when present. With ``schema``, every column that is
    not a core one must be a declared custom property, checked and typed; without it,
    such columns are custom properties taken as they are. A bad cell raises
    ValidationError naming its row (the ``df.iloc`` position), field and value.
    """
    pd = _pandas()
    if not isinstance(df, pd.DataFrame):
        raise ValidationError(
            f"expected a pandas DataFrame, got {type(df).__name__}",
            hint="give the frame custdb.frame() made, or one with the same columns",
        )
    names = _names(df)
    layout = _layout(entity, schema, _untyped(entity, schema, names))
    label = _label(entity)
    for name in layout.required():
        if name not in names:
            raise ValidationError(
                f"a {label} needs this column", entity=label, field=name, hint="add it"
            )
    from custdb.io import _cells  # noqa: PLC0415 - it imports pandas

    try:
        cells = {name: _cells.read(df[name], _column(layout, name)) for name in names}
    except ValidationError as error:
        row = error.row or 0
        raise _at(error, label, row, df["id"].iloc[row] if "id" in names else None) from error
    records = [_record(layout, cells, row) for row in range(len(df))]
    return Records(records, entity=entity, schema=schema)


def _record(layout: Layout, cells: Mapping[str, list[Any]], row: int) -> Any:
    try:
        return layout.build({name: values[row] for name, values in cells.items()})
    except ValidationError as error:
        id_ = cells["id"][row] if "id" in cells else None
        raise _at(error, _label(layout.cls), row, id_) from error


def _build(pd: Any, layout: Layout, values: Mapping[str, Sequence[Any]], decimals: str) -> Any:
    if decimals not in ("decimal", "float"):
        raise ValidationError(
            "not a way to frame decimals",
            field="decimals",
            value=decimals,
            hint="give decimals='decimal' (exact) or decimals='float'",
        )
    lengths = {len(cells) for cells in values.values()}
    if len(lengths) > 1:
        raise ValidationError(
            f"columns of different lengths ({', '.join(map(str, sorted(lengths)))})",
            hint="give one value per record in every column",
        )
    data = {name: _series(pd, _column(layout, name), values[name], decimals) for name in values}
    return pd.DataFrame(data)


def _series(pd: Any, column: Column, cells: Sequence[Any], decimals: str) -> Any:
    kind = column.kind
    try:
        if kind is Kind.CATEGORY:
            return pd.Series(pd.Categorical(cells, categories=_categories(column, cells)))
        if kind is Kind.DECIMAL and decimals == "float":
            return pd.Series([None if c is None else float(c) for c in cells], dtype="float64")
        if kind is Kind.TEXT:
            return pd.Series(cells, dtype=pd.StringDtype())
        return pd.Series(cells, dtype=_DTYPES.get(kind, object))
    except (TypeError, ValueError, OverflowError) as error:
        raise ValidationError(
            f"cannot be a {_DTYPES.get(kind, kind.value)} column ({error})",
            field=column.name,
            hint="check the values of this column",
        ) from error


def _categories(column: Column, cells: Sequence[Any]) -> list[Any]:
    """The column's options, and after them any other value found (a value kept from
    before the options changed), so no cell is lost to NaN."""
    known = set(column.categories)
    extra = {cell for cell in cells if cell is not None and cell not in known}
    return [*column.categories, *sorted(extra, key=str)]


def _class_of(rows: Sequence[Any], entity: type | None) -> type:
    if entity is None:
        if not rows:
            raise ValidationError(
                "cannot tell the columns of no records",
                hint="pass entity=Contact (or the class the records would have)",
            )
        entity = type(rows[0])
    for row, record in enumerate(rows):
        if type(record) is not entity:
            raise ValidationError(
                f"records of one class make one frame; this is a {type(record).__name__}",
                entity=_label(entity),
                row=row,
                value=record,
                hint=f"frame each class on its own; this frame is of {entity.__name__}",
            )
    return entity


def _custom_names(rows: Sequence[Any]) -> tuple[str, ...]:
    names = {name for record in rows for name in record.custom}
    return tuple(sorted(names))


def _untyped(entity: type, schema: Schema | None, names: Sequence[str]) -> tuple[str, ...]:
    """Columns that are custom properties without a schema: those the core lacks."""
    if schema is not None or not issubclass(entity, Entity):
        return ()
    core = _layout(entity, None, ())
    return tuple(name for name in names if core.column(name) is None)


def _layout(cls: type, schema: Schema | None, untyped: tuple[str, ...]) -> Layout:
    if schema is not None and schema.entity != getattr(cls, "ENTITY", None):
        raise ValidationError(
            f"this schema is for {schema.entity}, not {_label(cls)}",
            entity=_label(cls),
            hint=f"give the {_label(cls)} schema",
        )
    return layout_for(cls, schema, untyped)


def _column(layout: Layout, name: str) -> Column:
    column = layout.column(name)
    if column is None:
        shown = ", ".join(column.name for column in layout.columns[:8])
        raise ValidationError(
            "not a column of this frame",
            entity=_label(layout.cls),
            field=name,
            hint=f"drop or rename it; the columns are {shown}, ... as custdb.frame() makes them",
        )
    return column


def _names(df: Any) -> list[str]:
    names = list(df.columns)
    for name in names:
        if not isinstance(name, str):
            raise ValidationError("column names must be text", value=name, hint="rename it")
        if names.count(name) > 1:
            raise ValidationError("two columns have this name", field=name, hint="keep one")
    return names


def _at(error: ValidationError, label: str, row: int, id_: Any) -> ValidationError:
    """``error`` placed: the row, the entity and the record's id."""
    return type(error)(
        error.reason,
        entity=label,
        id=id_ if isinstance(id_, str) else None,
        row=row,
        field=error.field,
        value=error.value,
        hint=error.hint,
    )


def _label(cls: type) -> str:
    return str(getattr(cls, "ENTITY", cls.__name__))
