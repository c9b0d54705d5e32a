"""``python -m custdb``: the ``custdb`` command."""

from __future__ import annotations

import sys

from custdb.cli import main

if __name__ == "__main__":
    sys.exit(main())
