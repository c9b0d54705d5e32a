"""The dependency direction (ARCHITECTURE.md): the domain imports no storage, io or sync.

Two proofs, as SPLINK's minimal-import job does it: a static scan of every import in
the domain modules, and a fresh interpreter that imports the domain and then checks that
no database driver was loaded.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import custdb

PACKAGE = Path(custdb.__file__).parent
DOMAIN = ("model", "normalize", "rules", "query", "pipeline", "scoring", "segments", "dedupe")
ALLOWED_THIRD_PARTY = {
    "attrs",
    "dateutil",
    "rapidfuzz",
    "phonenumbers",
    "email_validator",
    "anyascii",
}
FORBIDDEN_CUSTDB = ("custdb.storage", "custdb.io", "custdb.sync", "custdb.cli", "custdb.access")


def domain_files() -> list[Path]:
    files: list[Path] = []
    for name in DOMAIN:
        package, module = PACKAGE / name, PACKAGE / f"{name}.py"
        files += sorted(package.rglob("*.py")) if package.is_dir() else []
        files += [module] if module.exists() else []
    return files


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_there_is_a_domain_to_check() -> None:
    assert len(domain_files()) >= 3


@pytest.mark.parametrize("path", domain_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_domain_module_imports_only_the_domain_and_its_libraries(path: Path) -> None:
    stdlib = sys.stdlib_module_names
    for name in imported_modules(path):
        top = name.split(".")[0]
        if top == "custdb":
            assert not name.startswith(FORBIDDEN_CUSTDB), f"{path.name} imports {name}"
        else:
            assert top in stdlib or top in ALLOWED_THIRD_PARTY, f"{path.name} imports {name}"


def test_importing_the_domain_loads_no_database_driver() -> None:
    modules = [f"custdb.{name}" for name in DOMAIN if (PACKAGE / name).exists()]
    modules += [f"custdb.{name}" for name in DOMAIN if (PACKAGE / f"{name}.py").exists()]
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "loaded = [m for m in ('sqlalchemy', 'psycopg', 'openpyxl', 'pandas') if m in sys.modules]\n"
        + "print(','.join(loaded))\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, our own code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_import_custdb_itself_is_cheap() -> None:
    code = "import sys, custdb; print('sqlalchemy' in sys.modules)"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
