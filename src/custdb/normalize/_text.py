"""The one text check every normalizer and every text field of the model makes.

Text that a store cannot keep as given is refused where it comes in, with the same
words everywhere: a NUL character (SQLite cuts the value at it, PostgreSQL refuses it),
a lone surrogate (not encodable as UTF-8, so no database or JSON writer takes it), and
text longer than the limit of what it is (a name, a phone number...). Every test here is
one pass over the text in C, so checking costs next to nothing and never more than
linear time, whatever the size.
"""

from __future__ import annotations

from custdb.errors import ValidationError

__all__ = ["MAX_NAME_LENGTH", "text_fault", "text_of"]

MAX_NAME_LENGTH = 1_000
"""Characters a person's or a company's name may have (the longest real ones have a few
hundred); longer text is refused before any name key is computed."""


def text_fault(
    text: str, max_length: int | None = None, what: str = "here"
) -> tuple[str, str] | None:
    """``(reason, hint)`` of what makes ``text`` unstorable, or None when it is fine."""
    if text.isprintable() and (max_length is None or len(text) <= max_length):
        return None  # no control character, so no NUL; no unassigned one, so no surrogate
    if max_length is not None and len(text) > max_length:
        return (
            f"is {len(text):,} characters long, more than the {max_length:,} allowed {what}",
            f"shorten it to at most {max_length:,} characters",
        )
    if "\x00" in text:
        return (
            "contains a NUL character (\\x00), which no store keeps",
            "remove the NUL characters (often the padding of a fixed-width export)",
        )
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return (
                "contains a lone surrogate (half of a UTF-16 pair), which is not text",
                "decode the source with its real encoding, or with errors='replace'",
            )
    return None


def text_of(raw: object, what: str, max_length: int | None = None) -> str:
    """``raw`` when it is storable text of at most ``max_length`` characters, else a
    ValidationError that says why: the first check every normalizer makes."""
    if not isinstance(raw, str):
        name = type(raw).__name__
        kind = "None" if raw is None else f"{'an' if name[0] in 'aeiou' else 'a'} {name}"
        raise ValidationError(f"is {kind}, not text: expected {what} as a str", value=raw)
    fault = text_fault(raw, max_length, f"for {what}")
    if fault is not None:
        reason, hint = fault
        raise ValidationError(reason, value=raw, hint=hint)
    return raw
