"""Support tickets (E6)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import attrs
import pytest

from custdb.errors import ValidationError
from custdb.model import Ticket

OPENED = datetime(2024, 2, 1, 9, 0, tzinfo=timezone.utc)


def test_e6_an_open_ticket_has_no_resolution_time() -> None:
    ticket = Ticket(subject="Printer jams", topic="hardware", contact_id="p1", opened_at=OPENED)
    assert ticket.ENTITY == "ticket"
    assert (ticket.status, ticket.pipeline) == ("open", "support")
    assert ticket.is_open
    assert ticket.resolution_time is None


def test_e6_resolving_a_ticket_gives_its_resolution_time() -> None:
    ticket = Ticket(subject="Printer jams", opened_at=OPENED)
    resolved = attrs.evolve(ticket, status="resolved", resolved_at=OPENED + timedelta(hours=5))
    assert not resolved.is_open
    assert resolved.resolution_time == timedelta(hours=5)


def test_e6_a_ticket_cannot_be_resolved_before_it_was_opened() -> None:
    with pytest.raises(ValidationError) as caught:
        Ticket(subject="X", opened_at=OPENED, resolved_at=OPENED - timedelta(minutes=1))
    assert (caught.value.entity, caught.value.field) == ("ticket", "resolved_at")


def test_e6_a_ticket_needs_a_subject_and_aware_times() -> None:
    with pytest.raises(ValidationError):
        Ticket(subject="", opened_at=OPENED)
    with pytest.raises(ValidationError):
        Ticket(subject="X", opened_at=OPENED.replace(tzinfo=None))
    with pytest.raises(ValidationError):
        Ticket(subject="X", opened_at=OPENED, resolved_at=OPENED.replace(tzinfo=None))
