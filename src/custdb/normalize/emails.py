"""E-mail addresses as email-validator normalizes them, with a fast path for plain ASCII."""

from __future__ import annotations

import re

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES

from custdb.errors import ValidationError
from custdb.normalize._text import text_of

__all__ = ["email"]

_EMAIL_PLAIN = re.compile(
    r"([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z0-9][A-Za-z0-9-]{0,61})?[A-Za-z])"
)
_EMAIL_MAX = 254
_SPECIAL_USE_TLDS = frozenset(name.rpartition(".")[2] for name in SPECIAL_USE_DOMAIN_NAMES)
_CASE_INSENSITIVE_MAILBOXES = frozenset(CASE_INSENSITIVE_MAILBOX_NAMES)


def _plain_email(text: str) -> str | None:
    """``validate_email(text).normalized`` for a plain ASCII address; None: ask the library.

    Mirrors email-validator 2.x on the common case (dot-atom local part, ASCII domain of
    letter-ended labels): the domain lower-cased, the local part kept as typed except the
    RFC 2142 role names. Punycode, ``--`` labels and special-use domains go to the library.
    """
    match = _EMAIL_PLAIN.fullmatch(text)
    if match is None or len(text) > _EMAIL_MAX:
        return None
    local, domain = match.groups()
    domain = domain.lower()
    if "--" in domain or domain.rpartition(".")[2] in _SPECIAL_USE_TLDS:
        return None
    if local.lower() in _CASE_INSENSITIVE_MAILBOXES:
        local = local.lower()
    return f"{local}@{domain}"


def email(raw: object) -> str:
    """The normalized form of an e-mail address, as email-validator gives it (no DNS).

    Surrounding whitespace is dropped; the domain is lower-cased (IDNA domains come back
    in Unicode form); the part before ``@`` keeps its case, as mail servers may.
    """
    text = text_of(raw, "an e-mail address").strip()
    if len(text) > _EMAIL_MAX:
        raise ValidationError(
            f"is {len(text):,} characters long, more than an e-mail address has ({_EMAIL_MAX})",
            value=raw,
            hint="write it as name@example.com",
        )
    plain = _plain_email(text)
    if plain is not None:
        return plain
    try:
        normalized: str = validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as e:
        reason = str(e).rstrip(".")
        raise ValidationError(
            f"is not a valid e-mail address: {reason}",
            value=raw,
            hint="write it as name@example.com",
        ) from e
    return normalized
