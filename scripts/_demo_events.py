# ruff: noqa: INP001
"""Orders (one row per line, as salon and workshop systems export them), tickets, survey
answers, activities and leads for ``make_demo_data.py``."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from _demo_forms import (
    BRANCHES_BY,
    END,
    Row,
    local_amount,
    local_date,
    local_flag,
    mailbox,
    person,
    phone,
    random_day,
    random_time,
    rng,
    rounded,
)
from _demo_pools import BRANCHES, LOCAL, PRODUCTS, SERVICES


def lifecycle(orders: int) -> str:
    if orders == 0:
        return rng.choice(["subscriber", "lead", "mql"])
    if orders > 8:
        return rng.choice(["customer", "evangelist"])
    return "former_customer" if rng.random() < 0.1 else "customer"


# --- orders, tickets, surveys, activities ------------------------------------------------


def visits(people: list[Row], firms: list[Row], staff: dict[tuple[str, str], str]) -> list[Row]:
    """Order lines, one row per item, as salon and workshop systems export them."""
    rows: list[Row] = []
    keys = (f"O{number:04d}" for number in itertools.count(1))
    for member in people:
        count = rng.choice([0, 0, 1, 1, 2, 2, 3, 4, 5, 6, 8, 10])
        member["lifecycle_stage"] = lifecycle(count)
        trade = "auto" if rng.random() < (0.6 if member["gender"] == "male" else 0.2) else "salon"
        trade = "salon" if member["country"] == "GB" else trade
        for _ in range(count):
            rows.extend(order(next(keys), member, trade, staff))
    for firm in firms[::4]:  # fleet work billed to the company itself
        for _ in range(rng.randrange(1, 4)):
            rows.extend(order(next(keys), firm, "auto", staff))
    return rows


def order(key: str, client: Row, trade: str, staff: dict[tuple[str, str], str]) -> list[Row]:
    country = client["country"]
    branch, online = BRANCHES_BY[country], rng.random() < 0.12
    day = random_day()
    status = "completed" if rng.random() < 0.93 else "cancelled"
    if rng.random() < 0.04:
        day, status = random_day(END + dt.timedelta(days=1), dt.date(2024, 8, 31)), "scheduled"
    lines = [] if online else rng.sample(SERVICES[trade], rng.randrange(1, 4))
    if online or rng.random() < 0.2:
        lines.append(rng.choice(PRODUCTS[trade]))
    company = client["key"].startswith("CO")
    online_flag = local_flag(country, value=online)
    rows = []
    for code, category, base in lines:
        service = category != "retail"
        price = Decimal(base) * branch.price_factor * Decimal(rng.randrange(90, 111)) / 100
        rows.append(
            {
                "order": key,
                "date": local_date(country, day),
                "time": random_time(),
                "country": country,
                "contact": "" if company else client["key"],
                "company": client["key"] if company else "",
                "status": status,
                "kind": "visit" if lines and not online else "purchase",
                "online": online_flag,
                "currency": branch.currency,
                "item": LOCAL[country]["items"][code],
                "item_kind": "service" if service else "product",
                "category": category,
                "staff": staff[country, trade] if service else "",
                "qty": "1" if service else str(rng.choice([1, 1, 1, 2])),
                "amount": local_amount(country, rounded(price, branch.price_step)),
            }
        )
    time = rows[0]["time"]
    for row in rows:
        row["time"] = time
    return rows


def tickets(people: list[Row], users: dict[str, str]) -> list[Row]:
    rows = []
    for member in rng.sample(people, 64):
        country = member["country"]
        topic = rng.choice(["quality", "booking", "billing", "app", "warranty"])
        opened = random_day(dt.date(2023, 9, 1), END)
        is_open = rng.random() < 0.28 or opened > END - dt.timedelta(days=4)
        resolved = opened + dt.timedelta(days=rng.randrange(0, 9))
        rows.append(
            {
                "key": f"TK{len(rows) + 1:03d}",
                "contact": member["key"],
                "country": country,
                "subject": rng.choice(LOCAL[country]["tickets"][topic]),
                "topic": topic,
                "status": rng.choice(["open", "in_progress", "waiting"]) if is_open else "resolved",
                "opened": local_date(country, opened),
                "opened_time": f"{rng.randrange(9, 13):02d}:{rng.randrange(60):02d}",
                "resolved": "" if is_open else local_date(country, resolved),
                "resolved_time": ""
                if is_open
                else f"{rng.randrange(14, 20):02d}:{rng.randrange(60):02d}",
                "owner": users[country],
            }
        )
    return rows


def surveys(people: list[Row]) -> list[Row]:
    rows = []
    customers = [p for p in people if p["lifecycle_stage"] in ("customer", "evangelist")]
    for kind, count in (("nps", 160), ("csat", 110)):
        for member in rng.sample(customers, count):
            country = member["country"]
            score = survey_score(kind)
            good = score >= (9 if kind == "nps" else 4)
            bad = score <= (6 if kind == "nps" else 2)
            reasons = (
                ["staff", "quality", "location"] if good else ["price", "wait_time", "quality"]
            )
            rows.append(
                {
                    "key": f"S{len(rows) + 1:04d}",
                    "contact": member["key"],
                    "country": country,
                    "kind": kind,
                    "score": str(score),
                    "answered": local_date(country, random_day(dt.date(2023, 7, 1), END)),
                    "time": random_time(),
                    "comment": rng.choice(LOCAL[country]["comments"]["good" if good else "bad"])
                    if (good or bad) and rng.random() < 0.4
                    else "",
                    "reasons": ";".join(rng.sample(reasons, rng.randrange(1, 3)))
                    if good or bad
                    else "",
                }
            )
    return rows


def survey_score(kind: str) -> int:
    if kind == "nps":
        return rng.choices(range(11), weights=[2, 1, 1, 2, 2, 3, 4, 8, 12, 20, 25])[0]
    return rng.choices(range(1, 6), weights=[3, 4, 8, 25, 40])[0]


def activities(deal_rows: list[Row], users: dict[str, str]) -> list[Row]:
    rows = []
    for deal in deal_rows[::2] + deal_rows[1::3]:
        country = deal["country"]
        kind, purpose = rng.choice(
            [("call", "client_interest"), ("meeting", "presentation"), ("email", "client_interest"),
             ("demo", "presentation"), ("note", ""), ("sms", "service_visit")]
        )  # fmt: skip
        rows.append(
            {
                "key": f"AC{len(rows) + 1:03d}",
                "kind": kind,
                "date": local_date(country, random_day(dt.date(2023, 6, 1), END)),
                "time": random_time(),
                "country": country,
                "contact": deal["contact"],
                "company": deal["company"],
                "deal": deal["key"],
                "actor": users[country],
                "subject": LOCAL[country]["activities"][kind],
                "outcome": rng.choice(["", "interested", "call_back", "sent_offer", "no_answer"]),
                "minutes": str(rng.choice([5, 10, 15, 30, 45, 60]))
                if kind in ("call", "meeting", "demo")
                else "",
                "purpose": purpose,
            }
        )
    return rows


def leads(users: dict[str, str]) -> list[Row]:
    rows = []
    for branch in BRANCHES:
        for _ in range(4):
            female = rng.random() < 0.5
            first, _middle, last = person(branch, female=female)
            status = rng.choice(["new", "working", "qualified", "disqualified"])
            rows.append(
                {
                    "key": f"L{len(rows) + 1:03d}",
                    "first_name": first,
                    "last_name": last,
                    "company_name": rng.choice(branch.prospects),
                    "email": mailbox(first, last, rng.choice(branch.mail)),
                    "phone": phone(branch),
                    "country": branch.country,
                    "source": rng.choice(["website_form", "trade_show", "social", "event"]),
                    "status": status,
                    "qualification": rng.choice(["mql", "sql"]) if status == "qualified" else "",
                    "score": str(rng.randrange(0, 120)),
                    "owner": users[branch.country],
                }
            )
    return rows
