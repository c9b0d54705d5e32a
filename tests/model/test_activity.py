"""Activities (E5)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from custdb.errors import ValidationError
from custdb.model import Activity, ActivityKind

WHEN = datetime(2024, 3, 1, 14, 0, tzinfo=timezone.utc)


def test_e5_an_activity_links_who_what_when_and_outcome() -> None:
    activity = Activity(
        kind="meeting",
        occurred_at=WHEN,
        subject="Demo of the new menu",
        contact_ids=["p1", "p2"],
        company_ids=["c1"],
        deal_ids=["d1"],
        actor_id="u1",
        outcome="follow-up booked",
        duration=timedelta(minutes=45),
        purpose="presentation",
    )
    assert activity.ENTITY == "activity"
    assert activity.kind is ActivityKind.MEETING
    assert activity.contact_ids == ("p1", "p2")


def test_e5_activity_kinds_cover_the_timeline() -> None:
    assert {kind.value for kind in ActivityKind} == {
        "call", "email", "meeting", "demo", "note", "sms", "visit", "field_update",
    }  # fmt: skip


def test_e5_an_activity_needs_an_aware_time() -> None:
    with pytest.raises(ValidationError) as caught:
        Activity(kind="call", occurred_at=WHEN.replace(tzinfo=None))
    assert (caught.value.entity, caught.value.field) == ("activity", "occurred_at")
    with pytest.raises(ValidationError, match="is required"):
        Activity(kind="call", occurred_at=None)  # type: ignore[arg-type]


@pytest.mark.parametrize("duration", [timedelta(minutes=-5), 30])
def test_e5_duration_is_a_non_negative_timedelta(duration: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Activity(kind="call", occurred_at=WHEN, duration=duration)  # type: ignore[arg-type]
    assert caught.value.field == "duration"
