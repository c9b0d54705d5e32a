"""Support tickets (E6): requests with a status pipeline and a resolution time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

import attrs

from custdb.model._checks import (
    check_aware,
    check_aware_required,
    check_key,
    check_optional_key,
    check_optional_text,
    check_text,
    fail,
)
from custdb.model.entity import Entity

__all__ = ["Ticket"]


def _check_resolved_at(
    instance: Ticket, attribute: attrs.Attribute[datetime | None], value: object
) -> None:
    check_aware(instance, attribute, value)
    if isinstance(value, datetime) and value < instance.opened_at:
        raise fail(instance, attribute, value, "resolved before it was opened", "check opened_at")


@attrs.frozen(kw_only=True, repr=False)
class Ticket(Entity):
    """A support request from a client. ``status`` is a stage of its ``pipeline``."""

    ENTITY: ClassVar[str] = "ticket"
    SUMMARY: ClassVar[tuple[str, ...]] = ("subject", "status")

    subject: str = attrs.field(validator=check_text)
    topic: str | None = attrs.field(default=None, validator=check_optional_text)
    status: str = attrs.field(default="open", validator=check_key)
    pipeline: str = attrs.field(default="support", validator=check_key)
    contact_id: str | None = attrs.field(default=None, validator=check_optional_key)
    company_id: str | None = attrs.field(default=None, validator=check_optional_key)
    owner_id: str | None = attrs.field(default=None, validator=check_optional_key)
    opened_at: datetime = attrs.field(validator=check_aware_required)
    resolved_at: datetime | None = attrs.field(default=None, validator=_check_resolved_at)

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def resolution_time(self) -> timedelta | None:
        """How long the client waited; None while the ticket is open."""
        return None if self.resolved_at is None else self.resolved_at - self.opened_at
