"""Person and company names: a display form, and the keys under which spellings meet."""

from __future__ import annotations

import unicodedata

from custdb.normalize import _name_keys
from custdb.normalize._text import MAX_NAME_LENGTH, text_of

__all__ = ["MAX_NAME_LENGTH", "company_key", "person_key", "person_name"]


def _name_text(raw: object) -> str:
    """A name part as text; None is an absent name, read as empty. Names are bounded
    (:data:`MAX_NAME_LENGTH`) so that no text makes a key slow to compute."""
    return "" if raw is None else text_of(raw, "a name", MAX_NAME_LENGTH)


def person_name(raw: object) -> str:
    """A name for display: NFC, trimmed, inner whitespace collapsed to one space."""
    return " ".join(unicodedata.normalize("NFC", _name_text(raw)).split())


def person_key(first: object, last: object) -> str:
    """``"last|first"``: the key under which spellings of one person's name meet.

    Case, accents, script and transliteration system do not matter (Юлия, Yulia,
    Iuliia, Julia and Julija meet); gendered surname forms stay apart (Petrov is not
    Petrova). An absent or empty part gives an empty key part.
    """
    return f"{_name_keys.person_part(_name_text(last))}|{_name_keys.person_part(_name_text(first))}"


def company_key(name: object) -> str:
    """The key under which spellings of one company's name meet: lower-case ASCII, no spaces.

    Legal forms (ООО, LLC, GmbH, S.A., AS...) go from either end unless nothing else is
    left; quotes and punctuation go; letters fold as in :func:`person_key`. So ``IBM``,
    ``I.B.M``, ``I-B-M`` and ``IBM Corp.`` meet, and so do ``ООО «Ромашка»`` and
    ``Romashka LLC``.
    """
    return _name_keys.company_key(_name_text(name))
