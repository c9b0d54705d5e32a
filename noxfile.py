"""Developer tasks. Every session runs on the interpreter that runs nox.

nox                 lint, typecheck, tests, docs
nox -s tests        the test suite (PostgreSQL tests need a server: see tests/conftest.py)
nox -s bench        the benchmarks, not part of the default run
"""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typecheck", "tests", "docs"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

LINTED = ("src", "tests", "benchmarks", "scripts", "docs/conf.py", "noxfile.py")


@nox.session
def tests(session: nox.Session) -> None:
    session.install("-e", ".[all,test]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", *LINTED)
    session.run("ruff", "format", "--check", *LINTED)


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("-e", ".[all,test]", "mypy")
    session.run("mypy")


@nox.session
def docs(session: nox.Session) -> None:
    session.install("-e", ".[all,docs]")
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html")


@nox.session
def bench(session: nox.Session) -> None:
    session.install("-e", ".[all]", "duckdb")
    for script in ("normalize.py", "store.py"):
        session.run("python", f"benchmarks/{script}", *session.posargs)
