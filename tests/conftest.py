"""Shared fixtures: the stores the contract suite runs against, and a real PostgreSQL.

PostgreSQL comes from ``CUSTDB_TEST_POSTGRES_URL`` when it is set (CI sets it after
``.ci/run`` starts the server). Without it, the fixture starts a throwaway cluster from
the installed binaries (as the ``postgres`` user when running as root, since ``initdb``
refuses root) and removes it afterwards. Where neither works, PostgreSQL tests skip and
say why.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

STORE_KINDS = ["memory", "sqlite-file", "sqlite-memory", "postgres"]


class FixedClock:
    """A clock the tests move by hand, so timestamps are exact."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.now = start or dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bin() -> Path | None:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    if versions:
        return versions[0].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _as_postgres(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    url = os.environ.get("CUSTDB_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("no PostgreSQL: set CUSTDB_TEST_POSTGRES_URL or install postgresql")
    root = Path(tempfile.mkdtemp(prefix="custdb-pg-"))
    data, port = root / "data", _free_port()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    run = lambda *a: subprocess.run(  # noqa: E731, S603
        _as_postgres([*a]), check=True, capture_output=True, text=True
    )
    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "custdb", "--auth=trust", "-E", "UTF8")
        run(
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(root / "log"),
            "-w",
            "-o",
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )
    except (subprocess.CalledProcessError, OSError) as error:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"could not start a throwaway PostgreSQL: {error}")
    try:
        yield f"postgresql+psycopg://custdb@127.0.0.1:{port}/postgres"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


def _reset_postgres(url: str) -> None:
    import sqlalchemy as sa  # noqa: PLC0415

    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    kind = request.param if hasattr(request, "param") else "memory"
    if kind == "memory":
        return "memory://"
    if kind == "sqlite-file":
        return f"sqlite:///{tmp_path / 'custdb.sqlite'}"
    if kind == "sqlite-memory":
        return "sqlite://"
    url: str = request.getfixturevalue("postgres_url")
    _reset_postgres(url)
    return url


@pytest.fixture
def open_test_store(store_url: str, clock: FixedClock) -> Iterator[Callable[..., Any]]:
    """Opens the store under test (several times, for concurrency tests); closes them all."""
    from custdb import open_store  # noqa: PLC0415

    opened: list[Any] = []

    def opener(**options: Any) -> Any:
        options.setdefault("clock", clock)
        store = open_store(store_url, **options)
        opened.append(store)
        return store

    yield opener
    for store in opened:
        store.close()


@pytest.fixture
def store(open_test_store: Callable[..., Any]) -> Any:
    return open_test_store()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that uses ``store`` (or ``store_url``) runs once per store kind."""
    if "store_url" in metafunc.fixturenames and "store_kind" not in metafunc.fixturenames:
        marks = {"postgres": [pytest.mark.postgres]}
        metafunc.parametrize(
            "store_url",
            [pytest.param(kind, id=kind, marks=marks.get(kind, [])) for kind in STORE_KINDS],
            indirect=True,
        )
