"""Field rules for data quality: what a name, an e-mail and a phone may look like.

The defaults follow common form advice for customer bases: names of any script up to 30
characters with spaces, hyphens and apostrophes (O'Reilly); an e-mail local part of at
most 64 characters; phones of at most 20 digits; and, for forms that want a business
address, a refusal of free-mail domains. Rules are a frozen value: change one with
``attrs.evolve(DEFAULT_RULES, business_email=True)`` and pass it to the checks.
"""

# Requirement A6; the defaults are those of seed 003, L483-491.

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import attrs

from custdb import normalize
from custdb.errors import ValidationError

__all__ = [
    "DEFAULT_RULES",
    "FREE_MAIL_DOMAINS",
    "FieldRules",
    "check_email",
    "check_name",
    "check_phone",
]

FREE_MAIL_DOMAINS = frozenset(
    {
        # global
        "gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com",
        "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com",
        "gmx.com", "gmx.net", "zoho.com", "yandex.com", "mail.com",
        # Russia
        "mail.ru", "yandex.ru", "ya.ru", "bk.ru", "inbox.ru", "list.ru", "rambler.ru",
        "internet.ru",
        # Germany
        "gmx.de", "web.de", "t-online.de", "freenet.de", "yahoo.de", "hotmail.de", "outlook.de",
        # Norway
        "online.no", "hotmail.no", "live.no", "yahoo.no", "start.no",
        # Spain
        "yahoo.es", "hotmail.es", "outlook.es", "live.com.es", "terra.es", "telefonica.net",
    }
)  # fmt: skip
"""Domains anyone can get an address on: refused when :attr:`FieldRules.business_email`."""

_NAME_PUNCTUATION = frozenset(" -'\u2019\u02bc\u2010\u2011")  # space, hyphens, apostrophes


def _positive(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise ValidationError("must be at least 1", field=attribute.name, value=value)


@attrs.frozen(kw_only=True)
class FieldRules:
    """Limits a form or an import applies to contact fields; defaults as above."""

    name_max_length: int = attrs.field(default=30, validator=_positive)
    email_local_max_length: int = attrs.field(default=64, validator=_positive)
    phone_max_digits: int = attrs.field(default=normalize.MAX_PHONE_DIGITS, validator=_positive)
    business_email: bool = False
    free_mail_domains: frozenset[str] = FREE_MAIL_DOMAINS


DEFAULT_RULES = FieldRules()


def _is_name_character(char: str) -> bool:
    """Letters of any script, their combining marks, and the name punctuation."""
    return char in _NAME_PUNCTUATION or unicodedata.category(char)[0] in "LM"


def check_name(
    value: object, rules: FieldRules = DEFAULT_RULES, *, field: str = "first_name"
) -> str:
    """The name as displayed (see :func:`custdb.normalize.person_name`), if it keeps the rules.

    An empty name passes: whether a name is required is the schema's call, not a rule's.
    """
    name = _checked(normalize.person_name, value, field)
    if len(name) > rules.name_max_length:
        raise ValidationError(
            f"has {len(name)} characters, more than the {rules.name_max_length} allowed",
            field=field,
            value=value,
            hint="shorten it, or raise FieldRules.name_max_length",
        )
    if name and (not all(map(_is_name_character, name)) or not any(c.isalpha() for c in name)):
        raise ValidationError(
            "may hold only letters, spaces, hyphens and apostrophes",
            field=field,
            value=value,
            hint="remove digits and signs such as < and >",
        )
    return name


def check_email(value: object, rules: FieldRules = DEFAULT_RULES, *, field: str = "email") -> str:
    """The normalized address (see :func:`custdb.normalize.email`), if it keeps the rules."""
    address = _checked(normalize.email, value, field)
    local, _, domain = address.rpartition("@")
    limit = rules.email_local_max_length
    if len(local) > limit:
        raise ValidationError(
            f"has {len(local)} characters before the @, more than {limit}",
            field=field,
            value=value,
            hint="check the address; RFC 5321 allows 64",
        )
    if rules.business_email and domain in rules.free_mail_domains:
        raise ValidationError(
            f"is on the free-mail domain {domain}; a business address is required",
            field=field,
            value=value,
            hint="ask for the address at the company's own domain",
        )
    return address


def check_phone(
    value: object,
    rules: FieldRules = DEFAULT_RULES,
    *,
    field: str = "phone",
    region: str | None = None,
) -> str:
    """The E.164 number (see :func:`custdb.normalize.phone`), if it keeps the rules."""
    if isinstance(value, str):
        digits = sum(c.isdigit() for c in value)
        if digits > rules.phone_max_digits:
            raise ValidationError(
                f"has {digits} digits, more than the {rules.phone_max_digits} allowed",
                field=field,
                value=value,
                hint="keep one number per field",
            )
    return _checked(lambda raw: normalize.phone(raw, region), value, field)


def _checked(read: Callable[[object], str], value: object, field: str) -> str:
    """Run a normalizer; its error is raised again naming the field (unless it names one)."""
    try:
        return read(value)
    except ValidationError as e:
        if e.field is not None:
            raise
        raise ValidationError(e.reason, field=field, value=value, hint=e.hint) from e
