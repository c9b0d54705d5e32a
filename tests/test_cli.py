"""The ``custdb`` command: ``custdb demo`` in process and as a real subprocess, exit
codes for usage and custdb errors, ``--version``.

Foundation III item 13: a second ``custdb demo`` says the base is already built and
prints no progress ("Building...", "+0"); every run ends with the ``open_store(...)``
line for its base and two queries that run on it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import custdb
from custdb import open_store
from custdb.cli import DEMO_URL, main
from custdb.storage import ENTITIES


def _counts_and_log(url: str) -> tuple[dict[str, int], int]:
    store = open_store(url)
    try:
        with store.begin() as tx:
            counts = {name: getattr(tx, name).count() for name in ENTITIES}
        return counts, sum(1 for change in store.changes() if change.entity != "setting")
    finally:
        store.close()


_SELECT = re.compile(r"^\s*(\w+) = tx\.contacts\.select\(.*\)\s+# ([\d,]+) contacts$", re.MULTILINE)


def _go_on(out: str) -> dict[str, Any]:
    """Run the Python block the demo's output ends with, as a reader pasting it would;
    check every select finds the number of contacts its comment announces, and some."""
    block = out.split("Go on in Python", 1)[1].split("\n\n", 1)[1]
    code = textwrap.dedent(block)
    announced = {name: int(count.replace(",", "")) for name, count in _SELECT.findall(code)}
    assert len(announced) == 2, code
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # noqa: S102 - the command's own output
    namespace["store"].close()
    assert {name: len(namespace[name]) for name in announced} == announced
    assert all(announced.values())
    return namespace


def test_demo_builds_a_sqlite_base_and_prints_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    assert main(["demo", "--db", url]) == 0
    out, err = capsys.readouterr()
    counts, logged = _counts_and_log(url)
    assert out.startswith(f"Demo base {url}: built, {sum(counts.values()):,} records\n")
    assert "Records\n" in out
    assert "Possible duplicates: 6" in out
    assert "Iuliia Ivanova" in out
    assert err.startswith(f"Building the demo base in {url}\n")
    assert "contacts      +314\n" in err  # progress goes to stderr, the summary to stdout
    assert "+0" not in err
    assert counts["contacts"] >= 300
    assert logged == sum(counts.values())  # one "add" change per record, nothing else
    assert f'store = open_store("{url}", schemas=SCHEMAS)\n' in out
    _go_on(out)


def test_a_second_demo_run_says_the_base_is_built_and_shows_no_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Foundation III item 13: no "Building" line, no "+0" lines, no per-entity notes;
    the summary and the way to go on are printed as on the first run."""
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    first, _ = capsys.readouterr()
    counts, logged = _counts_and_log(DEMO_URL)
    assert main(["demo"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith(f"Demo base {DEMO_URL}: already built, nothing changed\n\nRecords\n")
    assert "Building" not in out
    assert "+0" not in out
    assert "added" not in out
    assert out.split("\n", 1)[1] == first.split("\n", 1)[1]
    assert 'open_store("sqlite:///custdb-demo.sqlite", schemas=SCHEMAS)' in out
    assert "relative to this folder" in out
    assert _counts_and_log(DEMO_URL) == (counts, logged)
    _go_on(out)


@pytest.mark.postgres
def test_demo_on_postgres_never_shows_the_password(
    postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The headline, the progress and the printed ``open_store`` line hide the
    password; the next steps say to put it back."""
    import sqlalchemy as sa  # noqa: PLC0415

    engine = sa.create_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    password = sa.make_url(postgres_url).password
    shown = sa.make_url(postgres_url).render_as_string(hide_password=True)
    for _ in range(2):
        assert main(["demo", "--db", postgres_url]) == 0
        out, err = capsys.readouterr()
        if password:
            assert f":{password}@" not in out + err
            assert f'open_store("{shown}", schemas=SCHEMAS)' in out
            assert "your password in place of ***" in out
    assert "already built, nothing changed" in out
    assert err == ""


def test_python_m_custdb_demo_runs_as_a_process(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    command = [sys.executable, "-m", "custdb", "demo", "--db", url]
    first = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)  # noqa: S603
    assert first.returncode == 0, first.stderr
    assert "Deals by stage" in first.stdout
    assert "NPS" in first.stdout
    assert "Building the demo base" in first.stderr
    counts, logged = _counts_and_log(url)
    second = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)  # noqa: S603
    assert second.returncode == 0, second.stderr
    assert second.stderr == ""
    assert "already built, nothing changed" in second.stdout
    assert "+0" not in second.stdout
    assert second.stdout.rstrip().endswith(" contacts")
    assert _counts_and_log(url) == (counts, logged)


def test_demo_defaults_to_a_file_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    assert DEMO_URL == "sqlite:///custdb-demo.sqlite"
    assert (tmp_path / "custdb-demo.sqlite").stat().st_size > 0


@pytest.mark.parametrize(
    "argv",
    [[], ["demo", "--no-such-option"], ["no-such-command"], ["demo", "--db"]],
)
def test_usage_errors_exit_with_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "usage: custdb" in capsys.readouterr().err


def test_a_custdb_error_exits_with_1_and_no_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--db", "nosuch://somewhere"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("custdb: error: ")
    assert "nosuch://somewhere" in err
    assert "Traceback" not in err


def test_a_store_that_cannot_open_exits_with_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'missing-folder' / 'demo.sqlite'}"
    assert main(["demo", "--quiet", "--db", url]) == 1
    assert capsys.readouterr().err.startswith("custdb: error: ")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"custdb {custdb.__version__}"


def test_help_exits_with_0_and_lists_demo(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "demo" in capsys.readouterr().out


def test_help_imports_no_model_store_or_demo() -> None:
    """Foundation IV item 5: ``custdb --help`` loads the parser and nothing a command
    needs only when it runs (the model, the stores, the demo data, SQLAlchemy), which
    is what keeps the command's start-up to the interpreter's own."""
    probe = textwrap.dedent(
        """
        import sys
        from custdb.cli import main
        try:
            main(["--help"])
        finally:
            heavy = ("sqlalchemy", "custdb.model", "custdb.storage", "custdb.demo")
            print(sorted(name for name in sys.modules if name.startswith(heavy)))
        """
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, our own code
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.splitlines()[-1] == "[]"


def test_a_missing_driver_ends_in_a_message_without_traceback_or_password(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Foundation III items 11 and 18: no traceback, the password shown nowhere."""
    monkeypatch.setitem(sys.modules, "psycopg2", None)
    assert main(["demo", "--db", "postgresql+psycopg2://u:pa/ss#9@host/db"]) == 1
    out, err = capsys.readouterr()
    assert err.startswith("custdb: error:")
    assert "postgresql+psycopg://" in err
    assert "Traceback" not in err
    assert "pa/ss" not in out + err
