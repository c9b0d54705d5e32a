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
"""

from __future__ import annotations

__all__ = ["TRIGGERS", "neutralised"]

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula."""


def neutralised(text: str) -> str:
    """``text``, prefixed with ``'`` when a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(TRIGGERS) else text
