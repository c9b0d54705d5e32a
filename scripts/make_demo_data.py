# ruff: noqa: INP001, S311, T201
"""Write the demo sample that ``custdb demo`` loads: ``src/custdb/data/demo/*.csv``.

    python scripts/make_demo_data.py

Run once; the output is committed and the package reads only those files. The run is
seeded, so it reproduces them byte for byte. The business is a chain of beauty salons
and car workshops with branches in Russia, Norway, Spain, the United States and the
United Kingdom; each branch exports in its own way (phones as typed locally, ``dd.mm.yyyy``
or ISO dates, comma decimals, yes/no in the local language), and a handful of clients
were entered twice, spelled differently: the planted duplicates the summary finds.
Every phone, e-mail, date and amount is checked through ``custdb.normalize`` before it
is written, so the sample loads cleanly.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from anyascii import anyascii

from custdb import normalize

sys.path.insert(0, str(Path(__file__).parent))
from _demo_pools import (  # noqa: E402 - the pools sit next to this script
    BRANCHES,
    COMPANIES,
    DEALS,
    DUPLICATES,
    LOCAL,
    PRODUCTS,
    SERVICES,
    Branch,
)

SEED = 20240630
OUT = Path(__file__).parents[1] / "src" / "custdb" / "data" / "demo"
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


def random_day(start: dt.date = START, end: dt.date = END) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def random_time() -> str:
    return f"{rng.randrange(9, 20):02d}:{rng.choice(['00', '15', '30', '45'])}"


# --- people ------------------------------------------------------------------------------


def phone(branch: Branch, digits: str | None = None) -> str:
    """A phone in one of the branch's local forms, checked and unique."""
    while True:
        number = digits or branch.mobile(rng)
        written = rng.choice(branch.phone_forms)(number)
        e164 = normalize.phone(written, branch.country)
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


def contact_row(branch: Branch, key: str, owner: str) -> Row:
    female = rng.random() < 0.6
    first, middle, last = person(branch, female=female)
    birthday = random_day(dt.date(1955, 1, 1), dt.date(2004, 12, 31))
    city, postal, street = rng.choice(branch.addresses)
    return {
        "key": key,
        "first_name": first,
        "last_name": last,
        "middle_name": middle,
        "gender": "female" if female else "male",
        "birthday": local_date(branch.country, birthday) if rng.random() < 0.7 else "",
        "email": mailbox(first, last, rng.choice(branch.mail)) if rng.random() < 0.85 else "",
        "phone": phone(branch) if rng.random() < 0.92 else "",
        "country": branch.country,
        "language": branch.language,
        "city": city,
        "postal_code": postal,
        "street": street.format(n=rng.randrange(1, 120)),
        "source": rng.choice(["walk_in", "referral", "website_form", "social", "event", "import"]),
        "owner": owner,
        "importance": rng.choice(["", "", "bronze", "silver", "gold"]),
        "tags": ";".join(rng.sample(["vip", "regular", "birthday-club", "sms-off"], rng.randrange(3))),
        "loyalty_card": f"{branch.country}-{rng.randrange(10**6):06d}" if rng.random() < 0.4 else "",
        "has_app": local_flag(branch.country, value=rng.random() < 0.3),
        "newsletter": rng.choice(["", "", "granted", "granted", "pending", "withdrawn"]),
        "newsletter_on": local_date(branch.country, random_day()),
        "job_title": "",
        "lifecycle_stage": "",
        "notes": "",
    }


def contacts(users: dict[str, str]) -> list[Row]:
    rows: list[Row] = []
    for branch in BRANCHES:
        for _ in range(branch.size):
            rows.append(contact_row(branch, f"C{len(rows) + 1:04d}", users[branch.country]))
    for original, duplicate in DUPLICATES:
        rows.extend(planted(original, duplicate, rows, users))
    return rows


def planted(original: Row, duplicate: Row, rows: list[Row], users: dict[str, str]) -> list[Row]:
    """One client entered twice: the second row spelled and written differently."""
    branch = next(b for b in BRANCHES if b.country == original["country"])
    pair = []
    for fields in (original, duplicate):
        row = contact_row(branch, f"C{len(rows) + len(pair) + 1:04d}", users[branch.country])
        row.update(fields)
        if "phone" in fields:
            normalize.phone(row["phone"], branch.country)
        pair.append(row)
    return pair


def lifecycle(row: Row, orders: int) -> str:
    if orders == 0:
        return rng.choice(["subscriber", "lead", "mql"])
    if orders > 8:
        return rng.choice(["customer", "evangelist"])
    return "former_customer" if rng.random() < 0.1 else "customer"


# --- companies and deals -----------------------------------------------------------------


def companies(users: dict[str, str]) -> list[Row]:
    rows = []
    for number, (country, name, form, domain, industry) in enumerate(COMPANIES, 1):
        branch = next(b for b in BRANCHES if b.country == country)
        city, postal, street = rng.choice(branch.addresses)
        revenue = Decimal(rng.randrange(5, 900)) * branch.revenue_unit
        rows.append(
            {
                "key": f"CO{number:02d}",
                "name": name,
                "legal_form": form,
                "country": country,
                "tax_id": branch.tax_id(rng),
                "domain": domain,
                "industry": industry,
                "employees": str(rng.randrange(3, 900)),
                "annual_revenue": local_amount(country, revenue),
                "currency": branch.currency,
                "phone": phone(branch, branch.landline(rng)),
                "email": messy_email(f"{rng.choice(['info', 'post', 'office'])}@{domain}"),
                "city": city,
                "postal_code": postal,
                "street": street.format(n=rng.randrange(1, 120)),
                "owner": users[country],
            }
        )
    return rows


def affiliations(people: list[Row], firms: list[Row]) -> list[Row]:
    rows: list[Row] = []
    pool = {b.country: [p for p in people[: -2 * len(DUPLICATES)]] for b in BRANCHES}
    for country, free in pool.items():
        pool[country] = [p for p in free if p["country"] == country]
        rng.shuffle(pool[country])
    for firm in firms:
        for index in range(rng.randrange(2, 5)):
            member = pool[firm["country"]].pop()
            role = rng.choice(LOCAL[firm["country"]]["roles"])
            member["job_title"] = role
            since = random_day(dt.date(2015, 1, 1), dt.date(2023, 12, 31))
            rows.append(link(len(rows), member, firm, role, since, primary=index == 0))
    for old in rows[:5]:  # five people changed employer; their history stays with them
        moved = next(f for f in firms if f["country"] == old["country"] and f["key"] != old["company"])
        changed = random_day(dt.date(2024, 1, 1), END)
        old["until"] = local_date(old["country"], changed)
        member = next(p for p in people if p["key"] == old["contact"])
        rows.append(link(len(rows), member, moved, old["role"], changed, primary=True))
    return rows


def link(number: int, member: Row, firm: Row, role: str, since: dt.date, *, primary: bool) -> Row:
    country = firm["country"]
    if rng.random() < 0.5:
        member["email"] = mailbox(member["first_name"], member["last_name"], firm["domain"])
    return {
        "key": f"A{number + 1:04d}",
        "contact": member["key"],
        "company": firm["key"],
        "country": country,
        "role": role,
        "is_primary": local_flag(country, value=primary),
        "since": local_date(country, since),
        "until": "",
    }


def deals(firms: list[Row], links: list[Row], users: dict[str, str]) -> list[Row]:
    rows: list[Row] = []
    stages = ["new", "qualified", "proposal", "negotiation", "won", "won", "lost"]
    probability = {"new": 10, "qualified": 25, "proposal": 50, "negotiation": 75, "won": 100}
    for firm in firms:
        country, people = firm["country"], [lk for lk in links if lk["company"] == firm["key"]]
        for product, base, recurring in rng.sample(DEALS, rng.randrange(1, 4)):
            stage = rng.choice(stages)
            amount = Decimal(base) * rng.randrange(3, 30) * BRANCHES_BY[country].price_factor
            closed = random_day(dt.date(2023, 6, 1), END) if stage in ("won", "lost") else None
            percent = probability.get(stage, 0)
            rows.append(
                {
                    "key": f"D{len(rows) + 1:03d}",
                    "name": f"{firm['name']}: {LOCAL[country]['deals'][product]}",
                    "company": firm["key"],
                    "contact": rng.choice(people)["contact"],
                    "contact_role": rng.choice(["decision_maker", "champion", "user"]),
                    "country": country,
                    "pipeline": "b2b",
                    "stage": stage,
                    "amount": local_amount(country, amount.quantize(Decimal(1))),
                    "currency": firm["currency"],
                    "recurring": recurring,
                    "probability": f"{percent}%" if country in ("US", "GB") else f"{percent} %",
                    "expected_close": local_date(country, closed or random_day(END, dt.date(2024, 12, 20))),
                    "closed_on": local_date(country, closed) if closed else "",
                    "lost_reason": rng.choice(["price", "competitor", "no_budget", "no_decision", "timing"]) if stage == "lost" else "",
                    "won_reason": rng.choice(["price", "quality", "relationship", "speed"]) if stage == "won" else "",
                    "owner": users[country],
                    "source": rng.choice(["referral", "trade_show", "website_form", "cold_call"]),
                    "product": LOCAL[country]["deals"][product],
                }
            )
    return rows


BRANCHES_BY = {b.country: b for b in BRANCHES}
