"""Entities to JSON-ready dicts and back, for the change log, storage rows and export.

Serialization is kept off the entity classes (ATTRS): the fields of a class are read
once from its type hints, and an encoder and a decoder are generated for it (as attrs
generates ``__init__``), so turning 100k entities into dicts and back costs one call per
record plus the fields that need converting. Custom properties are typed by their
``Schema`` when one is given; without it they come back as the JSON scalars they were
stored as.

``decode`` builds through the class, so converters and validators check the data.
``trusted_decoder`` is for rows a store wrote itself, validated on the way in: it fills
the instance's slots directly and skips the checks (the stores' row mapping only).
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from custdb.errors import ValidationError
from custdb.model._slots import setter
from custdb.model.frozen import FrozenMap, to_frozen_map
from custdb.model.schema import Schema, custom_from_json, custom_to_json

__all__ = ["decode", "encode", "field_encoders", "trusted_decoder"]

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]
TrustedDecoder = Callable[[Mapping[str, Any], Schema | None], Any]


def encode(entity: Any) -> dict[str, Any]:
    """``entity`` (any attrs instance) as a dict of JSON values, one key per field."""
    cls = type(entity)
    encoder = _ENCODERS.get(cls) or _generate_encoder(cls)
    return encoder(entity)


def field_encoders(cls: type[Any]) -> dict[str, Encoder | None]:
    """What ``encode`` applies to each field's value when it is not None (None: the value
    is its own JSON form), for code that builds a record's JSON without the dict."""
    return {field.name: field.codec.encode for field in _fields(cls)}


def decode(cls: type[Any], data: Mapping[str, Any], schema: Schema | None = None) -> Any:
    """The ``cls`` instance that ``encode`` wrote as ``data``; missing keys take defaults."""
    values = {f.name: f.decode(data[f.name]) for f in _fields(cls) if f.name in data}
    if "custom" in values or "custom" in data:
        values["custom"] = custom_from_json(schema, data.get("custom") or {})
    return cls(**values)


def trusted_decoder(cls: type[Any]) -> TrustedDecoder:
    """A function ``(data, schema) -> instance`` equal to ``decode``'s, built without
    running converters and validators: for data ``encode`` wrote from a valid instance."""
    found = _TRUSTED.get(cls)
    if found is None:
        found = _TRUSTED[cls] = _generate_trusted(cls)
    return found


# --- field codecs -----------------------------------------------------------------------


@attrs.frozen
class _Codec:
    """How one field's values go to JSON and back. ``encode`` None: the value is its own
    JSON form; ``trust`` decodes on the trusted path (nested records built directly)."""

    encode: Encoder | None
    decode: Decoder
    trust: Decoder
    optional: bool = False


@attrs.frozen
class _Field:
    name: str
    codec: _Codec

    def decode(self, value: Any) -> Any:
        if value is None and self.codec.optional:
            return None
        return self.codec.decode(value)


_FIELDS: dict[type[Any], tuple[_Field, ...]] = {}
_ENCODERS: dict[type[Any], Callable[[Any], dict[str, Any]]] = {}
_TRUSTED: dict[type[Any], TrustedDecoder] = {}


def _fields(cls: type[Any]) -> tuple[_Field, ...]:
    found = _FIELDS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = tuple(
            _Field(f.name, _codec_for(hints[f.name])) for f in attrs.fields(cls) if f.init
        )
        _FIELDS[cls] = found
    return found


def _same(value: Any) -> Any:
    return value


_PLAIN = _Codec(None, _same, _same)


def _codec_for(hint: Any) -> _Codec:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in args if arg is not type(None)]
        return attrs.evolve(_codec_for(inner[0]) if len(inner) == 1 else _PLAIN, optional=True)
    if origin in (tuple, frozenset):
        item = _codec_for(args[0]) if args else _PLAIN
        codec = _collection(origin, item.encode or _same, item.decode, item.trust)
        if origin is tuple and args and attrs.has(args[0]):  # value objects: no dispatch
            return attrs.evolve(codec, encode=_list_encoder(args[0]), trust=_list_decoder(args[0]))
        return codec
    if origin is FrozenMap or hint is FrozenMap:
        return _Codec(custom_to_json, to_frozen_map, to_frozen_map)
    if isinstance(hint, type):
        return _codec_for_type(hint)
    return _PLAIN


def _collection(kind: Any, enc: Encoder, dec: Decoder, trust: Decoder) -> _Codec:
    if kind is tuple:
        return _Codec(
            list if enc is _same else lambda v: [enc(x) for x in v],
            lambda v: tuple(dec(x) for x in v),
            tuple if trust is _same else lambda v: tuple([trust(x) for x in v]),
        )
    return _Codec(
        sorted if enc is _same else lambda v: sorted(enc(x) for x in v),
        lambda v: frozenset(dec(x) for x in v),
        frozenset if trust is _same else lambda v: frozenset([trust(x) for x in v]),
    )


def _codec_for_type(cls: type[Any]) -> _Codec:
    if attrs.has(cls):
        return _Codec(encode, lambda v: decode(cls, v), _nested_decoder(cls))
    if issubclass(cls, enum.Enum):
        return _Codec(lambda v: v.value, cls, _enum_lookup(cls))
    if cls is Decimal:
        return _Codec(str, Decimal, Decimal)
    if cls is dt.datetime:
        return _Codec(_encode_datetime, dt.datetime.fromisoformat, _decode_datetime)
    if cls is dt.date:
        return _Codec(dt.date.isoformat, dt.date.fromisoformat, dt.date.fromisoformat)
    if cls is dt.timedelta:
        seconds: Decoder = lambda v: dt.timedelta(seconds=v)  # noqa: E731
        return _Codec(lambda v: v.total_seconds(), seconds, seconds)
    return _PLAIN


def _enum_lookup(cls: type[enum.Enum]) -> Decoder:
    """A stored value to its member by a dict lookup, ~4x cheaper than calling the class;
    a value the dict lacks (an alias ``_missing_`` knows) still goes through the class."""
    members = {member.value: member for member in cls}

    def lookup(value: Any) -> Any:
        found = members.get(value)
        return cls(value) if found is None else found

    return lookup


def _encode_datetime(value: dt.datetime) -> str:
    """UTC ISO text; the last one is remembered, since a store stamps every record of a
    transaction with the same ``now`` (the cache holds the datetime, so ``is`` is safe)."""
    last, text = _LAST_DATETIME[0]
    if value is not last:
        text = value.astimezone(dt.timezone.utc).isoformat()
        _LAST_DATETIME[0] = value, text
    return text


_LAST_DATETIME: list[tuple[dt.datetime | None, str]] = [(None, "")]


def _decode_datetime(text: str) -> dt.datetime:
    """``datetime.fromisoformat(text)``, the last one remembered: the records a store
    wrote in one transaction share their ``created_at`` and ``updated_at`` texts."""
    last, value = _LAST_DECODED[0]
    if text != last:
        value = dt.datetime.fromisoformat(text)
        _LAST_DECODED[0] = text, value
    found: dt.datetime = value
    return found


_LAST_DECODED: list[tuple[str | None, Any]] = [(None, None)]


# --- generated functions ----------------------------------------------------------------


def _compiled(name: str, lines: list[str], namespace: dict[str, Any], what: str) -> Any:
    """Run the generated ``lines``, under a file name that says ``what`` they are (so a
    profile or a traceback tells one generated function from another)."""
    code = compile("\n".join(lines), f"<custdb.codec {what}>", "exec")
    exec(code, namespace)  # noqa: S102 - names come from attrs.fields only
    return namespace[name]


def _generate_encoder(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
    """``def encode(e): return {"id": e.id, "tags": enc_tags(e.tags), ...}``."""
    namespace: dict[str, Any] = {}
    lines = ["def encode(e):", f"    return {_display(cls, 'e', namespace)}"]
    found: Callable[[Any], dict[str, Any]] = _compiled(
        "encode", lines, namespace, f"encoder {cls.__qualname__}"
    )
    _ENCODERS[cls] = found
    return found


def _list_encoder(cls: type[Any]) -> Encoder:
    """``lambda v: [{"address": x.address, ...} for x in v]``: a tuple of value objects
    (e-mails, phones, line items) encoded without a call per item."""
    namespace: dict[str, Any] = {}
    lines = ["def encode(v):", f"    return [{_display(cls, 'x', namespace)} for x in v]"]
    found: Encoder = _compiled("encode", lines, namespace, f"list encoder {cls.__qualname__}")
    return found


def _nested_decoder(cls: type[Any]) -> Decoder:
    """A nested record (an address, the roll-ups) from stored data on the trusted path;
    the builder is looked up when first needed, since classes may nest, then kept."""
    builder: list[TrustedDecoder] = []

    def decode(value: Any) -> Any:
        if not builder:
            builder.append(trusted_decoder(cls))
        return builder[0](value, None)

    return decode


def _list_decoder(cls: type[Any]) -> Decoder:
    """A tuple of value objects from stored data on the trusted path, one call per item
    (the builder is looked up when first needed, since classes may nest, then kept)."""
    builder: list[TrustedDecoder] = []

    def decode(items: Any) -> tuple[Any, ...]:
        if not builder:
            builder.append(trusted_decoder(cls))
        build = builder[0]
        if len(items) == 1:  # most records keep one e-mail, one phone: no comprehension
            return (build(items[0], None),)
        return tuple([build(item, None) for item in items])

    return decode


def _display(cls: type[Any], var: str, namespace: dict[str, Any]) -> str:
    """Python text of the dict ``encode`` makes of ``cls`` instance ``var``; the field
    encoders it calls are put in ``namespace``."""
    items = []
    for field in _fields(cls):
        value, enc = f"{var}.{field.name}", field.codec.encode
        if enc is not None:
            name = f"enc_{cls.__name__}_{field.name}"
            namespace[name] = enc
            value = f"{name}({value})"
            if field.codec.optional:
                value = f"None if (v := {var}.{field.name}) is None else {name}(v)"
        items.append(f"{field.name!r}: {value}")
    return "{" + ", ".join(items) + "}"


def _generate_trusted(cls: type[Any]) -> TrustedDecoder:
    """Set every slot from ``data``, decoded; a missing key takes the field's default.

    ``def build(data, schema): o = new(cls); set0(o, get("id", MISSING)) ...``: one
    line a field, with what it needs inlined (a constant default as a constant, a field
    whose JSON is its value read as it is), since a contact has some thirty fields and
    the stored document leaves out every one that holds its default."""
    if hasattr(cls, "__attrs_post_init__") or not all(f.init for f in attrs.fields(cls)):
        return lambda data, schema: decode(cls, data, schema)
    namespace: dict[str, Any] = {
        "cls": cls,
        "new": object.__new__,
        "MISSING": attrs.NOTHING,
        "custom_from_json": custom_from_json,
    }
    lines = ["def build(data, schema):", "    o = new(cls)", "    get = data.get"]
    attributes = {f.name: f for f in attrs.fields(cls)}
    for i, field in enumerate(_fields(cls)):
        namespace[f"dec{i}"], namespace[f"set{i}"] = field.codec.trust, setter(cls, field.name)
        lines += _trusted_lines(i, field, attributes[field.name], namespace)
    lines.append("    return o")
    built: TrustedDecoder = _compiled("build", lines, namespace, f"trusted {cls.__qualname__}")
    return built


def _trusted_lines(
    i: int, field: _Field, attribute: attrs.Attribute[Any], namespace: dict[str, Any]
) -> list[str]:
    """The code that reads field number ``i`` from ``data`` and sets it on ``o``."""
    key = repr(field.name)
    if field.name == "custom":
        return [f"    set{i}(o, custom_from_json(schema, get({key})))"]
    default = _constant_default(attribute)
    constant = default is not attrs.NOTHING
    namespace[f"default{i}"] = default if constant else _default(attribute)
    missing = f"default{i}" if constant else f"default{i}()"
    if field.codec.trust is _same and constant:
        return [f"    set{i}(o, get({key}, default{i}))"]
    if field.codec.trust is _same:
        value = f"{missing} if (v := get({key}, MISSING)) is MISSING else v"
    elif field.codec.optional and constant and default is None:  # absent reads as None too
        value = f"None if (v := get({key})) is None else dec{i}(v)"
    else:
        decoded = f"None if v is None else dec{i}(v)" if field.codec.optional else f"dec{i}(v)"
        absent = f"(v := get({key}, MISSING)) is MISSING"
        if constant and _empty_is_default(default):  # a new client's roll-ups: ``{}``
            absent += " or v == {}"
        stored = _stored_form(field, default) if constant else None
        if stored is not None:  # the default as stored reads as the default itself
            namespace[f"stored{i}"] = stored
            absent += f" or v == stored{i}"
        value = f"{missing} if {absent} else {decoded}"
    return [f"    set{i}(o, {value})"]


def _stored_form(field: _Field, default: Any) -> Any:
    """The JSON a constant default of a value object or a container is stored as (an
    empty map, the roll-ups of a new client): data equal to it then decodes to the
    default, shared, without building a copy. None for other fields."""
    if default is None or field.codec.encode is None:
        return None
    if not (attrs.has(type(default)) or isinstance(default, (Mapping, tuple, frozenset))):
        return None
    return field.codec.encode(default)


def _empty_is_default(default: Any) -> bool:
    """Whether an empty JSON object decodes to ``default``, a record whose every field
    has a default: a store writes such a record (a client's roll-ups) as only the keys
    that differ from a new one's, so most rows hold ``{}``, read as the shared default."""
    cls = type(default)
    if not attrs.has(cls) or not all(f.default is not attrs.NOTHING for f in attrs.fields(cls)):
        return False
    try:
        return bool(decode(cls, {}) == default)
    except (ValidationError, TypeError, ValueError):
        return False


def _constant_default(field: attrs.Attribute[Any]) -> Any:
    """The value a missing field gets when it is one constant (converter applied), which
    every record may share; NOTHING for a factory or a required field."""
    default: Any = field.default
    if default is attrs.NOTHING or isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return attrs.NOTHING
    convert: Callable[[Any], Any] = field.converter or _same  # type: ignore[assignment]
    return convert(default)


def _default(field: attrs.Attribute[Any]) -> Callable[[], Any]:
    """What a missing field gets, as ``__init__`` would give it (converter applied)."""
    default: Any = field.default
    convert: Callable[[Any], Any] = field.converter or _same  # type: ignore[assignment]
    if default is attrs.NOTHING:
        return lambda: _missing(field.name)
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        make: Callable[[], Any] = default.factory
        return lambda: convert(make())
    value = convert(default)
    return lambda: value


def _missing(name: str) -> Any:
    raise ValidationError("is missing from the stored record", field=name)
