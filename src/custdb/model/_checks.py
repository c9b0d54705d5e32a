"""The validators and converters the model's classes share.

Every validator raises ValidationError naming the entity (the class's ``ENTITY``), the
field and the value, with a hint that says what to give instead. They are cheap: a type
test or a comparison, nothing that parses.

They run for every field of every record built (thirty on a contact), so each starts
with one test, inline, that passes the common good value (exact ``str`` text that
``isprintable``, an exact ``int`` in range, a ``date``) and leaves everything else to
the full check, which alone says what is wrong. ``str.isprintable()`` is one pass in C
that is False for a NUL, a lone surrogate and every other control character, so
printable text of the right length is storable text without the slower test.
"""

from __future__ import annotations

import enum
import math
import re
import sys
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from custdb.errors import ValidationError
from custdb.model.frozen import MAX_NESTING
from custdb.normalize._text import MAX_NAME_LENGTH, text_fault
from custdb.normalize.numbers import decimal_fault

_C = TypeVar("_C", bound="Choice")
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def where(instance: object) -> str:
    """The name errors use for ``instance``: its ``ENTITY``, else its class in snake case."""
    cls = type(instance)
    name = getattr(cls, "ENTITY", None)
    return name if isinstance(name, str) else _CAMEL.sub("_", cls.__name__).lower()


def fail(
    instance: object, attribute: attrs.Attribute[Any], value: object, reason: str, hint: str
) -> ValidationError:
    """The error a validator raises (``raise fail(...)``, so the traceback shows the check)."""
    return ValidationError(
        reason, entity=where(instance), field=attribute.name, value=value, hint=hint
    )


# --- enums ------------------------------------------------------------------------------


class Choice(str, enum.Enum):
    """Base of the model's enums: members are strings, so they store as their value."""

    def __str__(self) -> str:
        return str(self.value)


def coerce_choice(cls: type[_C], value: _C | str) -> _C:
    """Converter body: the member named by ``value``.

    An unknown value is left as it is, for the field's :func:`choice` validator to
    report with the entity and field it belongs to (a converter cannot know them).
    A member's value is looked up in the enum's own table first, which is what calling
    the class does after three Python frames; anything else goes through the call.
    """
    try:
        found = cls._value2member_map_.get(value)
    except TypeError:  # an unhashable value: the class says what it makes of it
        found = None
    if found is not None:
        return found  # type: ignore[return-value]  # the table of cls holds cls members
    try:
        return cls(value)
    except ValueError:
        return value  # type: ignore[return-value]  # reported by the choice validator


Validator = Callable[[object, "attrs.Attribute[Any]", Any], None]
"""What attrs calls to check a field: ``(instance, attribute, value)``, raising on bad."""


def choice(enum_class: type[Choice], *, optional: bool = False) -> Validator:
    """Validator: the value is a member of ``enum_class`` (or None when ``optional``)."""

    def check_choice(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, enum_class) or (value is None and optional):
            return
        options = ", ".join(member.value for member in enum_class)
        raise fail(instance, attribute, value, "not an allowed value", f"use one of: {options}")

    return check_choice


# --- text -------------------------------------------------------------------------------

MAX_KEY_LENGTH = 200
"""Characters an id, an external id, a stage or a status may have: they are indexed, and
PostgreSQL cannot index text of more than about 2,700 bytes."""


def _check_storable(
    instance: object, attribute: attrs.Attribute[Any], value: str, max_length: int | None
) -> None:
    fault = text_fault(value, max_length)
    if fault is not None:
        raise fail(instance, attribute, value, *fault)


def text(*, required: bool = False, max_length: int | None = None) -> Validator:
    """Validator: a string (or None unless ``required``; required text is not blank) with
    no NUL character, no lone surrogate and at most ``max_length`` characters.

    A function per kind of text field (a closure is called at half the cost of an
    object's ``__call__``), whose first line passes printable text of the right length."""
    limit = sys.maxsize if max_length is None else max_length

    def check_required_text(
        instance: object, attribute: attrs.Attribute[Any], value: object
    ) -> None:
        if (
            type(value) is str
            and value.isprintable()
            and 0 < len(value) <= limit
            and not value.isspace()
        ):
            return
        _check_text(instance, attribute, value, required=True, max_length=max_length)

    def check_optional_text(
        instance: object, attribute: attrs.Attribute[Any], value: object
    ) -> None:
        if value is None or (type(value) is str and value.isprintable() and len(value) <= limit):
            return
        _check_text(instance, attribute, value, required=False, max_length=max_length)

    return check_required_text if required else check_optional_text


def _check_text(
    instance: object,
    attribute: attrs.Attribute[Any],
    value: object,
    *,
    required: bool,
    max_length: int | None,
) -> None:
    """The whole check of :func:`text`, which alone says what is wrong with a value."""
    if value is None and not required:
        return
    if not isinstance(value, str) or (required and not value.strip()):
        reason = "is required" if required else "is not text"
        raise fail(instance, attribute, value, reason, "give a non-empty string")
    _check_storable(instance, attribute, value, max_length)


check_text = text(required=True)
"""Validator: a required string holds some text."""
check_optional_text = text()
check_name = text(max_length=MAX_NAME_LENGTH)
check_required_name = text(required=True, max_length=MAX_NAME_LENGTH)
check_key = text(required=True, max_length=MAX_KEY_LENGTH)
"""Validator: an id, or a stage or status name: required, short, indexed."""
check_optional_key = text(max_length=MAX_KEY_LENGTH)


def texts(*, max_length: int | None = None) -> Validator:
    """Validator: a collection of non-empty strings, each checked as :func:`text` does."""
    limit = sys.maxsize if max_length is None else max_length

    def check_texts(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        for item in value:
            if (
                type(item) is str
                and item.isprintable()
                and 0 < len(item) <= limit
                and not item.isspace()
            ):
                continue
            if not isinstance(item, str) or not item.strip():
                raise fail(instance, attribute, item, "is not text", "give non-empty strings")
            _check_storable(instance, attribute, item, max_length)

    return check_texts


check_texts = texts()
"""Validator: tags, reason codes: non-empty text each."""
check_keys = texts(max_length=MAX_KEY_LENGTH)
"""Validator: ids of other records (owners, contacts, deals)."""


def check_external_ids(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: other systems' ids are text on both sides, so a lookup finds them on
    every store (an integer id would also lose the leading zeros of ``"000123"``)."""
    for system, external_id in value.items():
        for part in (system, external_id):
            if (
                type(part) is str
                and part.isprintable()
                and 0 < len(part) <= MAX_KEY_LENGTH
                and not part.isspace()
            ):
                continue
            if not isinstance(part, str) or not part.strip():
                raise fail(
                    instance,
                    attribute,
                    {system: external_id},
                    "needs a system name and an id, both non-empty text",
                    "give e.g. {'1c': '000123'}; write numeric ids as text",
                )
            _check_storable(instance, attribute, part, MAX_KEY_LENGTH)


# --- numbers ----------------------------------------------------------------------------

_INT64 = range(-(2**63), 2**63)  # what a database integer and a JSON writer keep exactly
_INT64_END = 2**63


def check_int(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: None or a whole number that fits 64 bits, as every store keeps it."""
    if value is None or (type(value) is int and -_INT64_END <= value < _INT64_END):
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(instance, attribute, value, "is not a whole number", "give an int such as 12")
    if value not in _INT64:
        raise fail(
            instance,
            attribute,
            value,
            "does not fit in 64 bits (from -2**63 to 2**63 - 1), the most a store keeps",
            "give a smaller number, or keep it in a decimal custom property",
        )


def check_count(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: None or a whole number of 0 or more that fits 64 bits."""
    if type(value) is int and 0 <= value < _INT64_END:
        return
    check_int(instance, attribute, value)
    check_non_negative(instance, attribute, value)


def check_non_negative(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: a count or amount that cannot be negative (None passes)."""
    if value is not None and value < 0:
        raise fail(instance, attribute, value, "cannot be negative", "give 0 or more")


def check_fraction(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: a probability or share between 0 and 1 (None passes)."""
    if value is not None and not 0 <= value <= 1:
        raise fail(instance, attribute, value, "must lie between 0 and 1", "give 0.25 for 25%")


_MAX_DURATION = timedelta(days=36_525)  # a float of seconds keeps microseconds up to ~270 years


def check_duration(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: an optional, non-negative ``timedelta`` of at most 100 years."""
    if value is not None and (not isinstance(value, timedelta) or value < timedelta(0)):
        raise fail(instance, attribute, value, "not a duration", "give a timedelta of 0 or more")
    if value is not None and value > _MAX_DURATION:
        raise fail(instance, attribute, value, "is longer than 100 years", "check the unit")


# --- dates and times --------------------------------------------------------------------


def check_aware(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: None, or a timezone-aware datetime that has a UTC form.

    Naive datetimes are refused because a store shared by offices in Moscow and Oslo
    cannot guess which clock they were read from, and comparing them with aware ones
    fails later, far from the cause. Stores keep instants in UTC, so a moment whose
    UTC time falls outside years 1 to 9999 (``9999-12-31T23:59:59-12:00``) is refused.
    """
    if value is None:
        return
    if not isinstance(value, datetime):
        hint = "give a datetime with tzinfo"
        if isinstance(value, str):
            hint += ", e.g. datetime.fromisoformat('2024-05-01T09:30:00+03:00')"
        raise fail(instance, attribute, value, "not a datetime", hint)
    if value.utcoffset() is None:
        raise fail(
            instance,
            attribute,
            value,
            "a naive datetime (no timezone)",
            "give tzinfo, e.g. datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc)",
        )
    if value.year in (1, 9999):
        check_utc(instance, attribute, value)


def check_utc(instance: object, attribute: attrs.Attribute[Any], value: datetime) -> None:
    """Validator body: an aware datetime that converts to UTC without overflowing."""
    try:
        value.astimezone(timezone.utc)
    except OverflowError:
        raise fail(
            instance,
            attribute,
            value,
            "lies outside years 1 to 9999 once converted to UTC, as stores keep it",
            "give a moment between 0001-01-01 and 9999-12-31 in UTC",
        ) from None


def check_aware_required(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: a timezone-aware datetime that must be there."""
    if value is None:
        raise fail(instance, attribute, value, "is required", "give a datetime with tzinfo")
    check_aware(instance, attribute, value)


def check_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: None or a calendar date; a datetime is refused (it would not compare)."""
    if value is None or type(value) is date:
        return
    if isinstance(value, date) and not isinstance(value, datetime):
        return
    if isinstance(value, str):
        hint = "read text with custdb.normalize.parse_date(text, dayfirst=True)"
    else:
        hint = "give a datetime.date (dt.date())"
    raise fail(instance, attribute, value, "not a date", hint)


# --- countries --------------------------------------------------------------------------


def to_country(value: str | None) -> str | None:
    """Converter: a country code trimmed and upper-cased (``" no"`` -> ``"NO"``).

    Anything that is not two letters is left as given, for :func:`check_country` to
    quote it as the caller wrote it.
    """
    if isinstance(value, str):
        code = value.strip()
        if len(code) == 2 and code.isascii() and code.isalpha():
            return code.upper()
    return value


def check_country(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: None or an ISO 3166 alpha-2 code."""
    if value is None:
        return
    if not (isinstance(value, str) and len(value) == 2 and value.isascii() and value.isalpha()):
        raise fail(
            instance,
            attribute,
            value,
            "not an ISO 3166 country code",
            'give the two-letter ISO 3166 alpha-2 code, such as "RU" (Russia), "NO", "ES", "CN"',
        )


# --- custom properties ------------------------------------------------------------------


def check_custom(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: custom values hold only what every store keeps as given.

    Text as :func:`text` checks it, whole numbers of 64 bits, finite floats, bounded
    decimals, dates, aware datetimes with a UTC form, and lists, sets and maps of them
    (keys are text); the value objects a :class:`~custdb.model.Schema` types values as
    pass too. Nesting is bounded when the map is frozen (``freeze``).
    """
    _check_custom_map(instance, attribute, value, 0)


def _check_custom_map(
    instance: object, attribute: attrs.Attribute[Any], value: Mapping[Any, Any], depth: int
) -> None:
    for key, item in value.items():
        if not (type(key) is str and key.isprintable() and 0 < len(key) <= MAX_KEY_LENGTH):
            if not isinstance(key, str) or not key:
                raise fail(instance, attribute, key, "a custom name must be text", "use a str key")
            _check_storable(instance, attribute, key, MAX_KEY_LENGTH)
        if not (type(item) is str and item.isprintable()):
            _check_custom_value(instance, attribute, item, depth + 1)


def _check_custom_value(
    instance: object, attribute: attrs.Attribute[Any], item: Any, depth: int
) -> None:
    if isinstance(item, (Mapping, tuple, AbstractSet)):
        _check_custom_nested(instance, attribute, item, depth)
    elif isinstance(item, str):
        _check_storable(instance, attribute, item, None)
    elif isinstance(item, datetime):
        check_aware(instance, attribute, item)
    elif isinstance(item, (bool, int)):
        check_int(instance, attribute, int(item))
    elif isinstance(item, (float, Decimal)):
        _check_custom_number(instance, attribute, item)
    elif not (item is None or isinstance(item, date) or attrs.has(type(item))):
        raise fail(  # value objects (Money, Email, Phone) checked themselves when made
            instance,
            attribute,
            item,
            f"a custom property cannot hold a {type(item).__name__}",
            "give text, numbers, dates, or lists and maps of them",
        )


def _check_custom_number(
    instance: object, attribute: attrs.Attribute[Any], item: float | Decimal
) -> None:
    if not (math.isfinite(item) if isinstance(item, float) else item.is_finite()):
        raise fail(instance, attribute, item, "is not a finite number", "give a real number")
    fault = decimal_fault(item) if isinstance(item, Decimal) else None
    if fault is not None:
        raise fail(instance, attribute, item, *fault)


def _check_custom_nested(
    instance: object, attribute: attrs.Attribute[Any], item: Any, depth: int
) -> None:
    if depth > MAX_NESTING:
        raise fail(
            instance,
            attribute,
            item,
            f"nests lists or maps more than {MAX_NESTING} levels deep",
            f"flatten the value to at most {MAX_NESTING} levels",
        )
    if isinstance(item, Mapping):
        _check_custom_map(instance, attribute, item, depth)
    else:
        for part in item:
            _check_custom_value(instance, attribute, part, depth + 1)


_JSON_SCALARS = (str, int, float, bool, type(None))


def check_json_custom(entity: str, record_id: str, values: Mapping[str, Any]) -> None:
    """Without a Schema, custom values must be JSON (text, numbers, true/false, lists and
    maps): a store without the schema gives a ``Decimal`` or a ``date`` back as text, so
    typed values need their field declared. Raises ValidationError naming the value."""
    for name, value in values.items():
        odd = _first_not_json(value)
        if odd is not None:
            raise ValidationError(
                f"is a {type(odd).__name__}, and custom values without a schema are JSON "
                "(text, numbers, true/false, lists and maps)",
                entity=entity,
                id=record_id,
                field=f"custom.{name}",
                value=odd,
                hint=f"declare {name!r} in a Schema with its type, or store it as text",
            )


def _first_not_json(value: Any) -> Any:
    if isinstance(value, Mapping):
        value = tuple(value.values())
    if isinstance(value, tuple):
        return next((odd for odd in map(_first_not_json, value) if odd is not None), None)
    if isinstance(value, _JSON_SCALARS) and not isinstance(value, enum.Enum):
        return None
    return value
