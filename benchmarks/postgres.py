"""PostgresStore's add_many against a raw psycopg COPY of the very same rows.

    python benchmarks/postgres.py --url postgresql+psycopg://u:p@localhost/db --rows 100000
    python benchmarks/postgres.py --url ... --rows 10000000 --turns 1 --sides ours

The database at ``--url`` is the benchmark's own: its schema ``public`` is dropped and
made again before each turn.

Contacts (the shape of ``benchmarks/store.py``'s: five languages, E.164 phones, tags,
an owner, a birthday, a custom enum) are made ``--chunk`` at a time, one transaction
each, so any number of rows runs in the memory of one chunk. For each chunk, outside
the timing, the row tuples the store writes are worked out too (``Plan.added``, the
function the store itself calls), and then each side writes the chunk in one
transaction of its own, back to back, the order turning from chunk to chunk:

- ours: ``tx.contacts.add_many(chunk)``, the whole public path (stamps, validation,
  the change log, roll-up bookkeeping, the advisory lock that numbers the log);
- raw: psycopg's ``COPY contacts_raw (...) FROM STDIN`` of those row tuples, into a
  table made by ``CREATE TABLE contacts_raw (LIKE contacts INCLUDING ALL)``: the same
  columns, types, defaults and indexes, whatever the layout of the day;
- raw + log: the same, plus a COPY of the change-log rows ours writes, in the same
  transaction, into a copy of ``changes``: the floor for a loader that keeps the log.

Both clocks are read: CPU time of this process (``process_time``) and wall clock
(``perf_counter``). Most of PostgreSQL's work happens in the server's own process,
which this process's CPU time does not see, so the goal is judged on wall clock: the
median over the turns of each turn's rows/s ours / rows/s raw. Sizes are
``pg_total_relation_size`` (table, indexes and TOAST) after the last turn.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import psycopg
import sqlalchemy as sa

from custdb.model import Contact, Email, Phone
from custdb.storage._dialect import POSTGRES
from custdb.storage._rows import Plan
from custdb.storage.postgres import PostgresStore
from store import NAMES, PREFIX, SCHEMA, STAGES  # the contacts benchmarks/store.py makes

UTC = dt.timezone.utc
START = dt.datetime(2026, 10, 1, 9, tzinfo=UTC)
SIDES = ("ours", "raw", "raw_log")
LOG_COLUMNS = ("entity", "record_id", "op", "before", "after", "actor", "at", "cause")
ACTOR = "bench"
TABLES = {"ours": ("contacts", "changes"), "raw": ("contacts_raw",)}  # each side's
TABLES["raw_log"] = ("contacts_rawlog", "changes_raw")


class Clock:
    """The store's clock: one instant per chunk, so the raw rows can be made alike."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


def chunks(rows: int, size: int, seed: int = 2026) -> Iterator[list[Contact]]:
    """``rows`` contacts, ``size`` at a time, the same for the same seed (ids aside)."""
    rng = random.Random(seed)
    for start in range(0, rows, size):
        yield [_person(rng, i) for i in range(start, min(start + size, rows))]


def _person(rng: random.Random, i: int) -> Contact:
    lang = rng.choice(list(NAMES))
    return Contact(
        first_name=rng.choice(NAMES[lang][0]),
        last_name=rng.choice(NAMES[lang][1]),
        emails=(Email(f"user{i}@example.{lang}"),),
        phones=(Phone(f"{PREFIX[lang]}{i:07d}"),),
        tags=frozenset(rng.sample(["VIP", "Москва", "newsletter", "B2B"], rng.randint(0, 2))),
        owner_ids=(f"u{rng.randint(1, 20)}",),
        birthday=dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 20_000)),
        lifecycle_stage=rng.choice(STAGES),
        language=lang,
        custom={"segment": rng.choice(["gold", "silver"])},
    )


# --- the sides --------------------------------------------------------------------------


class Timer:
    """CPU and wall seconds, summed over the timed blocks."""

    def __init__(self) -> None:
        self.cpu = self.wall = 0.0

    def time(self, run: Callable[[], Any]) -> None:
        cpu, wall = time.process_time(), time.perf_counter()
        run()
        self.cpu += time.process_time() - cpu
        self.wall += time.perf_counter() - wall


def copy(cursor: psycopg.Cursor[Any], table: str, columns: Sequence[str], rows: Any) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as stream:
        for row in rows:
            stream.write_row(row)


def raw_writer(raw: psycopg.Connection[Any], columns: Sequence[str], *, log: bool) -> Callable:
    """One chunk's rows (and, with ``log``, its change-log rows) in one transaction."""
    table = "contacts_rawlog" if log else "contacts_raw"

    def write(rows: list[tuple[Any, ...]], now: dt.datetime) -> None:
        with raw.transaction(), raw.cursor() as cursor:
            copy(cursor, table, columns, rows)
            if log:
                changes = (("contact", r[0], "add", "{}", r[-1], ACTOR, now, None) for r in rows)
                copy(cursor, "changes_raw", LOG_COLUMNS, changes)

    return write


def prepare(url: str) -> tuple[PostgresStore, Clock, psycopg.Connection[Any]]:
    """A new, empty base (the store's tables, and the raw ones made like them)."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    clock = Clock()
    store = PostgresStore.from_url(url, schemas=[SCHEMA], clock=clock, users="external")
    raw = psycopg.connect(_conninfo(url), autocommit=True)
    for table, like in (("contacts_raw", "contacts"), ("contacts_rawlog", "contacts")):
        raw.execute(f"CREATE TABLE {table} (LIKE {like} INCLUDING ALL)")
    raw.execute("CREATE TABLE changes_raw (LIKE changes INCLUDING ALL)")  # shares the sequence
    return store, clock, raw


def _conninfo(url: str) -> str:
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def turn(args: argparse.Namespace) -> dict[str, Any]:
    """One run of every side over ``--rows`` contacts into a new base: seconds and sizes."""
    store, clock, raw = prepare(args.url)
    plan, timers = Plan.of("contacts", POSTGRES), {side: Timer() for side in args.sides}
    writers = {
        "raw": raw_writer(raw, plan.columns, log=False),
        "raw_log": raw_writer(raw, plan.columns, log=True),
    }
    for number, contacts in enumerate(chunks(args.rows, args.chunk)):
        clock.now = now = START + dt.timedelta(seconds=number)
        rows = [plan.added(c, SCHEMA.validate(c.custom), now) for c in contacts]
        shift = number % len(args.sides)
        for side in args.sides[shift:] + args.sides[:shift]:
            if side == "ours":
                timers[side].time(lambda c=contacts: _add(store, c))
            else:
                timers[side].time(lambda w=writers[side], r=rows, t=now: w(r, t))
    sizes = _sizes(raw)
    store.close()
    raw.close()
    return {"timers": timers, "sizes": sizes}


def _add(store: PostgresStore, contacts: list[Contact]) -> None:
    with store.begin(actor=ACTOR) as tx:
        tx.contacts.add_many(contacts)


def _sizes(raw: psycopg.Connection[Any]) -> dict[str, int]:
    query = "SELECT pg_total_relation_size(%s)"
    return {t: raw.execute(query, (t,)).fetchone()[0] for side in TABLES.values() for t in side}


# --- report -----------------------------------------------------------------------------


def report(args: argparse.Namespace, turns: list[dict[str, Any]]) -> str:
    n = args.rows
    lines = [
        (
            f"{n:,} contacts in transactions of {args.chunk:,}, {len(turns)} turn(s); "
            "rows/s is the median over the turns"
        ),
        "",
        "| side | rows/s (wall) | rows/s (CPU of this process) | ratio ours/side (wall) |",
        "|---|---:|---:|---:|",
    ]
    for side in args.sides:
        wall = statistics.median(n / t["timers"][side].wall for t in turns)
        cpu = statistics.median(n / t["timers"][side].cpu for t in turns)
        ratio = ""
        if "ours" in args.sides and side != "ours":
            ratio = f"{_median_ratio(turns, side):.2f}x"
        lines.append(f"| {side} | {wall:,.0f} | {cpu:,.0f} | {ratio} |")
    sizes = turns[-1]["sizes"]
    lines += ["", "| table | bytes per contact (pg_total_relation_size / rows) |", "|---|---:|"]
    lines += [
        f"| {table} | {sizes[table] / n:,.0f} |" for side in args.sides for table in TABLES[side]
    ]
    if "ours" in args.sides and "raw" in args.sides:
        met = "met" if _median_ratio(turns, "raw") >= 0.5 else "not met"
        lines += ["", f"Goal ours >= 0.5x raw COPY (wall clock): {met}."]
    return "\n".join(lines)


def _median_ratio(turns: list[dict[str, Any]], side: str) -> float:
    """Median over the turns of rows/s ours / rows/s ``side`` (wall clock)."""
    return statistics.median(t["timers"][side].wall / t["timers"]["ours"].wall for t in turns)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="a database for the benchmark alone")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=5_000, help="contacts per transaction")
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument(
        "--sides",
        type=lambda text: tuple(text.split(",")),
        default=SIDES,
        help=f"which of {','.join(SIDES)} to run (default all)",
    )
    args = parser.parse_args()
    if not set(args.sides) <= set(SIDES):
        parser.error(f"--sides takes some of {','.join(SIDES)}")
    turns = []
    for number in range(args.turns):
        turns.append(turn(args))
        figures = ", ".join(
            f"{side} {args.rows / timer.wall:,.0f} rows/s wall ({timer.cpu:.1f} s CPU)"
            for side, timer in turns[-1]["timers"].items()
        )
        print(f"turn {number}: {figures}", flush=True)
    print(report(args, turns))


if __name__ == "__main__":
    main()
