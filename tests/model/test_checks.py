"""The validators' inline first tests pass only what their full checks pass.

Foundation IV item 2: each validator starts with one cheap test for the common good
value and leaves everything else to the full check. These properties compare the two on
any value, so the shortcut can never let through what the full check refuses (nor
refuse what it takes), and the error stays the full check's own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custdb.errors import ValidationError
from custdb.model import _checks
from custdb.model.contact import Gender, LifecycleStage
from custdb.normalize._text import text_fault

_ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=8) | st.sampled_from(
    ["", " ", "\t", "a\x00", "\ud800", "x\u00a0y", "   a ", "Юлия", "x" * 6]
)


class _Tag(str):
    """A str subclass: never on the inline path."""

    __slots__ = ()


_VALUES = st.none() | _ANY_TEXT | _ANY_TEXT.map(_Tag) | st.integers() | st.booleans()


@attrs.frozen
class _Record:
    ENTITY = "record"
    value: Any


_ATTRIBUTE = attrs.fields(_Record).value


def _outcome(check: Any, value: Any) -> str | None:
    """What a validator makes of ``value``: None if it passes, else the error's text."""
    try:
        check(_Record(None), _ATTRIBUTE, value)
    except ValidationError as error:
        return str(error)
    return None


@pytest.mark.parametrize("required", [False, True])
@pytest.mark.parametrize("max_length", [None, 5])
@given(value=_VALUES)
def test_text_validators_decide_as_the_full_check(
    required: bool, max_length: int | None, value: Any
) -> None:
    check = _checks.text(required=required, max_length=max_length)

    def full(instance: object, attribute: Any, value: Any) -> None:
        _checks._check_text(instance, attribute, value, required=required, max_length=max_length)

    assert _outcome(check, value) == _outcome(full, value)


@pytest.mark.parametrize("max_length", [None, 5])
@given(items=st.lists(_ANY_TEXT | _ANY_TEXT.map(_Tag) | st.integers(), max_size=3))
def test_texts_validators_decide_item_by_item_as_the_full_check(
    max_length: int | None, items: list[Any]
) -> None:
    def one_by_one(instance: object, attribute: Any, value: Any) -> None:
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise _checks.fail(
                    instance, attribute, item, "is not text", "give non-empty strings"
                )
            _checks._check_storable(instance, attribute, item, max_length)

    check = _checks.texts(max_length=max_length)
    assert _outcome(check, tuple(items)) == _outcome(one_by_one, tuple(items))


@given(text=_ANY_TEXT, max_length=st.none() | st.integers(0, 6))
def test_text_fault_finds_what_its_three_tests_find(text: str, max_length: int | None) -> None:
    too_long = max_length is not None and len(text) > max_length
    has_surrogate = any(0xD800 <= ord(char) <= 0xDFFF for char in text)
    assert (text_fault(text, max_length) is None) == (
        not too_long and "\x00" not in text and not has_surrogate
    )


_NUMBERS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 0, -1])
    | st.floats(allow_nan=False)
    | _ANY_TEXT
)


@given(value=_NUMBERS)
def test_int_and_count_validators_decide_as_their_range_says(value: Any) -> None:
    whole = value is None or (isinstance(value, int) and not isinstance(value, bool))
    fits = whole and (value is None or -(2**63) <= value < 2**63)
    assert (_outcome(_checks.check_int, value) is None) == fits
    assert (_outcome(_checks.check_count, value) is None) == (
        fits and (value is None or value >= 0)
    )


@given(value=st.none() | st.dates() | st.datetimes() | _ANY_TEXT | st.integers())
def test_date_validator_takes_dates_and_refuses_datetimes(value: Any) -> None:
    takes = value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime))
    assert (_outcome(_checks.check_date, value) is None) == takes


def _called(cls: Any, value: Any) -> Any:
    try:
        return cls(value)
    except ValueError:
        return value


@given(
    value=st.sampled_from([*Gender, *LifecycleStage, "other", "lead", "LEAD", "", 3, None])
    | st.lists(st.just("lead"), max_size=1)
    | _ANY_TEXT
)
def test_choice_coercion_finds_the_member_calling_the_class_finds(value: Any) -> None:
    for cls in (Gender, LifecycleStage):
        assert _checks.coerce_choice(cls, value) is _called(cls, value) or (
            _checks.coerce_choice(cls, value) == _called(cls, value)
        )
