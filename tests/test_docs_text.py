"""What users read speaks to users and promises only what exists (Foundation III item 12).

Requirement ids (D1, I1, A6, E11, the ranges E1-E8) and talk of "the seed" stay in tests
and docstrings for developers; they must not come back into the docs pages or the README.
Every ``custdb.<name>`` the pages mention must exist, and the package description names
only capabilities whose module is there.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]

_PREFIXES = "ADEILPRS"  # the requirement families: entities, data, imports, access...
_ID = re.compile(
    rf"(?<![\w-])(?:([{_PREFIXES}])\d{{1,2}}[-–]\1?\d{{1,2}}|[{_PREFIXES}]\d{{1,2}})(?![\w-])"
)
"""An id (``E11``) or a range (``E1-E8``, ``E1–8``); not part of a word such as
``R2-D2`` or ``E164``."""
_SEED = re.compile(r"\bseed", re.IGNORECASE)
_NAME = re.compile(r"(?<![\w./-])custdb(?:\.[A-Za-z_]\w*)+")


def _findings(pattern: re.Pattern[str], text: str) -> list[str]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        found += [f"line {number}: {match.group(0)!r}" for match in pattern.finditer(line)]
    return found


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_no_requirement_ids_in_a_page(page: Path) -> None:
    assert _findings(_ID, page.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_no_seed_talk_in_a_page(page: Path) -> None:
    assert _findings(_SEED, page.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("as requirement D1 says", ["'D1'"]),
        ("(rule A6)", ["'A6'"]),
        ("E1-E8 on realistic data, and E11", ["'E1-E8'", "'E11'"]),
        ("from the data-quality Seed", ["'Seed'"]),
        ('check_name("R2-D2"), E.164, E164, UTF-8, a B2B deal, H1, Q3', []),
    ],
)
def test_the_patterns_catch_ids_and_spare_ordinary_text(text: str, found: list[str]) -> None:
    hits = [hit.split(": ", 1)[1] for hit in _findings(_ID, text) + _findings(_SEED, text)]
    assert hits == found


def _exists(dotted: str) -> bool:
    """Whether ``custdb.a.b.c`` names a module, or an attribute of the longest module
    prefix that imports."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_every_custdb_name_a_page_mentions_exists(page: Path) -> None:
    names = sorted(set(_NAME.findall(page.read_text(encoding="utf-8"))))
    assert [name for name in names if not _exists(name)] == []


def test_the_name_check_refuses_what_is_not_there() -> None:
    assert _exists("custdb.demo.build_demo")
    assert _exists("custdb.errors.AccessDeniedError")
    assert not _exists("custdb.dedupe")
    assert not _exists("custdb.demo.no_such_function")


_CAPABILITIES = {
    "scoring": "custdb.scoring",
    "dedupe": "custdb.dedupe",
    "import": "custdb.io",
    "export": "custdb.io",
    "sync": "custdb.sync",
    "segment": "custdb.segments",
}


def test_the_package_description_names_only_what_exists() -> None:
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'^description = "(.*)"$', project, re.MULTILINE)
    assert found is not None
    description = found.group(1)
    words = set(re.findall(r"[a-z]+", description.lower()))
    promised = {word: module for word, module in _CAPABILITIES.items() if word in words}
    assert [module for module in promised.values() if not _exists(module)] == []
    assert _ID.search(description) is None
