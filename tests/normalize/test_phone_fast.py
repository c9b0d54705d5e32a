"""custdb.normalize._phone_fast: the fast path gives phonenumbers' own answer, or asks it.

Wherever ``e164_fast`` answers (not None), the answer must be the library's: the E.164
it formats for a valid number, ``INVALID`` where ``parse`` raises or ``is_valid_number``
is false. These tests search for a difference over every region's example numbers,
with typos, prefixes and separators, and over arbitrary digit strings.
"""

from __future__ import annotations

import random

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custdb.normalize._phone_fast import INVALID, e164_fast, e164_library, split_plain

ALL_REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)
PREFIXES = ["+", "", "00", "011", "810", "8", "0", "1", "7"]


def library(text: str, region: str | None) -> str:
    found = e164_library(text, region)
    return INVALID if found is None else found[0]


def assert_same_as_library(text: str, region: str | None) -> bool:
    """True when the fast path answered (and agreed); False when it deferred."""
    plain = split_plain(text)
    fast = None if plain is None else e164_fast(plain, region)
    if fast is not None:
        assert fast == library(text, region), (text, region)
    return fast is not None


def sprinkle(rng: random.Random, text: str) -> str:
    """Separators between the characters, and sometimes an opening parenthesis."""
    out = []
    for i, char in enumerate(text):
        out.append(char)
        if char != "+" and i < len(text) - 1 and rng.random() < 0.25:
            out.append(rng.choice([" ", "-", ".", "(", ")", "/", " - "]))
    return ("(" if rng.random() < 0.1 else "") + "".join(out)


def example_nsn(rng: random.Random, region: str) -> tuple[int, str] | None:
    number = phonenumbers.example_number_for_type(region, rng.choice(list(range(10))))
    number = number or phonenumbers.example_number(region)
    if number is None:
        return None
    nsn = phonenumbers.national_significant_number(number)
    keep = rng.randint(0, len(nsn))
    tail = "".join(
        rng.choice("0123456789") for _ in range(len(nsn) - keep + rng.choice([0, 0, 1, -1]))
    )
    return number.country_code, nsn[:keep] + tail


@pytest.mark.parametrize("seed", range(4))
def test_d1_fast_path_equals_the_library_on_every_regions_numbers(seed: int) -> None:
    rng = random.Random(seed)
    answered = 0
    for _ in range(5_000):
        found = example_nsn(rng, rng.choice(ALL_REGIONS))
        if found is None:
            continue
        code, nsn = found
        text = (
            rng.choice(["+", "00", "", "011"])
            + rng.choice([str(code), ""])
            + rng.choice([*PREFIXES[4:], ""])
            + nsn
        )
        region = rng.choice([*ALL_REGIONS, None, "RU", "US", "NO", "ES", "DE"])
        answered += assert_same_as_library(sprinkle(rng, text), region)
    assert answered > 3_000  # the fast path takes most of them


@settings(max_examples=2_000)
@given(
    st.sampled_from(PREFIXES),
    st.text(alphabet="0123456789", max_size=18),
    st.sampled_from([None, "RU", "KZ", "US", "CA", "ES", "NO", "SJ", "DE", "GB", "AR", "BR"]),
)
def test_d1_fast_path_equals_the_library_on_any_digits(
    prefix: str, digits: str, region: str | None
) -> None:
    assert_same_as_library(prefix + digits, region)


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("8 (912) 345-67-89", "RU", "+79123456789"),
        ("+7 701 234 5678", None, "+77012345678"),  # Kazakhstan shares +7
        ("8 (701) 234-56-78", "RU", "+77012345678"),
        ("+1 604 555 0199", None, "+16045550199"),  # Canada shares +1
        ("0047 79 12 34 56", "NO", "+4779123456"),  # Svalbard shares +47
        ("030 123456", "DE", "+4930123456"),
        ("+7 8 912 345 67 89", None, "+79123456789"),  # national prefix after the code
        ("+7 912 345 67 8", None, INVALID),
    ],
)
def test_d1_fast_path_reads_shared_country_codes(
    text: str, region: str | None, expected: str
) -> None:
    plain = split_plain(text)
    assert plain is not None
    assert e164_fast(plain, region) == expected == library(text, region)


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("+1 212 555 0100 ext. 12", None),  # extension: the library's
        ("1-800-FLOWERS", "US"),  # vanity letters
        ("8 912 345 67 89", None),  # no region, no +
        ("+800 1234 5678", None),  # non-geographic code
        ("268 464 1234", "AG"),  # national prefix transform rule
        ("+999 123", None),  # unknown country code
    ],
)
def test_d1_fast_path_defers_what_it_does_not_read(text: str, region: str | None) -> None:
    plain = split_plain(text)
    assert plain is None or e164_fast(plain, region) is None
