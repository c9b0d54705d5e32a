"""Sphinx configuration: MyST markdown pages whose examples pytest runs as doctests.

Why Sphinx + MyST rather than MkDocs: autodoc renders the API (the error tree, the
entities) from the docstrings the code already carries, ``-W`` turns every broken
reference into a failure, and MyST keeps the pages plain Markdown that reads well on a
forge. The examples are executed by pytest (the root ``conftest.py`` collects each
page's ``pycon`` blocks), so the docs build stays fast and the examples run with the
rest of the tests.
"""

from __future__ import annotations

import custdb

project = "custdb"
author = "custdb developers"
copyright = "2026, custdb developers"
release = custdb.__version__
version = release

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.intersphinx"]
source_suffix = {".md": "markdown"}
master_doc = "index"
exclude_patterns = ["_build"]
myst_heading_anchors = 3
autodoc_member_order = "bysource"
autodoc_typehints = "description"
intersphinx_mapping: dict[str, tuple[str, None]] = {}
html_theme = "alabaster"
nitpicky = False
