"""Which field each column of a file fills: suggested from the headers, overridable.

A :class:`Target` is what one column becomes: a field (``first_name``), an e-mail or
phone with its label (``phone:mobile``), a full name to split, a company to find or
create, another system's id, a custom property, an address part, or nothing
(``ignore``). Its text form is what ``--map HEADER=target`` takes and what the change
log keeps. :func:`suggest_mapping` reads the headers in six languages and the exports
of common CRMs (``_headers``); a header it cannot place is left unmapped and reported,
never guessed.

Google Contacts writes each e-mail and phone as two columns, ``E-mail 1 - Label`` and
``E-mail 1 - Value``: the value column maps to ``email`` (its cell may hold several
addresses joined by `` ::: ``), the label column to ``ignore``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from custdb.errors import ValidationError
from custdb.io._headers import COMPANY_HEADERS, CONTACT_HEADERS, VENDOR_MARKS, fold
from custdb.model import Company, Contact

__all__ = ["KINDS", "ColumnMapping", "Target", "label_columns", "suggest_mapping"]

KINDS = (
    "field", "id", "email", "phone", "full_name", "company", "external_id", "custom", "address",
    "ignore",
)  # fmt: skip
LABELS = ("work", "home", "mobile", "other")
OWN_ID = "id"
"""The header of the column holding this base's own record ids, as ``custdb export``
writes it (lower case: "ID" or "Id" is another system's id, kept as an external id)."""
ROLLUPS = frozenset(
    {"total_spent", "order_count", "visit_count", "first_order_on", "last_order_on",
     "last_visit_at", "last_activity_at", "open_tickets", "ticket_count", "last_satisfaction"}
)  # fmt: skip
"""Figures the store computes from orders, visits and tickets: never written by an import."""

_BOOKKEEPING = frozenset({"id", "version", "created_at", "updated_at", "stats", "custom"})
_SPECIAL = {"emails", "phones", "external_ids", "address", "legal_address", "actual_address"}
_ADDRESS_PARTS = ("street", "city", "region", "postal_code", "country")
_GOOGLE_PAIR = re.compile(r"^(e mail|phone|address) \d+ (label|type|value|formatted)$")
_GOOGLE_NUMBERED = re.compile(r"^(e mail|phone) (\d+) (label|type|value)$")
_WORK_PHONE = {"salesforce": "phone:work", "zoho": "phone:work"}
"""CRMs whose plain ``Phone`` is the business number, beside their ``Mobile``,
``Home Phone`` and ``Other Phone``."""
_PIPEDRIVE = re.compile(r"^person ")
_FIELDS = {
    "contacts": frozenset(a.name for a in attrs.fields(Contact)) - _BOOKKEEPING - _SPECIAL,
    "companies": frozenset(a.name for a in attrs.fields(Company)) - _BOOKKEEPING - _SPECIAL,
}
_ADDRESS_FIELDS = {"contacts": ("address",), "companies": ("actual_address", "legal_address")}


@attrs.frozen
class Target:
    """What one column fills; ``str(target)`` is the text :meth:`parse` reads."""

    kind: str
    name: str = ""
    label: str | None = None

    @classmethod
    def parse(cls, text: str, *, entity: str = "contacts", schema: Any = None) -> Target:  # noqa: C901 - one branch per kind
        """``"first_name"``, ``"email"``, ``"email:work"``, ``"phone:mobile"``,
        ``"full_name"``, ``"company"``, ``"external_id:hubspot"``, ``"custom:tier"`` (or a
        bare custom property's name), ``"address:city"``, ``"ignore"``."""
        head, _, rest = text.strip().partition(":")
        head, rest = head.strip(), rest.strip()
        custom = {} if schema is None else {f.name: f for f in schema.fields}
        if head in {"email", "emails", "phone", "phones"}:
            if rest and rest not in LABELS:
                raise _bad_target(text, f"the label must be one of {', '.join(LABELS)}")
            return cls(head.rstrip("s"), label=rest or None)
        if head in {"id", "full_name", "company", "ignore"} and not rest:
            if head == "company" and entity != "contacts":
                raise _bad_target(text, "only a contact's row names its company")
            return cls(head)
        if head == "external_id":
            return cls("external_id", rest or "import")
        if head == "custom" and rest:
            return cls("custom", rest)
        addresses = _ADDRESS_FIELDS.get(entity, ())
        if head == "address" or head in addresses:
            if rest not in _ADDRESS_PARTS:
                raise _bad_target(text, f"give an address part: {', '.join(_ADDRESS_PARTS)}")
            field = addresses[0] if head == "address" else head
            return cls("address", f"{field}.{rest}")
        if head in ROLLUPS:
            raise _bad_target(
                text,
                "is a figure the store computes from orders and visits; import it as a "
                "custom property (custom:NAME) if you need the old value",
            )
        if not rest and head in _FIELDS.get(entity, frozenset()):
            return cls("field", head)
        if not rest and head in custom:
            return cls("custom", head)
        raise _bad_target(text, _choices(entity, custom))

    def __str__(self) -> str:
        if self.kind == "field":
            return self.name
        if self.kind in {"email", "phone"}:
            return self.kind if self.label is None else f"{self.kind}:{self.label}"
        if self.kind == "address":
            field, _, part = self.name.partition(".")
            return f"{field}:{part}"
        return f"{self.kind}:{self.name}" if self.name else self.kind


def _bad_target(text: str, hint: str) -> ValidationError:
    return ValidationError("is not a field a column can fill", field="map", value=text, hint=hint)


def _choices(entity: str, custom: Mapping[str, Any]) -> str:
    names = sorted(_FIELDS.get(entity, frozenset()))
    extra = f"; custom properties: {', '.join(sorted(custom))}" if custom else ""
    return (
        f"give one of {', '.join(names)}, id, email[:label], phone[:label], full_name, "
        f"company, external_id[:system], custom:NAME, address:PART or ignore{extra}"
    )


@attrs.frozen
class ColumnMapping:
    """Each header's target (``None``: not imported), and the CRM the headers came from."""

    headers: tuple[str, ...]
    targets: tuple[Target | None, ...]
    vendor: str | None = None
    entity: str = "contacts"
    schema: Any = attrs.field(default=None, eq=False, repr=False)

    @property
    def unmapped(self) -> tuple[str, ...]:
        return tuple(h for h, t in zip(self.headers, self.targets, strict=True) if t is None)

    def with_overrides(self, overrides: Mapping[str, str]) -> ColumnMapping:
        """This mapping with ``{header: target text}`` applied."""
        targets = list(self.targets)
        for header, text in overrides.items():
            if header not in self.headers:
                raise ValidationError(
                    "is not a header of the file",
                    field="map",
                    value=header,
                    hint=f"give one of {', '.join(self.headers)}",
                )
            targets[self.headers.index(header)] = Target.parse(
                text, entity=self.entity, schema=self.schema
            )
        return attrs.evolve(self, targets=tuple(targets))

    def keep_unmapped(self) -> ColumnMapping:
        """Unmapped columns kept as custom properties named after their headers."""
        targets = tuple(
            Target("custom", _slug(h)) if t is None and _slug(h) else t
            for h, t in zip(self.headers, self.targets, strict=True)
        )
        return attrs.evolve(self, targets=targets)

    def key_column(self) -> int | None:
        """The column that recognises a record by default: this base's id, another
        system's id, else e-mail, else phone."""
        for kind in ("id", "external_id", "email", "phone"):
            for index, target in enumerate(self.targets):
                if target is not None and target.kind == kind:
                    return index
        return None

    def header_of(self, field: str) -> str:
        """The header of the column that fills ``field`` (a field's name or a target
        kind such as ``"email"``), or "" when none does."""
        for header, target in zip(self.headers, self.targets, strict=True):
            if target is not None and field in {target.name, target.kind}:
                return header
        return ""

    def to_json(self) -> dict[str, str]:
        """``{header: target text}`` of the mapped columns, as the change log keeps it."""
        return {h: str(t) for h, t in zip(self.headers, self.targets, strict=True) if t}


def label_columns(mapping: ColumnMapping) -> dict[int, int]:
    """Google's pairs, ``E-mail 1 - Label`` beside ``E-mail 1 - Value``: the index of
    each e-mail or phone column -> the index of the column holding its label."""
    labels: dict[tuple[str, str], int] = {}
    values: dict[tuple[str, str], int] = {}
    for index, header in enumerate(mapping.headers):
        if pair := _GOOGLE_NUMBERED.match(fold(header)):
            kind, number, part = pair.groups()
            (values if part == "value" else labels)[kind, number] = index
    return {
        index: labels[key]
        for key, index in values.items()
        if key in labels and getattr(mapping.targets[index], "kind", None) in {"email", "phone"}
    }


def suggest_mapping(
    headers: Sequence[str], *, entity: str = "contacts", schema: Any = None
) -> ColumnMapping:
    """The mapping the headers suggest; a header matched twice keeps only its first column."""
    if entity not in _FIELDS:
        raise ValidationError(
            "cannot be imported", field="entity", value=entity, hint="give contacts or companies"
        )
    vendor = _vendor(headers)
    table = CONTACT_HEADERS if entity == "contacts" else COMPANY_HEADERS
    custom = _custom_words(schema)
    targets: list[Target | None] = []
    taken: set[str] = set()
    for header in headers:
        target = _suggest(header, table, custom, vendor, entity)
        once = target is not None and target.kind not in {"email", "phone", "ignore"}
        if target is not None and once and str(target) in taken:
            target = None  # a second "Name" column: which is meant is a guess
        if target is not None:
            taken.add(str(target))
        targets.append(target)
    return ColumnMapping(tuple(headers), tuple(targets), vendor, entity, schema)


def _suggest(
    header: str,
    table: Mapping[str, str],
    custom: Mapping[str, str],
    vendor: str | None,
    entity: str,
) -> Target | None:
    if header.strip() == OWN_ID and vendor is None:
        return Target("id")
    folded = fold(header)
    if entity == "contacts" and _PIPEDRIVE.match(folded):
        folded = _PIPEDRIVE.sub("", folded)
    if folded in custom:
        return Target("custom", custom[folded])
    if pair := _GOOGLE_PAIR.match(folded):
        kind, part = pair.groups()
        if part == "value" and kind != "address":
            return Target("email" if kind == "e mail" else "phone")
        return Target("ignore")
    text = _WORK_PHONE.get(vendor or "") if folded == "phone" else None
    text = text or table.get(folded)
    if text is None:
        return None
    if text == "external_id":
        return Target("external_id", vendor or "import")
    return Target.parse(text, entity=entity)


def _vendor(headers: Sequence[str]) -> str | None:
    present = {fold(h) for h in headers}
    for vendor, alternatives in VENDOR_MARKS.items():
        if any(all(fold(h) in present for h in marks) for marks in alternatives):
            return vendor
    return None


def _custom_words(schema: Any) -> dict[str, str]:
    """Folded name and label of each custom property -> its name."""
    words: dict[str, str] = {}
    for field in () if schema is None else schema.fields:
        for word in (field.name, getattr(field, "label", None)):
            if word:
                words.setdefault(fold(word), field.name)
    return words


def _slug(header: str) -> str:
    return fold(header).replace(" ", "_")
