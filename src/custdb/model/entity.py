"""What every stored record has: an id, a version, external ids, custom properties.

Entities are ``@attrs.frozen(kw_only=True)`` subclasses of :class:`Entity`; a change is
``attrs.evolve(record, field=value)``, which makes a new record and runs the converters
and validators again.

Identity and equality. The same customer is the same ``id``; ``==`` compares the whole
state (attrs compares every field), so a record and its edited copy are *not* equal
though they are the same entity. Entities are hashable, and the hash follows ``==``:
every field type is immutable (tuples, frozensets, :class:`FrozenMap`, value objects),
so records can go in sets and be dict keys as snapshots. To group by identity, key on
``record.id``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import attrs

from custdb.model._checks import (
    check_aware,
    check_count,
    check_custom,
    check_external_ids,
    check_key,
)
from custdb.model.frozen import FrozenMap, to_frozen_map
from custdb.model.ids import new_id

__all__ = ["Entity"]


@attrs.frozen(kw_only=True)
class Entity:
    """The fields every entity shares; the store owns ``version`` and the timestamps.

    ``version`` goes up by one on every write, and a write whose version is not the
    stored one fails (optimistic concurrency). ``external_ids`` maps a source system to
    that system's id (``{"1c": "000123"}``) so re-imports and syncs find the record.
    ``custom`` holds the custom properties a :class:`~custdb.model.Schema` declares.
    """

    ENTITY: ClassVar[str] = "entity"

    id: str = attrs.field(factory=new_id, validator=check_key)
    version: int = attrs.field(default=0, validator=check_count)
    external_ids: FrozenMap[str, str] = attrs.field(
        factory=FrozenMap, converter=to_frozen_map, validator=check_external_ids
    )
    custom: FrozenMap[str, Any] = attrs.field(
        factory=FrozenMap, converter=to_frozen_map, validator=check_custom
    )
    created_at: datetime | None = attrs.field(default=None, validator=check_aware)
    updated_at: datetime | None = attrs.field(default=None, validator=check_aware)
