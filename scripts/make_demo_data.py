# ruff: noqa: INP001, T201
"""Write the demo sample that ``custdb demo`` loads: ``src/custdb/demo/data/*.csv``.

    python scripts/make_demo_data.py

Run once; the output is committed and the package reads only those files. The run is
seeded, so it reproduces them byte for byte. The business is a chain of beauty salons
and car workshops with branches in Russia, Norway, Spain, the United States and the
United Kingdom; each branch exports in its own way (phones as typed locally, ``dd.mm.yyyy``
or ISO dates, comma decimals, yes/no in the local language), and a handful of clients
were entered twice, spelled differently: the planted duplicates the summary finds.
Every phone, e-mail, date and amount is checked through ``custdb.normalize`` before it
is written, so the sample loads cleanly.

Contacts also get the demo's two custom properties (``custdb.demo.SCHEMAS``): how a
client wants appointment reminders, and since when a loyalty-card holder is a member.
They are drawn from a random source of their own, so adding them left every other cell
of the sample as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # the helper modules next to this script

from _demo_events import activities, leads, surveys, tickets, visits
from _demo_forms import (
    BRANCHES_BY,
    END,
    SEED,
    Row,
    local_amount,
    local_date,
    local_flag,
    mailbox,
    mailbox_of,
    messy_email,
    person,
    phone,
    random_day,
    rng,
    used_emails,
    used_phones,
)
from _demo_pools import BRANCHES, COMPANIES, DEALS, DUPLICATES, LOCAL, Branch

from custdb import normalize

OUT = Path(__file__).parents[1] / "src" / "custdb" / "demo" / "data"


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
        "tags": ";".join(
            rng.sample(["vip", "regular", "birthday-club", "sms-off"], rng.randrange(3))
        ),
        "loyalty_card": f"{branch.country}-{rng.randrange(10**6):06d}"
        if rng.random() < 0.4
        else "",
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
        if fields.get("phone"):
            normalize.phone(row["phone"], branch.country)
        pair.append(row)
    return pair


# Reminder channels per branch, the likelier first; an empty cell is a client who never said.
CHANNELS = {
    "RU": ["telegram", "whatsapp", "sms", "call", ""],
    "NO": ["sms", "sms", "email", "call", ""],
    "ES": ["whatsapp", "whatsapp", "sms", "call", ""],
    "US": ["sms", "email", "email", "call", ""],
    "GB": ["sms", "email", "whatsapp", "call", ""],
}


def add_custom_fields(people: list[Row]) -> None:
    """Fill ``reminder_channel`` and, for loyalty-card holders, ``member_since``.

    A random source of their own: the main one's draws, and so the rest of the sample,
    stay as they were before these columns existed.
    """
    draw = random.Random(f"{SEED}/custom-fields")  # noqa: S311 - sample data, not secrets
    for row in people:
        row["reminder_channel"] = draw.choice(CHANNELS[row["country"]])
        joined = random_day(dt.date(2016, 1, 1), END, draw) if row["loyalty_card"] else None
        row["member_since"] = local_date(row["country"], joined) if joined else ""


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
    planted_keys = {row["key"] for row in people[-2 * len(DUPLICATES) :]}
    pool = {b.country: [p for p in people if p["country"] == b.country] for b in BRANCHES}
    for country, free in pool.items():
        pool[country] = [p for p in free if p["key"] not in planted_keys]
        rng.shuffle(pool[country])
    for firm in firms:
        for index in range(rng.randrange(2, 5)):
            member = pool[firm["country"]].pop()
            role = rng.choice(LOCAL[firm["country"]]["roles"])
            member["job_title"] = role
            since = random_day(dt.date(2015, 1, 1), dt.date(2023, 12, 31))
            rows.append(link(len(rows), member, firm, role, since, primary=index == 0))
    for old in rows[:5]:  # five people changed employer; their history stays with them
        moved = next(
            f for f in firms if f["country"] == old["country"] and f["key"] != old["company"]
        )
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
                    "expected_close": local_date(
                        country, closed or random_day(END, dt.date(2024, 12, 20))
                    ),
                    "closed_on": local_date(country, closed) if closed else "",
                    "lost_reason": rng.choice(
                        ["price", "competitor", "no_budget", "no_decision", "timing"]
                    )
                    if stage == "lost"
                    else "",
                    "won_reason": rng.choice(["price", "quality", "relationship", "speed"])
                    if stage == "won"
                    else "",
                    "owner": users[country],
                    "source": rng.choice(["referral", "trade_show", "website_form", "cold_call"]),
                    "product": LOCAL[country]["deals"][product],
                }
            )
    return rows


# --- staff -------------------------------------------------------------------------------


def user(key: str, name: str, role: str, team: str, mailbox: str | None = None) -> Row:
    email = f"{mailbox or mailbox_of(name)}@nordlys-service.com"
    return {"key": key, "name": name, "email": email, "role": role, "team": team, "active": "yes"}


def teams_and_users() -> tuple[list[Row], list[Row]]:
    teams = [{"key": "T0", "name": "Head office", "parent": "", "head": "U01"}]
    users = [
        user("U01", "Ingrid Solberg", "director", "T0"),
        user("U02", "Pablo Ortega", "administrator", "T0", mailbox="admin"),
    ]
    for number, branch in enumerate(BRANCHES, 1):
        team = f"T{number}"
        head = f"U{len(users) + 1:02d}"
        for name, role in branch.staff:
            users.append(user(f"U{len(users) + 1:02d}", name, role, team))
        teams.append({"key": team, "name": branch.office, "parent": "T0", "head": head})
    users[-1]["active"] = "no"  # left the company; keeps their history
    return teams, users


def staff_keys(users: list[Row]) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """The manager of each branch, and its salon and workshop masters."""
    managers: dict[str, str] = {}
    masters: dict[tuple[str, str], str] = {}
    for branch in BRANCHES:
        mine = [u for u in users if u["name"] in {n for n, _ in branch.staff}]
        managers[branch.country] = mine[0]["key"]
        masters[branch.country, "salon"] = mine[1]["key"]
        masters[branch.country, "auto"] = mine[-1]["key"] if len(mine) > 2 else mine[1]["key"]
    return managers, masters


# --- output ------------------------------------------------------------------------------


def write(name: str, rows: Sequence[Row]) -> None:
    with (OUT / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{name:<20} {len(rows):>5} rows")


def reserve_planted() -> None:
    """Keep the planted duplicates' phones and e-mails out of the random draws."""
    for pair in DUPLICATES:
        for row in pair:
            if row["phone"]:
                used_phones.add(normalize.phone(row["phone"], row["country"]))
            if row["email"]:
                used_emails.add(row["email"].strip().lower())


def main() -> None:
    reserve_planted()
    team_rows, user_rows = teams_and_users()
    managers, masters = staff_keys(user_rows)
    people = contacts(managers)
    add_custom_fields(people)
    firms = companies(managers)
    links = affiliations(people, firms)
    deal_rows = deals(firms, links, managers)
    lines = visits(people, firms, masters)
    steps: list[tuple[str, Callable[[], Sequence[Row]]]] = [
        ("teams.csv", lambda: team_rows),
        ("users.csv", lambda: user_rows),
        ("companies.csv", lambda: firms),
        ("contacts.csv", lambda: people),
        ("affiliations.csv", lambda: links),
        ("leads.csv", lambda: leads(managers)),
        ("deals.csv", lambda: deal_rows),
        ("visits.csv", lambda: lines),
        ("tickets.csv", lambda: tickets(people, managers)),
        ("surveys.csv", lambda: surveys(people)),
        ("activities.csv", lambda: activities(deal_rows, managers)),
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    for name, rows in steps:
        write(name, rows())


if __name__ == "__main__":
    main()
