"""The one place where messy text becomes clean values (D1, I1).

Importers, value objects (``Phone.parse``, ``Email.parse``, ``Money.parse``) and dedupe
all read phones, e-mails, names, dates and numbers through these functions, so the same
input gives the same value everywhere. Each raises :class:`custdb.errors.ValidationError`
on input it cannot read, with the raw value in ``.value`` and a hint saying what form is
expected. Sizes are bounded (:data:`MAX_NAME_LENGTH`, :data:`MAX_DECIMAL_PLACES`...) and
checked in linear time, so no input can stall a caller. Pure functions: no I/O, no
clock. ``docs/normalizers.md`` has the examples.
"""

from __future__ import annotations

from custdb.normalize.dates import parse_date
from custdb.normalize.emails import email
from custdb.normalize.names import MAX_NAME_LENGTH, company_key, person_key, person_name
from custdb.normalize.numbers import MAX_DECIMAL_PLACES, parse_decimal
from custdb.normalize.phones import MAX_PHONE_DIGITS, phone, phone_parts, region_code

__all__ = [
    "MAX_DECIMAL_PLACES",
    "MAX_NAME_LENGTH",
    "MAX_PHONE_DIGITS",
    "company_key",
    "email",
    "parse_date",
    "parse_decimal",
    "person_key",
    "person_name",
    "phone",
    "phone_parts",
    "region_code",
]
