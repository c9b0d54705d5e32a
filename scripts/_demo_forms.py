# ruff: noqa: INP001, S311
"""The seeded random source and the local forms (dates, amounts, yes/no, phones, e-mails)
that ``make_demo_data.py`` writes the sample in. Phones and e-mails are checked through
``custdb.normalize`` and kept unique, so only the planted duplicates share them."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from _demo_pools import BRANCHES, Branch
from anyascii import anyascii

from custdb import normalize
from custdb.errors import ValidationError

SEED = 20240630
START, END = dt.date(2022, 7, 1), dt.date(2024, 6, 30)
rng = random.Random(SEED)
used_phones: set[str] = set()
used_emails: set[str] = set()
Row = dict[str, Any]

# --- local forms -------------------------------------------------------------------------


def local_date(country: str, day: dt.date) -> str:
    if country in ("RU", "NO"):
        return day.strftime("%d.%m.%Y")
    if country == "ES":
        return day.strftime("%d/%m/%Y")
    return day.isoformat()


def local_amount(country: str, amount: Decimal) -> str:
    whole, cents = f"{amount:.2f}".split(".")
    groups = f"{int(whole):,}"
    cents = "" if cents == "00" and rng.random() < 0.5 else cents
    if country == "US":
        return groups + (f".{cents}" if cents else "")
    if country == "GB":
        return whole + (f".{cents}" if cents else "")
    separator = {"RU": rng.choice([" ", "\u00a0"]), "NO": " ", "ES": "."}[country]
    return groups.replace(",", separator) + (f",{cents}" if cents else "")


def local_flag(country: str, *, value: bool) -> str:
    words = {"RU": ("да", "нет"), "NO": ("ja", "nei"), "ES": ("sí", "no")}
    yes, no = words.get(country, rng.choice([("yes", "no"), ("TRUE", "FALSE"), ("Y", "N")]))
    return yes if value else no


def rounded(amount: Decimal, step: Decimal) -> Decimal:
    return (amount / step).to_integral_value() * step


def random_day(start: dt.date = START, end: dt.date = END, source: random.Random = rng) -> dt.date:
    return start + dt.timedelta(days=source.randrange((end - start).days + 1))


def random_time() -> str:
    return f"{rng.randrange(9, 20):02d}:{rng.choice(['00', '15', '30', '45'])}"


# --- people ------------------------------------------------------------------------------


def phone(branch: Branch, digits: str | None = None) -> str:
    """A phone in one of the branch's local forms, checked and unique."""
    while True:
        number = digits or branch.mobile(rng)
        written = rng.choice(branch.phone_forms)(number)
        try:
            e164 = normalize.phone(written, branch.country)
        except ValidationError:
            if digits:
                raise
            continue  # not an allocated range: draw again
        if digits or e164 not in used_phones:
            used_phones.add(e164)
            return written


def mailbox(first: str, last: str, domain: str) -> str:
    first, last = (anyascii(p).lower().replace(" ", "").replace("'", "") for p in (first, last))
    for attempt in range(100):
        local = rng.choice([f"{first}.{last}", f"{first}{last}", f"{first[0]}.{last}"])
        local += "" if attempt == 0 else str(rng.randrange(10, 99))
        address = f"{local}@{domain}"
        if address not in used_emails:
            used_emails.add(address)
            return messy_email(address)
    raise AssertionError(address)


def messy_email(address: str) -> str:
    style = rng.random()
    if style < 0.1:
        address = address.title()
    elif style < 0.15:
        address = f" {address} "
    normalize.email(address)
    return address


def person(branch: Branch, *, female: bool) -> tuple[str, str, str]:
    first = rng.choice(branch.women if female else branch.men)
    last = branch.surname(rng, female=female)
    middle = branch.patronymic(rng, female=female)
    return first, middle, last


def mailbox_of(name: str) -> str:
    return anyascii(name).lower().replace(" ", ".").replace("'", "")


BRANCHES_BY = {b.country: b for b in BRANCHES}
