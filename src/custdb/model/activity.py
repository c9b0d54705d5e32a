"""Activities (E5): calls, e-mails, meetings and the rest; together, a record's timeline."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

import attrs

from custdb.model._checks import (
    Choice,
    check_aware_required,
    check_duration,
    check_keys,
    check_optional_key,
    check_optional_text,
    choice,
    coerce_choice,
)
from custdb.model.entity import Entity
from custdb.model.frozen import to_tuple

__all__ = ["Activity", "ActivityKind"]


class ActivityKind(Choice):
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    DEMO = "demo"
    NOTE = "note"
    SMS = "sms"
    VISIT = "visit"
    FIELD_UPDATE = "field_update"


def _to_activity_kind(value: ActivityKind | str) -> ActivityKind:
    return coerce_choice(ActivityKind, value)


@attrs.frozen(kw_only=True, repr=False)
class Activity(Entity):
    """Something that happened with a client, linked to every record it concerns.

    ``purpose`` groups activities the way the business reads them (``client_interest``,
    ``presentation``, ``service_visit``, ``complaint``); ``actor_id`` is the user who
    did it.
    """

    ENTITY: ClassVar[str] = "activity"
    SUMMARY: ClassVar[tuple[str, ...]] = ("kind", "occurred_at", "subject")

    kind: ActivityKind = attrs.field(converter=_to_activity_kind, validator=choice(ActivityKind))
    occurred_at: datetime = attrs.field(validator=check_aware_required)
    subject: str | None = attrs.field(default=None, validator=check_optional_text)
    body: str | None = attrs.field(default=None, validator=check_optional_text)
    contact_ids: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=check_keys)
    company_ids: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=check_keys)
    deal_ids: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=check_keys)
    actor_id: str | None = attrs.field(default=None, validator=check_optional_key)
    outcome: str | None = attrs.field(default=None, validator=check_optional_text)
    duration: timedelta | None = attrs.field(default=None, validator=check_duration)
    purpose: str | None = attrs.field(default=None, validator=check_optional_text)
