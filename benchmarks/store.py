"""SQLiteStore against hand-written sqlite3 on the same rows, line by line of the goals.

    python benchmarks/store.py                    # 100 000 contacts, 3 turns
    python benchmarks/store.py --rows 1000000     # the contacts lines at a million
    python benchmarks/store.py --orders           # and the orders lines: 10 orders a contact
    python benchmarks/store.py --only iterate,query --rows 20000 --repeat 2
    python benchmarks/store.py --write            # append the table to benchmarks/RESULTS.md

Every line is timed in CPU time of this process (``time.process_time``: other jobs on a
shared machine disturb it less than the wall clock) in ``--repeat`` turns; a turn runs
custdb then raw sqlite3 back to back, so its ratio compares two runs made under the same
load, and a line's goal is judged on the median of its turns' ratios.

The raw side is the floor the database itself sets. Its tables are the store's own: the
DDL is read from a store's ``sqlite_master``, so it follows every layout change (columns,
indexes, key columns). Its rows are the very column values the store wrote, read back
from the store's file (never hand-copied); writing them, the raw side serializes its JSON
columns (orjson) as a hand-written loader would, from values decoded outside the timing.
It uses the store's pragmas (WAL, synchronous NORMAL) and the same number of transactions.
Large bases are built once and read by every turn of the read lines.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gc
import itertools
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite as sqlite_dialect

from custdb.model import Contact, Email, Money, Order, OrderItem, Phone, User
from custdb.model.schema import FieldDef, FieldType, Schema
from custdb.query import F
from custdb.storage._dialect import SQLITE, utc_text
from custdb.storage._rows import Plan
from custdb.storage._tables import TABLES
from custdb.storage.sqlite import SQLiteStore

UTC = dt.timezone.utc
START = dt.datetime(2026, 10, 1, 9, tzinfo=UTC)
NOW = dt.datetime(2026, 11, 23, 12, tzinfo=UTC)
TRANSACTIONS = 20
CHUNK = 50_000  # rows the raw side builds at a time inside one transaction
SELECT_LIMIT = 50_000  # "select() of ~50k rows": a quarter of the contacts are VIP
MUELLER = 0.002  # share of contacts named Müller: the substring scan finds a few
OWNERS = 20
FIVE = ["first_name", "last_name", "email", "total_spent", "birthday"]
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


class Clock:
    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


# --- the records ------------------------------------------------------------------------


def drafts(count: int, seed: int = 2026) -> Iterator[dict[str, Any]]:
    """``count`` contacts in five languages as plain values (what an import file holds),
    the same for the same seed: the draws are made outside every timing."""
    rng = random.Random(seed)
    for i in range(count):
        lang = rng.choice(list(NAMES))
        last = "Müller" if rng.random() < MUELLER else rng.choice(NAMES[lang][1])
        yield {
            "first_name": rng.choice(NAMES[lang][0]),
            "last_name": last,
            "email": f"user{i}@example.{lang}",
            "phone": f"{PREFIX[lang]}{i:07d}",
            "tags": rng.sample(["VIP", "Москва", "newsletter", "B2B"], rng.randint(0, 2)),
            "owner": f"u{rng.randint(1, OWNERS)}",
            "birthday": dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 20_000)),
            "stage": rng.choice(STAGES),
            "language": lang,
            "segment": rng.choice(["gold", "silver"]),
        }


def contact(draft: dict[str, Any]) -> Contact:
    """The entity of a draft: what custdb's side builds inside its timing."""
    return Contact(
        first_name=draft["first_name"],
        last_name=draft["last_name"],
        emails=(Email(draft["email"]),),
        phones=(Phone(draft["phone"]),),
        tags=frozenset(draft["tags"]),
        owner_ids=(draft["owner"],),
        birthday=draft["birthday"],
        lifecycle_stage=draft["stage"],
        language=draft["language"],
        custom={"segment": draft["segment"]},
    )


def order_stream(contact_ids: list[str], count: int, seed: int = 7) -> Iterator[Order]:
    """``count`` visits and purchases of random contacts, one in twenty cancelled."""
    rng = random.Random(seed)
    for _ in range(count):
        yield Order(
            contact_id=contact_ids[rng.randrange(len(contact_ids))],
            placed_at=NOW - dt.timedelta(days=rng.randint(1, 720), minutes=rng.randint(0, 600)),
            kind=rng.choice(["visit", "purchase"]),
            status="cancelled" if rng.random() < 0.05 else "completed",
            currency="RUB",
            items=(
                OrderItem(
                    name="Стрижка", amount=Money(Decimal(rng.randint(100, 500_000)) / 100, "RUB")
                ),
            ),
        )


def slices(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    source = iter(items)
    while batch := list(itertools.islice(source, size)):
        yield batch


def per_transaction(count: int) -> int:
    return -(-count // TRANSACTIONS)


# --- the two sides' databases -----------------------------------------------------------


def open_store(path: Path, clock: Clock | None = None) -> SQLiteStore:
    return SQLiteStore.from_url(f"sqlite:///{path}", schemas=[SCHEMA], clock=clock or Clock())


def new_store(path: Path, clock: Clock | None = None) -> SQLiteStore:
    """A new store holding the staff that contacts are owned by (``u1``...``u20``)."""
    store = open_store(path, clock)
    with store.begin(actor="bench") as tx:
        tx.users.add_many(User(id=f"u{i}", name=f"Staff {i}") for i in range(1, OWNERS + 1))
    return store


@dataclass(frozen=True)
class Layout:
    """One table as a new store's file has it: what the raw side copies."""

    ddl: tuple[str, ...]  # CREATE TABLE, then CREATE INDEX
    json: tuple[bool, ...]  # per column, in order: whether it is declared JSON


@functools.cache
def layout(table: str) -> Layout:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "layout.sqlite"
        open_store(path).close()
        with contextlib.closing(sqlite3.connect(path)) as connection:
            ddl = connection.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('table', 'index')"
                " AND sql IS NOT NULL ORDER BY type DESC",
                (table,),
            )
            columns = connection.execute(f"PRAGMA table_info({table})")
            return Layout(
                tuple(sql for (sql,) in ddl), tuple(kind == "JSON" for _, _, kind, *_ in columns)
            )


def raw_open(path: Path, tables: tuple[str, ...] = ()) -> sqlite3.Connection:
    """A raw connection with the store's pragmas, creating ``tables`` as the store does."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    for table in tables:
        for sql in layout(table).ddl:
            connection.execute(sql)
    return connection


def copy_table(source: Path, target: sqlite3.Connection, table: str) -> None:
    """Every row of ``source``'s ``table`` into ``target``'s, copied inside SQLite."""
    target.execute("ATTACH DATABASE ? AS source", (str(source),))
    target.execute("BEGIN IMMEDIATE")
    target.execute(f"INSERT INTO main.{table} SELECT * FROM source.{table}")
    target.execute("COMMIT")
    target.execute("DETACH DATABASE source")


def settled_size(path: Path) -> int:
    """The file's bytes with its write-ahead log checkpointed into it."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size


def copied(source: Path, target: Path) -> Path:
    settled_size(source)
    shutil.copyfile(source, target)
    return target


def stored_rows(
    path: Path, table: str, size: int, where: str = "1"
) -> Iterator[list[tuple[Any, ...]]]:
    """The rows the store wrote into ``table``, in the order it wrote them, ``size`` at a time."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        cursor = connection.execute(f"SELECT * FROM {table} WHERE {where} ORDER BY rowid")
        while batch := cursor.fetchmany(size):
            yield batch


class RawRows:
    """A hand-written loader's rows for one table: each row's tuple made from its values,
    JSON columns serialized with orjson, one expression per column (generated once)."""

    def __init__(self, table: str) -> None:
        self.json = layout(table).json
        terms = [
            f"(None if (v := r[{i}]) is None else dumps(v).decode())" if is_json else f"r[{i}]"
            for i, is_json in enumerate(self.json)
        ]
        self.build: Callable[[tuple[Any, ...]], tuple[Any, ...]] = eval(  # noqa: S307 - our own text
            f"lambda r: ({', '.join(terms)},)", {"dumps": orjson.dumps}
        )
        self.insert = f"INSERT INTO {table} VALUES ({', '.join('?' * len(self.json))})"

    def write(
        self, connection: sqlite3.Connection, values: list[tuple[Any, ...]]
    ) -> list[tuple[Any, ...]]:
        """Build the rows of ``values`` and insert them; the rows built."""
        built = [self.build(v) for v in values]
        connection.executemany(self.insert, built)
        return built

    def values(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """The rows with their JSON columns decoded: the loader's input, made untimed."""
        return [
            tuple(
                orjson.loads(v) if is_json and v is not None else v
                for v, is_json in zip(row, self.json, strict=True)
            )
            for row in rows
        ]


Chunks = Iterable[list[tuple[Any, ...]]]


def raw_write(
    connection: sqlite3.Connection,
    transactions: Iterable[tuple[Chunks, Chunks]],
    rows: RawRows,
    *,
    after: str | None = None,
) -> float:
    """CPU seconds to build and insert stored rows: each transaction's chunks of rows and
    of change-log rows (then the statement ``after``, if given). The rows are decoded
    before and checked against the stored ones after each chunk's timing."""
    elapsed, log_rows = 0.0, RawRows("changes")
    for chunks, logs in transactions:
        elapsed += cpu(lambda: connection.execute("BEGIN IMMEDIATE"))[0]
        parts = itertools.chain(((rows, c) for c in chunks), ((log_rows, c) for c in logs))
        for kind, stored in parts:  # a chunk at a time: the rows are never all in memory
            values = kind.values(stored)
            spent, built = cpu(lambda kind=kind, values=values: kind.write(connection, values))
            elapsed += spent
            if built != stored:
                raise SystemExit(f"raw rows of {kind.insert.split()[2]} differ from the store's")

        def finish() -> None:
            if after is not None:
                connection.execute(after)
            connection.execute("COMMIT")

        elapsed += cpu(finish)[0]
    return elapsed


def cpu(run: Callable[[], Any], runs: int = 1) -> tuple[float, Any]:
    """(best CPU seconds of ``runs`` calls, the last call's result)."""
    times, result = [], None
    for _ in range(runs):
        gc.collect()
        began = time.process_time()
        result = run()
        times.append(time.process_time() - began)
    return min(times), result


# Roll-ups the raw way: one GROUP BY over the orders, one UPDATE of the contacts' roll-up
# columns. ``total`` holds the store's decimal key, read here as a number in SQL.
_AMOUNT = (
    "CASE WHEN total = '1' THEN 0 ELSE CAST('0.' || substr(total, 6) AS REAL)"
    " * power(10, CAST(substr(total, 2, 4) AS INTEGER) - 4999) END"
)
RAW_ROLLUPS = f"""
UPDATE contacts SET total_spent = g.spent, order_count = g.orders, visit_count = g.visits,
  first_order_on = g.first_on, last_order_on = g.last_on, last_visit_at = g.last_visit,
  stats = json_object('total_spent', g.spent, 'order_count', g.orders,
    'visit_count', g.visits, 'first_order_on', g.first_on, 'last_order_on', g.last_on,
    'last_visit_at', g.last_visit)
FROM (
  SELECT contact_id, printf('%.2f', sum({_AMOUNT})) AS spent, count(*) AS orders,
    sum(kind = 'visit') AS visits, min(substr(placed_at, 1, 10)) AS first_on,
    max(substr(placed_at, 1, 10)) AS last_on,
    max(CASE WHEN kind = 'visit' THEN placed_at END) AS last_visit
  FROM orders WHERE status = 'completed' GROUP BY contact_id
) AS g
WHERE contacts.id = g.contact_id
"""


def raw_rollups(connection: sqlite3.Connection) -> float:
    def run() -> None:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(RAW_ROLLUPS)
        connection.execute("COMMIT")

    return cpu(run)[0]


# --- what the lines share: bases built once, turns shared by two lines -------------------


@dataclass
class InsertTurn:
    ours: float
    raw: float
    raw_logged: float
    ours_bytes: int
    raw_bytes: int
    raw_logged_bytes: int


@dataclass
class OrderTurn:
    one: float  # custdb, all the orders in one transaction
    raw: float
    twenty: float  # custdb, the same orders in TRANSACTIONS transactions


class Bench:
    """The run's arguments, its folder and what several lines use, made on first use."""

    def __init__(self, args: argparse.Namespace, folder: Path) -> None:
        self.args, self.folder = args, folder
        self.rows, self.repeat = args.rows, args.repeat
        self.order_count = args.orders or 0
        self._contact_files: tuple[Path, Path] | None = None

    def path(self, name: str) -> Path:
        return self.folder / f"{name}.sqlite"

    @functools.cached_property
    def insert_turns(self) -> list[InsertTurn]:
        """Each turn: custdb, raw, raw with the change log, each into a new database; the
        last turn's custdb and raw files become the contacts base of the read lines."""
        turns = []
        for turn in range(self.repeat):
            ours_path, raw_path, logged_path = (
                self.path(f"{side}-{turn}") for side in ("ours", "raw", "logged")
            )
            ours = ours_contacts(ours_path, self.rows)
            raw = raw_contacts(raw_path, ours_path, log=False)
            logged = raw_contacts(logged_path, ours_path, log=True)
            sizes = (settled_size(p) for p in (ours_path, raw_path, logged_path))
            turns.append(InsertTurn(ours, raw, logged, *sizes))
            progress(f"insert turn {turn}: custdb {ours:.1f} s, raw {raw:.1f} s")
            remove(logged_path)
            if self._contact_files is not None:
                remove(*self._contact_files)
            self._contact_files = ours_path, raw_path
        return turns

    @property
    def contact_files(self) -> tuple[Path, Path]:
        """The store with ``rows`` contacts, and the raw copy of its table."""
        if self._contact_files is None:
            ours = self.path("contacts")
            ours_contacts(ours, self.rows)
            raw = raw_open(self.path("contacts-raw"), ("contacts",))
            copy_table(ours, raw, "contacts")
            raw.close()
            self._contact_files = ours, self.path("contacts-raw")
        return self._contact_files

    @functools.cached_property
    def order_base(self) -> tuple[Path, Path, list[str]]:
        """A store with a tenth as many contacts as orders and no orders, its raw copy,
        and the contacts' ids."""
        ours, raw_path = self.path("order-base"), self.path("order-base-raw")
        ours_contacts(ours, max(1, self.order_count // 10))
        raw = raw_open(raw_path, ("contacts", "orders"))
        copy_table(ours, raw, "contacts")
        ids = [id_ for (id_,) in raw.execute("SELECT id FROM contacts ORDER BY rowid")]
        raw.close()
        return ours, raw_path, ids

    @functools.cached_property
    def orders(self) -> list[Order]:
        return list(order_stream(self.order_base[2], self.order_count))

    @functools.cached_property
    def order_turns(self) -> list[OrderTurn]:
        """Each turn: custdb in one transaction, raw, custdb in twenty; the last turn's
        one-transaction and raw files are kept for ``rebuild_rollups``."""
        turns = []
        for turn in range(self.repeat):
            one_path = copied(self.order_base[0], self.path(f"orders-one-{turn}"))
            raw_path = copied(self.order_base[1], self.path(f"orders-raw-{turn}"))
            twenty_path = copied(self.order_base[0], self.path(f"orders-twenty-{turn}"))
            one = ours_orders(one_path, self.orders, transactions=1)
            raw = raw_orders(raw_path, one_path)
            twenty = ours_orders(twenty_path, self.orders, transactions=TRANSACTIONS)
            turns.append(OrderTurn(one, raw, twenty))
            progress(
                f"orders turn {turn}: custdb {one:.1f} s ({twenty:.1f} s in 20), raw {raw:.1f} s"
            )
            remove(twenty_path)
            if turn:
                remove(self.path(f"orders-one-{turn - 1}"), self.path(f"orders-raw-{turn - 1}"))
        return turns

    @property
    def order_files(self) -> tuple[Path, Path]:
        """The store and the raw base holding the orders (from the last order turn)."""
        last = len(self.order_turns) - 1
        return self.path(f"orders-one-{last}"), self.path(f"orders-raw-{last}")


def remove(*paths: Path) -> None:
    for path in paths:
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def ours_contacts(path: Path, count: int) -> float:
    """CPU seconds to build ``count`` contacts and add them in TRANSACTIONS transactions,
    a day apart on the store's clock (the draws are made outside the timing)."""
    clock = Clock()
    store = new_store(path, clock)
    elapsed = 0.0
    for batch in slices(drafts(count), per_transaction(count)):
        gc.collect()
        began = time.process_time()
        with store.begin(actor="bench") as tx:
            tx.contacts.add_many(contact(draft) for draft in batch)
        elapsed += time.process_time() - began
        clock.now += dt.timedelta(days=1)
    store.close()
    return elapsed


def raw_contacts(path: Path, stored: Path, *, log: bool) -> float:
    """CPU seconds to build and insert the rows custdb wrote into ``stored``, in as many
    transactions; with ``log``, the change-log rows it wrote for them too."""
    tables = ("contacts", "changes") if log else ("contacts",)
    connection = raw_open(path, tables)
    with contextlib.closing(sqlite3.connect(stored)) as source:
        size = per_transaction(source.execute("SELECT count(*) FROM contacts").fetchone()[0])
    batches = stored_rows(stored, "contacts", size)
    logs = stored_rows(stored, "changes", size, "entity = 'contact' AND op = 'add'")
    transactions = (([batch], [next(logs)] if log else []) for batch in batches)
    elapsed = raw_write(connection, transactions, RawRows("contacts"))
    connection.close()
    return elapsed


def ours_orders(path: Path, orders: list[Order], *, transactions: int) -> float:
    """CPU seconds to add ``orders`` (built beforehand) in ``transactions`` transactions,
    each keeping its contacts' roll-ups at commit."""
    store = open_store(path, Clock(NOW))
    elapsed = 0.0
    for batch in slices(orders, -(-len(orders) // transactions)):
        gc.collect()
        began = time.process_time()
        with store.begin(actor="bench") as tx:
            tx.orders.add_many(batch)
        elapsed += time.process_time() - began
    store.close()
    return elapsed


def raw_orders(path: Path, stored: Path) -> float:
    """CPU seconds to insert the orders custdb wrote into ``stored`` and update the roll-up
    columns with one GROUP BY, in one transaction."""
    connection = raw_open(path)
    one = (stored_rows(stored, "orders", CHUNK), [])
    elapsed = raw_write(connection, [one], RawRows("orders"), after=RAW_ROLLUPS)
    connection.close()
    return elapsed


# --- the lines --------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    work: str
    ours: str
    raw: str
    ratio: float | None
    turns: tuple[float, ...]
    goal: str
    met: bool | None  # None: reported, no goal


def compared(
    work: str,
    pairs: Iterable[tuple[float, float]],
    *,
    limit: float | None,
) -> Line:
    """A line from (custdb, raw) seconds of each turn: medians, and the median ratio."""
    pairs = list(pairs)
    ratios = tuple(ours / raw for ours, raw in pairs)
    ratio = statistics.median(ratios)
    return Line(
        work,
        seconds(statistics.median(o for o, _ in pairs)),
        seconds(statistics.median(r for _, r in pairs)),
        ratio,
        ratios,
        "report" if limit is None else f"<= {limit:g}x",
        None if limit is None else ratio <= limit,
    )


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value >= 1 else f"{value * 1e3:.1f} ms"


def megabytes(value: float) -> str:
    return f"{value / 1e6:,.1f} MB"


def line_insert(bench: Bench) -> list[Line]:
    n = bench.rows
    turns = bench.insert_turns
    return [
        compared(
            f"build + add_many {n:,} contacts ({TRANSACTIONS} transactions)",
            ((t.ours, t.raw) for t in turns),
            limit=3,
        ),
        compared(
            "the same, against raw writing the change log too",
            ((t.ours, t.raw_logged) for t in turns),
            limit=None,
        ),
    ]


def line_size(bench: Bench) -> list[Line]:
    last = bench.insert_turns[-1]
    n = bench.rows
    return [
        Line(
            f"file size, {n:,} contacts",
            f"{megabytes(last.ours_bytes)} ({last.ours_bytes / n:,.0f} B/contact)",
            f"{megabytes(last.raw_bytes)} (with the change log {megabytes(last.raw_logged_bytes)})",
            last.ours_bytes / last.raw_bytes,
            (),
            "<= 1.5x",
            last.ours_bytes / last.raw_bytes <= 1.5,
        )
    ]


def line_orders(bench: Bench) -> list[Line]:
    m, n = bench.order_count, len(bench.order_base[2])
    return [
        compared(
            f"add_many {m:,} orders for {n:,} contacts, roll-ups kept, one transaction",
            ((t.one, t.raw) for t in bench.order_turns),
            limit=2,
        )
    ]


def line_orders_tx(bench: Bench) -> list[Line]:
    line = compared(
        f"the same orders in {TRANSACTIONS} transactions (custdb) vs one (custdb)",
        ((t.twenty, t.one) for t in bench.order_turns),
        limit=1.2,
    )
    return [line]


def read_sql(where: str = "", tail: str = "ORDER BY id") -> str:
    """The raw side of a select: the columns the store reads a record from."""
    head = str(
        sa.select(*Plan.of("contacts", SQLITE).read).compile(dialect=sqlite_dialect.dialect())
    )
    return f"{head} {f'WHERE {where}' if where else ''} {tail}"


def read_turns(
    bench: Bench,
    ours: Callable[[Any], Any],
    raws: list[Callable[[sqlite3.Connection], Any]],
    *,
    runs: int = 1,
    same: Callable[[Any, Any], bool] = lambda a, b: a == b,
) -> list[tuple[float, ...]]:
    """Turns of one read on the contacts base: custdb, then each raw variant, each inside
    an open transaction (the read is what is timed); results must agree."""
    store_path, raw_path = bench.contact_files
    store, raw = open_store(store_path, Clock(NOW)), raw_open(raw_path)
    turns = []
    for _ in range(bench.repeat):
        with store.begin() as tx:
            ours_time, found = cpu(lambda tx=tx: ours(tx), runs)
        times = [ours_time]
        for side in raws:
            raw.execute("BEGIN")
            raw_time, expected = cpu(lambda side=side: side(raw), runs)
            raw.execute("COMMIT")
            if not same(found, expected):
                raise SystemExit(
                    f"custdb and raw sqlite3 disagree: {found!r:.80} vs {expected!r:.80}"
                )
            times.append(raw_time)
        turns.append(tuple(times))
    store.close()
    raw.close()
    return turns


def line_iterate(bench: Bench) -> list[Line]:
    json_at = [
        i
        for i, name in enumerate(
            sa.select(*Plan.of("contacts", SQLITE).read).selected_columns.keys()
        )
        if isinstance(TABLES["contacts"].c[name].type, sa.JSON)
    ]
    sql = read_sql()

    def ours(tx: Any) -> int:
        return sum(1 for _ in tx.contacts.iterate())

    def tuples(raw: sqlite3.Connection) -> int:
        return sum(1 for _ in raw.execute(sql))

    def parsed(raw: sqlite3.Connection) -> int:
        loads, seen = orjson.loads, 0
        for row in raw.execute(sql):
            _ = [None if row[i] is None else loads(row[i]) for i in json_at]
            seen += 1
        return seen

    turns = read_turns(bench, ours, [tuples, parsed])
    n = bench.rows
    return [
        compared(
            f"iterate() over {n:,} contacts, vs raw tuples",
            ((t[0], t[1]) for t in turns),
            limit=None,
        ),
        compared(
            f"iterate() over {n:,} contacts, vs tuples + JSON parse",
            ((t[0], t[2]) for t in turns),
            limit=3,
        ),
    ]


def line_select(bench: Bench) -> list[Line]:
    sql = read_sql(
        "EXISTS (SELECT 1 FROM json_each(tags) WHERE value = 'VIP')",
        f"ORDER BY id LIMIT {SELECT_LIMIT}",
    )
    found: list[int] = []

    def ours(tx: Any) -> int:
        found.append(len(tx.contacts.select(F("tags").contains("VIP"), limit=SELECT_LIMIT)))
        return found[-1]

    turns = read_turns(bench, ours, [lambda raw: len(raw.execute(sql).fetchall())])
    return [compared(f"select() of {found[-1]:,} rows (tags contains VIP)", turns, limit=None)]


def count_and_select(
    bench: Bench,
    query: Any,
    where: str,
    params: tuple[Any, ...],
    *,
    tail: str = "ORDER BY id",
    runs: int = 1,
    **select: Any,
) -> tuple[list[tuple[float, ...]], list[tuple[float, ...]]]:
    """Turns of ``count(query)`` and of ``select(query, **select)`` (their ids), against
    the hand-written ``where`` with bound ``params`` (and ``tail`` for the select)."""
    count_sql, select_sql = f"SELECT count(*) FROM contacts WHERE {where}", read_sql(where, tail)
    counts = read_turns(
        bench,
        lambda tx: tx.contacts.count(query),
        [lambda raw: raw.execute(count_sql, params).fetchone()[0]],
        runs=runs,
    )
    selects = read_turns(
        bench,
        lambda tx: [c.id for c in tx.contacts.select(query, **select)],
        [lambda raw: [row[-1] for row in raw.execute(select_sql, params)]],
        runs=runs,
    )
    return counts, selects


def line_contains(bench: Bench) -> list[Line]:
    counts, selects = count_and_select(
        bench, F("last_name").contains("müll"), "instr(lower(last_name), ?) > 0", ("müll",)
    )
    n = bench.rows
    return [
        compared(f'count() of last_name contains "müll" over {n:,}', counts, limit=1.2),
        compared(f'select() of last_name contains "müll" over {n:,}', selects, limit=1.2),
    ]


def line_columns(bench: Bench) -> list[Line]:
    work = f"select_columns of five columns over {bench.rows:,}"
    sql = f"SELECT {', '.join(FIVE)} FROM contacts ORDER BY id"
    turns = read_turns(
        bench,
        lambda tx: tx.contacts.select_columns(FIVE, form="tuples"),
        [lambda raw: raw.execute(sql).fetchall()],
        same=lambda a, b: len(a) == len(b),
    )
    return [compared(work, turns, limit=1.5)]


def line_query(bench: Bench) -> list[Line]:
    start = START + dt.timedelta(days=3)
    end = start + dt.timedelta(days=2)
    query = (
        F("owner_ids").contains("u7")
        & (F("lifecycle_stage") == "customer")
        & F("created_at").between(start, end)
    )
    where = (
        "EXISTS (SELECT 1 FROM json_each(owner_ids) WHERE value = ?)"
        " AND lifecycle_stage = ? AND created_at >= ? AND created_at <= ?"
    )
    counts, selects = count_and_select(
        bench,
        query,
        where,
        ("u7", "customer", utc_text(start), utc_text(end)),
        tail="ORDER BY created_at DESC, id LIMIT 20",
        runs=5,
        order_by="-created_at",
        limit=20,
    )
    return [
        compared("owner + stage + created_at: count(), best of 5 a turn", counts, limit=1.5),
        compared("the same: select(order_by=-created_at, limit=20)", selects, limit=1.5),
    ]


# Every contact's roll-ups as a new contact's, so a rebuild has every row to rewrite.
RESET_ROLLUPS = """
UPDATE contacts SET stats = '{}', total_spent = '1', order_count = 0, visit_count = 0,
  first_order_on = NULL, last_order_on = NULL, last_visit_at = NULL
"""


def line_rebuild(bench: Bench) -> list[Line]:
    """The rebuild of figures kept up to date (it reads them and rewrites none), and of
    figures all reset beforehand (outside the timing: every row is rewritten)."""
    ours_path, raw_path = bench.order_files
    store, raw = open_store(ours_path, Clock(NOW)), raw_open(raw_path)
    kept, reset = [], []
    for _ in range(bench.repeat):
        ours = cpu(store.rebuild_rollups)[0]
        kept.append((ours, raw_rollups(raw)))
    for _ in range(bench.repeat):
        with contextlib.closing(raw_open(ours_path)) as connection:
            connection.executescript(f"BEGIN; {RESET_ROLLUPS}; COMMIT;")
        ours = cpu(store.rebuild_rollups)[0]
        reset.append((ours, raw_rollups(raw)))
    store.close()
    raw.close()
    work = f"rebuild_rollups() over {bench.order_count:,} orders"
    return [
        compared(work, kept, limit=3),
        compared("the same, every client's figures reset before", reset, limit=3),
    ]


def line_memory(bench: Bench) -> list[Line]:
    """Peak RSS growth of one transaction, each side in a subprocess of its own."""
    ours_path, _ = bench.contact_files
    lines = [
        memory_line(
            f"peak memory, add_many of {bench.rows:,} contacts in one transaction",
            probe(bench, "contacts", bench.path("memory-ours")),
            probe(bench, "raw-contacts", bench.path("memory-raw"), ours_path),
        )
    ]
    if bench.order_count:
        store_base, raw_base, _ = bench.order_base
        lines.append(
            memory_line(
                f"peak memory, add_many of {bench.order_count:,} orders in one transaction",
                probe(bench, "orders", copied(store_base, bench.path("memory-ours"))),
                probe(
                    bench,
                    "raw-orders",
                    copied(raw_base, bench.path("memory-raw")),
                    bench.order_files[0],
                ),
            )
        )
    return lines


def memory_line(work: str, ours: int, raw: int) -> Line:
    return Line(
        work, megabytes(ours), megabytes(raw), ours / max(raw, 1), (), "< 500 MB", ours < 500e6
    )


def probe(bench: Bench, kind: str, into: Path, source: Path | None = None) -> int:
    """Run this script's ``--probe`` in a new process; its peak RSS growth in bytes."""
    if kind in ("contacts", "raw-contacts"):
        remove(into)
    command = [sys.executable, __file__, "--probe", kind, "--into", str(into)]
    command += ["--rows", str(bench.rows), "--orders", str(bench.order_count)]
    if source is not None:
        command += ["--source", str(source)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"the memory probe {kind} failed:\n{done.stderr}")
    remove(into)
    return int(done.stdout.split()[-1])


def run_probe(args: argparse.Namespace) -> None:
    """In the probe's own process: one transaction of the kind asked, printing the growth
    of the peak resident set it caused (``ru_maxrss``, KiB on Linux) in bytes."""
    into, kind = Path(args.into), args.probe
    if kind in ("contacts", "orders"):
        store = (new_store if kind == "contacts" else open_store)(into, Clock(NOW))
        with contextlib.closing(sqlite3.connect(into)) as connection:
            ids = [id_ for (id_,) in connection.execute("SELECT id FROM contacts ORDER BY rowid")]
        records = (
            map(contact, drafts(args.rows))
            if kind == "contacts"
            else order_stream(ids, args.orders)
        )  # made as add_many takes them: what is measured is what the transaction holds
        before = resident()
        with store.begin(actor="bench") as tx:
            getattr(tx, kind).add_many(records)
    else:
        table = kind.removeprefix("raw-")
        connection = raw_open(into, ("contacts",) if table == "contacts" else ())
        source = sqlite3.connect(args.source)
        rows = source.execute(f"SELECT * FROM {table} ORDER BY rowid")  # streamed, too
        before = resident()
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(RawRows(table).insert, rows)
        if table == "orders":
            connection.execute(RAW_ROLLUPS)
        connection.execute("COMMIT")
    print(peak_rss() - before)


def resident() -> int:
    """The resident set now, in bytes, with the peak reset to it where Linux allows
    (``clear_refs``), so that the peak read after the work is the work's own."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
        return _status_kib("VmRSS") * 1024
    return peak_rss()


def peak_rss() -> int:
    """The peak resident set in bytes: ``VmHWM``, else ``ru_maxrss`` (KiB on Linux)."""
    with contextlib.suppress(OSError, StopIteration):
        return _status_kib("VmHWM") * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _status_kib(name: str) -> int:
    lines = Path("/proc/self/status").read_text().splitlines()
    return int(next(line for line in lines if line.startswith(f"{name}:")).split()[1])


def line_help(_bench: Bench) -> list[Line]:
    """Wall time of ``custdb --help`` against the bare import, each in a new process
    (the console script next to this interpreter, not a shim in front of it); the child's
    CPU time beside it, since a loaded machine stretches the wall time."""
    script = Path(sys.executable).with_name("custdb")
    ours = [str(script)] if script.exists() else [sys.executable, "-m", "custdb"]
    runs = [
        (wall([*ours, "--help"]), wall([sys.executable, "-c", "import custdb"])) for _ in range(5)
    ]
    (ours_wall, ours_cpu), (raw_wall, raw_cpu) = (
        tuple(statistics.median(side[i][k] for side in runs) for k in (0, 1)) for i in (0, 1)
    )
    ratios = tuple(o[0] / r[0] for o, r in runs)
    return [
        Line(
            "`custdb --help`, wall time (raw: `python -c 'import custdb'`), median of 5",
            f"{seconds(ours_wall)} (CPU {seconds(ours_cpu)})",
            f"{seconds(raw_wall)} (CPU {seconds(raw_cpu)})",
            statistics.median(ratios),
            ratios,
            "< 150 ms",
            ours_wall < 0.150,
        )
    ]


def wall(command: list[str]) -> tuple[float, float]:
    """(wall seconds, the child's CPU seconds) of running ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)  # noqa: S603
    elapsed = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


LINES: dict[str, Callable[[Bench], list[Line]]] = {
    "insert": line_insert,
    "size": line_size,
    "iterate": line_iterate,
    "select": line_select,
    "contains": line_contains,
    "columns": line_columns,
    "query": line_query,
    "help": line_help,
    "orders": line_orders,
    "orders_tx": line_orders_tx,
    "rebuild": line_rebuild,
    "memory": line_memory,
}
ORDER_LINES = ("orders", "orders_tx", "rebuild")


# --- report -----------------------------------------------------------------------------


def table(lines: list[Line]) -> str:
    rows = [
        "| work | custdb | raw sqlite3 | ratio | turns | goal | met |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for line in lines:
        ratio = "" if line.ratio is None else f"{line.ratio:.2f}x"
        turns = ", ".join(f"{r:.2f}" for r in line.turns)
        met = {None: "", True: "met", False: "**not met**"}[line.met]
        rows.append(
            f"| {line.work} | {line.ours} | {line.raw} | {ratio} | {turns} | {line.goal} | {met} |"
        )
    return "\n".join(rows)


def machine(loads: tuple[float, float]) -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError, subprocess.CalledProcessError, StopIteration):
        lines = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout  # noqa: S607
        model = next(
            line.split(":", 1)[1].strip()
            for line in lines.splitlines()
            if line.startswith("Model name")
        )
    return (
        f"{model} (`lscpu` model name), {os.cpu_count()} cores, load average "
        f"{loads[0]:.2f} at the start and {loads[1]:.2f} at the end (shared with other jobs)"
    )


def report(args: argparse.Namespace, lines: list[Line], loads: tuple[float, float]) -> str:
    command = " ".join(["python benchmarks/store.py", *sys.argv[1:]]).replace(" --write", "")
    return "\n".join(
        [
            f"## Store (`benchmarks/store.py`), {dt.datetime.now(UTC).date().isoformat()}",
            "",
            f"- Machine: {machine(loads)}",
            f"- Software: Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
            f"- Command: `{command}`",
            "",
            (
                f"CPU time (`process_time`), medians of {args.repeat} turns, each turn "
                "custdb then raw sqlite3 back to back; the ratio is the median of the turns' "
                "ratios (listed). Raw: the store's own tables (DDL read from its "
                "`sqlite_master`) and the very values it wrote, JSON serialized with orjson, "
                "same pragmas and transactions. Memory: peak RSS growth of one transaction in "
                "a process of its own (`VmHWM` after resetting it, else `ru_maxrss`), the "
                "records streamed into it, one run. `--help`: wall time, the child's CPU "
                "time beside it."
            ),
            "",
            table(lines),
            "",
        ]
    )


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="contacts (default 100000)")
    parser.add_argument(
        "--orders",
        type=int,
        nargs="?",
        const=-1,
        help="run the orders lines with this many orders for a tenth as many contacts "
        "(default: ten times --rows)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="turns per line (default 3)")
    parser.add_argument("--only", help=f"a comma-separated subset of: {', '.join(LINES)}")
    parser.add_argument("--write", action="store_true", help="append to benchmarks/RESULTS.md")
    for hidden in ("--probe", "--into", "--source"):  # the memory probe's own process
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    args = parser.parse_args()
    wanted = list(LINES) if args.only is None else args.only.split(",")
    if unknown := set(wanted) - set(LINES):
        parser.error(f"unknown lines {', '.join(sorted(unknown))}; choose from {', '.join(LINES)}")
    if args.orders is None and set(wanted) & set(ORDER_LINES) and args.only is not None:
        args.orders = -1
    if args.orders == -1:
        args.orders = 10 * args.rows
    args.lines = [name for name in wanted if args.orders or name not in ORDER_LINES]
    return args


def main() -> None:
    args = parse()
    if args.probe:
        run_probe(args)
        return
    loads = os.getloadavg()[0]
    lines: list[Line] = []
    with tempfile.TemporaryDirectory() as folder:
        bench = Bench(args, Path(folder))
        for name in args.lines:
            progress(f"-- {name}")
            done = LINES[name](bench)
            print("\n".join(table(done).splitlines()[2:]), flush=True)
            lines += done
    text = report(args, lines, (loads, os.getloadavg()[0]))
    print("\n" + text)
    if args.write:
        with (Path(__file__).parent / "RESULTS.md").open("a", encoding="utf-8") as results:
            results.write("\n" + text)


if __name__ == "__main__":
    main()
