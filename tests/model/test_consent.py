"""Consent per purpose and channel, double opt-in and withdrawal (A4)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from custdb.errors import ValidationError
from custdb.model import (
    Channel,
    Consent,
    ConsentStatus,
    allowed_channels,
    confirm_consent,
    withdraw_consent,
)

ASKED = datetime(2024, 6, 1, 8, 0, tzinfo=timezone.utc)


def test_a4_double_opt_in_is_pending_until_the_link_is_clicked() -> None:
    consent = Consent(
        contact_id="p1", purpose="newsletter", channel="email", requested_at=ASKED, source="web"
    )
    assert consent.ENTITY == "consent"
    assert consent.status is ConsentStatus.PENDING
    assert not consent.is_granted
    assert allowed_channels([consent], purpose="newsletter") == frozenset()

    confirmed = confirm_consent(consent, at=ASKED + timedelta(minutes=5))
    assert confirmed.is_granted
    assert confirmed.confirmed_at == ASKED + timedelta(minutes=5)
    assert confirmed.id == consent.id
    assert allowed_channels([confirmed], purpose="newsletter") == {Channel.EMAIL}


def test_a4_unsubscribing_withdraws_the_channel() -> None:
    granted = Consent(contact_id="p1", purpose="offers", channel="sms", status="granted")
    withdrawn = withdraw_consent(granted, at=ASKED)
    assert withdrawn.status is ConsentStatus.WITHDRAWN
    assert withdrawn.withdrawn_at == ASKED
    assert allowed_channels([withdrawn], purpose="offers") == frozenset()


def test_a4_allowed_channels_are_per_purpose() -> None:
    consents = [
        Consent(contact_id="p1", purpose="offers", channel="sms", status="granted"),
        Consent(contact_id="p1", purpose="offers", channel="push", status="granted"),
        Consent(contact_id="p1", purpose="service", channel="phone", status="granted"),
    ]
    assert allowed_channels(consents, purpose="offers") == {Channel.SMS, Channel.PUSH}
    assert allowed_channels(consents, purpose="service") == {Channel.PHONE}


def test_a4_consent_needs_purpose_channel_and_aware_times() -> None:
    with pytest.raises(ValidationError):
        Consent(contact_id="p1", purpose="", channel="email")
    with pytest.raises(ValidationError) as caught:
        Consent(contact_id="p1", purpose="x", channel="fax")
    assert (caught.value.entity, caught.value.field) == ("consent", "channel")
    with pytest.raises(ValidationError):
        Consent(
            contact_id="p1", purpose="x", channel="email", requested_at=ASKED.replace(tzinfo=None)
        )
