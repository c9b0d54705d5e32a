"""Phone hints follow the region and the input (D1; Foundation III item 11)."""

from __future__ import annotations

import pytest

from custdb import normalize
from custdb.errors import ValidationError


def hint(raw: str, region: str | None) -> str:
    with pytest.raises(ValidationError) as caught:
        normalize.phone(raw, region)
    assert caught.value.hint is not None
    return caught.value.hint


def test_d1_a_text_without_digits_asks_for_digits_of_the_given_region() -> None:
    """Foundation III item 11: ``Phone.parse("call me", region="ES")`` said "pass the
    region (region='RU')" although a region was given."""
    text = hint("call me", "ES")
    assert "region=" not in text
    assert "RU" not in text
    assert "digits" in text
    assert "+34" in text  # a Spanish example


def test_d1_a_wrong_number_in_a_region_names_that_region() -> None:
    """Foundation III item 11: the hint speaks of the region the caller gave."""
    text = hint("12345", "NO")
    assert "NO" in text
    assert "+47" in text
    assert "region='RU'" not in text


def test_d1_without_a_region_the_hint_offers_the_region_or_the_country_code() -> None:
    """Foundation III item 11: only then is passing a region the way out."""
    text = hint("8 (912) 345-67-89", None)
    assert "region=" in text
    assert "country code" in text


def test_d1_an_international_number_that_is_wrong_asks_to_check_the_code() -> None:
    """Foundation III item 11: with ``+`` given, the region is not the problem."""
    text = hint("+99 1234", "ES")
    assert "country code" in text
    assert "region=" not in text


def test_d1_a_phone_text_is_bounded() -> None:
    """Foundation III item 14: a phone number is a short text."""
    with pytest.raises(ValidationError, match="100 allowed for a phone number"):
        normalize.phone(" " * 1_000_000 + "+47 40 61 23 45")
