"""Importing a contacts CSV: custdb's importer against the loops it replaces.

    python benchmarks/io.py                     # 100 000 rows, 3 turns
    python benchmarks/io.py --rows 1000000 --repeat 1
    python benchmarks/io.py --write             # append the table to benchmarks/RESULTS.md

One generated CSV (names in Russian, Norwegian, Spanish and English, e-mails, phones as
people type them, ``dd.mm.yyyy`` birthdays, a custom ``segment`` column), imported into
a new SQLite file four ways, each in a fresh process of its own so its peak memory is
its own:

- **custdb**: ``import_file(store, path, region="RU")``: encoding and delimiter found,
  columns mapped from the headers, every cell validated and normalized, records
  matched by e-mail, written in one transaction with the change log;
- **store floor**: ``tx.contacts.add_many`` of the same records built beforehand, outside
  the timing: what the store's own write costs, with nothing read or checked;
- **hand loop**: ``csv`` + ``phonenumbers`` + ``email-validator`` +
  ``sqlite3.executemany`` into a table of the same columns, as an ETL script would;
- **pandas**: ``read_csv`` + ``to_sql``, no validation at all.

The importer reads and validates in a second process that feeds the writer, so it is
judged on wall-clock rows per second (the CPU of both processes is shown beside it).
Peak memory is the largest resident size of the process and its children. Goals:
custdb >= 0.8x the store floor and >= 1.5x the hand loop; peak memory under 300 MB.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

UTC = dt.timezone.utc
HEADERS = ["First Name", "Last Name", "Email", "Phone", "Birthday", "Segment"]
NAMES = {
    "ru": (["Юлия", "Ольга", "Дмитрий", "Сергей", "Анна"], ["Иванова", "Смирнов", "Кузнецова"]),
    "no": (["Bjørn", "Åse", "Kari", "Ola", "Sølvi"], ["Dæhlie", "Østby", "Hansen", "Berg"]),
    "es": (["José", "María", "Iñigo", "Lucía"], ["Muñoz", "García", "Núñez", "López"]),
    "en": (["Anna", "John", "Mary", "Zoë"], ["Smith", "O'Reilly", "Brown"]),
}
REGION = "RU"  # phones typed without a country code are Russian


def phone_text(lang: str, i: int) -> str:
    """A phone as typed: Russian numbers in national form, the others international."""
    n = f"{i:07d}"
    return {
        "ru": f"8 (912) {n[:3]}-{n[3:5]}-{n[5:]}",
        "no": f"+47 9{n[:2]} {n[2:4]} {n[4:]}",
        "es": f"+34 6{i % 10}{n[:2]} {n[2:4]} {n[4:]}",
        "en": f"+1 (415) {2 + i % 8}{n[1:3]}-{n[3:]}",
    }[lang]


def write_file(path: Path, count: int, seed: int = 2026) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADERS)
        for i in range(count):
            lang = rng.choice(list(NAMES))
            born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 20_000))
            writer.writerow(
                [
                    rng.choice(NAMES[lang][0]),
                    rng.choice(NAMES[lang][1]),
                    f"User{i}@Example.{lang.upper()}",
                    phone_text(lang, i),
                    born.strftime("%d.%m.%Y"),
                    rng.choice(["gold", "silver"]),
                ]
            )


def schema() -> Any:
    from custdb.model.schema import FieldDef, FieldType, Schema  # noqa: PLC0415

    options = frozenset({"gold", "silver"})
    return Schema("contact", (FieldDef("segment", FieldType.ENUM, options=options),))


# --- the four ways, each run by ``--probe NAME`` in a process of its own -----------------


def probe_custdb(file: Path, db: Path) -> int:
    from custdb.io.importer import import_file  # noqa: PLC0415
    from custdb.storage.sqlite import SQLiteStore  # noqa: PLC0415

    store = SQLiteStore.from_url(f"sqlite:///{db}", schemas=[schema()])
    began = time.perf_counter()
    report = import_file(store, file, region=REGION)
    _mark(began)
    store.close()
    return report.created


def probe_floor(file: Path, db: Path) -> int:
    from custdb.model import Contact, Email, Phone  # noqa: PLC0415
    from custdb.normalize import email, phone  # noqa: PLC0415
    from custdb.storage.sqlite import SQLiteStore  # noqa: PLC0415

    records = []
    with file.open(encoding="utf-8", newline="") as rows:
        for first, last, mail, tel, born, segment in _data(csv.reader(rows)):
            records.append(
                Contact(
                    first_name=first,
                    last_name=last,
                    emails=(Email(email(mail)),),
                    phones=(Phone(phone(tel, REGION)),),
                    birthday=dt.datetime.strptime(born, "%d.%m.%Y").date(),  # noqa: DTZ007
                    custom={"segment": segment},
                )
            )
    store = SQLiteStore.from_url(f"sqlite:///{db}", schemas=[schema()])
    began = time.perf_counter()
    with store.begin() as tx:
        tx.contacts.add_many(records)
    _mark(began)
    store.close()
    return len(records)


def probe_hand(file: Path, db: Path) -> int:
    import email_validator  # noqa: PLC0415
    import phonenumbers  # noqa: PLC0415

    began = time.perf_counter()
    connection = sqlite3.connect(db)
    connection.execute(
        "CREATE TABLE contacts (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT,"
        " email TEXT, phone TEXT, birthday TEXT, segment TEXT)"
    )
    connection.execute("CREATE INDEX ix_email ON contacts (email)")

    def rows() -> Iterator[tuple[Any, ...]]:
        with file.open(encoding="utf-8", newline="") as source:
            for first, last, mail, tel, born, segment in _data(csv.reader(source)):
                address = email_validator.validate_email(mail, check_deliverability=False)
                number = phonenumbers.parse(tel, REGION)
                if not phonenumbers.is_valid_number(number):
                    continue
                e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                day = dt.datetime.strptime(born, "%d.%m.%Y").date().isoformat()  # noqa: DTZ007
                yield (first.strip(), last.strip(), address.normalized, e164, day, segment)

    with connection:
        connection.executemany(
            "INSERT INTO contacts (first_name, last_name, email, phone, birthday, segment)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows(),
        )
    count = connection.execute("SELECT count(*) FROM contacts").fetchone()[0]
    connection.close()
    _mark(began)
    return int(count)


def probe_pandas(file: Path, db: Path) -> int:
    import pandas as pd  # noqa: PLC0415

    began = time.perf_counter()
    frame = pd.read_csv(file)
    connection = sqlite3.connect(db)
    frame.to_sql("contacts", connection, index=False)
    connection.close()
    _mark(began)
    return len(frame)


PROBES: dict[str, Callable[[Path, Path], int]] = {
    "custdb": probe_custdb,
    "floor": probe_floor,
    "hand": probe_hand,
    "pandas": probe_pandas,
}


def _data(reader: Any) -> Iterator[list[str]]:
    next(reader)  # the header
    return reader  # type: ignore[no-any-return]


_STARTS: dict[str, float] = {}


def _mark(began: float) -> None:
    """The timed part began at ``began``: record its wall time and the CPU used since
    the process began (self and children: the importer's reader process included)."""
    _STARTS["wall"] = time.perf_counter() - began


def run_probe(name: str, file: Path, db: Path) -> None:
    cpu_before = _cpu()
    rows = PROBES[name](file, db)
    print(
        json.dumps(
            {
                "rows": rows,
                "wall": _STARTS["wall"],
                "cpu": _cpu() - cpu_before,
                "peak": _peak_rss(),
            }
        )
    )


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_rss() -> int:
    """Bytes: the larger of this process's peak and its largest child's."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) * 1024


def measure(name: str, file: Path, folder: Path) -> dict[str, Any]:
    db = folder / f"{name}.sqlite"
    for leftover in folder.glob(f"{name}.sqlite*"):
        leftover.unlink()
    done = subprocess.run(  # noqa: S603 - this very script, with paths it made
        [sys.executable, __file__, "--probe", name, "--file", str(file), "--db", str(db)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"{name} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- the table ----------------------------------------------------------------------------


def table(results: dict[str, list[dict[str, Any]]], rows: int) -> str:
    ours = statistics.median(r["wall"] for r in results["custdb"]) if results["custdb"] else None
    lines = [
        "| way | rows/s (wall) | wall s | CPU s | peak memory | custdb / this |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, label in (
        ("custdb", "custdb `import_file`"),
        ("floor", "store floor: `add_many` of built records"),
        ("hand", "hand loop: csv + phonenumbers + email-validator + executemany"),
        ("pandas", "pandas `read_csv` + `to_sql`, no validation"),
    ):
        turns = results.get(name)
        if not turns:  # left out with --only
            continue
        wall = statistics.median(r["wall"] for r in turns)
        cpu = statistics.median(r["cpu"] for r in turns)
        peak = max(r["peak"] for r in turns)
        ratio = "" if name == "custdb" or ours is None else f"{wall / ours:.2f}x"
        lines.append(
            f"| {label} | {rows / wall:,.0f} | {wall:.1f} | {cpu:.1f} | "
            f"{peak / 2**20:,.0f} MB | {ratio} |"
        )
    return "\n".join(lines)


def report(rows: int, repeat: int, text: str, loads: tuple[float, float]) -> str:
    model = "unknown CPU"
    try:
        info = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout  # noqa: S607
        model = next(
            line.split(":", 1)[1].strip()
            for line in info.splitlines()
            if line.startswith("Model name")
        )
    except (OSError, subprocess.CalledProcessError, StopIteration):
        pass
    command = " ".join(["python benchmarks/io.py", *sys.argv[1:]]).replace(" --write", "")
    return "\n".join(
        [
            (
                f"## Import (`benchmarks/io.py`), {dt.datetime.now(UTC).date().isoformat()}, "
                f"{rows:,} rows"
            ),
            "",
            (
                f"- Machine: {model}, {os.cpu_count()} cores, load average {loads[0]:.2f} "
                f"at the start and {loads[1]:.2f} at the end (shared with other jobs)"
            ),
            f"- Software: Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
            f"- Command: `{command}`; medians of {repeat} turns, each way in a fresh process",
            "",
            text,
            "",
            (
                "custdb / this: the other way's wall time over custdb's (above 1: custdb is "
                "faster). Goals: >= 0.8x the store floor, >= 1.5x the hand loop, peak "
                "memory under 300 MB."
            ),
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", type=int, default=100_000, help="rows in the file (default 100000)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="turns (default 3)")
    parser.add_argument("--only", help=f"a comma-separated subset of: {', '.join(PROBES)}")
    parser.add_argument("--write", action="store_true", help="append to benchmarks/RESULTS.md")
    for hidden in ("--probe", "--file", "--db"):
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        run_probe(args.probe, Path(args.file), Path(args.db))
        return
    wanted = list(PROBES) if args.only is None else args.only.split(",")
    start_load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        file = folder / "contacts.csv"
        write_file(file, args.rows)
        results: dict[str, list[dict[str, Any]]] = {way: [] for way in PROBES}
        for turn in range(args.repeat):
            for way in wanted:
                results[way].append(measure(way, file, folder))
                print(f"turn {turn + 1} {way}: {results[way][-1]}", file=sys.stderr)
    text = report(
        args.rows, args.repeat, table(results, args.rows), (start_load, os.getloadavg()[0])
    )
    print(text)
    if args.write:
        with (Path(__file__).parent / "RESULTS.md").open("a", encoding="utf-8") as results_file:
            results_file.write("\n" + text)


if __name__ == "__main__":
    main()
