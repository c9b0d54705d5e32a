"""ULID ids: 26 Crockford characters, unique, sortable in creation order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custdb.model import ids
from custdb.model.ids import new_id

CROCKFORD = set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


CROCKFORD_INDEX = {c: i for i, c in enumerate("0123456789ABCDEFGHJKMNPQRSTVWXYZ")}


def _decode(text: str) -> int:
    number = 0
    for char in text:
        number = number * 32 + CROCKFORD_INDEX[char]
    return number


@pytest.fixture(autouse=True)
def fresh_sequence(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts its own sequence, so a faked clock does not leak into others."""
    monkeypatch.setattr(ids, "_SEQUENCE", ids._Sequence())


def test_an_id_is_26_crockford_characters() -> None:
    value = new_id()
    assert len(value) == 26
    assert set(value) <= CROCKFORD


@given(st.integers(min_value=2, max_value=300))
def test_ids_are_unique_and_sort_in_creation_order(count: int) -> None:
    made = [new_id() for _ in range(count)]
    assert len(set(made)) == count
    assert sorted(made) == made


def test_ids_made_in_one_millisecond_still_increase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ids.time, "time_ns", lambda: 1_700_000_000_000_000_000)
    made = [new_id() for _ in range(50)]
    assert sorted(made) == made
    assert len(set(made)) == 50
    assert {_decode(value[:10]) for value in made} == {1_700_000_000_000}


def test_ids_keep_increasing_when_the_clock_steps_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ids.time, "time_ns", lambda: 1_800_000_000_000_000_000)
    later = new_id()
    monkeypatch.setattr(ids.time, "time_ns", lambda: 1_600_000_000_000_000_000)
    assert new_id() > later


def test_a_full_random_part_moves_on_to_the_next_millisecond(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ids.time, "time_ns", lambda: 1_900_000_000_000_000_000)
    first = new_id()
    monkeypatch.setattr(ids._SEQUENCE, "random", (1 << 80) - 1)
    second = new_id()
    assert second > first
    assert _decode(second[:10]) == _decode(first[:10]) + 1


def test_the_timestamp_is_the_first_ten_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ids.time, "time_ns", lambda: 2_000_000_000_123_456_789)
    assert _decode(new_id()[:10]) == 2_000_000_000_123


@given(st.integers(min_value=0, max_value=(1 << 128) - 1))
def test_the_base32_text_is_the_number_digit_by_digit(number: int) -> None:
    """Foundation IV item 2: ten bits at a time give the digits a divmod loop gives."""
    digits = []
    rest = number
    for _ in range(26):
        rest, digit = divmod(rest, 32)
        digits.append("0123456789ABCDEFGHJKMNPQRSTVWXYZ"[digit])
    assert ids._crockford(number) == "".join(reversed(digits))
    assert _decode(ids._crockford(number)) == number
