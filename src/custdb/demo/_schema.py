"""The demo's custom properties: two fields on contacts that a salon and workshop chain
would add to the core model, so custom-field queries can be tried on the demo base.

A store learns them from ``open_store(url, schemas=SCHEMAS)``; :func:`check_declared`
refuses to load the sample into a store that was opened without them, because the
values would be written untyped and queries on them refused.
"""

from __future__ import annotations

from custdb.errors import QueryError, ValidationError
from custdb.model import FieldDef, FieldType, Schema
from custdb.query import F
from custdb.storage.base import Transaction

__all__ = ["CHANNELS", "CONTACT_SCHEMA", "SCHEMAS", "check_declared"]

CHANNELS = ("call", "email", "sms", "telegram", "whatsapp")
"""How a client wants to be reminded of an appointment."""

CONTACT_SCHEMA = Schema(
    "contact",
    (
        FieldDef(
            "reminder_channel",
            FieldType.ENUM,
            options=frozenset(CHANNELS),
            label="Appointment reminders by",
        ),
        FieldDef("member_since", FieldType.DATE, label="Loyalty club member since"),
    ),
)

SCHEMAS: tuple[Schema, ...] = (CONTACT_SCHEMA,)
"""What to pass as ``open_store(url, schemas=...)`` for a demo base."""


def check_declared(tx: Transaction) -> None:
    """ValidationError unless the store knows the demo's custom fields on contacts."""
    probe = F("reminder_channel").not_null() | F("member_since").not_null()
    try:
        tx.contacts.count(probe)
    except QueryError as error:
        raise ValidationError(
            "the store does not declare the demo's custom properties on contacts",
            entity="contact",
            field=error.field,
            hint="open it with open_store(url, schemas=custdb.demo.SCHEMAS)",
        ) from error
