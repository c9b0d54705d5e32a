"""Custom properties (E10): typed fields a business declares per entity, checked on write.

A :class:`Schema` lists the custom fields of one entity (``"contact"``). ``validate``
turns raw input (a CSV cell, a form value, JSON) into typed Python values: ``"12"`` to
``12`` for an integer, an ISO string to a ``date``, a typed phone to E.164, a list to a
``frozenset`` for a multi-enum. Records keep those typed values in ``custom``; the
storage layer writes them to one JSON column with :func:`custom_to_json` and reads
them back with :func:`custom_from_json`.

A store keeps each entity's schema with the base; :meth:`Schema.with_field` and
:meth:`Schema.with_option` build the next version of one, and :func:`compare_schemas`
says what changed between two versions and whether records written under the old one
still fit the new one (the store refuses an evolution that would strand them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from custdb.errors import ValidationError
from custdb.model._checks import Choice, choice, coerce_choice, fail
from custdb.model._coerce import COERCERS, DECODERS, Coercer, Context
from custdb.model.entity import Entity
from custdb.model.frozen import EMPTY_MAP, FrozenMap, freeze, to_frozenset, to_tuple
from custdb.model.registry import entity_class
from custdb.model.values import Email, Money, Phone

__all__ = [
    "FieldDef",
    "FieldType",
    "Schema",
    "SchemaChange",
    "compare_schemas",
    "custom_from_json",
    "custom_to_json",
    "custom_value_from_json",
]

E = TypeVar("E", bound=Entity)


class FieldType(Choice):
    STRING = "string"
    INTEGER = "integer"
    DECIMAL = "decimal"
    MONEY = "money"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"
    ENUM = "enum"
    MULTI_ENUM = "multi_enum"
    EMAIL = "email"
    PHONE = "phone"
    URL = "url"


_WITH_OPTIONS = frozenset({FieldType.ENUM, FieldType.MULTI_ENUM})


def _to_field_type(value: FieldType | str) -> FieldType:
    return coerce_choice(FieldType, value)


def _check_name(instance: FieldDef, attribute: attrs.Attribute[str], value: object) -> None:
    if not (isinstance(value, str) and value.isidentifier() and not value.startswith("_")):
        raise fail(
            instance,
            attribute,
            value,
            "not a field name",
            "use letters, digits and underscores, not starting with a digit or _",
        )


def _check_options(
    instance: FieldDef, attribute: attrs.Attribute[frozenset[str]], value: frozenset[Any]
) -> None:
    if instance.type in _WITH_OPTIONS and not value:
        raise fail(
            instance, attribute, value, f"a {instance.type} field needs options", "list them"
        )
    if instance.type not in _WITH_OPTIONS and value:
        raise fail(instance, attribute, value, "only enum fields take options", "remove them")
    if not all(isinstance(option, str) and option for option in value):
        raise fail(instance, attribute, value, "options are non-empty strings", "fix the list")


@attrs.frozen
class FieldDef:
    """One custom field: its name, type, whether it must be given, its enum options.

    ``unique`` is enforced by the store (no two records share the value).
    """

    name: str = attrs.field(validator=_check_name)
    type: FieldType = attrs.field(converter=_to_field_type, validator=choice(FieldType))
    required: bool = False
    unique: bool = False
    options: frozenset[str] = attrs.field(
        default=frozenset(), converter=to_frozenset, validator=_check_options
    )
    label: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type.value,
            "required": self.required,
            "unique": self.unique,
            "options": sorted(self.options),
            "label": self.label,
        }


def _core_names(cls: type[Entity]) -> frozenset[str]:
    """Names a custom field may not take: the class's fields and public attributes."""
    public = (name for name in dir(cls) if not name.startswith("_"))
    return frozenset(field.name for field in attrs.fields(cls)).union(public)


def _check_entity(_instance: Schema, _attribute: attrs.Attribute[str], value: str) -> None:
    entity_class(value)


def _check_fields(
    instance: Schema, attribute: attrs.Attribute[tuple[FieldDef, ...]], value: tuple[FieldDef, ...]
) -> None:
    core = _core_names(entity_class(instance.entity))
    seen: set[str] = set()
    for field in value:
        if field.name in core:
            raise fail(
                instance,
                attribute,
                field.name,
                f"names a core field of {instance.entity}",
                "pick another name",
            )
        if field.name in seen:
            raise fail(instance, attribute, field.name, "is declared twice", "keep one")
        seen.add(field.name)


@attrs.frozen
class Schema:
    """The custom fields of one entity; see the module docstring."""

    entity: str = attrs.field(validator=_check_entity)
    fields: tuple[FieldDef, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_fields
    )
    _by_name: FrozenMap[str, FieldDef] = attrs.field(init=False, repr=False, eq=False)

    @_by_name.default
    def _index(self) -> FrozenMap[str, FieldDef]:
        return FrozenMap((field.name, field) for field in self.fields)

    # Each field with the context its values are read in when written the default way
    # (no region, day first, a decimal point) and its coercer: what a store validates
    # with, per record, looked up once (an enum member hashes in Python, not in C).
    _plain: tuple[tuple[FieldDef, Context, Coercer], ...] = attrs.field(
        init=False, repr=False, eq=False
    )

    @_plain.default
    def _plain_contexts(self) -> tuple[tuple[FieldDef, Context, Coercer], ...]:
        return tuple(
            (
                field,
                Context(field.options, region=None, dayfirst=True, decimal_mark="."),
                COERCERS[field.type.value],
            )
            for field in self.fields
        )

    # What re-types each field's stored JSON (None: the JSON value is the value).
    _decoders: dict[str, Callable[[Any], Any] | None] = attrs.field(
        init=False, repr=False, eq=False
    )

    @_decoders.default
    def _json_decoders(self) -> dict[str, Callable[[Any], Any] | None]:
        return {field.name: DECODERS.get(field.type.value) for field in self.fields}

    def field(self, name: str) -> FieldDef:
        """The field called ``name``; ValidationError naming the declared ones."""
        if name not in self._by_name:
            raise self._unknown(name, None)
        return self._by_name[name]

    def validate(
        self,
        values: Mapping[str, Any] | None,
        *,
        region: str | None = None,
        dayfirst: bool = True,
        decimal_mark: str = ".",
    ) -> FrozenMap[str, Any]:
        """Typed, checked custom values; ValidationError on the first bad one.

        ``None`` and blank strings count as not given. ``region`` places phone numbers
        written without ``+``; ``dayfirst`` and ``decimal_mark`` say how non-ISO dates
        and numbers in strings are written. Already-typed values pass through, so
        validating twice gives the same map.
        """
        values = {} if values is None else values
        if not values.keys() <= self._by_name.keys():
            name = next(name for name in values if name not in self._by_name)
            raise self._unknown(name, values[name])
        plain = region is None and dayfirst and decimal_mark == "."
        typed: dict[str, Any] = {}
        for field, plain_context, coerce in self._plain:
            raw = values.get(field.name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if field.required:
                    raise ValidationError(
                        "is required", entity=self.entity, field=field.name, hint="give a value"
                    )
                continue
            context = (
                plain_context if plain else Context(field.options, region, dayfirst, decimal_mark)
            )
            typed[field.name] = self._coerce(field, coerce, raw, context)
        return FrozenMap.adopt(typed)

    def check(self, record: E) -> E:
        """``record`` with its ``custom`` values validated (typed) by this schema."""
        self._same_entity(type(record))
        return attrs.evolve(record, custom=self.validate(record.custom))

    def new(self, cls: type[E], /, **fields: Any) -> E:
        """``cls(**fields)`` with ``custom`` validated first: values checked on creation."""
        self._same_entity(cls)
        fields["custom"] = self.validate(fields.get("custom"))
        return cls(**fields)

    def with_field(self, field: FieldDef) -> Schema:
        """This schema with ``field`` declared after the others (checked like any)."""
        return Schema(self.entity, (*self.fields, field))

    def with_option(self, name: str, option: str) -> Schema:
        """This schema with ``option`` added to the options of the enum field ``name``."""
        field = self.field(name)
        if field.type not in _WITH_OPTIONS:
            raise ValidationError(
                f"is a {field.type} field, which takes no options",
                entity=self.entity,
                field=name,
                value=option,
                hint="options belong to enum and multi_enum fields",
            )
        grown = attrs.evolve(field, options=field.options | {option})
        return Schema(self.entity, tuple(grown if f.name == name else f for f in self.fields))

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; :meth:`from_json` reads it back."""
        return {"entity": self.entity, "fields": [field.to_json() for field in self.fields]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Schema:
        try:
            fields = tuple(FieldDef(**field) for field in data.get("fields", ()))
            return cls(data["entity"], fields)
        except (KeyError, TypeError, AttributeError) as error:
            raise ValidationError(
                f"not a schema document ({error})",
                hint="give {'entity': ..., 'fields': [...]} as Schema.to_json() writes it",
            ) from error

    def _coerce(self, field: FieldDef, coerce: Coercer, raw: Any, context: Context) -> Any:
        try:
            return coerce(raw, context)
        except ValidationError as error:
            raise ValidationError(
                error.reason,
                entity=self.entity,
                field=field.name,
                value=raw,
                hint=error.hint,
            ) from error

    def _unknown(self, name: str, value: Any) -> ValidationError:
        allowed = ", ".join(self._by_name) or "none are declared"
        return ValidationError(
            "not a declared custom field",
            entity=self.entity,
            field=name,
            value=value,
            hint=f"allowed fields: {allowed}; declare it in the schema or drop it",
        )

    def _same_entity(self, cls: type[Entity]) -> None:
        if self.entity != cls.ENTITY:
            raise ValidationError(
                f"this schema is for {self.entity}, not {cls.ENTITY}",
                entity=cls.ENTITY,
                hint=f"use the {cls.ENTITY} schema",
            )


# --- evolution --------------------------------------------------------------------------


@attrs.frozen
class SchemaChange:
    """One difference between two versions of a schema, about one field.

    ``compatible`` says whether every record valid under the old version is still valid
    under the new one: adding a field or an option is; removing either, changing a type
    or tightening ``required`` / ``unique`` is not, and ``what`` then says why.
    """

    field: str
    what: str
    compatible: bool


def compare_schemas(old: Schema, new: Schema) -> tuple[SchemaChange, ...]:
    """What changes from ``old`` to ``new`` (two versions of one entity's schema), field
    by field in ``old``'s order then the new fields; empty when they mean the same (the
    order the fields are declared in does not count)."""
    changes: list[SchemaChange] = []
    for field in old.fields:
        if field.name in new._by_name:  # noqa: SLF001
            changes += _field_changes(field, new._by_name[field.name])  # noqa: SLF001
        else:
            changes.append(_refused(field, "removed: stored records may hold its values"))
    for field in new.fields:
        if field.name in old._by_name:  # noqa: SLF001
            continue
        if field.required:
            changes.append(_refused(field, "added as required: stored records have no value"))
        else:
            changes.append(_allowed(field, f"added ({field.type})"))
    return tuple(changes)


def _field_changes(old: FieldDef, new: FieldDef) -> list[SchemaChange]:
    if old.type != new.type:
        why = f"type changed from {old.type} to {new.type}: stored values are {old.type}s"
        return [_refused(old, why)]
    changes = []
    if old.options - new.options:
        gone = ", ".join(sorted(old.options - new.options))
        changes.append(_refused(old, f"options removed ({gone}): stored records may hold them"))
    if new.options - old.options:
        added = ", ".join(sorted(new.options - old.options))
        changes.append(_allowed(old, f"options added ({added})"))
    tightened = {
        "required": "stored records may lack a value",
        "unique": "stored records may share a value",
    }
    for flag, why in tightened.items():
        if getattr(old, flag) != getattr(new, flag):
            changes.append(
                _refused(old, f"made {flag}: {why}")
                if getattr(new, flag)
                else _allowed(old, f"no longer {flag}")
            )
    if old.label != new.label:
        changes.append(_allowed(old, f"label changed from {old.label!r} to {new.label!r}"))
    return changes


def _allowed(field: FieldDef, what: str) -> SchemaChange:
    return SchemaChange(field.name, what, compatible=True)


def _refused(field: FieldDef, what: str) -> SchemaChange:
    return SchemaChange(field.name, what, compatible=False)


# --- the JSON column --------------------------------------------------------------------


def custom_to_json(values: Mapping[str, Any]) -> dict[str, Any]:
    """Custom values as JSON-ready data for one JSON column.

    ``Decimal`` becomes a string (no float rounding), dates and datetimes ISO strings,
    sets sorted lists, ``Money`` ``{"amount": "1.50", "currency": "EUR"}``.
    """
    return {str(name): _json_value(value) for name, value in values.items()}


def _json_value(value: Any) -> Any:
    if type(value) is str or value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Choice):
        return value.value
    if isinstance(value, (str, Email, Phone)):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency}
    if isinstance(value, Mapping):
        return custom_to_json(value)
    if isinstance(value, (set, frozenset)):
        return sorted((_json_value(item) for item in value), key=str)
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    raise ValidationError(
        f"cannot store a {type(value).__name__} in a custom property",
        value=value,
        hint="declare the field in a Schema and validate the values",
    )


def custom_from_json(schema: Schema | None, data: Mapping[str, Any] | None) -> FrozenMap[str, Any]:
    """Custom values read back from the JSON column, typed by ``schema``'s fields.

    Reading never fails: a value that no longer fits its field (the schema changed
    since it was written) or a field the schema does not declare is kept as stored, and
    ``Schema.check`` reports it on the next write. Without a schema values stay JSON.
    """
    if not data:
        return EMPTY_MAP
    decoders = schema._decoders if schema is not None else _NO_DECODERS  # noqa: SLF001
    return FrozenMap.adopt(
        {name: _from_json(decoders.get(name), value) for name, value in data.items()}
    )


_NO_DECODERS: dict[str, Callable[[Any], Any] | None] = {}


_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def custom_value_from_json(field: FieldDef | None, value: Any) -> Any:
    """One custom value read back from JSON as ``custom_from_json`` reads each."""
    return _from_json(None if field is None else DECODERS.get(field.type.value), value)


def _from_json(decode: Callable[[Any], Any] | None, value: Any) -> Any:
    if decode is None or value is None:
        return value if type(value) in _JSON_SCALARS else freeze(value)
    try:
        return decode(value)
    except (ValueError, TypeError, KeyError, ArithmeticError):
        return freeze(value)
