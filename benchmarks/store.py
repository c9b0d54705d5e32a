"""SQLiteStore against hand-written sqlite3 on the same rows (insert, five queries, iterate).

    python benchmarks/store.py                 # 100 000 contacts; iterate 100 000 and 1 000 000
    python benchmarks/store.py --rows 10000    # a quick run
    python benchmarks/store.py --write         # append the figures to benchmarks/RESULTS.md

The raw side is the floor the database itself sets: ``sqlite3.executemany`` of exactly
the column values the store writes (computed beforehand, outside the timing) into a
hand-written table with the same columns and indexes, in the same number of
transactions, with the same pragmas (WAL, synchronous NORMAL). The store side is the
whole public path: ``tx.contacts.add_many`` with its version stamps, validation, change
log and roll-up bookkeeping. Times are CPU time of this process (``process_time``), so
other jobs on a shared machine disturb less. Inserts run in ``--insert-repeat`` turns,
each turn the store, raw and raw with the log back to back into new databases; the
insert goal is judged on the median of the turns' ratios, since a turn's runs share the
machine's load of the moment. Queries take the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from custdb.model import Contact, Email, Money, Order, OrderItem, Phone
from custdb.model.schema import FieldDef, FieldType, Schema
from custdb.query import F, Query
from custdb.storage._dialect import SQLITE, decimal_key, utc_text
from custdb.storage._rows import Plan
from custdb.storage.sqlite import SQLiteStore

UTC = dt.timezone.utc
START = dt.datetime(2026, 10, 1, 9, tzinfo=UTC)
NOW = dt.datetime(2026, 11, 23, 12, tzinfo=UTC)
TRANSACTIONS = 20
SCHEMA = Schema(
    "contact", (FieldDef("segment", FieldType.ENUM, options=frozenset({"gold", "silver"})),)
)
NAMES = {
    "ru": (["Юлия", "Ольга", "Дмитрий", "Сергей", "Анна"], ["Иванова", "Смирнов", "Кузнецова"]),
    "no": (["Bjørn", "Åse", "Kari", "Ola", "Sølvi"], ["Dæhlie", "Østby", "Hansen", "Berg"]),
    "es": (["José", "María", "Iñigo", "Lucía"], ["Muñoz", "García", "Núñez", "López"]),
    "zh": (["伟", "芳", "娜", "秀英"], ["王", "李", "张", "刘"]),
    "en": (["Anna", "John", "Mary", "Zoë"], ["Smith", "O'Reilly", "Brown"]),
}
PREFIX = {"ru": "+7912", "no": "+4791", "es": "+34612", "zh": "+86138", "en": "+1415"}
STAGES = ["subscriber", "lead", "mql", "sql", "opportunity", "customer", "evangelist"]
RAW_DDL = """
CREATE TABLE contacts_raw (
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, created_at VARCHAR(32),
  updated_at VARCHAR(32), first_name TEXT, last_name TEXT, middle_name TEXT, job_title TEXT,
  birthday DATE, gender TEXT, language TEXT, country TEXT, source TEXT, provenance TEXT,
  owner_ids JSON, brought_by_id TEXT, tags JSON, lifecycle_stage TEXT, notes TEXT,
  loyalty_card TEXT, importance TEXT, has_mobile_app BOOLEAN, total_spent VARCHAR,
  order_count BIGINT, visit_count BIGINT, first_order_on DATE, last_order_on DATE,
  last_visit_at VARCHAR(32), last_activity_at VARCHAR(32), open_tickets BIGINT,
  ticket_count BIGINT, last_satisfaction VARCHAR, email TEXT, phone TEXT, doc JSON,
  custom JSON, external_ids JSON, stats JSON
);
CREATE INDEX raw_created_at ON contacts_raw (created_at);
CREATE INDEX raw_updated_at ON contacts_raw (updated_at);
CREATE INDEX raw_brought_by_id ON contacts_raw (brought_by_id);
CREATE INDEX raw_lifecycle_stage ON contacts_raw (lifecycle_stage);
CREATE INDEX raw_total_spent ON contacts_raw (total_spent);
CREATE INDEX raw_last_visit_at ON contacts_raw (last_visit_at);
CREATE INDEX raw_email ON contacts_raw (email);
CREATE INDEX raw_phone ON contacts_raw (phone);
"""
RAW_LOG_DDL = """
CREATE TABLE changes_raw (
  seq INTEGER PRIMARY KEY, entity TEXT NOT NULL, record_id TEXT NOT NULL, op TEXT NOT NULL,
  before JSON, after JSON, actor TEXT, at VARCHAR(32), cause TEXT
);
CREATE INDEX raw_changes_record ON changes_raw (entity, record_id);
"""


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


def people(count: int, seed: int = 2026) -> list[Contact]:
    """``count`` contacts in five languages, the same for the same seed."""
    rng = random.Random(seed)
    return [_person(rng, i) for i in range(count)]


def _person(rng: random.Random, i: int) -> Contact:
    lang = rng.choice(list(NAMES))
    first, last = rng.choice(NAMES[lang][0]), rng.choice(NAMES[lang][1])
    return Contact(
        first_name=first,
        last_name=last,
        emails=(Email(f"user{i}@example.{lang}"),),
        phones=(Phone(f"{PREFIX[lang]}{i:07d}"),),
        tags=frozenset(rng.sample(["VIP", "Москва", "newsletter", "B2B"], rng.randint(0, 2))),
        owner_ids=(f"u{rng.randint(1, 20)}",),
        birthday=dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 20_000)),
        lifecycle_stage=rng.choice(STAGES),
        language=lang,
        custom={"segment": rng.choice(["gold", "silver"])},
    )


def visits(contacts: list[Contact], seed: int = 7) -> list[Order]:
    """A visit with a bill for seven contacts in ten, so the roll-ups have figures."""
    rng = random.Random(seed)
    return [
        Order(
            contact_id=contact.id,
            placed_at=NOW - dt.timedelta(days=rng.randint(1, 720), minutes=rng.randint(0, 600)),
            kind="visit",
            currency="RUB",
            items=(
                OrderItem(
                    name="Стрижка", amount=Money(Decimal(rng.randint(100, 500_000)) / 100, "RUB")
                ),
            ),
        )
        for contact in contacts
        if rng.random() < 0.7
    ]


def batches(rows: list[Any]) -> Iterator[list[Any]]:
    size = -(-len(rows) // TRANSACTIONS)
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


# --- insert -----------------------------------------------------------------------------


def store_insert(store: SQLiteStore, clock: Clock, contacts: list[Contact]) -> float:
    began = time.process_time()
    for batch in batches(contacts):
        with store.begin(actor="bench") as tx:
            tx.contacts.add_many(batch)
        clock.now += dt.timedelta(days=1)
    return time.process_time() - began


def add_visits(store: SQLiteStore, contacts: list[Contact]) -> float:
    """Orders for most contacts; each transaction recomputes its clients' roll-ups."""
    orders = visits(contacts)
    began = time.process_time()
    for batch in batches(orders):
        with store.begin(actor="bench") as tx:
            tx.orders.add_many(batch)
    return time.process_time() - began


def raw_connection(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.executescript(RAW_DDL + RAW_LOG_DDL)
    return connection


RAW_LOG_INSERT = (
    "INSERT INTO changes_raw (entity, record_id, op, before, after, actor, at, cause) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


Rows = tuple[list[str], list[tuple[Any, ...]]]  # column names, and each row's values


def raw_insert(
    connection: sqlite3.Connection, rows: Rows, changes: list[tuple[Any, ...]] | None = None
) -> float:
    """The floor: prebuilt column values, ``executemany`` in the store's transactions.

    With ``changes``, each transaction also writes the same change-log rows the store
    wrote: the floor for a loader that keeps the log the architecture asks for.
    """
    columns, values = rows
    sql = (
        f"INSERT INTO contacts_raw ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    )
    logs = batches(changes) if changes is not None else None
    began = time.process_time()
    for batch in batches(values):
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(sql, batch)
        if logs is not None:
            connection.executemany(RAW_LOG_INSERT, next(logs))
        connection.execute("COMMIT")
    return time.process_time() - began


def stored_changes(store: SQLiteStore) -> list[tuple[Any, ...]]:
    """The change-log rows the store wrote for the contacts, as it wrote them."""
    with store.engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.exec_driver_sql(
                "SELECT entity, record_id, op, before, after, actor, at, cause FROM changes "
                "WHERE entity = 'contact' ORDER BY seq"
            )
        ]


def stored_rows(store: SQLiteStore) -> Rows:
    """The column values the store wrote, as the raw table gets them."""
    plan = Plan.of("contacts", SQLITE)
    with store.begin() as tx:
        rows = [plan.row(contact) for contact in tx.contacts.iterate(batch_size=5000)]
    columns = list(rows[0])
    return columns, [tuple(row[c] for c in columns) for row in rows]


# --- queries ----------------------------------------------------------------------------


def queries() -> list[tuple[str, Query, str, tuple[Any, ...]]]:
    """(name, custdb query, hand-written WHERE clause, its parameters)."""
    window = sorted({(NOW.date() + dt.timedelta(days=n)).strftime("%m-%d") for n in range(8)})
    start = START + dt.timedelta(days=3)
    return [
        ("total_spent >= 2500", F("total_spent") >= 2500,
         "total_spent >= ?", (decimal_key(Decimal(2500)),)),
        ("tags contains VIP", F("tags").contains("VIP"),
         "EXISTS (SELECT 1 FROM json_each(tags) WHERE value = ?)", ("VIP",)),
        ("birthday within 7 days", F("birthday").within_days(7),
         f"strftime('%m-%d', birthday) IN ({', '.join('?' * len(window))})", tuple(window)),
        ("last visit > 90 days ago", F("last_visit_at").older_than(days=90),
         "last_visit_at < ?", (utc_text(NOW - dt.timedelta(days=90)),)),
        ("owner + stage + created_at",
         F("owner_ids").contains("u7") & (F("lifecycle_stage") == "customer")
         & F("created_at").between(start, start + dt.timedelta(days=2)),
         ("EXISTS (SELECT 1 FROM json_each(owner_ids) WHERE value = ?)"
          " AND lifecycle_stage = ? AND created_at BETWEEN ? AND ?"),
         ("u7", "customer", utc_text(start), utc_text(start + dt.timedelta(days=2)))),
    ]  # fmt: skip


def best(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        began = time.process_time()
        result = run()
        times.append(time.process_time() - began)
    return min(times), result


def compare_queries(
    store: SQLiteStore, raw: sqlite3.Connection, repeat: int
) -> list[dict[str, Any]]:
    """Each query inside one open transaction on both sides: the query is what is timed."""
    results = []
    raw.execute("BEGIN")
    with store.begin() as tx:
        for name, query, where, params in queries():
            select_sql = f"SELECT doc, custom, external_ids, stats FROM contacts_raw WHERE {where}"
            count_sql = f"SELECT count(*) FROM contacts_raw WHERE {where}"
            ours, found = best(repeat, lambda q=query: tx.contacts.select(q))
            theirs, rows = best(repeat, lambda s=select_sql, p=params: raw.execute(s, p).fetchall())
            ours_n, counted = best(repeat, lambda q=query: tx.contacts.count(q))
            theirs_n, raw_n = best(
                repeat, lambda s=count_sql, p=params: raw.execute(s, p).fetchone()
            )
            if not len(found) == len(rows) == counted == raw_n[0]:
                raise SystemExit(f"{name}: the store and the raw table disagree")
            results.append(
                {
                    "name": name,
                    "rows": len(found),
                    "select": (ours, theirs),
                    "count": (ours_n, theirs_n),
                }
            )
    raw.execute("COMMIT")
    return results


# --- iterating --------------------------------------------------------------------------


def iterate_peak(store: SQLiteStore) -> tuple[int, float, int]:
    """(rows, seconds, tracemalloc peak bytes) of one pass of ``iterate(batch_size=1000)``."""
    gc.collect()
    tracemalloc.start()
    began, seen = time.process_time(), 0
    with store.begin() as tx:
        for _ in tx.contacts.iterate(batch_size=1000):
            seen += 1
    elapsed = time.process_time() - began
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seen, elapsed, peak


def grow(store: SQLiteStore, factor: int) -> None:
    """Copy the table ``factor - 1`` times inside SQLite (new ids, ``doc`` rewritten)."""
    columns = [c.name for c in Plan.of("contacts", SQLITE).table.columns]
    picked = ", ".join(
        "id || ?" if c == "id" else "json_set(doc, '$.id', id || ?)" if c == "doc" else c
        for c in columns
    )
    originals = "FROM contacts WHERE id NOT LIKE '%-%'"
    sql = f"INSERT INTO contacts ({', '.join(columns)}) SELECT {picked} {originals}"
    with store.engine.begin() as connection:
        for copy in range(1, factor):
            connection.exec_driver_sql(sql, (f"-{copy}", f"-{copy}"))


# --- report -----------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    try:
        lines = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout  # noqa: S607
        model = next(
            line.split(":", 1)[1].strip()
            for line in lines.splitlines()
            if line.startswith("Model name")
        )
    except (OSError, subprocess.CalledProcessError, StopIteration):
        pass
    return f"{model} (`lscpu` model name), {os.cpu_count()} cores"


def report(args: argparse.Namespace, figures: dict[str, Any]) -> str:
    n, ours, theirs = args.rows, figures["insert"], figures["raw_insert"]
    logged = figures["raw_logged_insert"]
    ratio = theirs / ours
    per_turn = [r / s for s, r, _ in figures["turns"]]
    median = statistics.median(per_turn)  # turns ran side by side; best-of pairs did not
    lines = [
        "## Store (`benchmarks/store.py`)",
        "",
        f"- Date: {dt.datetime.now(UTC).date().isoformat()}",
        f"- Machine: {machine()}, shared with other jobs",
        f"- Software: Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        (
            f"- Command: `python benchmarks/store.py --rows {n} "
            f"--insert-repeat {args.insert_repeat}` (CPU time; queries best of {args.repeat})"
        ),
        "",
        f"{n:,} contacts (five languages, E.164 phones, tags, owner, birthday, a custom enum,",
        f"roll-ups) in {TRANSACTIONS} transactions. Raw: `sqlite3.executemany` of the very column",
        "values the store wrote, into a hand-written table with the same columns and indexes.",
        "",
        "| insert | rows/s | ratio to raw |",
        "|---|---:|---:|",
        f"| `tx.contacts.add_many` | {n / ours:,.0f} | {ratio:.2f}x |",
        f"| raw `executemany` | {n / theirs:,.0f} | 1.00x |",
        f"| raw + the same change-log rows | {n / logged:,.0f} | {theirs / logged:.2f}x |",
        "",
        f"Against the raw floor that also writes the change log: {logged / ours:.2f}x.",
        "",
        (
            "Each turn (store, raw, raw with the log, back to back) gave the store "
            f"{', '.join(f'{r:.2f}x' for r in per_turn)} of raw; median {median:.2f}x."
        ),
        "",
        "| query | rows | select ms (raw) | select ratio | count ms (raw) | count ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for q in figures["queries"]:
        (s, rs), (c, rc) = q["select"], q["count"]
        lines.append(
            f"| {q['name']} | {q['rows']:,} | {s * 1e3:.1f} ({rs * 1e3:.1f}) | {s / rs:.2f}x "
            f"| {c * 1e3:.1f} ({rc * 1e3:.1f}) | {c / rc:.2f}x |"
        )
    three = figures["queries"][-1]
    select_ratio = three["select"][0] / three["select"][1]
    count_ratio = three["count"][0] / three["count"][1]
    (n1, t1, p1), (n2, t2, p2) = figures["iterate"]
    lines += [
        "",
        "| `iterate(batch_size=1000)` | seconds | tracemalloc peak |",
        "|---|---:|---:|",
        f"| {n1:,} rows | {t1:.1f} | {p1 / 2**20:.1f} MiB |",
        f"| {n2:,} rows | {t2:.1f} | {p2 / 2**20:.1f} MiB |",
        "",
        "Goals:",
        f"- bulk insert >= 0.5x raw: {_met(median >= 0.5)} (median of the turns {median:.2f}x)",
        (
            f"- three-predicate query <= 1.5x hand-written SQL: select {select_ratio:.2f}x, "
            f"count {count_ratio:.2f}x ({_met(select_ratio <= 1.5)} for select, "
            f"{_met(count_ratio <= 1.5)} for count)"
        ),
        (
            f"- memory flat while iterating: peak {p2 / p1:.2f}x for {n2 // n1}x the rows "
            f"({_met(p2 <= 1.25 * p1)})"
        ),
        "",
    ]
    return "\n".join(lines)


def _met(goal: bool) -> str:  # noqa: FBT001
    return "met" if goal else "not met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="best of this many per query")
    parser.add_argument(
        "--insert-repeat",
        type=int,
        default=7,
        help="turns of inserts (store, raw, raw with the log); the goal is on their median",
    )
    parser.add_argument(
        "--grow", type=int, default=10, help="iterate again at this many times the rows"
    )
    parser.add_argument("--write", action="store_true", help="append to benchmarks/RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        figures = run(args, Path(folder))
    text = report(args, figures)
    print(text)
    if args.write:
        with (Path(__file__).parent / "RESULTS.md").open("a", encoding="utf-8") as results:
            results.write("\n" + text)


def run(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    contacts = people(args.rows)
    clock = Clock()
    store = SQLiteStore.from_url(
        f"sqlite:///{folder / 'store.sqlite'}", schemas=[SCHEMA], clock=clock
    )
    first = store_insert(store, clock, contacts)
    rows, changes = stored_rows(store), stored_changes(store)
    turns = []  # (store, raw, raw with the log) seconds, one turn each, back to back
    for turn in range(args.insert_repeat):  # each turn into new databases
        if turn == 0:
            ours = first
        else:
            again = SQLiteStore.from_url(
                f"sqlite:///{folder / f'store-{turn}.sqlite'}", schemas=[SCHEMA], clock=Clock()
            )
            ours = store_insert(again, Clock(), contacts)
            again.close()
        plain, logged = (raw_connection(folder / f"{kind}-{turn}.sqlite") for kind in "rl")
        turns.append((ours, raw_insert(plain, rows), raw_insert(logged, rows, changes)))
        plain.close()
        logged.close()
        print("turn {}: store {:,.0f}, raw {:,.0f}, raw + log {:,.0f} rows/s".format(
            turn, *(args.rows / seconds for seconds in turns[-1])
        ))  # fmt: skip
    figures: dict[str, Any] = {"turns": turns}
    best = [min(seconds) for seconds in zip(*turns, strict=True)]
    figures["insert"], figures["raw_insert"], figures["raw_logged_insert"] = best
    figures["rollups"] = add_visits(store, contacts)
    print(f"visits and roll-ups: {figures['rollups']:.1f} s")
    raw = raw_connection(folder / "raw-queries.sqlite")
    raw_insert(raw, stored_rows(store))  # the same rows, roll-ups included, for the queries
    clock.now = NOW  # "within 7 days" and "older than 90 days" count from here
    figures["queries"] = compare_queries(store, raw, args.repeat)
    small = iterate_peak(store)
    grow(store, args.grow)
    figures["iterate"] = [small, iterate_peak(store)]
    store.close()
    raw.close()
    return figures


if __name__ == "__main__":
    main()
