"""Immutable containers, and the converters that put field values into them.

Entities are frozen and hashable, so every container they hold must be too: tuples,
frozensets and :class:`FrozenMap`. The converters here are what ``attrs`` runs on
construction and again on every ``attrs.evolve``; each returns its input unchanged when
it is already in shape, so re-running them costs almost nothing.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from collections.abc import Set as AbstractSet
from typing import Any, TypeVar, overload

from custdb.errors import ValidationError

__all__ = [
    "EMPTY_MAP",
    "MAX_NESTING",
    "FrozenMap",
    "freeze",
    "to_frozen_map",
    "to_frozenset",
    "to_tuple",
]

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class FrozenMap(Mapping[K, V]):
    """A read-only, hashable mapping: ``custom`` properties and ``external_ids``.

    It compares equal to any mapping with the same items (``FrozenMap(a=1) == {"a": 1}``)
    and hashes like the frozenset of its items, so its values must be hashable. Change
    one with ``|`` or :meth:`without`, which return new maps.
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = (), /) -> None:
        self._data: dict[K, V] = dict(data)
        self._hash: int | None = None

    @classmethod
    def adopt(cls, data: dict[K, V], /) -> FrozenMap[K, V]:
        """A map over ``data`` itself, not a copy: for a dict just built that nobody else
        holds (the converters and decoders here), which then must not be changed."""
        made = object.__new__(cls)
        made._data, made._hash = data, None
        return made

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    # The dict's own views and lookup: Mapping's generic ones go through __getitem__
    # per key, which costs a microsecond a record on the store's write path.
    @overload
    def get(self, key: K, /) -> V | None: ...
    @overload
    def get(self, key: K, default: V | T, /) -> V | T: ...
    def get(self, key: K, default: Any = None, /) -> Any:
        return self._data.get(key, default)

    def keys(self) -> KeysView[K]:
        return self._data.keys()

    def values(self) -> ValuesView[V]:
        return self._data.values()

    def items(self) -> ItemsView[K, V]:
        return self._data.items()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __or__(self, other: Mapping[K, V]) -> FrozenMap[K, V]:
        if not isinstance(other, Mapping):
            return NotImplemented
        return FrozenMap({**self._data, **other})

    def __ror__(self, other: Mapping[K, V]) -> FrozenMap[K, V]:
        if not isinstance(other, Mapping):
            return NotImplemented
        return FrozenMap({**other, **self._data})

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unpickled, (self._data,))

    def without(self, *keys: K) -> FrozenMap[K, V]:
        """A copy without ``keys`` (missing keys are ignored)."""
        return FrozenMap({k: v for k, v in self._data.items() if k not in keys})


def _unpickled(data: dict[Any, Any]) -> FrozenMap[Any, Any]:
    """A pickled map: over the dict the pickle just made, which nothing else holds."""
    return FrozenMap.adopt(data)


EMPTY_MAP: FrozenMap[Any, Any] = FrozenMap()
"""The empty map, shared: what a record without custom values or external ids holds."""


MAX_NESTING = 32
"""Levels of lists and maps a custom value may nest (JSON writers stop at a few hundred)."""


def to_frozen_map(value: Mapping[Any, Any] | None) -> FrozenMap[Any, Any]:
    """Converter: ``None`` to an empty map, a dict (nested lists and dicts too) to frozen.

    A ``FrozenMap`` comes back as itself, so ``attrs.evolve`` pays nothing for it.
    """
    return _frozen_map(value, 0)


def _frozen_map(value: Mapping[Any, Any] | None, depth: int) -> FrozenMap[Any, Any]:
    if isinstance(value, FrozenMap):
        return value
    if value is None:
        return EMPTY_MAP
    if type(value) is not dict and not isinstance(value, Mapping):
        raise ValidationError(
            f"expected a mapping, got {type(value).__name__}",
            value=value,
            hint="give a dict such as {'key': 'value'}",
        )
    if not value:
        return EMPTY_MAP
    return FrozenMap.adopt({key: _freeze(item, depth + 1) for key, item in value.items()})


def freeze(value: Any) -> Any:
    """The immutable twin of a JSON-like value: dict to FrozenMap, list to tuple, set to
    frozenset, nested all the way down (at most :data:`MAX_NESTING` levels); anything
    else comes back as it is."""
    return _freeze(value, 0)


_SCALARS = frozenset({str, int, float, bool, type(None)})  # most values: nothing to freeze


def _freeze(value: Any, depth: int) -> Any:
    if type(value) in _SCALARS:
        return value
    if depth > MAX_NESTING and isinstance(value, (Mapping, list, tuple, AbstractSet)):
        raise ValidationError(
            f"nests lists or maps more than {MAX_NESTING} levels deep",
            hint=f"flatten the value to at most {MAX_NESTING} levels",
        )
    if isinstance(value, Mapping):
        return _frozen_map(value, depth)
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(item, depth + 1) for item in value)
    if isinstance(value, AbstractSet) and not isinstance(value, frozenset):
        return frozenset(value)
    return value


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Converter: any iterable to a tuple (a tuple is returned as itself).

    A lone string is refused rather than split into characters: ``owner_ids="u1"`` is a
    mistake for ``owner_ids=["u1"]``.
    """
    if isinstance(value, tuple):
        return value
    _refuse_text(value)
    return tuple(value)


def to_frozenset(value: Iterable[str]) -> frozenset[str]:
    """Converter: strings (tags, options) to a frozenset; a lone string is refused."""
    if isinstance(value, frozenset):
        return value
    _refuse_text(value)
    return frozenset(value)


def _refuse_text(value: object) -> None:
    if isinstance(value, (str, bytes)):
        raise ValidationError(
            "expected a list of values, got one string",
            value=value,
            hint=f"wrap it in a list: [{value!r}]",
        )
