"""The demo summary as terminal text, the line that says what a run changed, and the
next steps: the ``open_store(...)`` line for the base and two queries to try on it.

Only what changed is shown: a run that adds nothing says the base is already built,
a first build says how many records it wrote, and only a partial run notes per entity
what it added.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import attrs

from custdb.demo._schema import CHANNELS
from custdb.demo._summary import DemoSummary
from custdb.query import F, Query
from custdb.storage import Store, redacted

__all__ = ["EXAMPLES", "Example", "format_summary", "headline", "next_steps"]


@attrs.frozen
class Example:
    """A query to try on the demo base: the name the snippet gives its rows, the query's
    Python source as printed, and the query itself (a test checks the source builds it)."""

    name: str
    source: str
    query: Query


EXAMPLES: tuple[Example, ...] = (
    Example("vip", 'F("tags").contains("vip")', F("tags").contains("vip")),
    Example(
        "early_members",
        'F("member_since") < dt.date(2020, 1, 1)',
        F("member_since") < dt.date(2020, 1, 1),
    ),
)
"""A tag query and a custom-property query; both find contacts in the demo base."""

_GONE_WHEN_CLOSED = frozenset({"memory://", "sqlite://", "sqlite:///:memory:"})


# --- what the run did -------------------------------------------------------------------


def headline(summary: DemoSummary, url: str) -> str:
    """``Demo base <url>: ...`` saying what the run changed; the password is hidden."""
    where = f"Demo base {redacted(url)}"
    added = sum(summary.added.values())
    if not summary.added:
        return where
    if not added:
        return f"{where}: already built, nothing changed"
    if summary.added == summary.counts:
        return f"{where}: built, {added:,} records"
    return f"{where}: {added:,} records added"


# --- the summary ------------------------------------------------------------------------


def format_summary(summary: DemoSummary) -> str:
    """The summary as text for a terminal."""
    sections = [
        _records(summary),
        _breakdowns(summary),
        _pipeline(summary),
        _clients(summary),
        _satisfaction(summary),
        _duplicates(summary),
    ]
    return "\n\n".join(sections) + "\n"


def _records(summary: DemoSummary) -> str:
    """Counts per entity; ``(+n added)`` only where a run added to a base that had some."""
    partial = any(summary.added.values()) and summary.added != summary.counts
    lines = ["Records"]
    for name, count in summary.counts.items():
        added = summary.added.get(name) if partial else None
        note = f"  (+{added:,} added)" if added else ""
        lines.append(f"  {name:<14}{count:>6,}{note}")
    return "\n".join(lines)


def _breakdowns(summary: DemoSummary) -> str:
    def tally(pairs: Sequence[tuple[str, int]]) -> str:
        return " · ".join(f"{key} {count}" for key, count in pairs) or "-"

    return (
        f"Contacts by country   {tally(summary.by_country)}\n"
        f"Contacts by language  {tally(summary.by_language)}"
    )


def _pipeline(summary: DemoSummary) -> str:
    """Deals per stage, one column of value per currency (amounts are never mixed)."""
    if not summary.stages:
        return "Deals by stage\n  (no deals)"
    currencies = sorted({currency for line in summary.stages for currency, _ in line.values})
    lines = ["Deals by stage   deals" + "".join(f"{c:>15}" for c in currencies)]
    for line in summary.stages:
        values = dict(line.values)
        cells = "".join(f"{values[c]:>15,.2f}" if c in values else f"{'-':>15}" for c in currencies)
        lines.append(f"  {line.stage:<14}{line.count:>5}{cells}")
    return "\n".join(lines)


def _clients(summary: DemoSummary) -> str:
    """One line per client: the name, the currency, the amount right-aligned under the
    others, the number of orders."""
    heading = "Top clients by total spent (completed orders)"
    clients = summary.top_clients
    if not clients:
        return f"{heading}\n  (no orders)"
    names = [f"{client.name} ({client.country or '?'})" for client in clients]
    amounts = [f"{client.total_spent:,.2f}" for client in clients]
    counts = [str(client.order_count) for client in clients]
    name_width, amount_width, count_width = (
        max(map(len, column)) for column in (names, amounts, counts)
    )
    lines = [heading]
    for rank, client in enumerate(clients):
        orders = "order" if client.order_count == 1 else "orders"
        lines.append(
            f"  {rank + 1}. {names[rank]:<{name_width}}  {client.currency or '?':<3} "
            f"{amounts[rank]:>{amount_width}}   {counts[rank]:>{count_width}} {orders}"
        )
    return "\n".join(lines)


def _satisfaction(summary: DemoSummary) -> str:
    nps_text = "-" if summary.nps is None else f"{summary.nps:+}"
    csat_text = "-" if summary.csat is None else f"{summary.csat}% rated 4-5"
    return (
        f"NPS                   {nps_text}  ({summary.nps_answers} answers)\n"
        f"CSAT                  {csat_text}  ({summary.csat_answers} answers)\n"
        f"Open tickets          {summary.open_tickets} of {summary.counts.get('tickets', 0)}"
    )


def _duplicates(summary: DemoSummary) -> str:
    header = (
        f"Possible duplicates: {len(summary.duplicates)} (a quick check: same name key and "
        "same phone or e-mail)"
    )
    lines = [header, *(f"  {d.first}  ~  {d.second}   [{d.shared}]" for d in summary.duplicates)]
    return "\n".join(lines)


# --- how to go on -----------------------------------------------------------------------


def next_steps(store: Store, url: str) -> str:
    """Python to paste: open the base at ``url`` (password hidden) and run the
    :data:`EXAMPLES` on it, each with the number of contacts it finds in ``store``.

    A base that ends with the command (``memory://``, in-memory SQLite) is built again
    in the snippet instead of opened.
    """
    with store.begin() as tx:
        found = [tx.contacts.count(example.query) for example in EXAMPLES]
    channels = ", ".join(CHANNELS[:-1]) + f" or {CHANNELS[-1]}"
    intro = (
        "Go on in Python. Besides the core fields, contacts have two custom properties:\n"
        f"reminder_channel ({channels}) and member_since (a date)."
    )
    return f"{intro}\n\n" + "".join(
        f"    {line}\n" if line else "\n" for line in _snippet(url, found)
    )


def _snippet(url: str, found: Sequence[int]) -> list[str]:
    gone = url in _GONE_WHEN_CLOSED
    opened = f"store = open_store({json.dumps(redacted(url), ensure_ascii=False)}, schemas=SCHEMAS)"
    if redacted(url) != url:
        opened += "  # your password in place of ***"
    elif url.startswith("sqlite:///") and not url.startswith(("sqlite:////", "sqlite:///:")):
        opened += "  # a path relative to this folder"
    selects = [f"{e.name} = tx.contacts.select({e.source})" for e in EXAMPLES]
    width = max(map(len, selects))
    return [
        "import datetime as dt",
        "from custdb import open_store",
        "from custdb.demo import SCHEMAS, build_demo"
        if gone
        else "from custdb.demo import SCHEMAS",
        "from custdb.query import F",
        "",
        opened,
        *(
            ["build_demo(store)  # a base in memory ends with the command: build it again"]
            if gone
            else []
        ),
        "with store.begin() as tx:",
        *(
            f"    {select:<{width}}  # {count:,} contacts"
            for select, count in zip(selects, found, strict=True)
        ),
    ]
