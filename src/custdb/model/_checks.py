"""The validators and converters the model's classes share.

Every validator raises ValidationError naming the entity (the class's ``ENTITY``), the
field and the value, with a hint that says what to give instead. They are cheap: a type
test or a comparison, nothing that parses.
"""

from __future__ import annotations

import enum
import re
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import attrs

from custdb.errors import ValidationError

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
    """
    try:
        return cls(value)
    except ValueError:
        return value  # type: ignore[return-value]  # reported by the choice validator


@attrs.frozen
class _InChoice:
    enum: type[Choice]
    optional: bool

    def __call__(self, instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, self.enum) or (value is None and self.optional):
            return
        options = ", ".join(member.value for member in self.enum)
        raise fail(instance, attribute, value, "not an allowed value", f"use one of: {options}")


def choice(enum_class: type[Choice], *, optional: bool = False) -> _InChoice:
    """Validator: the value is a member of ``enum_class`` (or None when ``optional``)."""
    return _InChoice(enum_class, optional)


# --- scalars ----------------------------------------------------------------------------


def check_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: a required string holds some text."""
    if not isinstance(value, str) or not value.strip():
        raise fail(instance, attribute, value, "is required", "give a non-empty string")


def check_external_ids(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: other systems' ids are text on both sides, so a lookup finds them on
    every store (an integer id would also lose the leading zeros of ``"000123"``)."""
    for system, external_id in value.items():
        for part in (system, external_id):
            if not isinstance(part, str) or not part.strip():
                raise fail(
                    instance,
                    attribute,
                    {system: external_id},
                    "needs a system name and an id, both non-empty text",
                    "give e.g. {'1c': '000123'}; write numeric ids as text",
                )


def check_non_negative(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: a count or amount that cannot be negative (None passes)."""
    if value is not None and value < 0:
        raise fail(instance, attribute, value, "cannot be negative", "give 0 or more")


def check_fraction(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Validator: a probability or share between 0 and 1 (None passes)."""
    if value is not None and not 0 <= value <= 1:
        raise fail(instance, attribute, value, "must lie between 0 and 1", "give 0.25 for 25%")


def check_duration(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: an optional, non-negative ``timedelta``."""
    if value is not None and (not isinstance(value, timedelta) or value < timedelta(0)):
        raise fail(instance, attribute, value, "not a duration", "give a timedelta of 0 or more")


# --- dates and times --------------------------------------------------------------------


def check_aware(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: None, or a timezone-aware datetime.

    Naive datetimes are refused because a store shared by offices in Moscow and Oslo
    cannot guess which clock they were read from, and comparing them with aware ones
    fails later, far from the cause.
    """
    if value is None:
        return
    if not isinstance(value, datetime):
        raise fail(instance, attribute, value, "not a datetime", "give a datetime with tzinfo")
    if value.utcoffset() is None:
        raise fail(
            instance,
            attribute,
            value,
            "a naive datetime (no timezone)",
            "give tzinfo, e.g. datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc)",
        )


def check_aware_required(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: a timezone-aware datetime that must be there."""
    if value is None:
        raise fail(instance, attribute, value, "is required", "give a datetime with tzinfo")
    check_aware(instance, attribute, value)


def check_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: None or a calendar date; a datetime is refused (it would not compare)."""
    if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
        raise fail(instance, attribute, value, "not a date", "give a datetime.date (dt.date())")


# --- countries --------------------------------------------------------------------------


def to_country(value: str | None) -> str | None:
    """Converter: a country code trimmed and upper-cased (``" no"`` -> ``"NO"``)."""
    return value.strip().upper() if isinstance(value, str) else value


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
            "give two letters such as NO, RU, ES, CN",
        )
