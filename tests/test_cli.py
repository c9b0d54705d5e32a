"""The ``custdb`` command: ``custdb demo`` in process and as a real subprocess, exit
codes for usage and custdb errors, ``--version``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
        return counts, len(store.changes())
    finally:
        store.close()


def test_demo_builds_a_sqlite_base_and_prints_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    assert main(["demo", "--db", url]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"Demo base {url}\n")
    assert "Records\n" in out
    assert "Possible duplicates: 6" in out
    assert "Iuliia Ivanova" in out
    assert "contacts      +3" in err  # progress goes to stderr, the summary to stdout
    counts, logged = _counts_and_log(url)
    assert counts["contacts"] >= 300
    assert logged == sum(counts.values())  # one "add" change per record, nothing else

    assert main(["demo", "--db", url]) == 0
    out, _ = capsys.readouterr()
    assert "nothing added" in out
    assert _counts_and_log(url) == (counts, logged)


def test_python_m_custdb_demo_runs_as_a_process(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    command = [sys.executable, "-m", "custdb", "demo", "--db", url]
    first = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)  # noqa: S603
    assert first.returncode == 0, first.stderr
    assert "Deals by stage" in first.stdout
    assert "NPS" in first.stdout
    counts, logged = _counts_and_log(url)
    second = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)  # noqa: S603
    assert second.returncode == 0, second.stderr
    assert "nothing added" in second.stdout
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
