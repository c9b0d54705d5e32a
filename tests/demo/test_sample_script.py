"""``scripts/make_demo_data.py`` writes exactly the sample the package ships: the run is
deterministic, so the committed CSV files (the custom-property columns included,
Foundation III item 13) are its output byte for byte, and a change to the script that
is not followed by a new run is caught here."""

from __future__ import annotations

import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SCRIPT = ROOT / "scripts" / "make_demo_data.py"
SAMPLE = files("custdb.demo.data")

_RUN_INTO = """
import sys
from pathlib import Path
sys.path.insert(0, {scripts!r})
import make_demo_data
make_demo_data.OUT = Path({out!r})
make_demo_data.main()
"""


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SCRIPT.exists():
        pytest.skip("the scripts folder is not there (an installed package, not a clone)")
    out = tmp_path_factory.mktemp("sample")
    code = _RUN_INTO.format(scripts=str(SCRIPT.parent), out=str(out))
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return out


def test_the_script_writes_the_shipped_sample_byte_for_byte(regenerated: Path) -> None:
    written = sorted(path.name for path in regenerated.iterdir())
    shipped = sorted(entry.name for entry in SAMPLE.iterdir() if entry.name.endswith(".csv"))
    assert written == shipped
    for name in written:
        assert (regenerated / name).read_bytes() == SAMPLE.joinpath(name).read_bytes(), name


def test_the_contacts_file_has_the_custom_property_columns(regenerated: Path) -> None:
    header = (regenerated / "contacts.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",")[-2:] == ["reminder_channel", "member_since"]
