"""Store URLs as messages show them: the password hidden, however it is written.

SQLAlchemy reads ``scheme://user:password@host/db`` with the password running from the
first ``:`` after the user to the ``@`` before the host, so a password may hold ``/``,
``#``, ``?`` or ``:`` as they are. Redaction hides everything from the ``:`` after the
user to the *last* ``@``: never less than SQLAlchemy reads as the password (an ``@`` of
the password's own, left unescaped, is hidden too), and query parameters that carry a
password (``?password=``) are hidden as well. No SQLAlchemy here: ``custdb.storage``
imports this module, and ``memory://`` stays free of database libraries.
"""

from __future__ import annotations

import urllib.parse

__all__ = ["SECRET_PARAMETERS", "redacted"]

SECRET_PARAMETERS = frozenset({"password", "pass", "pwd", "passwd", "sslpassword"})
"""Query parameters whose value is a password (compared without case)."""

_HIDDEN = "***"


def redacted(url: str) -> str:
    """``url`` with its password, if it has one, written ``***``: what messages, logs and
    summaries show, so a database password never lands in a terminal or a log file."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        return url
    at = rest.rfind("@")
    user, colon, _ = rest[: max(at, 0)].partition(":")
    if at >= 0 and colon and "/" not in user:
        rest = f"{user}:{_HIDDEN}{rest[at:]}"
    start = rest.find("?", max(at, 0))
    if start >= 0:
        rest = rest[: start + 1] + _redacted_query(rest[start + 1 :])
    return f"{scheme}://{rest}"


def _redacted_query(query: str) -> str:
    """``a=1&password=***``: a part without ``=`` right after a secret is taken for the
    rest of a password that held a bare ``&``, and hidden with it."""
    kept: list[str] = []
    secret = False
    for part in query.split("&"):
        key, equals, _ = part.partition("=")
        if equals:
            secret = urllib.parse.unquote_plus(key).strip().lower() in SECRET_PARAMETERS
            kept.append(f"{key}={_HIDDEN}" if secret else part)
        elif not secret:
            kept.append(part)
    return "&".join(kept)
