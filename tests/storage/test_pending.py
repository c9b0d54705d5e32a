"""The change log's entries before they are written: a put logs only what changed, a
whole record is logged without roll-ups and empty values, a batch of adds expands to one
entry per record (A7)."""

from __future__ import annotations

import datetime as dt

from custdb.storage._pending import PendingAdds, PendingChange, diff, logged

AT = dt.datetime(2026, 11, 30, 12, tzinfo=dt.timezone.utc)


def test_a7_a_puts_diff_holds_the_changed_fields_only_without_bookkeeping() -> None:
    before = {"id": "c1", "version": 1, "updated_at": "t1", "job_title": None, "tags": ["VIP"]}
    after = {"id": "c1", "version": 2, "updated_at": "t2", "job_title": "CEO", "tags": ["VIP"]}
    assert diff(before, after) == ({"job_title": None}, {"job_title": "CEO"})


def test_a7_a_whole_record_is_logged_without_roll_ups_or_empty_values() -> None:
    encoded = {
        "id": "c1",
        "version": 1,
        "first_name": "Юлия",
        "middle_name": None,
        "tags": [],
        "custom": {},
        "has_mobile_app": False,
        "stats": {"order_count": 3},
    }
    assert logged(encoded) == {
        "id": "c1",
        "version": 1,
        "first_name": "Юлия",
        "has_mobile_app": False,  # false is a value, not an empty one
    }


def test_a7_a_batch_of_adds_expands_to_one_entry_per_record_in_order() -> None:
    batch = PendingAdds("contact", ("c1", "c2"), ({"id": "c1"}, '{"id":"c2"}'), "u1", AT, None)
    assert list(batch.each()) == [
        PendingChange("contact", "c1", "add", {}, {"id": "c1"}, "u1", AT, None),
        PendingChange("contact", "c2", "add", {}, '{"id":"c2"}', "u1", AT, None),
    ]
