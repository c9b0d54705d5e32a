"""The demo base: a realistic, messy, multilingual sample loaded into any store.

``custdb demo`` opens the store with the demo's custom properties (:data:`SCHEMAS`),
calls :func:`build_demo`, and prints :func:`headline`, :func:`format_summary` and
:func:`next_steps` (the ``open_store(...)`` line and two queries to try). The sample
(``custdb/demo/data/*.csv``) is a chain of beauty salons and car workshops with branches
in Russia, Norway, Spain, the United States and the United Kingdom: over 300 contacts,
their companies, a B2B deal pipeline, orders with services and products, tickets,
NPS and CSAT answers, activities, and a few clients entered twice under different
spellings; contacts carry two custom properties, ``reminder_channel`` and
``member_since``. Its cells are written the way each branch exports them
(``8 (912) 345-67-89``, ``15.03.2024``, ``1 500,50``) and go through
:mod:`custdb.normalize` on the way in.

Loading is idempotent: every record carries ``external_ids={"demo": <sample key>}``, and a
second run finds the stored records by that key and adds nothing, so neither the counts
nor the change log move.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from custdb.demo._load import Ids, Row, Traversable, bundled, read_rows
from custdb.demo._records import KINDS, SYSTEM, Kind
from custdb.demo._schema import SCHEMAS, check_declared
from custdb.demo._summary import (
    DemoSummary,
    DuplicatePair,
    StageLine,
    TopClient,
    csat,
    find_planted_duplicates,
    nps,
    summarize,
)
from custdb.demo._text import EXAMPLES, Example, format_summary, headline, next_steps
from custdb.errors import ValidationError
from custdb.model import FrozenMap, new_id
from custdb.storage.base import Store, Transaction

__all__ = [
    "EXAMPLES",
    "SCHEMAS",
    "DemoSummary",
    "DuplicatePair",
    "Example",
    "Progress",
    "StageLine",
    "TopClient",
    "build_demo",
    "csat",
    "find_planted_duplicates",
    "format_summary",
    "headline",
    "next_steps",
    "nps",
    "summarize",
]

Progress = Callable[[str, int], None]
"""Called after each repository is loaded, with its name and how many records were added."""

RATES = {
    "EUR": Decimal(100),
    "GBP": Decimal(117),
    "NOK": Decimal("8.6"),
    "USD": Decimal(92),
}
"""Roubles per unit of the sample's other currencies: fixed, illustrative rates, so that
total spent (in the demo base's currency, RUB) ranks clients of every country."""


def build_demo(
    store: Store,
    *,
    progress: Progress | None = None,
    source: Traversable | Path | None = None,
) -> DemoSummary:
    """Load the demo sample into ``store`` in one transaction, then summarise the store.

    The store must be opened with the demo's custom properties,
    ``open_store(url, schemas=SCHEMAS)``; one without them is refused with a
    ``ValidationError`` before anything is written. ``source`` is a directory holding
    the sample's CSV files (the bundled one by default). A cell that does not parse
    raises ``ValidationError`` naming the file, the row and the field, and nothing is
    written.
    """
    with store.begin(actor="custdb-demo", cause="demo") as tx:
        check_declared(tx)
        tx.set_rates(RATES, base_currency="RUB")
        added = _load(tx, bundled() if source is None else source, progress)
    return attrs.evolve(summarize(store), added=FrozenMap(added))


def _load(tx: Transaction, source: Traversable | Path, progress: Progress | None) -> dict[str, int]:
    ids = Ids()
    groups = {kind.repo: _groups(kind, source, ids) for kind in KINDS}
    missing = {kind.repo: _resolve(tx, kind.repo, groups[kind.repo], ids) for kind in KINDS}
    added: dict[str, int] = {}
    for kind in KINDS:
        records = [_built(kind, key, groups[kind.repo][key], ids) for key in missing[kind.repo]]
        if records:
            getattr(tx, kind.repo).add_many(records)
        added[kind.repo] = len(records)
        if progress is not None:
            progress(kind.repo, len(records))
    return added


def _groups(kind: Kind, source: Traversable | Path, ids: Ids) -> dict[str, list[Row]]:
    """The rows of each record, by record key, in file order."""
    groups: dict[str, list[Row]] = {}
    for row in read_rows(source, kind.file, ids, kind.entity):
        if kind.only is not None and row.text(kind.only) is None:
            continue
        groups.setdefault(row.required(kind.group) + kind.suffix, []).append(row)
    return groups


def _resolve(tx: Transaction, repo: str, keys: Iterable[str], ids: Ids) -> list[str]:
    """Give every key an id (the stored record's, or a new one); return the keys not stored."""
    repository = getattr(tx, repo)
    missing = []
    for key in keys:
        stored = repository.by_external_id(SYSTEM, key)
        ids.set(repo, key, new_id() if stored is None else stored.id)
        if stored is None:
            missing.append(key)
    return missing


def _built(kind: Kind, key: str, rows: Sequence[Row], ids: Ids) -> Any:
    try:
        record = kind.build(rows, ids[kind.repo, key])
    except ValidationError as e:
        if e.row is not None:
            raise
        raise rows[0].error(e.field or kind.group, e.reason, e.hint) from e
    return attrs.evolve(record, external_ids={SYSTEM: key})
