"""Text cells that a spreadsheet would run as a formula, made harmless (CSV injection).

Excel, LibreOffice Calc and Google Sheets read a cell whose first character is ``=``,
``+``, ``-``, ``@``, a tab or a carriage return as a formula, in a CSV file as in an
XLSX one once the cell is edited; a contact named ``=HYPERLINK("http://evil", "Ana")``
would then run on the machine of whoever opens the export. OWASP's remedy is applied:
such a text is prefixed with a single quote, which the spreadsheets take as "this is
text" and do not show, so the text itself is kept.

The decision is made on the value's type, never on how its text looks: a number is
written as a number (``-12.5`` stays a number a sum can add), and only text is
prefixed. The writers call :func:`neutralised` on every text cell and on nothing else.
A reject file writes cells back as a file gave them, all text: there a plain number
(``-12.5``) is left as it is (:func:`neutralised_cell`).

An import undoes the prefix (:func:`restored`), so an exported file, edited and
imported again, gives back the very texts it was made of (``+4791234567`` is written
``'+4791234567`` and read ``+4791234567``).
"""

from __future__ import annotations

import re

__all__ = ["TRIGGERS", "neutralised", "neutralised_cell", "restored"]

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula."""


def neutralised(text: str) -> str:
    """``text``, prefixed with ``'`` when a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(TRIGGERS) else text


_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def neutralised_cell(text: str) -> str:
    """A text cell of a source file, neutralised unless it is a plain number."""
    return text if _PLAIN_NUMBER.fullmatch(text) else neutralised(text)


def restored(text: str) -> str:
    """``text`` with the prefix :func:`neutralised` adds taken off (other texts as they are)."""
    return text[1:] if text.startswith("'") and text[1:2] in _TRIGGER_SET else text


_TRIGGER_SET = frozenset(TRIGGERS)
