"""Consent per purpose and channel (A4), with double opt-in and withdrawal.

A consent starts ``pending`` when the confirmation link is sent and becomes ``granted``
only when it is clicked; unsubscribing makes it ``withdrawn``. The verbs below return
a changed copy; the store keeps the history in its change log.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import ClassVar

import attrs

from custdb.model._checks import (
    Choice,
    check_aware,
    check_key,
    check_optional_text,
    check_text,
    choice,
    coerce_choice,
)
from custdb.model.entity import Entity

__all__ = [
    "Channel",
    "Consent",
    "ConsentStatus",
    "allowed_channels",
    "confirm_consent",
    "withdraw_consent",
]


class Channel(Choice):
    EMAIL = "email"
    SMS = "sms"
    PHONE = "phone"
    POST = "post"
    PUSH = "push"
    MESSENGER = "messenger"


class ConsentStatus(Choice):
    PENDING = "pending"
    GRANTED = "granted"
    WITHDRAWN = "withdrawn"


def _to_channel(value: Channel | str) -> Channel:
    return coerce_choice(Channel, value)


def _to_consent_status(value: ConsentStatus | str) -> ConsentStatus:
    return coerce_choice(ConsentStatus, value)


@attrs.frozen(kw_only=True, repr=False)
class Consent(Entity):
    """A contact's permission to be contacted for one ``purpose`` over one ``channel``.

    ``purpose`` is the business's own word (``newsletter``, ``offers``, ``service``);
    ``source`` is where it was given (web form, shop counter, import).
    """

    ENTITY: ClassVar[str] = "consent"
    SUMMARY: ClassVar[tuple[str, ...]] = ("contact_id", "purpose", "channel", "status")

    contact_id: str = attrs.field(validator=check_key)
    purpose: str = attrs.field(validator=check_text)
    channel: Channel = attrs.field(converter=_to_channel, validator=choice(Channel))
    status: ConsentStatus = attrs.field(
        default=ConsentStatus.PENDING, converter=_to_consent_status, validator=choice(ConsentStatus)
    )
    requested_at: datetime | None = attrs.field(default=None, validator=check_aware)
    confirmed_at: datetime | None = attrs.field(default=None, validator=check_aware)
    withdrawn_at: datetime | None = attrs.field(default=None, validator=check_aware)
    source: str | None = attrs.field(default=None, validator=check_optional_text)

    @property
    def is_granted(self) -> bool:
        return self.status is ConsentStatus.GRANTED


def confirm_consent(consent: Consent, *, at: datetime) -> Consent:
    """The contact clicked the confirmation link (double opt-in): granted from ``at``."""
    return attrs.evolve(consent, status=ConsentStatus.GRANTED, confirmed_at=at, withdrawn_at=None)


def withdraw_consent(consent: Consent, *, at: datetime) -> Consent:
    """The contact unsubscribed: no more messages for this purpose and channel."""
    return attrs.evolve(consent, status=ConsentStatus.WITHDRAWN, withdrawn_at=at)


def allowed_channels(consents: Iterable[Consent], *, purpose: str) -> frozenset[Channel]:
    """The channels a contact may be reached on for ``purpose``: granted and not withdrawn.

    Pending consents do not count, so an unconfirmed double opt-in sends nothing.
    """
    return frozenset(c.channel for c in consents if c.purpose == purpose and c.is_granted)
