"""``custdb import``: the summary line, exit codes 0 / 1 / 2, the reject file, and an
import killed with SIGKILL mid-file that leaves nothing half-written (I3)."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from custdb import open_store
from custdb.cli import main

HEADERS = ["Фамилия", "Имя", "Телефон", "E-mail", "Дата рождения"]


def write_cp1251(path: Path, rows: list[list[str]]) -> Path:
    """A Bitrix24-style file: cp1251, ``;`` and a ``;`` closing every line."""
    lines = [";".join([*HEADERS, ""])] + [";".join([*row, ""]) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))
    return path


def rows(count: int) -> list[list[str]]:
    return [
        [
            "Иванова",
            "Юлия",
            f"8 (912) 345-{i // 100 % 100:02d}-{i % 100:02d}",
            f"u{i}@mail.ru",
            "01.02.1990",
        ]
        for i in range(count)
    ]


def count_contacts(url: str) -> int:
    store = open_store(url)
    try:
        with store.begin() as tx:
            return tx.contacts.count()
    finally:
        store.close()


def test_an_import_prints_one_summary_line_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'crm.sqlite'}"
    path = write_cp1251(tmp_path / "b24.csv", rows(3))
    assert main(["import", str(path), "--db", url, "--region", "RU"]) == 0
    assert capsys.readouterr().out == "created 3, updated 0, unchanged 0, rejected 0\n"
    assert main(["import", str(path), "--db", url, "--region", "RU"]) == 0
    assert capsys.readouterr().out == "created 0, updated 0, unchanged 3, rejected 0\n"
    assert count_contacts(url) == 3


def test_a_refused_file_exits_1_writes_nothing_and_the_reject_file_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'crm.sqlite'}"
    bad = [*rows(2), ["Петров", "Иван", "12", "not-an-email", "31.02.1990"]]
    path = write_cp1251(tmp_path / "b24.csv", bad)
    rejects = tmp_path / "rejects.csv"
    code = main(["import", str(path), "--db", url, "--region", "RU", "--errors", str(rejects)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == "created 2, updated 0, unchanged 0, rejected 1\n"
    assert "row 4" in captured.err
    assert "nothing was imported" in captured.err
    assert count_contacts(url) == 0
    with rejects.open(encoding="utf-8-sig", newline="") as file:
        [_, line] = list(csv.reader(file))
    assert line[len(HEADERS)] == "4"
    skipped = ["import", str(path), "--db", url, "--region", "RU", "--skip-invalid"]
    assert main(skipped) == 0
    assert count_contacts(url) == 2


@pytest.mark.parametrize(
    "arguments",
    [
        ["--mode", "merge"],
        ["--map", "no-equals-sign"],
        ["--region", "RU", "--region-column", "Страна"],
        [],  # no --db
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, arguments: list[str]) -> None:
    path = write_cp1251(tmp_path / "b24.csv", rows(1))
    db = [] if not arguments else ["--db", f"sqlite:///{tmp_path / 'crm.sqlite'}"]
    assert main(["import", str(path), *db, *arguments]) == 2


def test_a_dry_run_reports_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'crm.sqlite'}"
    path = write_cp1251(tmp_path / "b24.csv", rows(2))
    assert main(["import", str(path), "--db", url, "--region", "RU", "--dry-run"]) == 0
    assert "created 2" in capsys.readouterr().out
    assert count_contacts(url) == 0


def test_an_import_killed_mid_file_leaves_nothing_and_running_it_again_completes_it(
    tmp_path: Path,
) -> None:
    """SIGKILL while rows are being written: the one transaction never commits."""
    url = f"sqlite:///{tmp_path / 'crm.sqlite'}"
    path = write_cp1251(tmp_path / "big.csv", rows(30_000))
    command = [sys.executable, "-m", "custdb", "import", str(path), "--db", url, "--region", "RU"]
    wal = tmp_path / "crm.sqlite-wal"
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as process:  # noqa: S603
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (not wal.exists() or wal.stat().st_size < 2**20):
            assert process.poll() is None, "the import ended before it could be killed"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL
    assert count_contacts(url) == 0
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("created 30000,")
    assert count_contacts(url) == 30_000


def test_a_file_that_is_not_there_is_a_usage_error_and_makes_no_base(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = tmp_path / "crm.sqlite"
    assert main(["import", str(tmp_path / "nope.csv"), "--db", f"sqlite:///{base}"]) == 2
    assert "nope.csv' is not a file" in capsys.readouterr().err
    assert not base.exists()


def test_a_dry_run_names_the_rejected_rows_and_their_reasons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "k.csv"
    lines = ["Name,Email"] + [f"N{i},bad{i}@" for i in range(7)] + ["Ok,ok@example.com"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'crm.sqlite'}"
    assert main(["import", str(path), "--db", url, "--dry-run"]) == 0
    said = capsys.readouterr()
    assert said.out == "created 1, updated 0, unchanged 0, rejected 7 (dry run: nothing written)\n"
    told = [line for line in said.err.splitlines() if line.startswith("rejected:")]
    assert told[0].startswith("rejected: line 2, column 'Email', emails 'bad0@': ")
    assert len(told) == 6
    assert told[-1] == "rejected: 2 more rows; --errors FILE lists every one"


@pytest.mark.parametrize(("region", "code"), [("Russia", 0), ("ru", 0), ("XX", 1)])
def test_the_region_is_a_code_or_a_country_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], region: str, code: int
) -> None:
    path = write_cp1251(tmp_path / "b24.csv", rows(1))
    url = f"sqlite:///{tmp_path / 'crm.sqlite'}"
    assert main(["import", str(path), "--db", url, "--region", region]) == code
    if code:
        assert "value 'XX': is not a region code" in capsys.readouterr().err
        assert count_contacts(url) == 0
    else:
        assert count_contacts(url) == 1
