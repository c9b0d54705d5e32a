"""The phone engine behind :func:`custdb.normalize.phone`: phonenumbers, with a fast path.

``phonenumbers.parse`` + ``is_valid_number`` cost tens of microseconds a number, most of
it in generic parsing (RFC 3966, vanity letters, extensions, IDD tables). Most numbers in
a customer base are plain digits with spaces, dashes, dots and parentheses. For those,
this module replays the library's own steps (``+`` or IDD and country code, the country
code of the default region, national prefix, region choice for shared codes, number-type
patterns) on the library's own metadata, compiled once per region, and returns exactly
what the library returns. Everything else, and every step it is not sure of, goes to the
library itself. ``tests/normalize/test_phone_fast.py`` searches for a difference in every
region; ``tests/normalize/test_normalize.py`` checks the benchmark's 100 000 numbers.
"""

from __future__ import annotations

import functools
import re
from typing import Final

import attrs
import phonenumbers
from phonenumbers import PhoneMetadata
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

__all__ = ["INVALID", "e164_fast", "e164_library", "split_plain"]

INVALID: Final = ""
"""What :func:`e164_fast` returns for a number the library would call invalid."""

_PLAIN = re.compile(r"[\s(]*(\+)?([0-9][0-9 ().\-/]*)[\s)]*", re.ASCII)
_MIN_NSN, _MAX_NSN = 2, 17
_TYPE_DESCS = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
    "mobile",
)


@attrs.frozen(eq=False)
class _Plan:
    """One region's metadata, compiled: what the fast path needs and nothing more."""

    country_code: int
    country_code_text: str
    idd: re.Pattern[str] | None
    national_prefix: re.Pattern[str] | None
    general: re.Pattern[str]
    lengths: tuple[int, ...]
    local_lengths: frozenset[int]
    leading_digits: re.Pattern[str] | None
    types_by_length: dict[int, re.Pattern[str]]
    parses: bool  # False when a transform rule rewrites the national prefix: library only

    def is_valid(self, nsn: str) -> bool:
        """``_number_type_helper(nsn) != UNKNOWN``: the general pattern and one type's."""
        types = self.types_by_length.get(len(nsn))
        return (
            types is not None
            and self.general.fullmatch(nsn) is not None
            and types.fullmatch(nsn) is not None
        )

    def keeps_stripped(self, nsn: str) -> bool:
        """Whether ``_test_number_length`` lets ``parse`` keep a prefix-stripped number."""
        size = len(nsn)
        if self.lengths[0] == -1 or size in self.local_lengths:
            return False
        return size in self.lengths or size > self.lengths[-1]

    def is_too_long(self, nsn: str) -> bool:
        size = len(nsn)
        return self.lengths[0] != -1 and size not in self.local_lengths and size > self.lengths[-1]

    def strip_national_prefix(self, number: str) -> str:
        """``_maybe_strip_national_prefix_carrier_code`` for regions without a transform."""
        if not number or self.national_prefix is None:
            return number
        match = self.national_prefix.match(number)
        if match is None:
            return number
        rest = number[match.end() :]
        if self.general.fullmatch(number) and not self.general.fullmatch(rest):
            return number
        return rest


def _types_by_length(
    metadata: PhoneMetadata, lengths: tuple[int, ...]
) -> dict[int, re.Pattern[str]]:
    """Per NSN length, one alternation of the type patterns that length may match."""
    names = [
        n
        for n in _TYPE_DESCS
        if not (n == "mobile" and metadata.same_mobile_and_fixed_line_pattern)
    ]
    descs = [getattr(metadata, name) for name in names]
    descs = [d for d in descs if d is not None and d.national_number_pattern]
    table = {}
    for size in lengths:
        patterns = [
            f"(?:{d.national_number_pattern})"
            for d in descs
            if not d.possible_length or size in d.possible_length
        ]
        if patterns:
            table[size] = re.compile("|".join(patterns))
    return table


def _compiled(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern) if pattern else None


@functools.cache
def _plan(region: str) -> _Plan | None:
    """The compiled plan of a region, built on first use; None: leave it to the library."""
    metadata = PhoneMetadata.metadata_for_region(region, None)
    general = metadata.general_desc if metadata is not None else None
    if metadata is None or metadata.country_code is None or general is None:
        return None
    lengths = tuple(general.possible_length)
    if not general.national_number_pattern or not lengths:
        return None
    return _Plan(
        country_code=metadata.country_code,
        country_code_text=str(metadata.country_code),
        idd=_compiled(metadata.international_prefix),
        national_prefix=_compiled(metadata.national_prefix_for_parsing),
        general=re.compile(general.national_number_pattern),
        lengths=lengths,
        local_lengths=frozenset(general.possible_length_local_only),
        leading_digits=_compiled(metadata.leading_digits),
        types_by_length=_types_by_length(metadata, lengths),
        parses=not metadata.national_prefix_transform_rule,
    )


@functools.cache
def _plans(country_code: int) -> tuple[_Plan, ...] | None:
    """The plans of a calling code's regions, main region first; None: library only."""
    plans = tuple(_plan(region) for region in COUNTRY_CODE_TO_REGION_CODE[country_code])
    if "001" in COUNTRY_CODE_TO_REGION_CODE[country_code] or None in plans:
        return None
    return plans  # type: ignore[return-value]  # None was ruled out just above


def _split_country_code(digits: str) -> tuple[int, str]:
    """``_extract_country_code``: the shortest known calling code that starts the digits."""
    if not digits or digits[0] == "0":
        return 0, digits
    for size in (1, 2, 3):
        code = int(digits[:size])
        if code in COUNTRY_CODE_TO_REGION_CODE:
            return code, digits[size:]
    return 0, digits


def _region_plan(plans: tuple[_Plan, ...], nsn: str) -> _Plan | None:
    """``region_code_for_number``: which region of a shared calling code the number is in."""
    if len(plans) == 1:
        return plans[0]
    for plan in plans:
        if plan.leading_digits is not None:
            if plan.leading_digits.match(nsn):
                return plan
        elif plan.is_valid(nsn):
            return plan
    return None


def _finish(country_code: int, nsn: str, plan: _Plan) -> str | None:
    """The end of ``parse`` (national prefix, lengths), then ``is_valid_number``."""
    plans = _plans(country_code)
    if plans is None or not plan.parses or len(nsn) < _MIN_NSN:
        return None
    stripped = plan.strip_national_prefix(nsn)
    if stripped is not nsn and plan.keeps_stripped(stripped):
        nsn = stripped
    if len(nsn) > _MAX_NSN:
        return None
    region = _region_plan(plans, nsn)
    return f"+{country_code}{nsn}" if region is not None and region.is_valid(nsn) else INVALID


def _international(digits: str) -> str | None:
    """Digits that follow ``+`` or an international prefix."""
    if len(digits) <= _MIN_NSN:
        return None
    country_code, nsn = _split_country_code(digits)
    plans = _plans(country_code) if country_code else None
    return None if plans is None else _finish(country_code, nsn, plans[0])


def _national(digits: str, plan: _Plan) -> str | None:
    """Digits without ``+``, read from the default region as the library reads them."""
    idd = plan.idd.match(digits) if plan.idd is not None else None
    if idd is not None and digits[idd.end() : idd.end() + 1] != "0":
        return _international(digits[idd.end() :])
    code = plan.country_code_text
    if digits.startswith(code):
        rest = plan.strip_national_prefix(digits[len(code) :])
        general = plan.general
        if (not general.fullmatch(digits) and general.fullmatch(rest)) or plan.is_too_long(digits):
            plans = _plans(plan.country_code)
            return None if plans is None else _finish(plan.country_code, rest, plans[0])
    return _finish(plan.country_code, digits, plan)


def split_plain(text: str) -> tuple[bool, str] | None:
    """``(has_plus, digits)`` of a number written with digits and separators only.

    None for anything else (letters, extensions, other scripts' digits...), which only
    the library reads.
    """
    match = _PLAIN.fullmatch(text)
    if match is None:
        return None
    body = match.group(2)
    for separator in " ().-/":
        body = body.replace(separator, "")
    return match.group(1) is not None, body


def e164_fast(plain: tuple[bool, str], region: str | None) -> str | None:
    """E.164 of a plain number as the library would give it, :data:`INVALID`, or None.

    ``plain`` is what :func:`split_plain` returns. None means "not sure": ask
    :func:`e164_library`.
    """
    plus, digits = plain
    if len(digits) < 3:
        return None
    if plus:
        return _international(digits)
    if region is None:
        return None
    plan = _plan(region)
    return None if plan is None or not plan.parses else _national(digits, plan)


def e164_library(text: str, region: str | None) -> tuple[str, str | None] | None:
    """``(E.164, extension)`` by phonenumbers itself; None where it finds no valid number."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    e164: str = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164, number.extension or None
