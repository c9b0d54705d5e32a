"""FrozenMap and the immutable-container converters entities use."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custdb.errors import ValidationError
from custdb.model.frozen import FrozenMap, freeze, to_frozen_map, to_frozenset, to_tuple

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5))
flat_maps = st.dictionaries(st.text(max_size=5), scalars, max_size=6)
json_like = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=10,
)


def test_a_frozen_map_reads_like_a_dict() -> None:
    m = FrozenMap({"tier": "gold", "score": 7})
    assert m["tier"] == "gold"
    assert m.get("missing") is None
    assert "score" in m
    assert len(m) == 2
    assert list(m) == ["tier", "score"]
    assert dict(m) == {"tier": "gold", "score": 7}
    assert repr(m) == "FrozenMap({'tier': 'gold', 'score': 7})"


def test_a_frozen_map_cannot_be_changed_in_place() -> None:
    m: Any = FrozenMap({"a": 1})
    with pytest.raises(TypeError):
        m["a"] = 2
    with pytest.raises(AttributeError):
        m.update({"a": 2})


def test_changes_make_new_maps() -> None:
    m = FrozenMap({"a": 1, "b": 2})
    assert m | {"b": 3, "c": 4} == {"a": 1, "b": 3, "c": 4}
    assert isinstance(m | {"c": 1}, FrozenMap)
    assert isinstance({"c": 1} | m, FrozenMap)
    assert {"a": 0, "c": 1} | m == {"a": 1, "b": 2, "c": 1}
    assert m.without("a", "zzz") == {"b": 2}
    assert m == {"a": 1, "b": 2}


def test_or_with_a_non_mapping_is_not_supported() -> None:
    with pytest.raises(TypeError):
        FrozenMap({"a": 1}) | [("b", 2)]  # type: ignore[operator]


def test_equality_with_other_values() -> None:
    assert FrozenMap({"a": 1}) != [("a", 1)]
    assert FrozenMap({"a": 1}) != FrozenMap({"a": 2})


@given(flat_maps)
def test_frozen_maps_equal_their_dict_and_hash_alike(data: dict[str, Any]) -> None:
    first, second = FrozenMap(data), FrozenMap(dict(reversed(list(data.items()))))
    assert first == data
    assert first == second
    assert hash(first) == hash(second)
    assert {first: "ok"}[second] == "ok"


@given(flat_maps)
def test_a_frozen_map_survives_pickling(data: dict[str, Any]) -> None:
    m = FrozenMap(data)
    hash(m)
    assert pickle.loads(pickle.dumps(m)) == m  # noqa: S301 - our own bytes


def test_to_frozen_map_turns_none_and_dicts_into_frozen_maps() -> None:
    assert to_frozen_map(None) == FrozenMap()
    nested = to_frozen_map({"a": {"b": [1, {"c": {2, 3}}]}})
    assert nested == {"a": {"b": (1, {"c": frozenset({2, 3})})}}
    assert isinstance(nested["a"], FrozenMap)
    hash(nested)


def test_to_frozen_map_returns_a_frozen_map_as_itself() -> None:
    m = FrozenMap({"a": 1})
    assert to_frozen_map(m) is m


def test_to_frozen_map_refuses_a_non_mapping() -> None:
    with pytest.raises(ValidationError, match="expected a mapping"):
        to_frozen_map([("a", 1)])  # type: ignore[arg-type]


@given(json_like)
def test_freezing_is_idempotent_and_hashable(value: Any) -> None:
    frozen = freeze(value)
    assert freeze(frozen) == frozen
    hash(frozen)


def test_to_tuple_and_to_frozenset() -> None:
    values = ("a", "b")
    assert to_tuple(values) is values
    assert to_tuple(["a", "b"]) == ("a", "b")
    tags = frozenset({"vip"})
    assert to_frozenset(tags) is tags
    assert to_frozenset(["vip", "vip"]) == tags


@pytest.mark.parametrize("convert", [to_tuple, to_frozenset])
def test_a_lone_string_is_refused_rather_than_split(convert: Any) -> None:
    with pytest.raises(ValidationError, match="one string") as caught:
        convert("u1")
    assert caught.value.hint == "wrap it in a list: ['u1']"
