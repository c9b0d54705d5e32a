"""The ``custdb`` command (also ``python -m custdb``).

    custdb demo [--db URL] [--quiet]     build the demo base and print its summary
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
from typing import TypeAlias

from custdb import __version__
from custdb.errors import CustdbError

__all__ = ["DEMO_URL", "main"]

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


_COMMANDS: tuple[Callable[[_Commands], None], ...] = (_add_demo,)
