"""The trusted decoder builds what the checked constructor builds, for every entity kind.

Foundation IV item 2: stores read their rows back with ``codec.trusted_decoder``, which
fills the slots without running converters or validators. These properties draw records
of every kind (every field, value objects nested, custom values with and without a
schema), encode them as a store does, and check that the trusted decoder gives the very
record the checked path gives: equal, hashing alike, each field of the same type, and
accepted again by ``attrs.evolve`` (which re-runs every check).
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from custdb import codec
from custdb.errors import ValidationError
from custdb.model import Email, Phone
from custdb.model.frozen import FrozenMap
from custdb.model.registry import ENTITY_CLASSES
from custdb.model.schema import FieldDef, FieldType, Schema

_ZONES = st.sampled_from(
    [dt.timezone.utc, dt.timezone(dt.timedelta(hours=3)), dt.timezone(dt.timedelta(hours=-12))]
)
# Text that takes both ways through the text validators: printable (the inline test)
# and storable but not printable (a tab, a no-break space, a zero-width space).
_TEXT = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=8
) | st.sampled_from(["Юлия", "a\tb", "x\u00a0y", "\u200b", "Ольга Петрова", "王"])
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False)
    | st.floats(allow_infinity=False, allow_nan=False) | _TEXT,
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(_TEXT, inner, max_size=2),
    max_leaves=4,
)  # fmt: skip
_BY_NAME: dict[str, st.SearchStrategy[Any]] = {
    "currency": st.sampled_from(["EUR", "eur "]),  # one currency: orders and items agree
    "country": st.sampled_from(["RU", "no", " es"]),
    "probability": st.decimals(0, 1, places=2),
    "last_satisfaction": st.decimals(0, 1, places=3),
    "custom": st.dictionaries(_TEXT, _JSON, max_size=2),
}
_BY_TYPE: dict[Any, st.SearchStrategy[Any]] = {
    str: _TEXT,
    bool: st.booleans(),
    int: st.integers(0, 12) | st.integers(0, 2**63 - 1),
    Decimal: st.decimals(-(10**6), 10**6, places=2) | st.decimals(0, 10**6, places=0),
    dt.date: st.dates(),
    dt.datetime: st.datetimes(timezones=_ZONES),
    dt.timedelta: st.timedeltas(dt.timedelta(0), dt.timedelta(days=36_500)),
    Email: st.builds(
        Email,
        st.from_regex(r"[a-z0-9.]{1,8}@[a-z]{1,8}\.[a-z]{2,3}", fullmatch=True),
        st.none() | _TEXT,
    ),
    Phone: st.builds(
        Phone,
        st.from_regex(r"\+[1-9][0-9]{5,14}", fullmatch=True),
        st.none() | st.from_regex(r"[0-9]{1,4}", fullmatch=True),
        st.none() | _TEXT,
    ),
}


def _strategy(name: str, hint: Any) -> st.SearchStrategy[Any]:
    """Values of a field called ``name`` whose type hint is ``hint``."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in args if arg is not type(None)]
        return st.none() | _strategy(name, inner[0])
    if origin is tuple:
        return st.lists(_strategy(name, args[0]), max_size=2).map(tuple)
    if origin is frozenset:
        return st.frozensets(_strategy(name, args[0]), max_size=2)
    if origin is FrozenMap:
        return st.dictionaries(_TEXT, _TEXT, max_size=2)
    if hint in _BY_TYPE:
        return _BY_TYPE[hint]
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return st.sampled_from(hint)
    if isinstance(hint, type) and attrs.has(hint):
        return _records(hint)
    raise AssertionError(f"no strategy for {name}: {hint!r}")


def _records(cls: type) -> st.SearchStrategy[Any]:
    """Instances of ``cls`` built by its checked constructor from drawn fields: each
    field given a value or left to its default; a combination it refuses is not drawn."""
    hints = typing.get_type_hints(cls)
    fields = [f for f in attrs.fields(cls) if f.init and f.name != "id"]
    required = {f.name: _strategy(f.name, hints[f.name]) for f in fields if _required(f)}
    optional = {f.name: _strategy(f.name, hints[f.name]) for f in fields if not _required(f)}

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        kwargs = draw(st.fixed_dictionaries(required, optional=optional))
        try:
            return cls(**kwargs)
        except ValidationError:
            assume(False)

    return build()


def _required(field: attrs.Attribute[Any]) -> bool:
    return field.default is attrs.NOTHING


_SCHEMA = Schema(
    "contact",
    (
        FieldDef("segment", FieldType.ENUM, options=frozenset({"gold", "silver"})),
        FieldDef("visits", FieldType.INTEGER),
        FieldDef("balance", FieldType.DECIMAL),
        FieldDef("since", FieldType.DATE),
        FieldDef("seen_at", FieldType.DATETIME),
        FieldDef("interests", FieldType.MULTI_ENUM, options=frozenset({"golf", "yoga"})),
        FieldDef("deposit", FieldType.MONEY),
        FieldDef("vip", FieldType.BOOL),
        FieldDef("site", FieldType.URL),
    ),
)
_TYPED_CUSTOM = st.fixed_dictionaries(
    {},
    optional={
        "segment": st.sampled_from(["gold", "silver"]),
        "visits": st.integers(-(2**63), 2**63 - 1),
        "balance": st.decimals(-(10**9), 10**9, places=4),
        "since": st.dates(),
        "seen_at": st.datetimes(timezones=_ZONES),
        "interests": st.frozensets(st.sampled_from(["golf", "yoga"])),
        "deposit": st.decimals(0, 10**6, places=2).map(lambda n: {"amount": n, "currency": "NOK"}),
        "vip": st.booleans(),
        "site": st.sampled_from(["https://example.com/a", "example.org"]),
    },
).map(_SCHEMA.validate)


def _assert_same(trusted: Any, checked: Any) -> None:
    """Equal, hashing alike, and each field (nested records too) of the same type."""
    assert trusted == checked
    assert hash(trusted) == hash(checked)
    for field in attrs.fields(type(checked)):
        mine, theirs = getattr(trusted, field.name), getattr(checked, field.name)
        assert type(mine) is type(theirs), field.name
        if attrs.has(type(theirs)):
            _assert_same(mine, theirs)
        elif isinstance(theirs, tuple):
            for item, other in zip(mine, theirs, strict=True):
                assert type(item) is type(other), field.name


def _check_round_trip(record: Any, schema: Schema | None) -> None:
    cls = type(record)
    data = codec.encode(record)
    checked = codec.decode(cls, data, schema)
    trusted = codec.trusted_decoder(cls)(dict(data), schema)
    assert checked == record
    _assert_same(trusted, checked)
    assert attrs.evolve(trusted) == trusted  # every converter and validator accepts it
    # As a store's document keeps it: None, empty lists and empty maps left out.
    sparse = {k: v for k, v in data.items() if v is not None and v not in ([], {})}
    _assert_same(codec.trusted_decoder(cls)(sparse, schema), codec.decode(cls, sparse, schema))


_KINDS = sorted(ENTITY_CLASSES.values(), key=lambda cls: cls.ENTITY)
_SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


@pytest.mark.parametrize("cls", _KINDS, ids=lambda cls: cls.ENTITY)
@_SETTINGS
@given(data=st.data())
def test_trusted_decoding_equals_checked_decoding_for_every_kind(
    cls: type, data: st.DataObject
) -> None:
    """Foundation IV item 2: each entity kind, custom values as JSON (no schema). A
    kind whose records never build would fail as unsatisfiable, not pass unseen."""
    _check_round_trip(data.draw(_records(cls)), None)


@_SETTINGS
@given(_records(ENTITY_CLASSES["contact"]), _TYPED_CUSTOM)
def test_trusted_decoding_types_custom_values_as_the_schema_does(
    contact: Any, custom: FrozenMap[str, Any]
) -> None:
    """Foundation IV item 2: custom values typed by a schema read back typed alike."""
    _check_round_trip(attrs.evolve(contact, custom=custom), _SCHEMA)


def test_an_empty_object_reads_as_the_shared_default_record() -> None:
    """Foundation IV item 2: a store writes a client's roll-ups as the keys that differ
    from a new client's, so most rows hold ``{}``: the trusted decoder reads it as the
    field's default itself (no record built), and a non-empty object as what it holds."""
    contact_cls = ENTITY_CLASSES["contact"]
    data = codec.encode(contact_cls(first_name="Анна"))
    default = attrs.fields_dict(contact_cls)["stats"].default
    trusted = codec.trusted_decoder(contact_cls)
    assert trusted({**data, "stats": {}}, None).stats is default
    assert codec.decode(contact_cls, {**data, "stats": {}}).stats == default
    counted = trusted({**data, "stats": {"order_count": 3}}, None).stats
    assert counted.order_count == 3
    assert counted == attrs.evolve(default, order_count=3)
