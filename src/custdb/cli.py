"""The ``custdb`` command (also ``python -m custdb``).

    custdb demo [--db URL] [--quiet]     build the demo base and print its summary
    custdb import FILE --db URL [...]    import a CSV or XLSX file (see --help)
    custdb export --db URL --out FILE    write the records a query selects to CSV or XLSX
    custdb --version

Each command is one ``_add_<name>`` function that declares its arguments and the function
that runs it; ``import``, ``export``, ``dedupe``, ``rfm`` and ``segment`` join the same
way. Exit codes: 0 done, 1 a custdb error (its message on stderr, no traceback), 2 a
usage error.

A command imports what it needs when it runs, not when the parser is built: the model,
the stores and the demo data cost a few hundred milliseconds to import, which
``custdb --help`` and a mistyped command should not pay.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

from custdb import __version__
from custdb.errors import CustdbError

__all__ = ["DEMO_URL", "REPOSITORIES", "main"]

DEMO_URL = "sqlite:///custdb-demo.sqlite"
"""Where ``custdb demo`` builds its base unless ``--db`` says otherwise."""

# typeshed names the subparsers' type only privately
_Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"  # noqa: SLF001


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command ``argv`` (``sys.argv[1:]`` by default); return the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # argparse exits on --help, --version and usage errors
        return _exit_code(done.code)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except CustdbError as e:
        sys.stderr.write(f"custdb: error: {e}\n")
        return 1


def _exit_code(code: str | int | None) -> int:
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="custdb",
        description="A customer database: contacts, companies, deals, orders and more.",
    )
    parser.add_argument("--version", action="version", version=f"custdb {__version__}")
    commands = parser.add_subparsers(
        title="commands", dest="command", metavar="COMMAND", required=True
    )
    for add in _COMMANDS:
        add(commands)
    return parser


# --- custdb demo ------------------------------------------------------------------------


def _add_demo(commands: _Commands) -> None:
    demo = commands.add_parser(
        "demo",
        help="build a demo base from the bundled sample and print a summary",
        description=(
            "Load the bundled sample (300+ contacts in Russian, Norwegian, Spanish and "
            "English, their companies, deals, orders, tickets and survey answers) into a "
            "store and print a summary. Running it again adds nothing."
        ),
    )
    demo.add_argument(
        "--db",
        metavar="URL",
        default=DEMO_URL,
        help=f"the store to build it in (default: {DEMO_URL}, in the current directory)",
    )
    demo.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    demo.set_defaults(run=_demo)


def _demo(args: argparse.Namespace) -> int:
    """Build the base, then print what changed, the summary, and how to go on. A run
    that adds nothing prints no progress at all."""
    from custdb.demo import SCHEMAS, build_demo, format_summary, headline, next_steps  # noqa: PLC0415
    from custdb.storage import open_store  # noqa: PLC0415

    store = open_store(args.db, schemas=SCHEMAS)
    try:
        summary = build_demo(store, progress=None if args.quiet else _Progress(args.db))
        steps = "" if args.quiet else next_steps(store, args.db)
    finally:
        store.close()
    if not args.quiet:
        sys.stdout.write(f"{headline(summary, args.db)}\n\n{format_summary(summary)}\n{steps}")
    return 0


class _Progress:
    """Progress on stderr: a repository that gained records, with how many; nothing for
    one that gained none, and no "Building" line unless something is added."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._started = False

    def __call__(self, repository: str, added: int) -> None:
        if not added:
            return
        if not self._started:
            from custdb.storage import redacted  # noqa: PLC0415

            sys.stderr.write(f"Building the demo base in {redacted(self._url)}\n")
            self._started = True
        sys.stderr.write(f"  {repository:<13} +{added:,}\n")


# --- custdb import ----------------------------------------------------------------------


def _add_import(commands: _Commands) -> None:
    command = commands.add_parser(
        "import",
        help="import a CSV or XLSX file of contacts or companies",
        description=(
            "Import FILE into the base: columns mapped from their headers (in English, "
            "Russian, Spanish, Norwegian, German or Chinese, and the exports of common "
            "CRMs), every cell checked, stored records matched by id, e-mail or phone "
            "and updated. By default one bad row refuses the whole file and nothing is "
            "written; the reject file lists every bad cell."
        ),
    )
    command.add_argument("file", metavar="FILE", help="a .csv (any common encoding) or .xlsx file")
    command.add_argument(
        "--entity", choices=("contacts", "companies"), default="contacts", help="what the rows are"
    )
    command.add_argument(
        "--db", metavar="URL", required=True, help="the store, e.g. sqlite:///crm.sqlite"
    )
    command.add_argument(
        "--map",
        metavar="HEADER=field",
        action="append",
        default=[],
        help="map a column to a field yourself (repeatable): 'Tel.=phone:mobile', 'Notes=ignore'",
    )
    command.add_argument(
        "--key",
        metavar="HEADER_OR_FIELD",
        help="what recognises a stored record (default: an id column, else e-mail, else phone)",
    )
    region = command.add_mutually_exclusive_group()
    region.add_argument("--region", metavar="RU", help="the country of phones typed without +code")
    region.add_argument(
        "--region-column", metavar="COLUMN", help="the column holding each row's country"
    )
    command.add_argument(
        "--mode",
        choices=("create", "update", "upsert"),
        default="upsert",
        help="create new records, update stored ones, or both (default)",
    )
    command.add_argument(
        "--skip-invalid", action="store_true", help="import the good rows even if some are bad"
    )
    command.add_argument("--errors", metavar="REJECTS.csv", help="write the bad rows and why here")
    command.add_argument(
        "--dry-run", action="store_true", help="check everything and report, write nothing"
    )
    command.set_defaults(run=_import)


def _import(args: argparse.Namespace) -> int:
    from pathlib import Path  # noqa: PLC0415

    from custdb.errors import ImportRefusedError  # noqa: PLC0415
    from custdb.io.importer import import_file  # noqa: PLC0415
    from custdb.storage import open_store  # noqa: PLC0415

    overrides: dict[str, str] = {}
    for text in args.map:
        header, sep, field = text.rpartition("=")
        if not sep or not header.strip() or not field.strip():
            return _usage_error(f"--map {text!r}: give HEADER=field, e.g. --map 'Tel.=phone'")
        overrides[header.strip()] = field.strip()
    if not Path(args.file).is_file():
        return _usage_error(f"{args.file!r} is not a file: check the path")
    store = open_store(args.db)
    try:
        with _progress_bar(args.file) as progress:
            report = import_file(
                store,
                args.file,
                entity=args.entity,
                overrides=overrides,
                key=args.key,
                mode=args.mode,
                region=args.region,
                region_column=args.region_column,
                skip_invalid=args.skip_invalid,
                errors=args.errors,
                dry_run=args.dry_run,
                progress=progress,
            )
    except ImportRefusedError as e:
        if e.report is not None:
            sys.stdout.write(f"{e.report.summary()}\n")
        raise
    finally:
        store.close()
    for note in report.notes:
        sys.stderr.write(f"note: {note}\n")
    _tell_rejected(report)
    suffix = " (dry run: nothing written)" if report.dry_run else ""
    sys.stdout.write(f"{report.summary()}{suffix}\n")
    return 0


_TOLD = 5  # problems of rejected rows an import run names on stderr


def _tell_rejected(report: Any) -> None:
    """The first rejected rows of a dry run or a --skip-invalid run, so that the count
    in the summary comes with its reasons (all of them go to the --errors file)."""
    told = report.problems[:_TOLD]
    for problem in told:
        where = f", column {problem.column!r}" if problem.column else ""
        sys.stderr.write(
            f"rejected: line {problem.line}{where}, {problem.field} {problem.value!r}: "
            f"{problem.reason}\n"
        )
    more = report.rejected - len({problem.line for problem in told})
    if more > 0:
        where = "the reject file has" if report.errors_path else "--errors FILE lists"
        sys.stderr.write(f"rejected: {more} more rows; {where} every one\n")


def _usage_error(message: str) -> int:
    sys.stderr.write(f"custdb: error: {message}\n")
    return 2


class _progress_bar:  # noqa: N801 - used as a function: with _progress_bar(path) as progress
    """A tqdm bar of rows read, on stderr, only when stderr is a terminal (and tqdm is
    installed): a log file or a pipe gets no bar."""

    def __init__(self, path: str) -> None:
        self._bar: Any = None
        if sys.stderr.isatty():
            try:
                from tqdm import tqdm  # type: ignore[import-untyped]  # noqa: PLC0415
            except ImportError:
                return
            self._bar = tqdm(desc=path, unit=" rows", file=sys.stderr)

    def __enter__(self) -> Callable[[int], None] | None:
        return None if self._bar is None else self._advance

    def _advance(self, rows: int) -> None:
        self._bar.update(rows - self._bar.n)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()


# --- custdb export ----------------------------------------------------------------------

REPOSITORIES = (
    "contacts",
    "companies",
    "affiliations",
    "leads",
    "deals",
    "activities",
    "tickets",
    "orders",
    "surveys",
    "users",
    "teams",
    "consents",
)
"""The names ``--entity`` takes: those of ``custdb.storage.ENTITIES``, written out so
that building the parser imports no store (a test keeps the two equal)."""


def _add_export(commands: _Commands) -> None:
    export = commands.add_parser(
        "export",
        help="write the records a query selects to a CSV or XLSX file",
        description=(
            "Write the records of one kind that a query selects (all of them without "
            "--where) to FILE.csv (UTF-8, opens in Excel) or FILE.xlsx, one column per "
            "field, and record the export in the change log. Cells a spreadsheet would "
            "run as formulas are written as text."
        ),
    )
    export.add_argument(
        "--entity",
        metavar="NAME",
        choices=REPOSITORIES,
        default="contacts",
        help=f"the kind of record: {', '.join(REPOSITORIES)} (default: contacts)",
    )
    export.add_argument("--db", metavar="URL", required=True, help="the store to read")
    export.add_argument(
        "--where",
        metavar="JSON",
        type=_json_text,
        help='a query in its JSON form, e.g. \'{"field": "total_spent", "op": "ge", '
        '"value": 1000}\'',
    )
    export.add_argument(
        "--fields",
        metavar="a,b,...",
        type=_field_names,
        help="the columns, named as queries name fields (custom properties and roll-ups "
        "included), plus full_name, emails, phones (default: a readable set)",
    )
    export.add_argument(
        "--out", metavar="FILE", required=True, help="the file to write: FILE.csv or FILE.xlsx"
    )
    export.add_argument(
        "--actor",
        metavar="NAME",
        help="who exports, as the change log records it (default: your login name)",
    )
    export.set_defaults(run=_export)


def _json_text(text: str) -> object:
    """``--where``: any JSON document (``_export`` reads it as a query)."""
    import json  # noqa: PLC0415

    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise argparse.ArgumentTypeError(
            f"is not JSON ({error.msg} at character {error.pos + 1}): {text!r}; write a "
            'query as {"field": "city", "op": "eq", "value": "Oslo"}, in single quotes '
            "in the shell"
        ) from None


def _field_names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(
            f"names an empty field in {text!r}; separate the names by single commas, "
            "e.g. id,full_name,email"
        )
    return names


def _export(args: argparse.Namespace) -> int:
    """Export, then print one line: what was written where."""
    from custdb.io.export import export_records  # noqa: PLC0415
    from custdb.query import from_json  # noqa: PLC0415
    from custdb.storage import open_store  # noqa: PLC0415

    where = None if args.where is None else from_json(args.where)
    _check_base_exists(args.db)
    store = open_store(args.db)
    try:
        report = export_records(
            store,
            args.out,
            entity=args.entity,
            where=where,
            fields=args.fields,
            actor=args.actor if args.actor is not None else _login_name(),
        )
    finally:
        store.close()
    sys.stdout.write(f"exported {report.rows} {args.entity} to {report.path}\n")
    return 0


def _check_base_exists(url: str) -> None:
    """An SQLite file that is not there would be created, empty, and "exported": a
    mistyped path is an error instead."""
    from pathlib import Path  # noqa: PLC0415

    from custdb.errors import ValidationError  # noqa: PLC0415

    scheme, _, rest = url.partition(":///")
    path = rest.partition("?")[0]
    if scheme.startswith("sqlite") and path and path != ":memory:" and not Path(path).exists():
        raise ValidationError(
            "names no database: the file does not exist",
            field="db",
            value=url,
            hint="check the path (custdb demo builds a base to try this on)",
        )


def _login_name() -> str | None:
    import getpass  # noqa: PLC0415

    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers
        return None


_COMMANDS: tuple[Callable[[_Commands], None], ...] = (_add_demo, _add_import, _add_export)
