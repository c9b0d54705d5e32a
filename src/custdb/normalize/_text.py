"""The one check every normalizer makes first: the raw value is text."""

from __future__ import annotations

from custdb.errors import ValidationError

__all__ = ["text_of"]


def text_of(raw: object, what: str) -> str:
    if not isinstance(raw, str):
        kind = "None" if raw is None else f"a {type(raw).__name__}"
        raise ValidationError(f"is {kind}, not text: expected {what} as a str", value=raw)
    return raw
