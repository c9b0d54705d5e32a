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
OUTSIDE_DOMAIN = {
    "__init__.py",  # loads the storage lazily, on first use of open_store
    "__main__.py",
    "cli.py",
    "demo",
    "storage",
    "io",
    "sync.py",
    "access.py",
}
"""The adapters and the application; every other module is domain and is checked."""
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
    for path in sorted(PACKAGE.iterdir()):
        if path.name in OUTSIDE_DOMAIN or path.name == "__pycache__":
            continue
        if path.is_dir():
            files += sorted(path.rglob("*.py"))
        elif path.suffix == ".py":
            files.append(path)
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
    names = {str(path.relative_to(PACKAGE)) for path in domain_files()}
    assert {"normalize/phones.py", "normalize/_name_keys.py", "query/expr.py", "codec.py"} <= names


def test_the_top_level_lists_capabilities_not_private_helpers() -> None:
    """Foundation III item 19: private helpers live inside the package they serve."""
    private = sorted(
        p.name for p in PACKAGE.iterdir() if p.name.startswith("_") and p.name != "__pycache__"
    )
    assert private == ["__init__.py", "__main__.py"]


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
    modules = sorted(
        "custdb."
        + ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
        for path in domain_files()
    )
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "drivers = ('sqlalchemy', 'psycopg', 'openpyxl', 'pandas')\n"
        + "print(','.join(m for m in drivers if m in sys.modules))\n"
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
